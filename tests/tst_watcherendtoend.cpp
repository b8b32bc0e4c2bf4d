#include "support/runfixture.h"
#include "webhookdoubleprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <csignal>

namespace {

void writeCancelMarker(const QString &stateFolder)
{
    QFile marker(stateFolder + QStringLiteral("/cancel.json"));
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.write(R"({"requested_at": "2026-12-04T12:00:00Z", "requested_by": "test"})");
}

} // namespace

class TestWatcherEndToEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void completedRunPostedOnce();
    void failedRunNamesFailure();
    void crashedRunTerminated();
    void stalledRunHung();
    void cancelMarkerStopsRun();
    void stopAndRestartResumes();
    void killAndRestartPostsOnce();
    void missingRunIsUnknown();
    void permanentPostFailure();
    void ambiguousPostNeverResent();
    void secondWatcherRejected();
    void dryRunPrintsMessage();
    void realRunPostsAfterDryRun();
    void stopDuringBackoffPostsLater();
    void emptyPidFileWaits();
    void viewerProcessNotFollowed();
    void wrapperEndingEarlyIgnored();
    void lateReportFailureCounted();
    void graceEndsBeforeNextPoll();
};

void TestWatcherEndToEnd::completedRunPostedOnce()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 3));

    QProcess *watcher = run.startWatcher(mattermost.webhookUrl());
    QCOMPARE(RunFixture::waitForExit(watcher), 0);

    QCOMPARE(run.stateName(), QStringLiteral("COMPLETED"));
    const QJsonObject state = run.state();
    QCOMPARE(state.value(QStringLiteral("posted")).toBool(), true);
    QCOMPARE(state.value(QStringLiteral("post_attempts")).toInt(), 1);
    QCOMPARE(state.value(QStringLiteral("post_in_flight")).toBool(), false);
    QVERIFY(!state.value(QStringLiteral("finished_at")).isNull());
    QCOMPARE(run.progress().value(QStringLiteral("specs_total")).toInt(), 4);
    QCOMPARE(run.progress().value(QStringLiteral("specs_done")).toInt(), 4);
    QCOMPARE(run.progress().value(QStringLiteral("tests")).toInt(), 12);
    QCOMPARE(run.progress().value(QStringLiteral("passing")).toInt(), 12);
    QCOMPARE(run.progress().value(QStringLiteral("failing")).toInt(), 0);

    const QList<QJsonObject> records = mattermost.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.constFirst().value(QStringLiteral("wouldCreatePost")).toBool(), true);
    const QString text = records.constFirst().value(QStringLiteral("text")).toString();
    QVERIFY2(text.contains(QStringLiteral("COMPLETED")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("**Template:** cmc-e2e")), qPrintable(text));
    QCOMPARE(records.constFirst().value(QStringLiteral("channel")).toString(),
             QStringLiteral("atvm-e2e"));

    QFile message(run.stateFolder() + QStringLiteral("/message.md"));
    QVERIFY(message.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(message.readAll()), text);

    // A watcher started again for a posted run does nothing.
    QProcess *again = run.startWatcher(mattermost.webhookUrl());
    QCOMPARE(RunFixture::waitForExit(again), 0);
    QCOMPARE(mattermost.records().size(), 1);
}

void TestWatcherEndToEnd::failedRunNamesFailure()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("failed"), 3));

    QCOMPARE(RunFixture::waitForExit(run.startWatcher(mattermost.webhookUrl())), 0);
    QCOMPARE(run.stateName(), QStringLiteral("FAILED"));
    QCOMPARE(run.progress().value(QStringLiteral("failing")).toInt(), 1);
    QCOMPARE(run.progress().value(QStringLiteral("specs_failed")).toInt(), 1);

    QCOMPARE(mattermost.records().size(), 1);
    const QString text = mattermost.records().constFirst().value(QStringLiteral("text")).toString();
    QVERIFY2(text.contains(QStringLiteral("FAILED")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("cuts over the guest and powers it on")),
             qPrintable(text));
    // The log and the report describe the same failure; the message names it once.
    QCOMPARE(text.count(QStringLiteral("cuts over the guest and powers it on")), 1);
}

