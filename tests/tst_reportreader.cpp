#include "shared/reportreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

class TestReportReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mochawesomeAllPassed();
    void mochawesomeFailedWithDiff();
    void mochawesomeHooksPendingSkipped();
    void mochawesomeHookRecordedOnTest();
    void mochawesomeHalfWritten();
    void junitRootSuiteHookSkipped();
    void bothKindsForSameSpec();
    void unrelatedFilesIgnored();
    void missingFolder();
    void incrementalRescan();
    void halfWrittenThenComplete();
    void reportSamples_data();
    void reportSamples();
};

namespace {

QString dataDir(const char *name)
{
    return QStringLiteral(ATVM_TEST_DATA_DIR "/reports/") + QLatin1String(name);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.readAll();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(data) == data.size();
}

} // namespace

void TestReportReader::mochawesomeAllPassed()
{
    ReportReader reader(dataDir("passed"));
    const ReportSummary summary = reader.scan();

    QCOMPARE(summary.files, 1);
    QCOMPARE(summary.unreadableFiles, 0);
    QVERIFY(summary.problems.isEmpty());
    QCOMPARE(summary.tests, 3);
    QCOMPARE(summary.passing, 3);
    QCOMPARE(summary.failing, 0);
    QCOMPARE(summary.pending, 0);
    QCOMPARE(summary.skipped, 0);
    QVERIFY(summary.failures.isEmpty());
    QVERIFY(summary.lastChange.isValid());

    QCOMPARE(summary.specs.size(), 1);
    const ReportSpec &spec = summary.specs.first();
    QCOMPARE(spec.spec, QStringLiteral("cypress/e2e/protection/create-plan.cy.js"));
    QCOMPARE(spec.sourceFile, dataDir("passed") + QStringLiteral("/mochawesome.json"));
    QCOMPARE(spec.tests, 3);
    QVERIFY(!spec.failed);
}

void TestReportReader::mochawesomeFailedWithDiff()
{
    ReportReader reader(dataDir("failed-with-diff"));
    const ReportSummary summary = reader.scan();

    QCOMPARE(summary.files, 1);
    QCOMPARE(summary.tests, 2);
    QCOMPARE(summary.passing, 1);
    QCOMPARE(summary.failing, 1);
    QCOMPARE(summary.specs.size(), 1);
    QVERIFY(summary.specs.first().failed);

    QCOMPARE(summary.failures.size(), 1);
    const FailedTest &failure = summary.failures.first();
    QCOMPARE(failure.spec, QStringLiteral("cypress/e2e/migration/cutover.cy.js"));
    QCOMPARE(failure.title, QStringLiteral("Migration cutover reaches the cut-over state"));
    QCOMPARE(failure.error,
             QStringLiteral("AssertionError: Timed out retrying after 60000ms: expected "
                            "'<span.status>' to have text 'Cut over', but the text was 'Syncing'"));
}

void TestReportReader::mochawesomeHooksPendingSkipped()
{
    ReportReader reader(dataDir("hooks-pending-skipped"));
    const ReportSummary summary = reader.scan();

    // The failed "before all" hook takes the place of one of its three skipped tests.
    QCOMPARE(summary.passing, 1);
    QCOMPARE(summary.failing, 1);
    QCOMPARE(summary.pending, 1);
    QCOMPARE(summary.skipped, 2);
    QCOMPARE(summary.tests, 5);

    QCOMPARE(summary.failures.size(), 1);
    QCOMPARE(summary.failures.first().title,
             QStringLiteral("Replication failover \"before all\" hook for \"fails over the "
                            "primary site\""));
    QCOMPARE(summary.failures.first().error,
             QStringLiteral("CypressError: `cy.request()` failed on:"));
}

void TestReportReader::mochawesomeHookRecordedOnTest()
{
    ReportReader reader(dataDir("hook-recorded-on-test"));
    const ReportSummary summary = reader.scan();

    QCOMPARE(summary.failing, 1);
    QCOMPARE(summary.tests, 1);
    QCOMPARE(summary.failures.size(), 1);
    QCOMPARE(summary.failures.first().title,
             QStringLiteral("Hosts \"before each\" hook for \"adds a host\""));
}

void TestReportReader::mochawesomeHalfWritten()
{
    ReportReader reader(dataDir("half-written"));
    const ReportSummary summary = reader.scan();

    QCOMPARE(summary.files, 1);
    QCOMPARE(summary.unreadableFiles, 1);
    QCOMPARE(summary.problems.size(), 1);
    const QString problem = summary.problems.first();
    QVERIFY2(
            problem.startsWith(dataDir("half-written") + QStringLiteral("/mochawesome_001.json: ")),
            qPrintable(problem));
    QVERIFY2(problem.contains(QLatin1String("invalid JSON")), qPrintable(problem));

    // Only the complete file counts.
    QCOMPARE(summary.specs.size(), 1);
    QCOMPARE(summary.passing, 3);
    QCOMPARE(summary.failing, 0);
}

