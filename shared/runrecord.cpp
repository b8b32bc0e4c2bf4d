#include "shared/runrecord.h"

#include "shared/watcherstate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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
    if (!record.updatedAt.isValid())
        return true;
    return record.updatedAt.secsTo(now) > watcherLostAfterSeconds;
}

qint64 runDurationSeconds(const RunRecord &record, const QDateTime &now)
{
    if (!record.startedAt.isValid())
        return 0;
    const QDateTime end = record.finishedAt.isValid() ? record.finishedAt : now;
    return qMax<qint64>(0, record.startedAt.secsTo(end));
}
