#pragma once

#include "shared/runprogress.h"
#include "shared/runstate.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

/*! \brief The watcher's evidence about the run's process. */
enum class ProcessStatus {
    NeverFound, // no PID file and no process with the build name was ever seen
    Alive, // the identified process (PID, start time, boot id) still runs
    Gone, // the identified process ended, or the PID file names a dead process
};

/*!
    \brief All the evidence the verdict is decided from, gathered by the watcher at one moment.

    The log fields come from the Cypress log parser, the report fields from
    the reporter folder, the rest from the process probe and the clock.
*/
struct VerdictEvidence
{
    bool cancelRequested = false;

    bool logExists = false;
    bool summaryPrinted = false; // Cypress printed its (Run Finished) table and footer
    bool cypressCanceled = false; // Cypress itself reported that the run was canceled
    QString fatalError; // a runner error that stops the run, e.g. no specs found
    bool crashDetected = false;
    RunProgress logProgress;
    QStringList specsWithoutResults;

    int reportSpecs = 0; // specs with results in the reporter folder
    int reportFailing = 0;
    QStringList reportProblems; // report files that could not be read

    ProcessStatus process = ProcessStatus::NeverFound;
    qint64 pid = 0;
    std::optional<int> exitStatus;

    QDateTime now;
    QDateTime watchStartedAt;
    QDateTime lastActivityAt; // last change of the log or the reporter folder
    QDateTime summarySeenAt; // when the watcher first saw the final summary
};

/*! \brief The time limits the verdict applies, set from the command line. */
struct VerdictLimits
{
    std::chrono::seconds hangTimeout{60 * 60};
    std::chrono::seconds startupGrace{5 * 60};
    std::chrono::seconds exitGrace{2 * 60};
};

/*! \brief The state a run is in and the human-readable reason for it. */
struct Verdict
{
    RunState state = RunState::Watching;
    QString reason;
};

/*!
    Decides the run's state from \a evidence. Returns WATCHING while the run
    may still go on. docs/run-states.md states the rules in prose; this
    function is their only implementation.
*/
Verdict decideVerdict(const VerdictEvidence &evidence, const VerdictLimits &limits);
