#include "shared/statestore.h"

#include "shared/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace {

// QSaveFile flushes the file before the rename; the rename itself is durable
// only once the folder's entry is flushed too.
void syncFolder(const QString &folder)
{
    const int fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return;
    if (::fsync(fd) != 0) {
        qCWarning(lcState).noquote()
                << QStringLiteral("Failed to flush folder \"%1\": %2")
                           .arg(folder, QString::fromLocal8Bit(std::strerror(errno)));
    }
    ::close(fd);
}

} // namespace

StateStore::StateStore(const QString &stateRoot, const QString &buildName)
    : m_folder(QDir(stateRoot).filePath(buildName))
{
}

StateStore::~StateStore() = default;

QString StateStore::stateFile() const
{
    return QDir(m_folder).filePath(QStringLiteral("state.json"));
}

QString StateStore::messageFile() const
{
    return QDir(m_folder).filePath(QStringLiteral("message.md"));
}

QString StateStore::cancelMarkerFile() const
{
    return QDir(m_folder).filePath(QStringLiteral("cancel.json"));
}

std::optional<QString> StateStore::ensureFolder() const
{
    if (QDir().mkpath(m_folder) && QFileInfo(m_folder).isWritable())
        return std::nullopt;
    return QStringLiteral("Cannot create or write the state folder \"%1\". Check that the state "
                          "root exists and is writable, or set --state-root.")
            .arg(m_folder);
}

std::optional<QString> StateStore::lock()
{
    m_lock = std::make_unique<QLockFile>(QDir(m_folder).filePath(QStringLiteral("watcher.lock")));
    // A lock left by a crashed watcher is stale once its process is gone;
    // QLockFile checks that by PID and host name, so no age limit is needed.
    m_lock->setStaleLockTime(0);
    if (m_lock->tryLock(0))
        return std::nullopt;

    qint64 pid = 0;
    QString host;
    QString application;
    m_lock->getLockInfo(&pid, &host, &application);
    if (m_lock->error() == QLockFile::LockFailedError) {
        return QStringLiteral("Another watcher (PID %1 on \"%2\") already watches this build; "
                              "its lock is \"%3\". Stop that watcher first.")
                .arg(pid)
                .arg(host, QDir(m_folder).filePath(QStringLiteral("watcher.lock")));
    }
    return QStringLiteral("Cannot create the lock file in \"%1\". Check the folder's permissions.")
            .arg(m_folder);
}

std::optional<WatcherState> StateStore::load(QString *error) const
{
    QFile file(stateFile());
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) {
            *error = QStringLiteral("Cannot read the state file \"%1\": %2")
                             .arg(file.fileName(), file.errorString());
        }
        return std::nullopt;
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        if (error) {
            *error = QStringLiteral("The state file \"%1\" is not valid JSON: %2. It may have "
                                    "recorded a post: check the channel (and message.md) before "
                                    "moving it aside, because a fresh record posts the run again.")
                             .arg(file.fileName(), parseError.errorString());
        }
        return std::nullopt;
    }

    QString formatError;
    std::optional<WatcherState> state = WatcherState::fromJson(document.object(), &formatError);
    if (!state && error)
        *error = QStringLiteral("The state file \"%1\": %2").arg(file.fileName(), formatError);
    return state;
}

std::optional<QString> StateStore::save(const WatcherState &state) const
{
    return writeAtomically(stateFile(),
                           QJsonDocument(state.toJson()).toJson(QJsonDocument::Indented));
}

std::optional<QString> StateStore::saveMessage(const QString &markdown) const
{
    return writeAtomically(messageFile(), markdown.toUtf8());
}

bool StateStore::isCancelRequested() const
{
    return QFileInfo::exists(cancelMarkerFile());
}

std::optional<QString> StateStore::writeAtomically(const QString &path,
                                                   const QByteArray &content) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return QStringLiteral("Cannot write \"%1\": %2").arg(path, file.errorString());
    }
    // A full disk can let buffered writes and even commit() succeed while the
    // data never reached the file, so every step is checked before the rename.
    if (file.write(content) != content.size() || !file.flush()
        || file.error() != QFileDevice::NoError) {
        const QString error = file.errorString();
        file.cancelWriting();
        return QStringLiteral("Cannot write \"%1\": %2").arg(path, error);
    }
    if (!file.commit())
        return QStringLiteral("Cannot write \"%1\": %2").arg(path, file.errorString());
    syncFolder(m_folder);
    if (QFileInfo(path).size() != content.size()) {
        return QStringLiteral("Writing \"%1\" left %2 of %3 bytes; the disk may be full.")
                .arg(path)
                .arg(QFileInfo(path).size())
                .arg(content.size());
    }
    return std::nullopt;
}
