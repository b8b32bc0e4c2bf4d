#pragma once

#include "shared/runhistory.h"
#include "shared/staterootsnapshot.h"

#include <QColor>
#include <QDateTime>
#include <QString>

#include <optional>

/*!
    \brief What the dashboard shows as a run's state. It adds to RunState the
    cases a reader detects. These are a WATCHING run whose watcher stopped
    writing, a run folder with no state yet, a state.json that exists but was
    never read (corrupt, not a regular file) with no earlier good copy, and a
    finished run whose folder was removed.
*/
enum class DisplayState {
    Watching,
    WatcherLost,
    Completed,
    Failed,
    Cancelled,
    Terminated,
    Hung,
    Unknown,
    NoState,
    Unreadable,
};

/*! \brief One row of the run table: a run folder of a root, or an archived finished run. */
struct RunRow
{
    QString rootPath;
    QString controllerName;
    bool rootReachable = true;
    RunEntry entry; // empty folderName for archived rows
    std::optional<RunHistoryPoint> archived; // set when the run folder no longer exists

    /*! Returns the run folder's name (the history's name for archived rows), never state.json's build_name. */
    QString buildName() const;
    bool isStale() const { return !archived && (entry.stale || !rootReachable); }
    bool isArchived() const { return archived.has_value(); }
};

DisplayState displayStateOf(const RunRow &row, const QDateTime &now);
QString displayStateName(DisplayState state);
QList<DisplayState> allDisplayStates();

/*! Returns the badge colour of \a state; text on it is white. */
QColor displayStateColor(DisplayState state);

/*! Formats a time in local time as "yyyy-MM-dd HH:mm", "–" when invalid. */
QString formatTime(const QDateTime &time);

/*! Formats a time for a table cell: "MM-dd HH:mm" in local time, empty when invalid. */
QString formatShortTime(const QDateTime &time);

/*! Returns the warning for a record whose updated_at lies ahead of \a now (isUpdateInFuture()). */
QString futureUpdateWarning(const RunRecord &record, const QDateTime &now);

/*! Formats an age or duration in seconds as "45s", "12m", "3h12m" or "2d4h". */
QString formatAge(qint64 seconds);
