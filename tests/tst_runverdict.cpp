#include "shared/runverdict.h"

#include <QTest>

using namespace std::chrono_literals;

Q_DECLARE_METATYPE(RunState)

namespace {

const QDateTime s_start = QDateTime(QDate(2026, 12, 4), QTime(10, 0), Qt::UTC);

VerdictEvidence runningEvidence()
{
    VerdictEvidence evidence;
    evidence.logExists = true;
    evidence.process = ProcessStatus::Alive;
    evidence.pid = 4242;
    evidence.watchStartedAt = s_start;
    evidence.lastActivityAt = s_start.addSecs(60);
    evidence.now = s_start.addSecs(120);
    evidence.logProgress.specsTotal = 4;
    evidence.logProgress.specsDone = 2;
    evidence.logProgress.currentSpec = QStringLiteral("03-windows-guest-migration.cy.js");
    evidence.logProgress.tests = 6;
    evidence.logProgress.passing = 6;
    return evidence;
}

VerdictEvidence finishedEvidence(int failing)
{
    VerdictEvidence evidence = runningEvidence();
    evidence.summaryPrinted = true;
    evidence.summarySeenAt = evidence.now;
    evidence.process = ProcessStatus::Gone;
    evidence.logProgress.specsDone = 4;
    evidence.logProgress.currentSpec.clear();
    evidence.logProgress.tests = 12;
    evidence.logProgress.passing = 12 - failing;
    evidence.logProgress.failing = failing;
    evidence.logProgress.specsFailed = failing > 0 ? 1 : 0;
    evidence.reportSpecs = 4;
    evidence.reportFailing = failing;
    return evidence;
}

} // namespace

class TestRunVerdict : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decideVerdict_data();
    void decideVerdict();
    void reasonNamesEvidence_data();
    void reasonNamesEvidence();
};

void TestRunVerdict::decideVerdict_data()
{
    QTest::addColumn<VerdictEvidence>("evidence");
    QTest::addColumn<RunState>("expected");

    QTest::newRow("running") << runningEvidence() << RunState::Watching;

    QTest::newRow("finished, no failure") << finishedEvidence(0) << RunState::Completed;
    QTest::newRow("finished, one failure") << finishedEvidence(1) << RunState::Failed;

    VerdictEvidence cancelled = runningEvidence();
    cancelled.cancelRequested = true;
    QTest::newRow("cancel marker while running") << cancelled << RunState::Cancelled;

    VerdictEvidence cancelledAfterEnd = finishedEvidence(2);
    cancelledAfterEnd.cancelRequested = true;
    QTest::newRow("cancel marker beats a failed summary")
            << cancelledAfterEnd << RunState::Cancelled;

    VerdictEvidence cypressCanceled = finishedEvidence(0);
    cypressCanceled.cypressCanceled = true;
    QTest::newRow("Cypress reports the run canceled") << cypressCanceled << RunState::Cancelled;

    VerdictEvidence terminated = runningEvidence();
    terminated.process = ProcessStatus::Gone;
    QTest::newRow("process gone before summary") << terminated << RunState::Terminated;

    VerdictEvidence hung = runningEvidence();
    hung.now = hung.lastActivityAt.addSecs(3600);
    QTest::newRow("no change for the hang timeout") << hung << RunState::Hung;

    VerdictEvidence almostHung = runningEvidence();
    almostHung.now = almostHung.lastActivityAt.addSecs(3599);
    QTest::newRow("one second short of the hang timeout") << almostHung << RunState::Watching;

    VerdictEvidence lingering = finishedEvidence(0);
    lingering.process = ProcessStatus::Alive;
    QTest::newRow("summary printed, process still exiting") << lingering << RunState::Watching;

    VerdictEvidence lingeringLong = finishedEvidence(1);
    lingeringLong.process = ProcessStatus::Alive;
    lingeringLong.now = lingeringLong.summarySeenAt.addSecs(3 * 3600);
    QTest::newRow("summary printed, process never exits") << lingeringLong << RunState::Failed;

    VerdictEvidence nothing;
    nothing.watchStartedAt = s_start;
    nothing.now = s_start.addSecs(60);
    QTest::newRow("no log, no process, within grace") << nothing << RunState::Watching;

    VerdictEvidence nothingLate = nothing;
    nothingLate.now = s_start.addSecs(5 * 60);
    QTest::newRow("no log, no process after grace") << nothingLate << RunState::Unknown;

    VerdictEvidence logOnlyStale = runningEvidence();
    logOnlyStale.process = ProcessStatus::NeverFound;
    logOnlyStale.now = logOnlyStale.lastActivityAt.addSecs(2 * 3600);
    QTest::newRow("log stopped, process never found") << logOnlyStale << RunState::Unknown;

    VerdictEvidence logOnlyFinished = finishedEvidence(0);
    logOnlyFinished.process = ProcessStatus::NeverFound;
    QTest::newRow("summary printed, process never found") << logOnlyFinished << RunState::Completed;

    VerdictEvidence noSpecs;
    noSpecs.logExists = true;
    noSpecs.fatalError = QStringLiteral("Can't run because no spec files were found.");
    noSpecs.process = ProcessStatus::Gone;
    noSpecs.watchStartedAt = s_start;
    noSpecs.now = s_start.addSecs(30);
    QTest::newRow("runner error, process gone") << noSpecs << RunState::Failed;

    VerdictEvidence reportDisagrees = finishedEvidence(0);
    reportDisagrees.reportFailing = 2;
    QTest::newRow("reports show failures the log does not") << reportDisagrees << RunState::Failed;

    VerdictEvidence missingResults = finishedEvidence(0);
    missingResults.specsWithoutResults = {QStringLiteral("03-windows-guest-migration.cy.js")};
    QTest::newRow("announced spec without results") << missingResults << RunState::Failed;

    VerdictEvidence fewerSpecs = finishedEvidence(0);
    fewerSpecs.logProgress.specsDone = 3;
    fewerSpecs.reportSpecs = 3;
    QTest::newRow("fewer specs done than announced") << fewerSpecs << RunState::Failed;

    VerdictEvidence crash = finishedEvidence(0);
    crash.crashDetected = true;
    QTest::newRow("renderer crash in a finished run") << crash << RunState::Failed;

    VerdictEvidence exitNonZero = finishedEvidence(0);
    exitNonZero.exitStatus = 3;
    QTest::newRow("printed totals beat the exit status") << exitNonZero << RunState::Completed;
}

