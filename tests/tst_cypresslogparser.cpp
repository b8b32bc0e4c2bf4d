#include "shared/cypresslogparser.h"
#include "shared/logfollower.h"

#include <QDir>
#include <QJsonDocument>
#include <QTest>

Q_DECLARE_METATYPE(CypressLogSummary)

namespace {

QString runLogPath(const QString &name)
{
    return QStringLiteral(ATVM_TEST_DATA_DIR "/runlog/") + name;
}

QStringList readLogLines(const QString &name)
{
    LogFollower follower(runLogPath(name));
    return follower.readNewLines() + follower.flushPartialLine();
}

CypressLogSummary parseLines(const QStringList &lines)
{
    CypressLogParser parser;
    for (const QString &line : lines)
        parser.addLine(line);
    parser.finish();
    return parser.summary();
}

QByteArray summaryText(const CypressLogSummary &summary)
{
    return QJsonDocument(summary.toJson()).toJson(QJsonDocument::Indented);
}

// Builds an expected summary of a run whose (Run Starting) and (Run Finished) both appeared.
CypressLogSummary finishedRun(const QString &version, const QString &duration,
                              std::array<int, 3> specs, std::array<int, 5> counts)
{
    CypressLogSummary summary;
    summary.runStarted = true;
    summary.runFinished = true;
    summary.cypressVersion = version;
    summary.footerDuration = duration;
    summary.progress.specsTotal = specs[0];
    summary.progress.specsDone = specs[1];
    summary.progress.specsFailed = specs[2];
    summary.progress.tests = counts[0];
    summary.progress.passing = counts[1];
    summary.progress.failing = counts[2];
    summary.progress.pending = counts[3];
    summary.progress.skipped = counts[4];
    return summary;
}

} // namespace

class TestCypressLogParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summaryOfLog_data();
    void summaryOfLog();
    void resumeAtEverySavedPosition_data();
    void resumeAtEverySavedPosition();
    void wrappedSpecNameIsJoined();
    void progressWhileLinesArrive();
    void failedSpecWithoutFailureList();
    void cloudErrorFatalOnlyAtFinish();
    void linesAfterFinishAreIgnored();
    void restoreRejectsUnknownState_data();
    void restoreRejectsUnknownState();
};