void TestWatcherEndToEnd::crashedRunTerminated()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("crash"), 2));

    QCOMPARE(RunFixture::waitForExit(run.startWatcher(mattermost.webhookUrl())), 0);
    QCOMPARE(run.stateName(), QStringLiteral("TERMINATED"));
    const QString reason = run.state().value(QStringLiteral("reason")).toString();
    QVERIFY2(reason.contains(QStringLiteral("03-windows-guest-migration.cy.js")),
             qPrintable(reason));
    QCOMPARE(run.state().value(QStringLiteral("posted")).toBool(), false);
    QCOMPARE(mattermost.records().size(), 0);
}

void TestWatcherEndToEnd::stalledRunHung()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("stall"), 1));

    QProcess *watcher = run.startWatcher(mattermost.webhookUrl(),
                                         {QStringLiteral("--hang-timeout"), QStringLiteral("3s")});
    QCOMPARE(RunFixture::waitForExit(watcher), 0);
    QCOMPARE(run.stateName(), QStringLiteral("HUNG"));
    QVERIFY(run.simulation().state() == QProcess::Running);
    QCOMPARE(mattermost.records().size(), 0);
}

void TestWatcherEndToEnd::cancelMarkerStopsRun()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 30));

    QProcess *watcher = run.startWatcher(mattermost.webhookUrl());
    QTRY_COMPARE_WITH_TIMEOUT(run.stateName(), QStringLiteral("WATCHING"), 10000);
    writeCancelMarker(run.stateFolder());

    QCOMPARE(RunFixture::waitForExit(watcher), 0);
    QCOMPARE(run.stateName(), QStringLiteral("CANCELLED"));
    QCOMPARE(mattermost.records().size(), 0);
}

void TestWatcherEndToEnd::stopAndRestartResumes()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("failed"), 8));

    QProcess *first = run.startWatcher(mattermost.webhookUrl());
    QTRY_VERIFY_WITH_TIMEOUT(run.progress().value(QStringLiteral("specs_done")).toInt() >= 1,
                             15000);
    first->terminate();
    QCOMPARE(RunFixture::waitForExit(first), 0);
    QCOMPARE(run.stateName(), QStringLiteral("WATCHING"));
    QVERIFY(run.state()
                    .value(QStringLiteral("log_position"))
                    .toObject()
                    .value(QStringLiteral("offset"))
                    .toInteger()
            > 0);

    QProcess *second = run.startWatcher(mattermost.webhookUrl());
    QCOMPARE(RunFixture::waitForExit(second), 0);
    QCOMPARE(run.stateName(), QStringLiteral("FAILED"));
    // Resuming from the saved offset neither re-counts nor skips a spec.
    QCOMPARE(run.progress().value(QStringLiteral("tests")).toInt(), 12);
    QCOMPARE(run.progress().value(QStringLiteral("failing")).toInt(), 1);
    QCOMPARE(run.progress().value(QStringLiteral("specs_done")).toInt(), 4);
    QCOMPARE(mattermost.records().size(), 1);
}

void TestWatcherEndToEnd::killAndRestartPostsOnce()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 8));

    QProcess *first = run.startWatcher(mattermost.webhookUrl());
    QTRY_VERIFY_WITH_TIMEOUT(run.progress().value(QStringLiteral("specs_done")).toInt() >= 1,
                             15000);
    ::kill(pid_t(first->processId()), SIGKILL);
    QCOMPARE(RunFixture::waitForExit(first), -1);

    QProcess *second = run.startWatcher(mattermost.webhookUrl());
    QCOMPARE(RunFixture::waitForExit(second), 0);
    QCOMPARE(run.stateName(), QStringLiteral("COMPLETED"));
    QCOMPARE(run.progress().value(QStringLiteral("tests")).toInt(), 12);
    QCOMPARE(mattermost.records().size(), 1);
}

