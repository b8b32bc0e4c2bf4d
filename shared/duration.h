#pragma once

#include <QString>

#include <chrono>
#include <optional>

/*!
    Parses a duration such as "90s", "5m", "2h" or "1h30m"; a bare number is
    seconds. Returns nothing for anything else, including zero or negative values.
*/
std::optional<std::chrono::seconds> parseDuration(const QString &text);

/*! Formats \a duration the way parseDuration() reads it, for example "1h30m". */
QString formatDuration(std::chrono::seconds duration);
