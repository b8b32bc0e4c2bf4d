#include "shared/duration.h"

#include <QRegularExpression>

std::optional<std::chrono::seconds> parseDuration(const QString &text)
{
    static const QRegularExpression whole(QStringLiteral("^(?:\\d+[hms])+$|^\\d+$"));
    const QString trimmed = text.trimmed();
    if (!whole.match(trimmed).hasMatch())
        return std::nullopt;

    static const QRegularExpression part(QStringLiteral("(\\d+)([hms]?)"));
    qint64 seconds = 0;
    auto parts = part.globalMatch(trimmed);
    while (parts.hasNext()) {
        const QRegularExpressionMatch match = parts.next();
        bool ok = false;
        const qint64 value = match.captured(1).toLongLong(&ok);
        if (!ok || value > 10'000'000)
            return std::nullopt;
        const QString unit = match.captured(2);
        if (unit == QLatin1String("h"))
            seconds += value * 3600;
        else if (unit == QLatin1String("m"))
            seconds += value * 60;
        else
            seconds += value;
    }
    if (seconds <= 0)
        return std::nullopt;
    return std::chrono::seconds(seconds);
}

QString formatDuration(std::chrono::seconds duration)
{
    qint64 seconds = duration.count();
    QString text;
    if (seconds >= 3600) {
        text += QStringLiteral("%1h").arg(seconds / 3600);
        seconds %= 3600;
    }
    if (seconds >= 60) {
        text += QStringLiteral("%1m").arg(seconds / 60);
        seconds %= 60;
    }
    if (seconds > 0 || text.isEmpty())
        text += QStringLiteral("%1s").arg(seconds);
    return text;
}