void TestWatcherEndToEnd::missingRunIsUnknown()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run(QStringLiteral("never-started-build"));

    QProcess *watcher = run.startWatcher(mattermost.webhookUrl(),
                                         {QStringLiteral("--startup-grace"), QStringLiteral("2s")});
    QCOMPARE(RunFixture::waitForExit(watcher), 0);
    QCOMPARE(run.stateName(), QStringLiteral("UNKNOWN"));
    const QString reason = run.state().value(QStringLiteral("reason")).toString();
    QVERIFY2(reason.contains(QStringLiteral("No run log and no run process")), qPrintable(reason));
    QCOMPARE(mattermost.records().size(), 0);
}

void TestWatcherEndToEnd::permanentPostFailure()
{
    WebhookDoubleProcess mattermost;
    QVERIFY2(mattermost.start({QStringLiteral("--mode"), QStringLiteral("channel_not_found")}),
             "the webhook double starts");
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 1));

    QCOMPARE(RunFixture::waitForExit(run.startWatcher(mattermost.webhookUrl())), 69);
    QCOMPARE(run.stateName(), QStringLiteral("COMPLETED"));
    const QJsonObject state = run.state();
    QCOMPARE(state.value(QStringLiteral("posted")).toBool(), false);
    QCOMPARE(state.value(QStringLiteral("post_attempts")).toInt(), 1);
    QVERIFY2(state.value(QStringLiteral("last_error")).toString().contains(QStringLiteral("404")),
             qPrintable(state.value(QStringLiteral("last_error")).toString()));
    QCOMPARE(mattermost.records().size(), 1);
}

void TestWatcherEndToEnd::ambiguousPostNeverResent()
{
    WebhookDoubleProcess mattermost;
    QVERIFY2(mattermost.start(
                     {QStringLiteral("--sequence"), QStringLiteral("reset_before_response,ok")}),
             "the webhook double starts");
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 1));

    QCOMPARE(RunFixture::waitForExit(run.startWatcher(mattermost.webhookUrl())), 69);
    QCOMPARE(run.state().value(QStringLiteral("post_in_flight")).toBool(), true);
    QCOMPARE(mattermost.records().size(), 1);

    // A restarted watcher must not risk a duplicate post.
    QCOMPARE(RunFixture::waitForExit(run.startWatcher(mattermost.webhookUrl())), 69);
    QCOMPARE(mattermost.records().size(), 1);
    QCOMPARE(run.state().value(QStringLiteral("posted")).toBool(), false);
}

void TestWatcherEndToEnd::secondWatcherRejected()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 30));

    QProcess *first = run.startWatcher(mattermost.webhookUrl());
    QTRY_COMPARE_WITH_TIMEOUT(run.stateName(), QStringLiteral("WATCHING"), 10000);
    QProcess *second = run.startWatcher(mattermost.webhookUrl());
    QCOMPARE(RunFixture::waitForExit(second), 75);
    QVERIFY2(second->readAllStandardError().contains("Another watcher"), "names the holder");
    QCOMPARE(first->state(), QProcess::Running);
}

void TestWatcherEndToEnd::dryRunPrintsMessage()
{
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("failed"), 1));

    QProcess *watcher = run.startWatcher(QUrl(), {QStringLiteral("--dry-run")});
    QCOMPARE(RunFixture::waitForExit(watcher), 0);
    const QString printed = QString::fromUtf8(watcher->readAllStandardOutput());
    QVERIFY2(printed.contains(QStringLiteral("FAILED")), qPrintable(printed));
    QVERIFY2(printed.contains(run.buildName()), qPrintable(printed));
    QCOMPARE(run.stateName(), QStringLiteral("FAILED"));
    QCOMPARE(run.state().value(QStringLiteral("posted")).toBool(), false);
    QVERIFY(QFile::exists(run.stateFolder() + QStringLiteral("/message.md")));
}

