#include "shared/runverdict.h"

#include "shared/duration.h"

namespace {

bool hasElapsed(const QDateTime &since, const QDateTime &now, std::chrono::seconds limit)
{
    return since.isValid() && since.secsTo(now) >= limit.count();
}

QString specsDone(const RunProgress &progress)
{
    if (progress.specsTotal < 0)
        return QStringLiteral("%1 specs were done (Cypress never printed how many it found)")
                .arg(progress.specsDone);
    return QStringLiteral("%1 of %2 specs were done")
            .arg(progress.specsDone)
            .arg(progress.specsTotal);
}

// Collects every sign of failure a finished run shows. The log and the
// reporter artifacts are both read; whichever reports a failure wins.
QStringList failureSigns(const VerdictEvidence &evidence)
{
    QStringList signs;
    const RunProgress &progress = evidence.logProgress;
    const QString testsRun = progress.tests == 1 ? QStringLiteral("1 test")
                                                 : QStringLiteral("%1 tests").arg(progress.tests);
    if (progress.failing > progress.tests) {
        // A spec that fails to load reports a failure with no test run.
        const QString failures = progress.failing == 1
                ? QStringLiteral("1 failure was")
                : QStringLiteral("%1 failures were").arg(progress.failing);
        signs << QStringLiteral("%1 reported with %2 run").arg(failures, testsRun);
    } else if (progress.failing > 0) {
        signs << QStringLiteral("%1 of %2 failed").arg(QString::number(progress.failing), testsRun);
    }
    if (progress.specsFailed > 0 && progress.failing == 0)
        signs << QStringLiteral("%1 specs failed").arg(progress.specsFailed);
    if (evidence.crashDetected)
        signs << QStringLiteral("the browser crashed");
    if (!evidence.specsWithoutResults.isEmpty()) {
        signs << QStringLiteral("specs without results: %1")
                         .arg(evidence.specsWithoutResults.join(QStringLiteral(", ")));
    }
    if (progress.specsTotal > 0 && progress.specsDone < progress.specsTotal
        && evidence.reportSpecs < progress.specsTotal) {
        signs << QStringLiteral("only %1 of %2 announced specs have results")
                         .arg(qMax(progress.specsDone, evidence.reportSpecs))
                         .arg(progress.specsTotal);
    }
    if (evidence.reportFailing > progress.failing) {
        signs << QStringLiteral("the reporter artifacts show %1 failing tests but the log %2")
                         .arg(evidence.reportFailing)
                         .arg(progress.failing);
    }
    return signs;
}

Verdict finishedVerdict(const VerdictEvidence &evidence, const QString &processNote)
{
    const RunProgress &progress = evidence.logProgress;
    const QStringList signs = failureSigns(evidence);
    const QString totals =
            QStringLiteral("%1 tests: %2 passing, %3 failing, %4 pending, %5 skipped")
                    .arg(progress.tests)
                    .arg(progress.passing)
                    .arg(progress.failing)
                    .arg(progress.pending)
                    .arg(progress.skipped);

    Verdict verdict;
    if (signs.isEmpty()) {
        verdict.state = RunState::Completed;
        verdict.reason =
                QStringLiteral("Cypress finished the run with no failure (%1).").arg(totals);
    } else {
        verdict.state = RunState::Failed;
        verdict.reason = QStringLiteral("Cypress finished the run and %1 (%2).")
                                 .arg(signs.join(QStringLiteral("; ")), totals);
    }
    if (evidence.exitStatus && *evidence.exitStatus != 0 && signs.isEmpty()) {
        verdict.reason += QStringLiteral(" The process exited with status %1, but the printed "
                                         "totals decide the state.")
                                  .arg(*evidence.exitStatus);
    }
    if (!evidence.reportProblems.isEmpty()) {
        verdict.reason += QStringLiteral(" Unreadable report files: %1.")
                                  .arg(evidence.reportProblems.join(QStringLiteral(", ")));
    }
    if (!processNote.isEmpty())
        verdict.reason += QLatin1Char(' ') + processNote;
    return verdict;
}

} // namespace

