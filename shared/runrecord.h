#pragma once

#include "shared/runmetadata.h"
#include "shared/runprogress.h"
#include "shared/runstate.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

/*! \brief One guest system of a run and the kernel the VM inventory lists for it. */
struct GuestSystem
{
    QString token; // for example "redhat9.6"
    std::optional<QString> kernel; // empty when the inventory has no entry for the token
};

/*!
    \brief The content of one state.json (docs/state-format.md), as the dashboard shows it.

    It is read through WatcherState::fromJson(), the watcher's own reader, with
    metadata and guests in typed form. Times not reached yet are invalid QDateTimes.
*/
struct RunRecord
{
    QString buildName;
    RunState state = RunState::Unknown;
    QString reason;

    bool posted = false;
    QDateTime postedAt;
    bool postInFlight = false;
    int postAttempts = 0;
    QString lastError;

    QDateTime startedAt;
    QDateTime updatedAt;
    QDateTime finishedAt;
    QDateTime lastActivityAt;
    qint64 watcherPid = 0;

    RunMetadata metadata;
    QList<GuestSystem> guests;

    QString runLogPath;
    QString reportDirPath;

    qint64 processPid = 0;
    bool processAlive = false;
    std::optional<int> processExitStatus;

    RunProgress progress;
};

/*! \brief The outcome of parsing a state.json: a record, or an error that names the problem. */
struct RunRecordParseResult
{
    std::optional<RunRecord> record;
    QString error;
};

/*!
    Parses the bytes of a state.json. An empty, truncated or non-object file, a
    missing build name, an unknown state name or a format_version above 1 is an
    error. \a sourceName (usually the file path) appears in the error text.
*/
RunRecordParseResult parseRunRecord(const QByteArray &bytes, const QString &sourceName);

/*!
    Returns how long a watcher may leave updated_at unchanged while WATCHING
    before the dashboard calls it lost. The watcher writes at least every 30
    seconds, so two minutes allows for three missed writes plus clock skew.
*/
constexpr qint64 watcherLostAfterSeconds = 120;

/*!
    Returns how far updated_at may lie ahead of this machine's clock and still
    count as "just now": a minute of clock skew between controller and desktop.
*/
constexpr qint64 clockSkewToleranceSeconds = 60;

/*!
    Returns true when \a record is WATCHING and its updated_at is older than
    watcherLostAfterSeconds at \a now, missing, or further ahead of \a now than
    clockSkewToleranceSeconds: in each case nothing shows that the watcher still writes.
*/
bool isWatcherLost(const RunRecord &record, const QDateTime &now);

/*!
    Returns the age of updated_at at \a now in seconds, 0 for a time at most
    clockSkewToleranceSeconds ahead, and nothing when updated_at is missing or further ahead.
*/
std::optional<qint64> updateAgeSeconds(const RunRecord &record, const QDateTime &now);

/*! Returns true when updated_at lies more than clockSkewToleranceSeconds ahead of \a now. */
bool isUpdateInFuture(const RunRecord &record, const QDateTime &now);

/*! Returns the run's duration: from started_at to finished_at, or to \a now while it goes on. */
qint64 runDurationSeconds(const RunRecord &record, const QDateTime &now);