void TestWatcherEndToEnd::realRunPostsAfterDryRun()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("failed"), 1));
    QCOMPARE(RunFixture::waitForExit(run.startWatcher(QUrl(), {QStringLiteral("--dry-run")})), 0);
    QCOMPARE(run.state().value(QStringLiteral("dry_run")).toBool(), true);

    // The real watcher decides again with its own configuration and posts.
    QCOMPARE(RunFixture::waitForExit(run.startWatcher(mattermost.webhookUrl())), 0);
    QCOMPARE(run.stateName(), QStringLiteral("FAILED"));
    QCOMPARE(run.state().value(QStringLiteral("dry_run")).toBool(), false);
    QCOMPARE(run.state().value(QStringLiteral("posted")).toBool(), true);
    QCOMPARE(run.progress().value(QStringLiteral("tests")).toInt(), 12);
    QCOMPARE(mattermost.records().size(), 1);
}

void TestWatcherEndToEnd::stopDuringBackoffPostsLater()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({QStringLiteral("--sequence"), QStringLiteral("rate_limited,ok"),
                              QStringLiteral("--retry-after"), QStringLiteral("60")}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 1));

    QProcess *first = run.startWatcher(mattermost.webhookUrl(),
                                       {QStringLiteral("--post-deadline"), QStringLiteral("5m")});
    QTRY_COMPARE_WITH_TIMEOUT(mattermost.records().size(), 1, 30000);
    // The 429 proves nothing was posted, which the record must show before the stop.
    QTRY_COMPARE_WITH_TIMEOUT(run.state().value(QStringLiteral("post_in_flight")).toBool(), false,
                              10000);
    first->terminate();
    QCOMPARE(RunFixture::waitForExit(first, 10000), 0);
    QCOMPARE(run.stateName(), QStringLiteral("COMPLETED"));
    QCOMPARE(run.state().value(QStringLiteral("posted")).toBool(), false);

    QCOMPARE(RunFixture::waitForExit(run.startWatcher(mattermost.webhookUrl())), 0);
    QCOMPARE(run.state().value(QStringLiteral("posted")).toBool(), true);
    QCOMPARE(mattermost.records().size(), 2);
    QCOMPARE(mattermost.records().constLast().value(QStringLiteral("wouldCreatePost")).toBool(),
             true);
}

void TestWatcherEndToEnd::emptyPidFileWaits()
{
    RunFixture run(QStringLiteral("pid-file-being-written"));
    QFile pidFile(run.pidFile());
    QVERIFY(pidFile.open(QIODevice::WriteOnly));
    pidFile.close();

    QProcess *watcher = run.startWatcher(
            QUrl(),
            {QStringLiteral("--dry-run"), QStringLiteral("--startup-grace"), QStringLiteral("3s")});
    QCOMPARE(RunFixture::waitForExit(watcher), 0);
    // An empty PID file is no evidence of a dead run, so the startup grace decides.
    QCOMPARE(run.stateName(), QStringLiteral("UNKNOWN"));
}

void TestWatcherEndToEnd::viewerProcessNotFollowed()
{
    RunFixture run(QStringLiteral("e2e-viewer-check-fc"));
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 1));
    QCOMPARE(RunFixture::waitForExit(&run.simulation(), 30000), 0);
    QVERIFY(QFile::remove(run.pidFile()));

    // An operator following the journal names the build but is not the run.
    QProcess viewer;
    viewer.start(QStringLiteral("bash"),
                 {QStringLiteral("-c"),
                  QStringLiteral("exec -a 'journalctl -fu atvm-run-watcher@%1.service' sleep 60")
                          .arg(run.buildName())});
    QVERIFY(viewer.waitForStarted());
    const qint64 viewerPid = viewer.processId();

    QProcess *watcher = run.startWatcher(QUrl(), {QStringLiteral("--dry-run")});
    QCOMPARE(RunFixture::waitForExit(watcher), 0);
    viewer.kill();
    viewer.waitForFinished();
    QCOMPARE(run.stateName(), QStringLiteral("COMPLETED"));
    const QJsonObject state = run.state();
    QVERIFY2(state.value(QStringLiteral("process"))
                             .toObject()
                             .value(QStringLiteral("pid"))
                             .toInteger()
                     != viewerPid,
             "the watcher followed the journal viewer");
    QVERIFY2(!state.value(QStringLiteral("reason"))
                      .toString()
                      .contains(QStringLiteral("still running")),
             qPrintable(state.value(QStringLiteral("reason")).toString()));
}

