#include "dashboard/sampleroot.h"
#include "gui/runtablemodel.h"
#include "shared/runcontrol.h"
#include "shared/staterootmonitor.h"
#include "shared/staterootreader.h"
#include "support/runfixture.h"
#include "webhookdoubleprocess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace std::chrono_literals;

namespace {

struct HandlerRun
{
    int exitCode = -1;
    QString output;
    QString systemctlCalls;
};

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QStringList entriesOf(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class tst_DashboardControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesStartRequest();
    void rejectsStartRequest_data();
    void rejectsStartRequest();
    void handlerStartsWatcher();
    void handlerRejectsBadRequest_data();
    void handlerRejectsBadRequest();
    void writesCancelMarker();
    void rejectsCancel_data();
    void rejectsCancel();
    void cancelEndToEndWithWatcher();

private:
    static HandlerRun runHandler(const QString &root, const QString &activeState = {});
    static StartRequest sampleRequest(const QString &buildName);
};

StartRequest tst_DashboardControl::sampleRequest(const QString &buildName)
{
    StartRequest request;
    request.id = QStringLiteral("20261204T150000Z-abc123");
    request.buildName = buildName;
    request.metadata.templateName = QStringLiteral("cmc-e2e-fc");
    request.metadata.configFamily = QStringLiteral("gold");
    request.metadata.integrationPlugin = QStringLiteral("pure with fc");
    request.metadata.scopeDescription = QStringLiteral("Cutover \"rollback\" $HOME `id` checks");
    request.requestedBy = QStringLiteral("operator@laptop");
    request.requestedAt = sampleNow();
    return request;
}

HandlerRun tst_DashboardControl::runHandler(const QString &root, const QString &activeState)
{
    QTemporaryDir scratch;
    const QString systemctlLog = scratch.filePath(QStringLiteral("systemctl.log"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("ATVM_START_SCRIPT"),
                       QStringLiteral(ATVM_SOURCE_DIR "/systemd/start-atvm-run-watcher.sh"));
    environment.insert(QStringLiteral("ATVM_SYSTEMCTL"),
                       QStringLiteral(ATVM_SOURCE_DIR "/tests/systemd/fake-systemctl.sh"));
    environment.insert(QStringLiteral("FAKE_SYSTEMCTL_LOG"), systemctlLog);
    if (!activeState.isEmpty())
        environment.insert(QStringLiteral("FAKE_SYSTEMCTL_ACTIVE_STATE"), activeState);

    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(ATVM_SOURCE_DIR "/resources/process-start-requests.sh"), {root});
    HandlerRun run;
    if (!process.waitForFinished(30000))
        return run;
    run.exitCode = process.exitCode();
    run.output = QString::fromUtf8(process.readAll());
    QFile log(systemctlLog);
    if (log.open(QIODevice::ReadOnly))
        run.systemctlCalls = QString::fromUtf8(log.readAll());
    return run;
}

void tst_DashboardControl::writesStartRequest()
{
    QTemporaryDir root;
    const ControlWriteResult result =
            writeStartRequest(root.path(), sampleRequest(QStringLiteral("e2e-redhat9.6-fc")));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.path,
             root.filePath(QStringLiteral(".start-requests/20261204T150000Z-abc123.json")));

    const QJsonObject request = readJson(result.path);
    QCOMPARE(request.value(QStringLiteral("build_name")).toString(),
             QStringLiteral("e2e-redhat9.6-fc"));
    QCOMPARE(request.value(QStringLiteral("template")).toString(), QStringLiteral("cmc-e2e-fc"));
    QCOMPARE(request.value(QStringLiteral("scope_description")).toString(),
             QStringLiteral("Cutover \"rollback\" $HOME `id` checks"));
    QCOMPARE(request.value(QStringLiteral("requested_by")).toString(),
             QStringLiteral("operator@laptop"));
    QCOMPARE(request.value(QStringLiteral("requested_at")).toString(),
             QStringLiteral("2026-12-04T15:00:00Z"));
    QCOMPARE(entriesOf(startStagingDirPath(root.path())), QStringList());
    QCOMPARE(readStateRoot(root.path(), {}, sampleNow()).pendingRequestIds,
             QStringList{QStringLiteral("20261204T150000Z-abc123")});
}

void tst_DashboardControl::rejectsStartRequest_data()
{
    QTest::addColumn<QString>("buildName");
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<QString>("existingState");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("empty build name") << ""
                                      << "id-1"
                                      << ""
                                      << "empty";
    QTest::newRow("dot dot in build name") << "e2e..x"
                                           << "id-1"
                                           << ""
                                           << "e2e..x";
    QTest::newRow("slash in build name") << "e2e/x"
                                         << "id-1"
                                         << ""
                                         << "e2e/x";
    QTest::newRow("leading dash") << "-e2e"
                                  << "id-1"
                                  << ""
                                  << "-e2e";
    QTest::newRow("build name of 101 characters") << QString(101, QLatin1Char('a')) << "id-1"
                                                  << ""
                                                  << "aaaa";
    QTest::newRow("id with a slash") << "e2e-a"
                                     << "../x"
                                     << ""
                                     << "Invalid start request id";
    QTest::newRow("build still watched") << "e2e-a"
                                         << "id-1"
                                         << "WATCHING"
                                         << "already being watched";
}

