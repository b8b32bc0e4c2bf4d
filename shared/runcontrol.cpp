#include "shared/runcontrol.h"

#include "shared/buildname.h"
#include "shared/staterootreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSysInfo>

#include <unistd.h>

namespace {

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

ControlWriteResult writeFailure(const QString &path, const QString &error)
{
    return ControlWriteResult{false, path, error};
}

// Writes through QSaveFile, which renames a finished temporary file into place.
std::optional<QString> saveAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("Cannot write \"%1\": %2.").arg(path, file.errorString());
    file.write(bytes);
    if (!file.commit())
        return QStringLiteral("Cannot write \"%1\": %2.").arg(path, file.errorString());
    return std::nullopt;
}

} // namespace

QString startRequestsDirPath(const QString &rootPath)
{
    return QDir(rootPath).filePath(QStringLiteral(".start-requests"));
}

QString startStagingDirPath(const QString &rootPath)
{
    return QDir(rootPath).filePath(QStringLiteral(".start-staging"));
}

QString startResultsDirPath(const QString &rootPath)
{
    return QDir(rootPath).filePath(QStringLiteral(".start-results"));
}

QString cancelMarkerPath(const QString &rootPath, const QString &buildName)
{
    return QDir(QDir(rootPath).filePath(buildName)).filePath(QStringLiteral("cancel.json"));
}

QJsonObject StartRequest::toJson() const
{
    return QJsonObject{
            {QStringLiteral("id"), id},
            {QStringLiteral("build_name"), buildName},
            {QStringLiteral("template"), metadata.templateName},
            {QStringLiteral("config_family"), metadata.configFamily},
            {QStringLiteral("migration_style"), metadata.migrationStyle},
            {QStringLiteral("integration_plugin"), metadata.integrationPlugin},
            {QStringLiteral("scope_description"), metadata.scopeDescription},
            {QStringLiteral("requested_by"), requestedBy},
            {QStringLiteral("requested_at"), isoTime(requestedAt)},
    };
}

QString currentUserAtHost()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = QString::number(getuid());
    return user + QLatin1Char('@') + QSysInfo::machineHostName();
}

QString newStartRequestId(const QDateTime &now)
{
    const QString suffix = QString::number(QRandomGenerator::global()->bounded(0x1000000), 16)
                                   .rightJustified(6, QLatin1Char('0'));
    return now.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")) + QLatin1Char('-') + suffix;
}

QStringList startScriptOptions(const StartRequest &request)
{
    QStringList options{QStringLiteral("--build-name"), request.buildName};
    const std::pair<const char *, QString> fields[] = {
            {"--template", request.metadata.templateName},
            {"--config-family", request.metadata.configFamily},
            {"--migration-style", request.metadata.migrationStyle},
            {"--integration-plugin", request.metadata.integrationPlugin},
            {"--scope-description", request.metadata.scopeDescription},
    };
    for (const auto &[option, value] : fields) {
        if (!value.isEmpty())
            options << QString::fromLatin1(option) << value;
    }
    return options;
}