void TestReportReader::junitRootSuiteHookSkipped()
{
    ReportReader reader(dataDir("junit"));
    const ReportSummary summary = reader.scan();

    QCOMPARE(summary.files, 2);
    QCOMPARE(summary.unreadableFiles, 0);
    QCOMPARE(summary.specs.size(), 2);

    QStringList specNames;
    for (const ReportSpec &spec : summary.specs)
        specNames.append(spec.spec);
    specNames.sort();
    QCOMPARE(specNames,
             (QStringList{QStringLiteral("cypress/e2e/settings/ldap.cy.js"),
                          QStringLiteral("cypress/e2e/settings/smtp.cy.js")}));

    // A <skipped/> test case is pending, and the failed hook is a failing test case.
    QCOMPARE(summary.tests, 6);
    QCOMPARE(summary.passing, 3);
    QCOMPARE(summary.failing, 2);
    QCOMPARE(summary.pending, 1);
    QCOMPARE(summary.skipped, 0);

    QCOMPARE(summary.failures.size(), 2);
    bool sawHook = false;
    for (const FailedTest &failure : summary.failures) {
        if (failure.spec != QLatin1String("cypress/e2e/settings/ldap.cy.js"))
            continue;
        sawHook = true;
        QCOMPARE(failure.title,
                 QStringLiteral("LDAP settings \"before each\" hook for \"imports users from a "
                                "group\""));
        QCOMPARE(failure.error,
                 QStringLiteral("CypressError: `cy.task('seedLdap')` failed with the following "
                                "error:"));
    }
    QVERIFY(sawHook);
}

void TestReportReader::bothKindsForSameSpec()
{
    ReportReader reader(dataDir("both-kinds"));
    const ReportSummary summary = reader.scan();

    QCOMPARE(summary.files, 2);
    QCOMPARE(summary.specs.size(), 1);
    QCOMPARE(summary.specs.first().sourceFile,
             dataDir("both-kinds") + QStringLiteral("/mochawesome.json"));

    // Counted once, from mochawesome, which also lists the skipped test.
    QCOMPARE(summary.tests, 3);
    QCOMPARE(summary.passing, 1);
    QCOMPARE(summary.failing, 1);
    QCOMPARE(summary.skipped, 1);
    QCOMPARE(summary.failures.size(), 1);
}

void TestReportReader::unrelatedFilesIgnored()
{
    ReportReader reader(dataDir("unrelated"));
    const ReportSummary summary = reader.scan();

    QCOMPARE(summary.files, 0);
    QCOMPARE(summary.unreadableFiles, 0);
    QVERIFY(summary.specs.isEmpty());
    QVERIFY(!summary.lastChange.isValid());
    QCOMPARE(reader.parsedFileCount(), 2);
}

void TestReportReader::missingFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    ReportReader reader(dir.filePath(QStringLiteral("not-created-yet")));
    const ReportSummary summary = reader.scan();

    QCOMPARE(summary.files, 0);
    QCOMPARE(summary.tests, 0);
    QVERIFY(summary.problems.isEmpty());
}

void TestReportReader::incrementalRescan()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString passed = dir.filePath(QStringLiteral("mochawesome.json"));
    const QString failed = dir.filePath(QStringLiteral("mochawesome_001.json"));
    const QString junit = dir.filePath(QStringLiteral("junit/results-3f2a9c1d.xml"));
    QVERIFY(writeFile(passed, readAll(dataDir("passed") + QStringLiteral("/mochawesome.json"))));
    QVERIFY(writeFile(junit, readAll(dataDir("junit") + QStringLiteral("/results-3f2a9c1d.xml"))));

    ReportReader reader(dir.path());
    ReportSummary summary = reader.scan();
    QCOMPARE(reader.parsedFileCount(), 2);
    QCOMPARE(summary.tests, 6);

    summary = reader.scan();
    QCOMPARE(reader.parsedFileCount(), 2);
    QCOMPARE(summary.tests, 6);

    // A new file is parsed, the unchanged ones are not.
    QVERIFY(writeFile(failed,
                      readAll(dataDir("failed-with-diff") + QStringLiteral("/mochawesome.json"))));
    summary = reader.scan();
    QCOMPARE(reader.parsedFileCount(), 3);
    QCOMPARE(summary.tests, 8);
    QCOMPARE(summary.failing, 2);

    // A changed size triggers a parse of that file only.
    QByteArray content = readAll(passed);
    content.append("\n\n");
    QVERIFY(writeFile(passed, content));
    summary = reader.scan();
    QCOMPARE(reader.parsedFileCount(), 4);
    QCOMPARE(summary.tests, 8);

    // So does a changed modification time with the same size.
    QFile touched(junit);
    QVERIFY(touched.open(QIODevice::ReadWrite));
    QVERIFY(touched.setFileTime(QDateTime::currentDateTime().addSecs(3600),
                                QFileDevice::FileModificationTime));
    touched.close();
    summary = reader.scan();
    QCOMPARE(reader.parsedFileCount(), 5);
    QCOMPARE(summary.lastChange, QFileInfo(junit).lastModified());

    // A removed file drops out of the totals without any parse.
    QVERIFY(QFile::remove(failed));
    summary = reader.scan();
    QCOMPARE(reader.parsedFileCount(), 5);
    QCOMPARE(summary.tests, 6);
    QCOMPARE(summary.files, 2);
}

