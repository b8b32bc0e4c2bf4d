#include "shared/staterootreader.h"

#include "shared/runcontrol.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/vfs.h>

namespace {

// From linux/magic.h; the header is not always installed.
constexpr unsigned long s_fuseSuperMagic = 0x65735546UL;

const RunEntry *findPreviousRun(const StateRootSnapshot &previous, const QString &folderName)
{
    for (const RunEntry &entry : previous.runs) {
        if (entry.folderName == folderName)
            return &entry;
    }
    return nullptr;
}

RunEntry readRunFolder(const QDir &folder, const RunEntry *previous)
{
    RunEntry entry;
    entry.folderName = folder.dirName();
    if (previous) {
        entry.record = previous->record;
        entry.recordJson = previous->recordJson;
        entry.messageMarkdown = previous->messageMarkdown;
        entry.stateModifiedAt = previous->stateModifiedAt;
    }

    entry.cancelRequested = folder.exists(QStringLiteral("cancel.json"));

    const QString statePath = folder.filePath(QStringLiteral("state.json"));
    QFile stateFile(statePath);
    if (!stateFile.open(QIODevice::ReadOnly)) {
        entry.stale = entry.record.has_value();
        entry.readError = stateFile.exists()
                ? QStringLiteral("Cannot read \"%1\": %2.").arg(statePath, stateFile.errorString())
                : QStringLiteral("No state.json in \"%1\" yet; the watcher has not written "
                                 "its first state.")
                          .arg(folder.path());
        return entry;
    }

    const QByteArray bytes = stateFile.readAll();
    const RunRecordParseResult parsed = parseRunRecord(bytes, statePath);
    if (!parsed.record) {
        entry.stale = true;
        entry.readError = parsed.error;
        return entry;
    }

    entry.record = parsed.record;
    entry.recordJson = bytes;
    entry.stateModifiedAt = QFileInfo(stateFile).lastModified().toUTC();

    QFile messageFile(folder.filePath(QStringLiteral("message.md")));
    if (messageFile.open(QIODevice::ReadOnly))
        entry.messageMarkdown = QString::fromUtf8(messageFile.readAll());
    else
        entry.messageMarkdown.clear();
    return entry;
}

QList<StartRequestOutcome> readRequestOutcomes(const QString &rootPath)
{
    QList<StartRequestOutcome> outcomes;
    const QDir resultsDir(startResultsDirPath(rootPath));
    const QStringList names =
            resultsDir.entryList({QStringLiteral("*.result.json")}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        QFile file(resultsDir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
        if (object.isEmpty())
            continue;
        StartRequestOutcome outcome;
        outcome.id = object.value(QStringLiteral("id")).toString();
        outcome.buildName = object.value(QStringLiteral("build_name")).toString();
        outcome.outcome = object.value(QStringLiteral("outcome")).toString();
        outcome.message = object.value(QStringLiteral("message")).toString();
        outcome.handledAt = QDateTime::fromString(
                object.value(QStringLiteral("handled_at")).toString(), Qt::ISODate);
        outcomes.append(outcome);
    }
    return outcomes;
}

StateRootSnapshot unreachableSnapshot(const QString &rootPath, const StateRootSnapshot &previous,
                                      const QDateTime &now, const QString &error)
{
    StateRootSnapshot snapshot = previous;
    snapshot.rootPath = rootPath;
    snapshot.lastReadAt = now;
    snapshot.reachable = false;
    snapshot.error = error;
    for (RunEntry &entry : snapshot.runs)
        entry.stale = true;
    return snapshot;
}

} // namespace

const RunEntry *StateRootSnapshot::findRun(const QString &buildName) const
{
    return findPreviousRun(*this, buildName);
}

bool isFuseFileSystem(const QString &path)
{
    struct statfs info
    {
    };
    if (statfs(QFile::encodeName(path).constData(), &info) != 0)
        return false;
    return static_cast<unsigned long>(info.f_type) == s_fuseSuperMagic;
}

StateRootSnapshot readStateRoot(const QString &rootPath, const StateRootSnapshot &previous,
                                const QDateTime &now)
{
    const QFileInfo rootInfo(rootPath);
    if (!rootInfo.exists()) {
        return unreachableSnapshot(rootPath, previous, now,
                                   QStringLiteral("State root \"%1\" does not exist; check the "
                                                  "path or mount it again.")
                                           .arg(rootPath));
    }
    if (!rootInfo.isDir() || !rootInfo.isReadable()) {
        return unreachableSnapshot(
                rootPath, previous, now,
                QStringLiteral("State root \"%1\" is not a readable folder.").arg(rootPath));
    }

    const bool fuseMount = isFuseFileSystem(rootPath);
    if (previous.fuseMount && !fuseMount) {
        // An unmounted sshfs root leaves an empty mount point, which must not
        // read as a root without runs.
        return unreachableSnapshot(rootPath, previous, now,
                                   QStringLiteral("State root \"%1\" was a FUSE (sshfs) mount and "
                                                  "is no longer mounted; mount it again.")
                                           .arg(rootPath));
    }

    const QDir rootDir(rootPath);
    // Hidden folders hold start requests; a build name never starts with a dot.
    const QStringList folderNames =
            rootDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);

    StateRootSnapshot snapshot;
    snapshot.rootPath = rootPath;
    snapshot.reachable = true;
    snapshot.fuseMount = fuseMount;
    snapshot.lastReadAt = now;
    snapshot.lastGoodReadAt = now;

    for (const QString &folderName : folderNames) {
        const RunEntry entry = readRunFolder(QDir(rootDir.filePath(folderName)),
                                             findPreviousRun(previous, folderName));
        if (entry.record && entry.record->updatedAt.isValid()
            && (!snapshot.newestUpdateAt.isValid()
                || entry.record->updatedAt > snapshot.newestUpdateAt)) {
            snapshot.newestUpdateAt = entry.record->updatedAt;
        }
        snapshot.runs.append(entry);
    }

    snapshot.requestOutcomes = readRequestOutcomes(rootPath);
    const QDir pendingDir(startRequestsDirPath(rootPath));
    for (const QString &name : pendingDir.entryList({QStringLiteral("*.json")}, QDir::Files))
        snapshot.pendingRequestIds.append(name.chopped(5));
    return snapshot;
}

std::optional<QStringList> readLastLines(const QString &path, int maxLines, qint64 maxBytes)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return std::nullopt;

    const qint64 size = file.size();
    const qint64 start = qMax<qint64>(0, size - maxBytes);
    file.seek(start);
    QString text = QString::fromUtf8(file.readAll());
    QStringList lines = text.split(QLatin1Char('\n'));
    // A read that starts mid-file begins with a partial line.
    if (start > 0 && !lines.isEmpty())
        lines.removeFirst();
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.size() > maxLines)
        lines = lines.mid(lines.size() - maxLines);
    return lines;
}
