#include "shared/runrecord.h"

#include "shared/watcherstate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace {

QList<GuestSystem> guestsFromJson(const QJsonArray &array)
{
    QList<GuestSystem> guests;
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        GuestSystem guest;
        guest.token = object.value(QStringLiteral("token")).toString();
        const QJsonValue kernel = object.value(QStringLiteral("kernel"));
        if (kernel.isString())
            guest.kernel = kernel.toString();
        guests.append(guest);
    }
    return guests;
}

RunRecordParseResult parseError(const QString &message)
{
    return RunRecordParseResult{std::nullopt, message};
}

QString describeJsonValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return QStringLiteral("\"%1\" (a string)").arg(value.toString());
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

// WatcherState::fromJson() reads a non-integer version as 0, which hides what the file holds.
std::optional<QString> formatVersionError(const QJsonObject &object, const QString &sourceName)
{
    const QJsonValue version = object.value(QStringLiteral("format_version"));
    if (version.isUndefined()) {
        return QStringLiteral("State file \"%1\" has no format_version; it was not written by "
                              "atvm-run-watcher.")
                .arg(sourceName);
    }
    const double number = version.toDouble(-1);
    if (!version.isDouble() || number < 0 || number > 1e9 || number != std::floor(number)) {
        return QStringLiteral("State file \"%1\" has format_version %2; a whole number such "
                              "as 1 is expected.")
                .arg(sourceName, describeJsonValue(version));
    }
    return std::nullopt;
}

} // namespace

RunRecordParseResult parseRunRecord(const QByteArray &bytes, const QString &sourceName)
{
    if (bytes.trimmed().isEmpty()) {
        return parseError(QStringLiteral("State file \"%1\" is empty; it may be in the middle "
                                         "of a write. The last good copy is kept.")
                                  .arg(sourceName));
    }

    QJsonParseError jsonError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &jsonError);
    if (jsonError.error != QJsonParseError::NoError) {
        return parseError(QStringLiteral("State file \"%1\" is not valid JSON at offset %2: %3.")
                                  .arg(sourceName)
                                  .arg(jsonError.offset)
                                  .arg(jsonError.errorString()));
    }
    if (!document.isObject()) {
        return parseError(QStringLiteral("State file \"%1\" does not contain a JSON object.")
                                  .arg(sourceName));
    }

    if (const std::optional<QString> error = formatVersionError(document.object(), sourceName))
        return parseError(*error);

    QString stateError;
    const std::optional<WatcherState> saved =
            WatcherState::fromJson(document.object(), &stateError);
    if (!saved)
        return parseError(QStringLiteral("State file \"%1\": %2").arg(sourceName, stateError));
    if (saved->buildName.isEmpty())
        return parseError(QStringLiteral("State file \"%1\" has no build_name.").arg(sourceName));

    RunRecord record;
    record.buildName = saved->buildName;
    record.state = saved->state;
    record.reason = saved->reason;

    record.posted = saved->posted;
    record.postedAt = saved->postedAt;
    record.postInFlight = saved->postInFlight;
    record.postAttempts = saved->postAttempts;
    record.lastError = saved->lastError;

    record.startedAt = saved->startedAt;
    record.updatedAt = saved->updatedAt;
    record.finishedAt = saved->finishedAt;
    record.lastActivityAt = saved->lastActivityAt;
    record.watcherPid = saved->watcherPid;

    record.metadata = RunMetadata::fromJson(saved->metadata);
    record.guests = guestsFromJson(saved->guests);
    record.runLogPath = saved->paths.value(QStringLiteral("run_log")).toString();
    record.reportDirPath = saved->paths.value(QStringLiteral("report_dir")).toString();

    record.processPid = saved->process.pid;
    record.processAlive = saved->processAlive;
    record.processExitStatus = saved->exitStatus;

    record.progress = saved->progress;
    return RunRecordParseResult{record, QString()};
}

bool isWatcherLost(const RunRecord &record, const QDateTime &now)
{
    if (record.state != RunState::Watching)
        return false;
    const std::optional<qint64> age = updateAgeSeconds(record, now);
    return !age || *age > watcherLostAfterSeconds;
}

std::optional<qint64> updateAgeSeconds(const RunRecord &record, const QDateTime &now)
{
    if (!record.updatedAt.isValid() || isUpdateInFuture(record, now))
        return std::nullopt;
    return qMax<qint64>(0, record.updatedAt.secsTo(now));
}

bool isUpdateInFuture(const RunRecord &record, const QDateTime &now)
{
    return record.updatedAt.isValid() && now.secsTo(record.updatedAt) > clockSkewToleranceSeconds;
}

qint64 runDurationSeconds(const RunRecord &record, const QDateTime &now)
{
    if (!record.startedAt.isValid())
        return 0;
    const QDateTime end = record.finishedAt.isValid() ? record.finishedAt : now;
    return qMax<qint64>(0, record.startedAt.secsTo(end));
}