void TestReportReader::halfWrittenThenComplete()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("mochawesome.json"));
    const QByteArray complete =
            readAll(dataDir("failed-with-diff") + QStringLiteral("/mochawesome.json"));
    QVERIFY(complete.size() > 1000);

    ReportReader reader(dir.path());
    QVERIFY(writeFile(path, complete.left(complete.size() / 2)));
    ReportSummary summary = reader.scan();
    QCOMPARE(summary.unreadableFiles, 1);
    QCOMPARE(summary.files, 0);
    QCOMPARE(summary.tests, 0);
    QCOMPARE(summary.passing, 0);
    QVERIFY(summary.problems.first().startsWith(path));

    QVERIFY(writeFile(path, QByteArray()));
    summary = reader.scan();
    QCOMPARE(summary.unreadableFiles, 1);
    QVERIFY2(summary.problems.first().contains(QLatin1String("empty")),
             qPrintable(summary.problems.first()));

    QVERIFY(writeFile(path, complete));
    summary = reader.scan();
    QCOMPARE(summary.unreadableFiles, 0);
    QVERIFY(summary.problems.isEmpty());
    QCOMPARE(summary.files, 1);
    QCOMPARE(summary.tests, 2);
    QCOMPARE(summary.failing, 1);
}

void TestReportReader::reportSamples_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("tests");
    QTest::addColumn<int>("passing");
    QTest::addColumn<int>("failing");
    QTest::addColumn<int>("pending");
    QTest::addColumn<int>("skipped");

    QTest::newRow("mochawesome all passed")
            << QStringLiteral("01-mochawesome-real-cypress-14.5-windows-all-passed.json") << 2 << 2
            << 0 << 0 << 0;
    QTest::newRow("mochawesome failed with diff")
            << QStringLiteral("02-mochawesome-mrg-fixture-single-failed-with-diff.json") << 1 << 0
            << 1 << 0 << 0;
    // The listed totals are 1 passed, 2 failed, 2 pending and 2 skipped tests
    // plus 2 failed hooks. Both hooks count as failures, and the "before all"
    // hook takes the place of one of the two tests it kept from running.
    QTest::newRow("mochawesome hooks pending skipped")
            << QStringLiteral("03-mochawesome-mrg-fixture-hooks-pending-skipped.json") << 8 << 1
            << 4 << 2 << 1;
    // JUnit <skipped/> test cases are pending tests.
    QTest::newRow("junit with pending test")
            << QStringLiteral("05-junit-mocha-junit-reporter-fixture-expected.xml") << 5 << 2 << 2
            << 1 << 0;
}

void TestReportReader::reportSamples()
{
    const QString samplesDir = qEnvironmentVariable("ATVM_REPORT_SAMPLES_DIR");
    if (samplesDir.isEmpty())
        QSKIP("ATVM_REPORT_SAMPLES_DIR is not set; set it to a folder of reporter samples.");

    QFETCH(QString, fileName);
    QFETCH(int, tests);
    QFETCH(int, passing);
    QFETCH(int, failing);
    QFETCH(int, pending);
    QFETCH(int, skipped);

    const QString source = QDir(samplesDir).filePath(fileName);
    QVERIFY2(QFileInfo::exists(source), qPrintable(source + QStringLiteral(" not found")));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::copy(source, dir.filePath(fileName)));

    ReportReader reader(dir.path());
    const ReportSummary summary = reader.scan();
    QVERIFY2(summary.problems.isEmpty(), qPrintable(summary.problems.join(QLatin1Char('\n'))));
    QCOMPARE(summary.files, 1);
    QCOMPARE(summary.specs.size(), 1);
    QCOMPARE(summary.tests, tests);
    QCOMPARE(summary.passing, passing);
    QCOMPARE(summary.failing, failing);
    QCOMPARE(summary.pending, pending);
    QCOMPARE(summary.skipped, skipped);
    QCOMPARE(summary.failures.size(), failing);
}

QTEST_GUILESS_MAIN(TestReportReader)
#include "tst_reportreader.moc"
