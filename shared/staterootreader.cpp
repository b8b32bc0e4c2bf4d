#include "shared/staterootreader.h"

#include "shared/runcontrol.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace {

// From linux/magic.h; the header is not always installed.
constexpr unsigned long s_fuseSuperMagic = 0x65735546UL;
constexpr qint64 s_maxMessageFileBytes = 1024 * 1024;
constexpr qint64 s_maxResultFileBytes = 64 * 1024;

QString fileTypeName(mode_t mode)
{
    if (S_ISDIR(mode))
        return QStringLiteral("a folder");
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    return QStringLiteral("a special file");
}

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Reads up to size bytes from fd; a short result means the file shrank meanwhile.
std::optional<QByteArray> readUpTo(int fd, qint64 size, int *error)
{
    QByteArray bytes(size, Qt::Uninitialized);
    qint64 done = 0;
    while (done < size) {
        const ssize_t count = ::read(fd, bytes.data() + done, size_t(size - done));
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            *error = errno;
            return std::nullopt;
        }
        if (count == 0)
            break;
        done += count;
    }
    bytes.truncate(done);
    return bytes;
}

const RunEntry *findPreviousRun(const StateRootSnapshot &previous, const QString &folderName)
{
    for (const RunEntry &entry : previous.runs) {
        if (entry.folderName == folderName)
            return &entry;
    }
    return nullptr;
}

QString buildNameMismatchError(const QString &statePath, const QString &recordedName,
                               const QString &folderName)
{
    return QStringLiteral("State file \"%1\" names build \"%2\", but its folder is \"%3\". "
                          "The dashboard lists, shows and cancels this run by its folder name; "
                          "the file may have been copied from another run.")
            .arg(statePath, recordedName, folderName);
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
    const RegularFileRead state = readRegularFile(statePath, maxStateFileBytes);
    if (!state.bytes) {
        entry.stale = entry.record.has_value();
        entry.unreadable = !state.missing;
        entry.readError = state.missing
                ? QStringLiteral("No state.json in \"%1\" yet; the watcher has not written "
                                 "its first state.")
                          .arg(folder.path())
                : state.error;
        return entry;
    }

    const RunRecordParseResult parsed = parseRunRecord(*state.bytes, statePath);
    if (!parsed.record) {
        // Without an earlier good record there is no old data to mark as stale.
        entry.stale = entry.record.has_value();
        entry.unreadable = true;
        entry.readError = parsed.error;
        return entry;
    }

    entry.record = parsed.record;
    entry.recordJson = *state.bytes;
    entry.stateModifiedAt = state.modifiedAt;
    // The folder name is the run's address. A build_name that differs (a
    // copied file, or a value such as "../x") is shown, never used in a path.
    if (parsed.record->buildName != entry.folderName) {
        entry.stale = true;
        entry.readError =
                buildNameMismatchError(statePath, parsed.record->buildName, entry.folderName);
    }

    const RegularFileRead message =
            readRegularFile(folder.filePath(QStringLiteral("message.md")), s_maxMessageFileBytes);
    entry.messageMarkdown = message.bytes ? QString::fromUtf8(*message.bytes) : QString();
    return entry;
}

QList<StartRequestOutcome> readRequestOutcomes(const QString &rootPath)
{
    QList<StartRequestOutcome> outcomes;
    const QDir resultsDir(startResultsDirPath(rootPath));
    const QStringList names =
            resultsDir.entryList({QStringLiteral("*.result.json")}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        const RegularFileRead file =
                readRegularFile(resultsDir.filePath(name), s_maxResultFileBytes);
        if (!file.bytes)
            continue;
        const QJsonObject object = QJsonDocument::fromJson(*file.bytes).object();
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
        // An updated_at ahead of this clock has no known age, so it does not date the root.
        if (entry.record && updateAgeSeconds(*entry.record, now).has_value()
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

RegularFileRead readRegularFile(const QString &path, qint64 maxBytes, bool lastBytesOnly)
{
    RegularFileRead result;
    if (path.isEmpty()) {
        result.missing = true;
        result.error = QStringLiteral("No file path given.");
        return result;
    }

    const QByteArray nativePath = QFile::encodeName(path);
    const int fd = ::open(nativePath.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int error = errno;
        result.missing = error == ENOENT;
        result.error = QStringLiteral("Cannot open \"%1\": %2.").arg(path, systemError(error));
        return result;
    }

    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        result.error = QStringLiteral("Cannot read \"%1\": %2.").arg(path, systemError(error));
        return result;
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        result.error = QStringLiteral("Cannot read \"%1\": it is %2, not a regular file; only "
                                      "regular files are read.")
                               .arg(path, fileTypeName(info.st_mode));
        return result;
    }

    const qint64 size = qint64(info.st_size);
    if (size > maxBytes && !lastBytesOnly) {
        ::close(fd);
        result.error = QStringLiteral("Cannot read \"%1\": it has %2 bytes, more than the limit "
                                      "of %3 bytes.")
                               .arg(path)
                               .arg(size)
                               .arg(maxBytes);
        return result;
    }

    const qint64 start = qMax<qint64>(0, size - maxBytes);
    if (start > 0 && ::lseek(fd, off_t(start), SEEK_SET) < 0) {
        const int error = errno;
        ::close(fd);
        result.error = QStringLiteral("Cannot read \"%1\": %2.").arg(path, systemError(error));
        return result;
    }

    result.startsMidFile = start > 0;
    int readError = 0;
    result.bytes = readUpTo(fd, qMin(size, maxBytes), &readError);
    ::close(fd);
    if (!result.bytes) {
        result.error = QStringLiteral("Cannot read \"%1\": %2.").arg(path, systemError(readError));
        return result;
    }
    result.modifiedAt = QDateTime::fromSecsSinceEpoch(info.st_mtim.tv_sec, Qt::UTC)
                                .addMSecs(info.st_mtim.tv_nsec / 1000000);
    return result;
}

std::optional<QStringList> readLastLines(const QString &path, int maxLines, qint64 maxBytes,
                                         QString *error)
{
    const RegularFileRead file = readRegularFile(path, maxBytes, true);
    if (!file.bytes) {
        if (error)
            *error = file.error;
        return std::nullopt;
    }

    const QString text = QString::fromUtf8(*file.bytes);
    QStringList lines = text.split(QLatin1Char('\n'));
    // A read that starts mid-file begins with a partial line.
    if (file.startsMidFile && !lines.isEmpty())
        lines.removeFirst();
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.size() > maxLines)
        lines = lines.mid(lines.size() - maxLines);
    return lines;
}