Verdict decideVerdict(const VerdictEvidence &evidence, const VerdictLimits &limits)
{
    if (evidence.cancelRequested) {
        return {RunState::Cancelled,
                QStringLiteral("An operator cancelled the run (cancellation marker present).")};
    }

    const bool processEnded = evidence.process != ProcessStatus::Alive;

    if (evidence.cypressCanceled && (processEnded || evidence.summaryPrinted)) {
        return {RunState::Cancelled,
                QStringLiteral("Cypress reported that the run was canceled; its remaining specs "
                               "were skipped.")};
    }

    if (evidence.summaryPrinted) {
        if (evidence.process != ProcessStatus::Alive)
            return finishedVerdict(evidence, {});
        // A process that lingers after its summary is not hung: after a short
        // grace the summary decides, and the reason notes the process.
        if (hasElapsed(evidence.summarySeenAt, evidence.now, limits.exitGrace)) {
            return finishedVerdict(
                    evidence,
                    QStringLiteral("The run's process (PID %1) was still running %2 after the "
                                   "summary.")
                            .arg(evidence.pid)
                            .arg(formatDuration(limits.exitGrace)));
        }
        return {RunState::Watching,
                QStringLiteral("Cypress printed its final summary; waiting "
                               "for the run's process to exit.")};
    }

    if (!evidence.fatalError.isEmpty() && processEnded) {
        return {RunState::Failed,
                QStringLiteral("Cypress stopped with an error before running the specs: %1")
                        .arg(evidence.fatalError)};
    }

    if (evidence.process == ProcessStatus::Gone) {
        QString reason = QStringLiteral("The run's process (PID %1) is gone").arg(evidence.pid);
        if (evidence.exitStatus)
            reason += QStringLiteral(" with exit status %1").arg(*evidence.exitStatus);
        reason += QStringLiteral(" and Cypress never printed its final summary");
        const RunProgress &progress = evidence.logProgress;
        if (!evidence.logExists) {
            reason += QStringLiteral("; the run log was never written.");
        } else if (!progress.currentSpec.isEmpty()) {
            reason += QStringLiteral("; the output stops in spec \"%1\" (%2).")
                              .arg(progress.currentSpec, specsDone(progress));
        } else {
            reason += QStringLiteral("; %1.").arg(specsDone(progress));
        }
        return {RunState::Terminated, reason};
    }

    if (evidence.process == ProcessStatus::Alive) {
        const QDateTime since = evidence.lastActivityAt.isValid() ? evidence.lastActivityAt
                                                                  : evidence.watchStartedAt;
        if (hasElapsed(since, evidence.now, limits.hangTimeout)) {
            return {RunState::Hung,
                    QStringLiteral("The run's process (PID %1) is alive but neither the log nor "
                                   "the reporter artifacts changed for %2 (hang timeout).")
                            .arg(evidence.pid)
                            .arg(formatDuration(limits.hangTimeout))};
        }
        return {RunState::Watching, QStringLiteral("The run is in progress.")};
    }

    // No process was ever found: the evidence is the log alone.
    if (!hasElapsed(evidence.watchStartedAt, evidence.now, limits.startupGrace))
        return {RunState::Watching, QStringLiteral("Waiting for the run to start.")};

    if (!evidence.fatalError.isEmpty()) {
        return {RunState::Failed,
                QStringLiteral("Cypress stopped with an error before running the specs: %1")
                        .arg(evidence.fatalError)};
    }
    if (!evidence.logExists) {
        return {RunState::Unknown,
                QStringLiteral("No run log and no run process appeared within the startup grace "
                               "of %1: check the run log path and the PID file.")
                        .arg(formatDuration(limits.startupGrace))};
    }
    const QDateTime since =
            evidence.lastActivityAt.isValid() ? evidence.lastActivityAt : evidence.watchStartedAt;
    if (hasElapsed(since, evidence.now, limits.hangTimeout)) {
        return {RunState::Unknown,
                QStringLiteral("The run log stopped changing %1 ago without a final summary, and "
                               "no run process was ever found (no live PID file, no process "
                               "with the build name), so it cannot be told whether the run "
                               "hung or ended.")
                        .arg(formatDuration(limits.hangTimeout))};
    }
    return {RunState::Watching,
            QStringLiteral("The run log is growing; no run process has been found yet.")};
}
