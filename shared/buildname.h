#pragma once

#include <QString>
#include <QStringList>

#include <optional>

/*!
    \brief Checks a build name against the team-wide rule.

    A valid name matches \c{^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$} and does not
    contain "..", so it is safe as a folder name, a systemd instance name and a
    file name part. Returns an error message that quotes the value and says how
    to fix it, or nothing when the name is valid.
*/
std::optional<QString> validateBuildName(const QString &name);

/*!
    \brief Returns the guest system tokens named in a build name.

    The name is split at '-'. The first token is a prefix (for example "e2e")
    and is never a guest. Of the remaining tokens, empty ones, tokens of digits
    only (run or date numbers) and known storage transports (see
    transportTokens()) are dropped, compared case-insensitively. What is left,
    in order, are the guests: "e2e-redhat9.6-ubuntu24.04-w2k25-fc" gives
    redhat9.6, ubuntu24.04 and w2k25.
*/
QStringList guestTokens(const QString &buildName);

/*! Returns the storage transport names that guestTokens() drops, in lower case. */
QStringList transportTokens();
