#include "shared/runrecord.h"

#include <QtTest>

class tst_DashboardRunRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryState_data();
    void parsesEveryState();
    void parsesAllFields();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void watcherLost_data();
    void watcherLost();
    void updateAgeOfFutureIsUnknown();
    void durationOfRuns();

private:
    static QByteArray minimalState(const QString &state);
};

QByteArray tst_DashboardRunRecord::minimalState(const QString &state)
{
    return QStringLiteral("{\"format_version\":1,\"build_name\":\"e2e-a\",\"state\":\"%1\","
                          "\"updated_at\":\"2026-12-04T15:00:00Z\"}")
            .arg(state)
            .toUtf8();
}

void tst_DashboardRunRecord::parsesEveryState_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<RunState>("state");
    QTest::newRow("watching") << "WATCHING" << RunState::Watching;
    QTest::newRow("completed") << "COMPLETED" << RunState::Completed;
    QTest::newRow("failed") << "FAILED" << RunState::Failed;
    QTest::newRow("cancelled") << "CANCELLED" << RunState::Cancelled;
    QTest::newRow("terminated") << "TERMINATED" << RunState::Terminated;
    QTest::newRow("hung") << "HUNG" << RunState::Hung;
    QTest::newRow("unknown") << "UNKNOWN" << RunState::Unknown;
}

void tst_DashboardRunRecord::parsesEveryState()
{
    QFETCH(QString, name);
    QFETCH(RunState, state);

    const RunRecordParseResult result = parseRunRecord(minimalState(name), QStringLiteral("x"));
    QVERIFY2(result.record.has_value(), qPrintable(result.error));
    QCOMPARE(result.record->state, state);
    QCOMPARE(result.record->buildName, QStringLiteral("e2e-a"));
    QCOMPARE(result.record->updatedAt, QDateTime(QDate(2026, 12, 4), QTime(15, 0), Qt::UTC));
    QCOMPARE(result.record->progress.specsTotal, -1);
}

void tst_DashboardRunRecord::parsesAllFields()
{
    QFile file(
            QStringLiteral(ATVM_TEST_DATA_DIR
                           "/dashboard/sample-root/e2e-redhat9.6-ubuntu24.04-w2k25-fc/state.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const RunRecordParseResult result = parseRunRecord(file.readAll(), file.fileName());
    QVERIFY2(result.record.has_value(), qPrintable(result.error));

    const RunRecord &record = *result.record;
    QCOMPARE(record.state, RunState::Watching);
    QCOMPARE(record.metadata.templateName, QStringLiteral("cmc-e2e-fc"));
    QCOMPARE(record.metadata.integrationPlugin, QStringLiteral("pure with fc"));
    QCOMPARE(record.guests.size(), 3);
    QCOMPARE(record.guests.at(0).token, QStringLiteral("redhat9.6"));
    QCOMPARE(record.guests.at(0).kernel,
             std::optional<QString>(QStringLiteral("5.14.0-570.12.1.el9_6.x86_64")));
    QCOMPARE(record.guests.at(2).kernel, std::nullopt);
    QCOMPARE(record.progress.specsTotal, 48);
    QCOMPARE(record.progress.specsDone, 23);
    QCOMPARE(record.progress.failing, 3);
    QCOMPARE(record.progress.failures.size(), 3);
    QCOMPARE(record.progress.currentSpec, QStringLiteral("migration/cutover-rollback.cy.js"));
    QCOMPARE(record.runLogPath,
             QStringLiteral(
                     "/root/cdc-e2e-cyp-12.17.4/logs/e2e-redhat9.6-ubuntu24.04-w2k25-fc.log"));
    QVERIFY(record.processAlive);
    QCOMPARE(record.processExitStatus, std::nullopt);
    QVERIFY(!record.finishedAt.isValid());
}

void tst_DashboardRunRecord::rejectsBadFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("empty file") << QByteArray() << "is empty";
    QTest::newRow("whitespace only") << QByteArray("  \n") << "is empty";
    QTest::newRow("truncated write")
            << QByteArray("{\"format_version\":1,\"build_name\":\"e2e-a\",\"sta")
            << "not valid JSON";
    QTest::newRow("array instead of object")
            << QByteArray("[1,2]") << "does not contain a JSON object";
    QTest::newRow("newer format version")
            << QByteArray("{\"format_version\":2,\"build_name\":\"e2e-a\",\"state\":\"WATCHING\"}")
            << "format version 2";
    QTest::newRow("missing format version")
            << QByteArray("{\"build_name\":\"e2e-a\",\"state\":\"WATCHING\"}")
            << "has no format_version";
    QTest::newRow("format version as a string")
            << QByteArray("{\"format_version\":\"1\",\"build_name\":\"e2e-a\","
                          "\"state\":\"WATCHING\"}")
            << "format_version \"1\" (a string)";
    QTest::newRow("fractional format version")
            << QByteArray("{\"format_version\":1.5,\"build_name\":\"e2e-a\","
                          "\"state\":\"WATCHING\"}")
            << "format_version 1.5";
    QTest::newRow("format version zero")
            << QByteArray("{\"format_version\":0,\"build_name\":\"e2e-a\","
                          "\"state\":\"WATCHING\"}")
            << "format version 0";
    QTest::newRow("unknown state")
            << QByteArray("{\"format_version\":1,\"build_name\":\"e2e-a\",\"state\":\"RUNNING\"}")
            << "Invalid state \"RUNNING\"";
    QTest::newRow("missing build name")
            << QByteArray("{\"format_version\":1,\"state\":\"WATCHING\"}") << "has no build_name";
}

void tst_DashboardRunRecord::rejectsBadFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expectedError);

    const RunRecordParseResult result =
            parseRunRecord(bytes, QStringLiteral("/roots/a/state.json"));
    QVERIFY(!result.record.has_value());
    QVERIFY2(result.error.contains(expectedError), qPrintable(result.error));
    QVERIFY2(result.error.contains(QLatin1String("/roots/a/state.json")), qPrintable(result.error));
}