void TestCypressLogParser::summaryOfLog_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<CypressLogSummary>("expected");

    CypressLogSummary s = finishedRun(QStringLiteral("13.17.0"), QStringLiteral("01:17"), {3, 3, 0},
                                      {9, 8, 0, 1, 0});
    s.allSpecsPassed = true;
    QTest::newRow("all passed, multi spec") << QStringLiteral("all-passed-multi-spec.log") << s;

    s = finishedRun(QStringLiteral("12.17.4"), QStringLiteral("00:44"), {2, 2, 1}, {6, 4, 2, 0, 0});
    s.progress.failures = {
            {QStringLiteral("migration/cutover.cy.ts"),
             QStringLiteral("Cutover final sync copies the last delta"),
             QStringLiteral("AssertionError: Timed out retrying after 30000ms: expected "
                            "'<span.status>' to contain text 'Synced', but the text was "
                            "'Syncing 97%'")},
            {QStringLiteral("migration/cutover.cy.ts"),
             QStringLiteral("Cutover starts the target guest"),
             QStringLiteral("CypressError: `cy.request()` failed on:")},
    };
    QTest::newRow("failures with failure list") << QStringLiteral("failures-with-list.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QStringLiteral("00:09"), {1, 1, 1}, {5, 2, 1, 0, 2});
    s.progress.failures = {
            {QStringLiteral("settings/storage-pools.cy.js"),
             QStringLiteral("Storage pools with a new pool \"before each\" hook for \"creates a "
                            "pool\""),
             QStringLiteral("Error: pool fixture could not be loaded")},
    };
    QTest::newRow("hook failure skips tests") << QStringLiteral("hook-failure-skipped.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QStringLiteral("00:04"), {2, 2, 1}, {3, 3, 1, 0, 0});
    s.progress.failures = {
            {QStringLiteral("reports/broken-import.cy.js"), QStringLiteral("spec failed to load"),
             QStringLiteral("Error: Webpack Compilation Error")},
    };
    QTest::newRow("spec load error") << QStringLiteral("spec-load-error.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QStringLiteral("00:33"), {2, 2, 1}, {2, 2, 1, 0, 0});
    s.crashDetected = true;
    s.progress.failures = {
            {QStringLiteral("dashboard/large-fleet.cy.js"),
             QStringLiteral("Electron Renderer process crashed"),
             QStringLiteral("We detected that the Electron Renderer process just crashed.")},
    };
    QTest::newRow("renderer crash") << QStringLiteral("renderer-crash.log") << s;

    s = finishedRun(QStringLiteral("14.3.2"), QString(), {3, 1, 0}, {2, 2, 0, 0, 0});
    s.runFinished = false;
    s.specsWithoutResults = {QStringLiteral("guests/restore.cy.js")};
    QTest::newRow("output stops mid spec") << QStringLiteral("output-stops-mid-spec.log") << s;

    s = CypressLogSummary();
    s.noSpecsFound = true;
    s.fatalError = QStringLiteral("Can't run because no spec files were found. Searched for: "
                                  "/srv/e2e/cypress/e2e/nightly/**/*.cy.js");
    s.progress.specsTotal = 0;
    QTest::newRow("no specs found") << QStringLiteral("no-specs-found.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QStringLiteral("00:04"), {3, 3, 0}, {2, 2, 0, 0, 0});
    s.canceled = true;
    QTest::newRow("run canceled") << QStringLiteral("run-canceled.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QStringLiteral("00:21"), {2, 2, 1}, {3, 2, 1, 0, 0});
    s.progress.failures = {
            {QStringLiteral("network/vlan.cy.js"), QStringLiteral("VLANs tags guest traffic"),
             QStringLiteral("AssertionError: expected 0 to equal 120")},
    };
    QTest::newRow("retries") << QStringLiteral("retries.log") << s;

    s = finishedRun(QStringLiteral("14.5.2"), QStringLiteral("00:12"), {1, 1, 1}, {3, 2, 1, 0, 0});
    s.progress.failures = {
            {QStringLiteral("hyperv/checkpoints.cy.js"),
             QStringLiteral("Hyper-V checkpoints deletes a checkpoint tree"),
             QStringLiteral("Error: checkpoint \"base\" is still referenced by 2 children")},
    };
    QTest::newRow("windows symbols and CRLF") << QStringLiteral("windows-symbols.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QStringLiteral("00:03"), {2, 2, 1}, {3, 2, 1, 0, 0});
    s.progress.failures = {
            {QStringLiteral("api/tokens.cy.js"), QStringLiteral("Tokens revokes a token"),
             QStringLiteral("AssertionError: expected 200 to equal 401")},
    };
    QTest::newRow("docker compose prefixes") << QStringLiteral("docker-compose-prefix.log") << s;

    s = finishedRun(QStringLiteral("15.1.0"), QStringLiteral("00:07"), {2, 2, 1}, {4, 3, 1, 0, 0});
    s.progress.failures = {
            {QStringLiteral("ui/keyboard.cy.js"),
             QStringLiteral("Keyboard navigation opens the guest menu with Enter"),
             QStringLiteral("AssertionError: Timed out retrying after 4000ms: Expected to find "
                            "element: `[role=menu]`, but never found it.")},
    };
    QTest::newRow("ANSI colour with CRLF") << QStringLiteral("ansi-crlf.log") << s;

    s = finishedRun(QStringLiteral("15.0.1"), QStringLiteral("00:04"), {1, 1, 0}, {3, 3, 0, 0, 0});
    s.allSpecsPassed = true;
    QTest::newRow("leftover text colour codes") << QStringLiteral("leftover-text-codes.log") << s;

    s = finishedRun(QStringLiteral("10.11.0"), QStringLiteral("00:09"), {2, 2, 0}, {3, 3, 0, 0, 0});
    s.allSpecsPassed = true;
    QTest::newRow("cypress 10 video lines") << QStringLiteral("cypress10-video.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QString(), {2, 1, 0}, {1, 1, 0, 0, 0});
    s.runFinished = false;
    s.crashDetected = true;
    s.fatalError = QStringLiteral("We detected that the Chrome browser process closed "
                                  "unexpectedly. We have failed the current spec and aborted the "
                                  "run.");
    s.specsWithoutResults = {QStringLiteral("console/serial.cy.js")};
    s.progress.failures = {
            {QStringLiteral("console/serial.cy.js"),
             QStringLiteral("Chrome browser process closed unexpectedly"),
             QStringLiteral("We detected that the Chrome browser process closed unexpectedly.")},
    };
    QTest::newRow("browser closed, run aborted")
            << QStringLiteral("browser-closed-aborted.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QString(), {2, 1, 0}, {1, 1, 0, 0, 0});
    s.runFinished = false;
    s.fatalError = QStringLiteral("We encountered an unexpected error communicating with our "
                                  "servers: StatusCodeError: 500 - \"Internal Server Error\"");
    QTest::newRow("cloud error stops run") << QStringLiteral("cloud-error-fatal.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QStringLiteral("00:06"), {1, 1, 0}, {1, 1, 0, 0, 0});
    s.allSpecsPassed = true;
    QTest::newRow("cloud error retried") << QStringLiteral("cloud-error-retried.log") << s;

    s = finishedRun(QStringLiteral("13.6.0"), QStringLiteral("00:02"), {3, 3, 1}, {3, 2, 1, 0, 0});
    s.progress.failures = {
            {QStringLiteral("setup/seed.cy.js"), QStringLiteral("Seed seeds the database"),
             QStringLiteral("Error: connect ECONNREFUSED 127.0.0.1:5432")},
    };
    QTest::newRow("two runs in one log") << QStringLiteral("two-runs-one-log.log") << s;
}

void TestCypressLogParser::summaryOfLog()
{
    QFETCH(QString, file);
    QFETCH(CypressLogSummary, expected);

    const QStringList lines = readLogLines(file);
    QVERIFY2(lines.size() > 5, qPrintable(QStringLiteral("%1 has too few lines").arg(file)));
    const CypressLogSummary actual = parseLines(lines);

    QCOMPARE(actual.runStarted, expected.runStarted);
    QCOMPARE(actual.runFinished, expected.runFinished);
    QCOMPARE(actual.allSpecsPassed, expected.allSpecsPassed);
    QCOMPARE(actual.canceled, expected.canceled);
    QCOMPARE(actual.noSpecsFound, expected.noSpecsFound);
    QCOMPARE(actual.crashDetected, expected.crashDetected);
    QCOMPARE(actual.fatalError, expected.fatalError);
    QCOMPARE(actual.cypressVersion, expected.cypressVersion);
    QCOMPARE(actual.footerDuration, expected.footerDuration);
    QCOMPARE(actual.specsWithoutResults, expected.specsWithoutResults);

    const RunProgress &progress = actual.progress;
    QCOMPARE(progress.specsTotal, expected.progress.specsTotal);
    QCOMPARE(progress.specsDone, expected.progress.specsDone);
    QCOMPARE(progress.specsFailed, expected.progress.specsFailed);
    QCOMPARE(progress.currentSpec, QString());
    QCOMPARE(progress.tests, expected.progress.tests);
    QCOMPARE(progress.passing, expected.progress.passing);
    QCOMPARE(progress.failing, expected.progress.failing);
    QCOMPARE(progress.pending, expected.progress.pending);
    QCOMPARE(progress.skipped, expected.progress.skipped);

    QCOMPARE(progress.failures.size(), expected.progress.failures.size());
    for (qsizetype i = 0; i < progress.failures.size(); ++i) {
        QCOMPARE(progress.failures.at(i).spec, expected.progress.failures.at(i).spec);
        QCOMPARE(progress.failures.at(i).title, expected.progress.failures.at(i).title);
        QCOMPARE(progress.failures.at(i).error, expected.progress.failures.at(i).error);
    }
}

void TestCypressLogParser::resumeAtEverySavedPosition_data()
{
    QTest::addColumn<QString>("file");

    const QStringList files =
            QDir(QStringLiteral(ATVM_TEST_DATA_DIR "/runlog"))
                    .entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 15);
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << file;
}

void TestCypressLogParser::resumeAtEverySavedPosition()
{
    QFETCH(QString, file);

    const QStringList lines = readLogLines(file);
    CypressLogParser whole;
    for (const QString &line : lines)
        whole.addLine(line);
    whole.finish();
    const QByteArray expected = summaryText(whole.summary());
    const QJsonObject expectedState = whole.saveState();

    for (qsizetype split = 0; split <= lines.size(); ++split) {
        CypressLogParser first;
        for (qsizetype i = 0; i < split; ++i)
            first.addLine(lines.at(i));

        // Round-trip through JSON text, as the watcher's state file does.
        const QByteArray saved = QJsonDocument(first.saveState()).toJson(QJsonDocument::Compact);
        CypressLogParser resumed;
        QVERIFY(resumed.restoreState(QJsonDocument::fromJson(saved).object()));
        QCOMPARE(summaryText(resumed.summary()), summaryText(first.summary()));

        for (qsizetype i = split; i < lines.size(); ++i)
            resumed.addLine(lines.at(i));
        resumed.finish();

        const QByteArray actual = summaryText(resumed.summary());
        QVERIFY2(actual == expected,
                 qPrintable(QStringLiteral("Resumed after line %1 of %2:\n%3\nexpected:\n%4")
                                    .arg(split)
                                    .arg(lines.size())
                                    .arg(QString::fromUtf8(actual), QString::fromUtf8(expected))));
        // The internal state must match too, or a later line could still diverge.
        QVERIFY2(resumed.saveState() == expectedState,
                 qPrintable(QStringLiteral("Parser state differs when resumed after line %1")
                                    .arg(split)));
    }
}

void TestCypressLogParser::wrappedSpecNameIsJoined()
{
    const QString longName = QStringLiteral(
            "migration/rhel9-to-ubuntu24-with-nvme-passthrough-and-secure-boot-enabled-keeps-"
            "guest-network.cy.js");
    const QStringList lines = readLogLines(QStringLiteral("all-passed-multi-spec.log"));

    CypressLogParser parser;
    bool sawLongName = false;
    for (const QString &line : lines) {
        parser.addLine(line);
        if (parser.summary().progress.currentSpec == longName)
            sawLongName = true;
    }
    QVERIFY2(sawLongName, "The wrapped Running: line never gave the whole spec name.");
}

void TestCypressLogParser::progressWhileLinesArrive()
{
    const QStringList lines = readLogLines(QStringLiteral("failures-with-list.log"));
    CypressLogParser parser;
    qsizetype index = 0;
    const auto feedUntil = [&](const QString &marker) {
        while (index < lines.size()) {
            parser.addLine(lines.at(index++));
            if (lines.at(index - 1).contains(marker))
                return true;
        }
        return false;
    };

    QCOMPARE(parser.summary().progress.specsTotal, -1);
    QVERIFY(feedUntil(QStringLiteral("Specs:")));
    QCOMPARE(parser.summary().progress.specsTotal, 2);
    QVERIFY(parser.summary().runStarted);

    QVERIFY(feedUntil(QStringLiteral("Running:")));
    QCOMPARE(parser.summary().progress.currentSpec, QStringLiteral("smoke/login.cy.ts"));
    QCOMPARE(parser.summary().progress.specsDone, 0);

    QVERIFY(feedUntil(QStringLiteral("Spec Ran:")));
    QCOMPARE(parser.summary().progress.specsDone, 0);
    QVERIFY(feedUntil(QString(QChar(0x2518)))); // ┘ closes the (Results) box
    QCOMPARE(parser.summary().progress.specsDone, 1);
    QCOMPARE(parser.summary().progress.passing, 2);
    QCOMPARE(parser.summary().progress.currentSpec, QString());

    QVERIFY(feedUntil(QStringLiteral("Running:")));
    QCOMPARE(parser.summary().progress.currentSpec, QStringLiteral("migration/cutover.cy.ts"));
    QVERIFY(feedUntil(QStringLiteral("Syncing 97%")));
    QCOMPARE(parser.summary().progress.failures.size(), 1);
    QCOMPARE(parser.summary().progress.failing, 0);

    QVERIFY(feedUntil(QStringLiteral("(Run Finished)")));
    QCOMPARE(parser.summary().progress.specsDone, 2);
    QCOMPARE(parser.summary().progress.specsFailed, 1);
    QVERIFY(!parser.summary().runFinished);
    QVERIFY(feedUntil(QStringLiteral("1 of 2 failed")));
    QVERIFY(parser.summary().runFinished);
    QVERIFY(!parser.summary().allSpecsPassed);
}

void TestCypressLogParser::failedSpecWithoutFailureList()
{
    // A non-spec reporter prints no failure list; the (Results) box still counts.
    const QStringList lines{
            QStringLiteral("  Running:  jobs/queue.cy.js                    (1 of 1)"),
            QString(),
            QStringLiteral("[mochawesome] Report JSON saved to /srv/e2e/report/mochawesome.json"),
            QStringLiteral("  (Results)"),
            QStringLiteral("  \u2502 Tests:        4   \u2502"),
            QStringLiteral("  \u2502 Passing:      2   \u2502"),
            QStringLiteral("  \u2502 Failing:      2   \u2502"),
            QStringLiteral("  \u2502 Pending:      0   \u2502"),
            QStringLiteral("  \u2502 Skipped:      0   \u2502"),
            QStringLiteral("  \u2514\u2500\u2500\u2518"),
    };
    const CypressLogSummary summary = parseLines(lines);

    QCOMPARE(summary.progress.specsTotal, 1);
    QCOMPARE(summary.progress.specsFailed, 1);
    QCOMPARE(summary.progress.failing, 2);
    QCOMPARE(summary.progress.failures.size(), 1);
    QCOMPARE(summary.progress.failures.at(0).spec, QStringLiteral("jobs/queue.cy.js"));
    QCOMPARE(summary.progress.failures.at(0).title,
             QStringLiteral("2 tests failed; the log shows no details"));
    QVERIFY(summary.specsWithoutResults.isEmpty());
}

void TestCypressLogParser::cloudErrorFatalOnlyAtFinish()
{
    const QStringList lines = readLogLines(QStringLiteral("cloud-error-fatal.log"));
    CypressLogParser parser;
    for (const QString &line : lines)
        parser.addLine(line);

    QCOMPARE(parser.summary().fatalError, QString());
    parser.finish();
    QVERIFY(parser.summary().fatalError.startsWith(
            QStringLiteral("We encountered an unexpected error communicating")));
}

void TestCypressLogParser::linesAfterFinishAreIgnored()
{
    CypressLogParser parser;
    parser.addLine(QStringLiteral("  Running:  a.cy.js      (1 of 1)"));
    parser.finish();
    QCOMPARE(parser.summary().specsWithoutResults, QStringList{QStringLiteral("a.cy.js")});

    parser.addLine(QStringLiteral("  Running:  b.cy.js      (1 of 1)"));
    QCOMPARE(parser.summary().progress.currentSpec, QString());
    QCOMPARE(parser.summary().specsWithoutResults, QStringList{QStringLiteral("a.cy.js")});
}

void TestCypressLogParser::restoreRejectsUnknownState_data()
{
    QTest::addColumn<QJsonObject>("state");

    QTest::newRow("empty object") << QJsonObject();
    QTest::newRow("newer format") << QJsonObject{
            {QStringLiteral("format_version"), 2},
            {QStringLiteral("summary"), QJsonObject()},
    };
    QTest::newRow("unknown block") << QJsonObject{
            {QStringLiteral("format_version"), 1},
            {QStringLiteral("summary"), QJsonObject()},
            {QStringLiteral("block"), 42},
    };
}

void TestCypressLogParser::restoreRejectsUnknownState()
{
    QFETCH(QJsonObject, state);

    CypressLogParser parser;
    parser.addLine(QStringLiteral("  Running:  kept.cy.js      (1 of 3)"));
    const QByteArray before = summaryText(parser.summary());

    QVERIFY(!parser.restoreState(state));
    QCOMPARE(summaryText(parser.summary()), before);
    QCOMPARE(parser.summary().progress.currentSpec, QStringLiteral("kept.cy.js"));
}

QTEST_GUILESS_MAIN(TestCypressLogParser)
#include "tst_cypresslogparser.moc"