void TestWatcherEndToEnd::wrapperEndingEarlyIgnored()
{
    RunFixture run(QStringLiteral("e2e-wrapper-check-fc"));

    // A short-lived helper names the build before any run exists, as a
    // wrapper around the start script would.
    QProcess wrapper;
    wrapper.start(QStringLiteral("bash"),
                  {QStringLiteral("-c"), QStringLiteral("sleep 1; true"), run.buildName()});
    QVERIFY(wrapper.waitForStarted());

    QProcess *watcher = run.startWatcher(
            QUrl(),
            {QStringLiteral("--dry-run"), QStringLiteral("--startup-grace"), QStringLiteral("4s")});
    QCOMPARE(RunFixture::waitForExit(watcher), 0);
    wrapper.waitForFinished();
    // Not TERMINATED: the helper ended before the run wrote anything.
    QCOMPARE(run.stateName(), QStringLiteral("UNKNOWN"));
}

void TestWatcherEndToEnd::lateReportFailureCounted()
{
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 1));
    QProcess *watcher = run.startWatcher(QUrl(), {QStringLiteral("--dry-run")});
    QCOMPARE(RunFixture::waitForExit(&run.simulation(), 30000), 0);

    // A merge step writes one more report right after Cypress exits; the log
    // itself shows every test passing.
    QFile report(run.reportDir() + QStringLiteral("/merged-extra.json"));
    QVERIFY(report.open(QIODevice::WriteOnly));
    report.write(R"({"stats": {"suites": 1, "tests": 1, "passes": 0, "pending": 0, "failures": 1},
 "results": [{"uuid": "x", "title": "", "file": "cypress/e2e/atvm/05-late-checks.cy.js",
   "fullFile": "cypress/e2e/atvm/05-late-checks.cy.js", "tests": [], "beforeHooks": [],
   "afterHooks": [], "root": true, "suites": [{"uuid": "y", "title": "late checks",
   "tests": [{"title": "keeps the guest online", "fullTitle": "late checks keeps the guest online",
     "state": "failed", "pass": false, "fail": true, "pending": false, "skipped": false,
     "err": {"message": "AssertionError: guest went offline"}}],
   "suites": [], "beforeHooks": [], "afterHooks": []}]}]})");
    report.close();

    QCOMPARE(RunFixture::waitForExit(watcher), 0);
    QCOMPARE(run.stateName(), QStringLiteral("FAILED"));
    const QJsonObject progress = run.progress();
    QCOMPARE(progress.value(QStringLiteral("failing")).toInt(), 1);
    QCOMPARE(progress.value(QStringLiteral("specs_failed")).toInt(), 1);
    const QJsonArray failures = progress.value(QStringLiteral("failures")).toArray();
    QCOMPARE(failures.size(), 1);
    QCOMPARE(failures.first().toObject().value(QStringLiteral("error")).toString(),
             QStringLiteral("AssertionError: guest went offline"));
}

void TestWatcherEndToEnd::graceEndsBeforeNextPoll()
{
    RunFixture run(QStringLiteral("slow-poll-build"));
    // With a one-hour poll, only a timer at the grace's end can finish this quickly.
    QProcess *watcher = run.startWatcher(QUrl(),
                                         {QStringLiteral("--dry-run"),
                                          QStringLiteral("--startup-grace"), QStringLiteral("2s"),
                                          QStringLiteral("--poll-interval"), QStringLiteral("1h")});
    QCOMPARE(RunFixture::waitForExit(watcher, 20000), 0);
    QCOMPARE(run.stateName(), QStringLiteral("UNKNOWN"));
}

QTEST_GUILESS_MAIN(TestWatcherEndToEnd)
#include "tst_watcherendtoend.moc"
