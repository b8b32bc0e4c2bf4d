#include "shared/watcherstate.h"

#include <QJsonArray>

QJsonValue stateTimeToJson(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODate);
}

QDateTime stateTimeFromJson(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    return QDateTime::fromString(value.toString(), Qt::ISODate).toUTC();
}

QJsonObject WatcherState::toJson() const
{
    QJsonObject processObject = process.toJson();
    processObject.insert(QStringLiteral("alive"), processAlive);
    processObject.insert(QStringLiteral("exit_status"),
                         exitStatus ? QJsonValue(*exitStatus) : QJsonValue(QJsonValue::Null));

    return QJsonObject{
            {QStringLiteral("format_version"), formatVersion},
            {QStringLiteral("build_name"), buildName},
            {QStringLiteral("state"), runStateName(state)},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("posted"), posted},
            {QStringLiteral("posted_at"), stateTimeToJson(postedAt)},
            {QStringLiteral("post_started_at"), stateTimeToJson(postStartedAt)},
            {QStringLiteral("post_in_flight"), postInFlight},
            {QStringLiteral("dry_run"), dryRun},
            {QStringLiteral("post_attempts"), postAttempts},
            {QStringLiteral("last_error"), lastError},
            {QStringLiteral("started_at"), stateTimeToJson(startedAt)},
            {QStringLiteral("updated_at"), stateTimeToJson(updatedAt)},
            {QStringLiteral("finished_at"), stateTimeToJson(finishedAt)},
            {QStringLiteral("last_activity_at"), stateTimeToJson(lastActivityAt)},
            {QStringLiteral("watcher_pid"), watcherPid},
            {QStringLiteral("metadata"), metadata},
            {QStringLiteral("guests"), guests},
            {QStringLiteral("paths"), paths},
            {QStringLiteral("process"), processObject},
            {QStringLiteral("progress"), progress.toJson()},
            {QStringLiteral("log_position"), logPosition},
    };
}

std::optional<WatcherState> WatcherState::fromJson(const QJsonObject &object, QString *error)
{
    const int version = object.value(QStringLiteral("format_version")).toInt(0);
    if (version < 1 || version > formatVersion) {
        if (error) {
            *error = QStringLiteral("Unsupported state format version %1; this program reads "
                                    "version %2. Update the program that reads it.")
                             .arg(version)
                             .arg(formatVersion);
        }
        return std::nullopt;
    }

    const QString stateName = object.value(QStringLiteral("state")).toString();
    const std::optional<RunState> runState = runStateFromName(stateName);
    if (!runState) {
        if (error)
            *error = QStringLiteral("Invalid state \"%1\" in the state file.").arg(stateName);
        return std::nullopt;
    }

    WatcherState state;
    state.buildName = object.value(QStringLiteral("build_name")).toString();
    state.state = *runState;
    state.reason = object.value(QStringLiteral("reason")).toString();
    state.posted = object.value(QStringLiteral("posted")).toBool();
    state.postedAt = stateTimeFromJson(object.value(QStringLiteral("posted_at")));
    state.postStartedAt = stateTimeFromJson(object.value(QStringLiteral("post_started_at")));
    state.postInFlight = object.value(QStringLiteral("post_in_flight")).toBool();
    state.dryRun = object.value(QStringLiteral("dry_run")).toBool();
    state.postAttempts = object.value(QStringLiteral("post_attempts")).toInt();
    state.lastError = object.value(QStringLiteral("last_error")).toString();
    state.startedAt = stateTimeFromJson(object.value(QStringLiteral("started_at")));
    state.updatedAt = stateTimeFromJson(object.value(QStringLiteral("updated_at")));
    state.finishedAt = stateTimeFromJson(object.value(QStringLiteral("finished_at")));
    state.lastActivityAt = stateTimeFromJson(object.value(QStringLiteral("last_activity_at")));
    state.watcherPid = object.value(QStringLiteral("watcher_pid")).toInteger();
    state.metadata = object.value(QStringLiteral("metadata")).toObject();
    state.guests = object.value(QStringLiteral("guests")).toArray();
    state.paths = object.value(QStringLiteral("paths")).toObject();

    const QJsonObject processObject = object.value(QStringLiteral("process")).toObject();
    state.process = ProcessIdentity::fromJson(processObject);
    state.processAlive = processObject.value(QStringLiteral("alive")).toBool();
    const QJsonValue exitStatus = processObject.value(QStringLiteral("exit_status"));
    if (exitStatus.isDouble())
        state.exitStatus = exitStatus.toInt();

    state.progress = RunProgress::fromJson(object.value(QStringLiteral("progress")).toObject());
    state.logPosition = object.value(QStringLiteral("log_position")).toObject();
    return state;
}