void tst_DashboardControl::rejectsStartRequest()
{
    QFETCH(QString, buildName);
    QFETCH(QString, requestId);
    QFETCH(QString, existingState);
    QFETCH(QString, expectedError);

    QTemporaryDir root;
    if (!existingState.isEmpty()) {
        QVERIFY(writeFile(root.filePath(buildName + QStringLiteral("/state.json")),
                          stateJson(buildName, existingState, QDateTime::currentDateTimeUtc())));
    }
    StartRequest request = sampleRequest(buildName);
    request.id = requestId;
    const ControlWriteResult result = writeStartRequest(root.path(), request);
    QVERIFY(!result.ok);
    QVERIFY2(result.error.contains(expectedError), qPrintable(result.error));
    QCOMPARE(entriesOf(startRequestsDirPath(root.path())), QStringList());
}

void tst_DashboardControl::handlerStartsWatcher()
{
    QTemporaryDir root;
    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    const ControlWriteResult written = writeStartRequest(root.path(), sampleRequest(build));
    QVERIFY2(written.ok, qPrintable(written.error));

    const HandlerRun run = runHandler(root.path());
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(entriesOf(startRequestsDirPath(root.path())), QStringList());
    QVERIFY2(run.systemctlCalls.contains(
                     QStringLiteral("start atvm-run-watcher@%1.service").arg(build)),
             qPrintable(run.systemctlCalls));

    // The start script wrote the run's metadata, quoted, for the unit's EnvironmentFile.
    QFile runEnv(root.filePath(build + QStringLiteral("/run.env")));
    QVERIFY(runEnv.open(QIODevice::ReadOnly));
    const QString environment = QString::fromUtf8(runEnv.readAll());
    QVERIFY2(environment.contains(QLatin1String("ATVM_WATCHER_TEMPLATE=")),
             qPrintable(environment));
    QVERIFY2(environment.contains(QLatin1String("cmc-e2e-fc")), qPrintable(environment));
    QVERIFY2(environment.contains(QLatin1String("rollback")), qPrintable(environment));

    const StateRootSnapshot snapshot = readStateRoot(root.path(), {}, sampleNow());
    QCOMPARE(snapshot.pendingRequestIds, QStringList());
    QCOMPARE(snapshot.requestOutcomes.size(), 1);
    const StartRequestOutcome &outcome = snapshot.requestOutcomes.constFirst();
    QCOMPARE(outcome.id, QStringLiteral("20261204T150000Z-abc123"));
    QCOMPARE(outcome.buildName, build);
    QCOMPARE(outcome.outcome, QStringLiteral("started"));
    QVERIFY2(outcome.message.contains(QStringLiteral("atvm-run-watcher@%1.service").arg(build)),
             qPrintable(outcome.message));
    QVERIFY(outcome.handledAt.isValid());
    QVERIFY(QFile::exists(startResultsDirPath(root.path())
                          + QStringLiteral("/20261204T150000Z-abc123.request.json")));
}

void tst_DashboardControl::handlerRejectsBadRequest_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("activeState");
    QTest::addColumn<QString>("expectedOutcome");
    QTest::addColumn<QString>("expectedMessage");

    QTest::newRow("invalid build name")
            << "req-1.json" << QByteArray("{\"build_name\":\"../../etc\"}") << ""
            << "rejected"
            << "Invalid build name '../../etc'";
    QTest::newRow("not JSON") << "req-1.json" << QByteArray("build_name=e2e-a") << ""
                              << "rejected"
                              << "not a JSON object";
    QTest::newRow("field of the wrong type")
            << "req-1.json" << QByteArray("{\"build_name\":\"e2e-a\",\"template\":[1]}") << ""
            << "rejected"
            << "not a string";
    QTest::newRow("file name outside the id rule")
            << "bad name;rm.json" << QByteArray("{\"build_name\":\"e2e-a\"}") << ""
            << "rejected"
            << "Invalid request file name";
    QTest::newRow("temporary file left behind")
            << "req-1.json.Ab12Cd" << QByteArray("{\"build_name\":\"e2e-a\"}") << ""
            << "rejected"
            << "Invalid request file name";
    QTest::newRow("watcher already active")
            << "req-1.json" << QByteArray("{\"build_name\":\"e2e-a\"}") << "active"
            << "failed"
            << "already active";
}

