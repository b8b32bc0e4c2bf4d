#pragma once

#include "shared/processprobe.h"
#include "shared/reportreader.h"
#include "shared/runverdict.h"
#include "shared/statestore.h"
#include "shared/watcherconfig.h"
#include "shared/watcherstate.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

class CypressLogParser;
class LogFollower;
class QFileSystemWatcher;
class WebhookPoster;
struct PostOutcome;

/*!
    \brief Follows one run until it reaches a terminal state, then posts and records it.

    Each pass reads what was added to the run log, rescans the reporter
    folder, checks the run's process and the cancellation marker, and lets
    decideVerdict() choose the state. Passes run on file-change signals, with
    a poll as the fallback. The state folder is written after every change and
    at least every 30 seconds, so a reader can tell a live watcher from a dead one.
*/
class RunWatcher final : public QObject
{
    Q_OBJECT

public:
    enum ExitCode {
        Done = 0,
        BadConfiguration = 64,
        PostFailed = 69,
        AlreadyWatched = 75,
    };

    explicit RunWatcher(const WatcherConfig &config, QObject *parent = nullptr);
    ~RunWatcher() override;
    Q_DISABLE_COPY_MOVE(RunWatcher)

    /*!
        Prepares the state folder, takes the build's lock and resumes from a
        saved state. Returns an exit code when the watcher must not run;
        otherwise the watcher runs and emits finished() at the end.
    */
    std::optional<int> start();

    /*!
        Ends watching at a termination request: a cancelled run is recorded as
        CANCELLED, any other run keeps its WATCHING state for a later restart.
    */
    void stop();

    const WatcherState &state() const { return m_state; }

Q_SIGNALS:
    /*! A one-line progress summary, for example "spec 12/40 (login.cy.js), 3 failing". */
    void statusChanged(const QString &status);
    void finished(int exitCode);

private:
    void scheduleEvaluation();
    void evaluate();
    ProcessStatus probeProcess();
    void readLog(bool processEnded);
    void scanReports();
    void updateWatchedPaths();
    VerdictEvidence gatherEvidence(ProcessStatus process) const;
    void scheduleNextDeadline(const VerdictEvidence &evidence);
    RunProgress mergedProgress() const;
    bool saveState();
    void finalize(const Verdict &verdict);
    void postMessage(const QString &message);
    void handleAttemptStarting(int attempt);
    void handleAttemptRejected(int attempt, const QString &error);
    void handlePostFinished(const PostOutcome &outcome);
    void resumeUnpostedRun();
    void finish(int exitCode);
    QString buildMessage() const;
    QString statusLine() const;
    void setLastError(const QString &error);

    WatcherConfig m_config;
    StateStore m_store;
    WatcherState m_state;
    ProcessProbe m_probe;

    std::unique_ptr<LogFollower> m_follower;
    std::unique_ptr<CypressLogParser> m_parser;
    std::unique_ptr<ReportReader> m_reports;
    QFileSystemWatcher *m_fileWatcher = nullptr;
    WebhookPoster *m_poster = nullptr;

    QTimer m_pollTimer;
    QTimer m_heartbeatTimer;
    QTimer m_coalesceTimer;
    QTimer m_deadlineTimer;

    QDateTime m_summarySeenAt;
    QDateTime m_processGoneAt;
    ReportSummary m_reportSummary; // the last scan of the reporter folder
    QString m_lastStatus;
    QElapsedTimer m_sinceLastSave;
    bool m_stateChanged = false;
    bool m_finishing = false;
    bool m_stopRequested = false;
    bool m_processFromCommandLine = false; // found by build name, not by the PID file
    int m_attemptsBefore = 0;
};