void tst_DashboardRunRecord::watcherLost_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("secondsSinceUpdate");
    QTest::addColumn<bool>("lost");
    QTest::newRow("watching, fresh") << "WATCHING" << 20 << false;
    QTest::newRow("watching, exactly at the limit") << "WATCHING" << 120 << false;
    QTest::newRow("watching, past the limit") << "WATCHING" << 121 << true;
    QTest::newRow("watching, an hour old") << "WATCHING" << 3600 << true;
    QTest::newRow("completed, an hour old") << "COMPLETED" << 3600 << false;
    QTest::newRow("failed, a day old") << "FAILED" << 86400 << false;
    QTest::newRow("watching, slightly ahead of this clock") << "WATCHING" << -30 << false;
    QTest::newRow("watching, an hour in the future") << "WATCHING" << -3600 << true;
}

void tst_DashboardRunRecord::watcherLost()
{
    QFETCH(QString, state);
    QFETCH(int, secondsSinceUpdate);
    QFETCH(bool, lost);

    const RunRecordParseResult result = parseRunRecord(minimalState(state), QStringLiteral("x"));
    QVERIFY(result.record.has_value());
    const QDateTime now = result.record->updatedAt.addSecs(secondsSinceUpdate);
    QCOMPARE(isWatcherLost(*result.record, now), lost);
}

void tst_DashboardRunRecord::updateAgeOfFutureIsUnknown()
{
    const RunRecordParseResult result =
            parseRunRecord(minimalState(QStringLiteral("WATCHING")), QStringLiteral("x"));
    QVERIFY(result.record.has_value());
    const QDateTime updated = result.record->updatedAt;
    QCOMPARE(updateAgeSeconds(*result.record, updated.addSecs(90)), std::optional<qint64>(90));
    QCOMPARE(updateAgeSeconds(*result.record, updated.addSecs(-30)), std::optional<qint64>(0));
    QCOMPARE(updateAgeSeconds(*result.record, updated.addSecs(-3600)), std::nullopt);
    QVERIFY(isUpdateInFuture(*result.record, updated.addSecs(-3600)));
    QVERIFY(!isUpdateInFuture(*result.record, updated.addSecs(-30)));
}

void tst_DashboardRunRecord::durationOfRuns()
{
    RunRecord record;
    const QDateTime start(QDate(2026, 12, 4), QTime(10, 0), Qt::UTC);
    QCOMPARE(runDurationSeconds(record, start), qint64(0));

    record.startedAt = start;
    QCOMPARE(runDurationSeconds(record, start.addSecs(90)), qint64(90));

    record.finishedAt = start.addSecs(3600);
    QCOMPARE(runDurationSeconds(record, start.addSecs(7200)), qint64(3600));
}

QTEST_GUILESS_MAIN(tst_DashboardRunRecord)
#include "tst_dashboardrunrecord.moc"