void tst_DashboardControl::handlerRejectsBadRequest()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, activeState);
    QFETCH(QString, expectedOutcome);
    QFETCH(QString, expectedMessage);

    QTemporaryDir root;
    QVERIFY(writeFile(startRequestsDirPath(root.path()) + QLatin1Char('/') + fileName, content));

    const HandlerRun run = runHandler(root.path(), activeState);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(entriesOf(startRequestsDirPath(root.path())), QStringList());
    QVERIFY2(!run.systemctlCalls.contains(QLatin1String("start ")), qPrintable(run.systemctlCalls));

    const StateRootSnapshot snapshot = readStateRoot(root.path(), {}, sampleNow());
    QCOMPARE(snapshot.requestOutcomes.size(), 1);
    QCOMPARE(snapshot.requestOutcomes.constFirst().outcome, expectedOutcome);
    QVERIFY2(snapshot.requestOutcomes.constFirst().message.contains(expectedMessage),
             qPrintable(snapshot.requestOutcomes.constFirst().message));
}

void tst_DashboardControl::writesCancelMarker()
{
    QTemporaryDir root;
    QVERIFY(copySampleRoot(root.path()));
    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    const ControlWriteResult result =
            writeCancelMarker(root.path(), build, QStringLiteral("operator@laptop"), sampleNow());
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.path, root.filePath(build + QStringLiteral("/cancel.json")));

    const QJsonObject marker = readJson(result.path);
    QCOMPARE(marker.value(QStringLiteral("requested_by")).toString(),
             QStringLiteral("operator@laptop"));
    QCOMPARE(marker.value(QStringLiteral("requested_at")).toString(),
             QStringLiteral("2026-12-04T15:00:00Z"));
    QCOMPARE(marker.value(QStringLiteral("via")).toString(),
             QStringLiteral("atvm-watcher-dashboard"));

    const StateRootSnapshot snapshot = readStateRoot(root.path(), {}, sampleNow());
    QVERIFY(snapshot.findRun(build)->cancelRequested);
    RunTableModel model;
    model.setNow(sampleNow());
    model.setSnapshot(StateRootConfig{root.path(), QStringLiteral("ctl-lab1"), {}}, snapshot);
    QCOMPARE(model.index(model.findRow(root.path(), build), RunTableModel::StateColumn)
                     .data()
                     .toString(),
             QStringLiteral("WATCHING (cancel requested)"));
}

void tst_DashboardControl::rejectsCancel_data()
{
    QTest::addColumn<QString>("buildName");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("no such run folder") << "e2e-not-there"
                                        << "No run folder";
    QTest::newRow("path outside the root") << "../etc"
                                           << "Invalid build name";
}

void tst_DashboardControl::rejectsCancel()
{
    QFETCH(QString, buildName);
    QFETCH(QString, expectedError);

    QTemporaryDir root;
    const ControlWriteResult result = writeCancelMarker(
            root.path(), buildName, QStringLiteral("operator@laptop"), sampleNow());
    QVERIFY(!result.ok);
    QVERIFY2(result.error.contains(expectedError), qPrintable(result.error));
    QVERIFY2(result.error.contains(buildName), qPrintable(result.error));
}

void tst_DashboardControl::cancelEndToEndWithWatcher()
{
    WebhookDoubleProcess mattermost;
    QVERIFY(mattermost.start({}));
    RunFixture run;
    QVERIFY(run.startSimulation(QStringLiteral("passed"), 60));
    QProcess *watcher = run.startWatcher(mattermost.webhookUrl());

    const StateRootConfig root{run.stateRoot(), QStringLiteral("local"), {}};
    StateRootMonitor monitor(run.stateRoot());
    monitor.setLocalPollInterval(500ms);
    RunTableModel model;
    connect(&monitor, &StateRootMonitor::snapshotChanged, &model,
            [&model, &root](const StateRootSnapshot &snapshot) {
                model.setSnapshot(root, snapshot);
            });
    monitor.start();

    const auto stateCell = [&] {
        const int row = model.findRow(run.stateRoot(), run.buildName());
        return row < 0 ? QString() : model.index(row, RunTableModel::StateColumn).data().toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(stateCell(), QStringLiteral("WATCHING"), 15000);

    const ControlWriteResult result = writeCancelMarker(
            run.stateRoot(), run.buildName(), currentUserAtHost(), QDateTime::currentDateTimeUtc());
    QVERIFY2(result.ok, qPrintable(result.error));

    QTRY_COMPARE_WITH_TIMEOUT(stateCell(), QStringLiteral("CANCELLED"), 30000);
    // The event loop of the waits above may already have reaped the watcher.
    QTRY_COMPARE_WITH_TIMEOUT(watcher->state(), QProcess::NotRunning, 30000);
    QCOMPARE(watcher->exitStatus(), QProcess::NormalExit);
    QCOMPARE(watcher->exitCode(), 0);
    QCOMPARE(mattermost.records().size(), 0);
}

QTEST_MAIN(tst_DashboardControl)
#include "tst_dashboardcontrol.moc"