ControlWriteResult writeStartRequest(const QString &rootPath, const StartRequest &request)
{
    if (const std::optional<QString> error = validateBuildName(request.buildName))
        return writeFailure(QString(), *error);

    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
    if (!idPattern.match(request.id).hasMatch()) {
        return writeFailure(QString(),
                            QStringLiteral("Invalid start request id \"%1\": use letters, digits "
                                           "and '-'.")
                                    .arg(request.id));
    }

    const QDir rootDir(rootPath);
    if (!rootDir.exists()) {
        return writeFailure(rootPath,
                            QStringLiteral("State root \"%1\" does not exist; check the path or "
                                           "mount it again.")
                                    .arg(rootPath));
    }

    const QString statePath =
            QDir(rootDir.filePath(request.buildName)).filePath(QStringLiteral("state.json"));
    const RegularFileRead state = readRegularFile(statePath, maxStateFileBytes);
    if (state.bytes) {
        const RunRecordParseResult parsed = parseRunRecord(*state.bytes, statePath);
        if (parsed.record && parsed.record->state == RunState::Watching
            && !isWatcherLost(*parsed.record, QDateTime::currentDateTimeUtc())) {
            return writeFailure(statePath,
                                QStringLiteral("Build \"%1\" is already being watched; cancel it "
                                               "or choose another build name.")
                                        .arg(request.buildName));
        }
    }

    const QString stagingDir = startStagingDirPath(rootPath);
    const QString requestsDir = startRequestsDirPath(rootPath);
    for (const QString &dir : {stagingDir, requestsDir, startResultsDirPath(rootPath)}) {
        if (!QDir().mkpath(dir)) {
            return writeFailure(dir,
                                QStringLiteral("Cannot create folder \"%1\"; check that this user "
                                               "may write to the state root.")
                                        .arg(dir));
        }
    }

    const QString fileName = request.id + QStringLiteral(".json");
    const QString stagingPath = QDir(stagingDir).filePath(fileName);
    const QString requestPath = QDir(requestsDir).filePath(fileName);
    const QByteArray bytes = QJsonDocument(request.toJson()).toJson(QJsonDocument::Indented);
    if (const std::optional<QString> error = saveAtomically(stagingPath, bytes))
        return writeFailure(stagingPath, *error);

    // The request folder is watched with DirectoryNotEmpty=, so the file appears
    // there only complete, by one rename within the same file system.
    if (!QFile::rename(stagingPath, requestPath)) {
        QFile::remove(stagingPath);
        return writeFailure(
                requestPath,
                QStringLiteral("Cannot move the start request into \"%1\".").arg(requestsDir));
    }
    return ControlWriteResult{true, requestPath, QString()};
}

ControlWriteResult writeCancelMarker(const QString &rootPath, const QString &buildName,
                                     const QString &requestedBy, const QDateTime &now)
{
    if (const std::optional<QString> error = validateBuildName(buildName))
        return writeFailure(QString(), *error);

    const QString runDir = QDir(rootPath).filePath(buildName);
    if (!QFileInfo(runDir).isDir()) {
        return writeFailure(runDir,
                            QStringLiteral("No run folder \"%1\"; check the build name and the "
                                           "state root.")
                                    .arg(runDir));
    }

    // The watcher of a finished run has exited, so a marker there would only
    // mislead the next start; cancel-atvm-run-watcher.sh refuses the same way.
    const QString statePath = QDir(runDir).filePath(QStringLiteral("state.json"));
    const RegularFileRead state = readRegularFile(statePath, maxStateFileBytes);
    if (!state.bytes && state.missing) {
        return writeFailure(statePath,
                            QStringLiteral("Run \"%1\" has no state.json, so no watcher records "
                                           "it; nothing changed.")
                                    .arg(buildName));
    }
    if (!state.bytes) {
        return writeFailure(statePath,
                            QStringLiteral("Cannot read the state of run \"%1\": %2 Nothing "
                                           "changed; try again.")
                                    .arg(buildName, state.error));
    }
    const RunRecordParseResult parsed = parseRunRecord(*state.bytes, statePath);
    if (!parsed.record) {
        return writeFailure(statePath,
                            QStringLiteral("Cannot read the state of run \"%1\": %2 Nothing "
                                           "changed; try again.")
                                    .arg(buildName, parsed.error));
    }
    if (parsed.record->state != RunState::Watching) {
        return writeFailure(statePath,
                            QStringLiteral("Run \"%1\" already finished as %2; nothing changed.")
                                    .arg(buildName, runStateName(parsed.record->state)));
    }

    const QJsonObject marker{
            {QStringLiteral("requested_at"), isoTime(now)},
            {QStringLiteral("requested_by"), requestedBy},
            {QStringLiteral("via"), QStringLiteral("atvm-watcher-dashboard")},
    };
    const QString path = cancelMarkerPath(rootPath, buildName);
    if (const std::optional<QString> error =
                saveAtomically(path, QJsonDocument(marker).toJson(QJsonDocument::Indented)))
        return writeFailure(path, *error);
    return ControlWriteResult{true, path, QString()};
}