void TestRunVerdict::decideVerdict()
{
    QFETCH(VerdictEvidence, evidence);
    QFETCH(RunState, expected);

    const Verdict verdict = ::decideVerdict(evidence, VerdictLimits{60min, 5min, 2min});
    QCOMPARE(runStateName(verdict.state), runStateName(expected));
    QVERIFY2(!verdict.reason.isEmpty(), "every state carries a reason");
}

void TestRunVerdict::reasonNamesEvidence_data()
{
    QTest::addColumn<VerdictEvidence>("evidence");
    QTest::addColumn<QString>("expectedText");

    VerdictEvidence terminated = runningEvidence();
    terminated.process = ProcessStatus::Gone;
    terminated.exitStatus = 137;
    QTest::newRow("terminated names spec and exit status")
            << terminated << QStringLiteral("(PID 4242) is gone with exit status 137 and");

    VerdictEvidence noTotal = runningEvidence();
    noTotal.process = ProcessStatus::Gone;
    noTotal.logProgress = RunProgress{};
    QTest::newRow("terminated without a spec total")
            << noTotal << QStringLiteral("0 specs were done (Cypress never printed how many");

    QTest::newRow("terminated names the spec")
            << terminated << QStringLiteral("03-windows-guest-migration.cy.js");

    VerdictEvidence reportDisagrees = finishedEvidence(0);
    reportDisagrees.reportFailing = 2;
    QTest::newRow("disagreement is explained")
            << reportDisagrees << QStringLiteral("reporter artifacts show 2 failing tests");

    VerdictEvidence lingering = finishedEvidence(0);
    lingering.process = ProcessStatus::Alive;
    lingering.now = lingering.summarySeenAt.addSecs(200);
    QTest::newRow("lingering process is noted")
            << lingering << QStringLiteral("was still running 2m after the summary");

    VerdictEvidence nothingLate;
    nothingLate.watchStartedAt = s_start;
    nothingLate.now = s_start.addSecs(600);
    QTest::newRow("unknown names missing evidence")
            << nothingLate << QStringLiteral("No run log and no run process");
}

void TestRunVerdict::reasonNamesEvidence()
{
    QFETCH(VerdictEvidence, evidence);
    QFETCH(QString, expectedText);

    const Verdict verdict = ::decideVerdict(evidence, VerdictLimits{60min, 5min, 2min});
    QVERIFY2(verdict.reason.contains(expectedText), qPrintable(verdict.reason));
}

QTEST_GUILESS_MAIN(TestRunVerdict)
#include "tst_runverdict.moc"
