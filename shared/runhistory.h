#pragma once

#include "shared/runrecord.h"

#include <QDateTime>
#include <QList>
#include <QString>

/*! \brief One finished run, as the history chart shows it. */
struct RunHistoryPoint
{
    QString buildName;
    QString controllerName;
    QString templateName;
    RunState state = RunState::Unknown;
    QDateTime startedAt;
    qint64 durationSeconds = 0;
    int failing = 0;
    int tests = 0;

    bool operator==(const RunHistoryPoint &other) const;
};

/*! Returns the history point of a finished \a record, or nothing for a run that is still WATCHING. */
std::optional<RunHistoryPoint> historyPointOf(const RunRecord &record,
                                              const QString &controllerName);

/*!
    Returns up to \a maxRuns runs related to \a current, oldest first: those of
    the same template when \a current has one, else those of the same build
    name. Only COMPLETED and FAILED runs count, because only they ran to the
    end, so their durations compare. Duplicates (same build, controller and
    start time) appear once.
*/
QList<RunHistoryPoint> relatedHistory(const RunRecord &current,
                                      const QList<RunHistoryPoint> &finishedRuns, int maxRuns);

/*!
    \brief A file of finished runs that outlives the run folders, so history and
    the run list keep runs whose folders were cleaned up on the controller.

    The file is JSON (an array of points); a missing file is an empty history.
    It keeps at most maxRunsPerGroup runs per template (per build name for runs
    without a template), dropping the oldest when it saves.
*/
class RunHistoryStore
{
public:
    /*! Maximum runs kept per template or build; the chart shows the last 12. */
    static constexpr int maxRunsPerGroup = 50;

    explicit RunHistoryStore(const QString &filePath);

    QString filePath() const { return m_filePath; }
    QList<RunHistoryPoint> points() const { return m_points; }

    /*! Loads the file; returns an error text when it exists but cannot be read or parsed. */
    std::optional<QString> load();

    /*! Adds \a point unless it is known; returns true when it was new. */
    bool add(const RunHistoryPoint &point);

    /*! Drops the oldest runs beyond maxRunsPerGroup, then writes the file atomically; returns an error text on failure. */
    std::optional<QString> save();

private:
    void prune();

    QString m_filePath;
    QList<RunHistoryPoint> m_points;
};
