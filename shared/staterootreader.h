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

/*! Returns up to \a maxLines last lines of the text file \a path, reading at most its last \a maxBytes. */
std::optional<QStringList> readLastLines(const QString &path, int maxLines, qint64 maxBytes);
