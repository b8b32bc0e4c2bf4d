#pragma once

#include "shared/staterootsnapshot.h"

#include <QDateTime>
#include <QString>

/*!
    Reads every run folder under \a rootPath, the start request outcomes and the
    pending start requests. It blocks on file I/O, so the dashboard calls it off
    the UI thread.

    A run whose state.json is missing, empty, corrupt or of a newer format keeps
    the record from \a previous and is marked stale. When the root itself cannot
    be listed, or was a FUSE mount in \a previous and is not one now, the
    result is unreachable and keeps every run of \a previous, all marked stale.
*/
StateRootSnapshot readStateRoot(const QString &rootPath, const StateRootSnapshot &previous,
                                const QDateTime &now);

/*! Returns true when \a path lies on a FUSE file system (sshfs and similar), where inotify reports no remote changes. */
bool isFuseFileSystem(const QString &path);

/*! Largest state.json the dashboard reads; a watcher writes well under 1 MiB even with thousands of failures. */
constexpr qint64 maxStateFileBytes = 64 * 1024 * 1024;

/*! \brief The outcome of readRegularFile(): the bytes read, or why there are none. */
struct RegularFileRead
{
    std::optional<QByteArray> bytes;
    bool missing = false; // the path does not exist
    QString error; // what failed, empty when bytes are set
    QDateTime modifiedAt;
    bool startsMidFile = false; // only the last bytes were read
};

/*!
    Reads \a path only when it is a regular file. It opens the file with
    O_NONBLOCK and checks fstat(), so a FIFO never blocks and a device never
    streams without end. A file larger than \a maxBytes is an error, unless
    \a lastBytesOnly is set: then only its last \a maxBytes are read.
    NOTE: open() and read() can still block on a hung FUSE mount, so callers
    run this off the UI thread.
*/
RegularFileRead readRegularFile(const QString &path, qint64 maxBytes, bool lastBytesOnly = false);

/*!
    Returns up to \a maxLines last lines of the regular text file \a path,
    reading at most its last \a maxBytes. On failure it returns nothing and sets
    \a error, if given, to a message that names the path.
*/
std::optional<QStringList> readLastLines(const QString &path, int maxLines, qint64 maxBytes,
                                         QString *error = nullptr);
