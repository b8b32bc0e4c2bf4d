#include "dashboard/sampleroot.h"
#include "shared/staterootmonitor.h"
#include "shared/staterootreader.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <memory>

using namespace std::chrono_literals;

class tst_DashboardMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstReadDeliversSnapshot();
    void localChangeIsSeenWithoutPolling();
    void corruptWriteKeepsLastGood();
    void hungReadMarksRootUnreachable();
    void vanishedRootIsUnreachable();

private:
    static const RunEntry *run(const StateRootMonitor &monitor, const QString &build);
};

const RunEntry *tst_DashboardMonitor::run(const StateRootMonitor &monitor, const QString &build)
{
    static StateRootSnapshot snapshot;
    snapshot = monitor.snapshot();
    return snapshot.findRun(build);
}

void tst_DashboardMonitor::firstReadDeliversSnapshot()
{
    QTemporaryDir dir;
    QVERIFY(copySampleRoot(dir.path()));
    StateRootMonitor monitor(dir.path());
    QSignalSpy spy(&monitor, &StateRootMonitor::snapshotChanged);
    QVERIFY(!monitor.snapshot().reachable);

    monitor.start();
    QVERIFY(spy.wait(5000));
    const StateRootSnapshot snapshot = spy.constFirst().constFirst().value<StateRootSnapshot>();
    QVERIFY(snapshot.reachable);
    QCOMPARE(snapshot.runs.size(), 9);
    QVERIFY(!snapshot.fuseMount);
}

void tst_DashboardMonitor::localChangeIsSeenWithoutPolling()
{
    QTemporaryDir dir;
    const QString statePath = dir.filePath(QStringLiteral("e2e-a/state.json"));
    QVERIFY(writeFile(statePath,
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"),
                                QDateTime::currentDateTimeUtc())));

    StateRootMonitor monitor(dir.path());
    // Polls far apart, so only the file system watcher can report the change.
    monitor.setLocalPollInterval(1h);
    monitor.setMountPollInterval(1h);
    QSignalSpy spy(&monitor, &StateRootMonitor::snapshotChanged);
    monitor.start();
    QVERIFY(spy.wait(5000));
    QCOMPARE(run(monitor, QStringLiteral("e2e-a"))->record->state, RunState::Watching);

    // A watcher replaces state.json by a rename, as QSaveFile does.
    const QString temporary = dir.filePath(QStringLiteral("e2e-a/state.json.tmp"));
    QVERIFY(writeFile(temporary,
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("CANCELLED"),
                                QDateTime::currentDateTimeUtc())));
    QVERIFY(::rename(QFile::encodeName(temporary).constData(),
                     QFile::encodeName(statePath).constData())
            == 0);
    QTRY_COMPARE_WITH_TIMEOUT(run(monitor, QStringLiteral("e2e-a"))->record->state,
                              RunState::Cancelled, 5000);

    // A new run folder appears too.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-b/state.json")),
                      stateJson(QStringLiteral("e2e-b"), QStringLiteral("WATCHING"),
                                QDateTime::currentDateTimeUtc())));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.snapshot().runs.size(), 2, 5000);
}

void tst_DashboardMonitor::corruptWriteKeepsLastGood()
{
    QTemporaryDir dir;
    const QString statePath = dir.filePath(QStringLiteral("e2e-a/state.json"));
    QVERIFY(writeFile(statePath,
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"),
                                QDateTime::currentDateTimeUtc())));
    StateRootMonitor monitor(dir.path());
    monitor.setLocalPollInterval(100ms);
    QSignalSpy spy(&monitor, &StateRootMonitor::snapshotChanged);
    monitor.start();
    QVERIFY(spy.wait(5000));

    QVERIFY(writeFile(statePath, QByteArray("{\"format_version\":1,\"build")));
    QTRY_VERIFY_WITH_TIMEOUT(run(monitor, QStringLiteral("e2e-a"))->stale, 5000);
    const RunEntry *entry = run(monitor, QStringLiteral("e2e-a"));
    QVERIFY(entry->record.has_value());
    QCOMPARE(entry->record->state, RunState::Watching);
    QCOMPARE(entry->record->progress.passing, 40);
    QVERIFY(monitor.snapshot().reachable);
}

void tst_DashboardMonitor::hungReadMarksRootUnreachable()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-a/state.json")),
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"),
                                QDateTime::currentDateTimeUtc())));
    // While hanging is set, a read blocks on the gate, the way a read on a dead
    // sshfs mount blocks until the connection times out.
    auto hanging = std::make_shared<std::atomic<bool>>(false);
    auto gate = std::make_shared<QSemaphore>(0);
    StateRootMonitor monitor(dir.path());
    monitor.setReader([hanging, gate](const QString &rootPath, const StateRootSnapshot &previous,
                                      const QDateTime &now) {
        if (hanging->load())
            gate->acquire();
        return readStateRoot(rootPath, previous, now);
    });
    monitor.setLocalPollInterval(50ms);
    monitor.setReadTimeout(300ms);
    QSignalSpy spy(&monitor, &StateRootMonitor::snapshotChanged);
    monitor.start();
    QVERIFY(spy.wait(5000));
    QVERIFY(monitor.snapshot().reachable);

    hanging->store(true);
    QTRY_VERIFY_WITH_TIMEOUT(!monitor.snapshot().reachable, 5000);
    QVERIFY2(monitor.snapshot().error.contains(QLatin1String("No answer")),
             qPrintable(monitor.snapshot().error));
    QVERIFY(monitor.isReadInFlight());
    QVERIFY(run(monitor, QStringLiteral("e2e-a"))->stale);
    QCOMPARE(run(monitor, QStringLiteral("e2e-a"))->record->state, RunState::Watching);

    // Polls keep firing, but no second read queues behind the hung one.
    spy.clear();
    monitor.refresh();
    QVERIFY2(!spy.wait(300), "a read finished although the first one still hangs");
    QVERIFY(monitor.isReadInFlight());

    // The "mount" responds again with a new run.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-b/state.json")),
                      stateJson(QStringLiteral("e2e-b"), QStringLiteral("COMPLETED"),
                                QDateTime::currentDateTimeUtc())));
    hanging->store(false);
    gate->release();

    QTRY_VERIFY_WITH_TIMEOUT(monitor.snapshot().reachable, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(run(monitor, QStringLiteral("e2e-b")) != nullptr, 5000);
    QCOMPARE(run(monitor, QStringLiteral("e2e-b"))->record->state, RunState::Completed);
}

void tst_DashboardMonitor::vanishedRootIsUnreachable()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("mount"));
    QVERIFY(writeFile(root + QStringLiteral("/e2e-a/state.json"),
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"),
                                QDateTime::currentDateTimeUtc())));
    StateRootMonitor monitor(root);
    monitor.setLocalPollInterval(100ms);
    QSignalSpy spy(&monitor, &StateRootMonitor::snapshotChanged);
    monitor.start();
    QVERIFY(spy.wait(5000));
    QVERIFY(monitor.snapshot().reachable);

    QVERIFY(QDir(root).removeRecursively());
    QTRY_VERIFY_WITH_TIMEOUT(!monitor.snapshot().reachable, 5000);
    QCOMPARE(monitor.snapshot().runs.size(), 1);
    QVERIFY(monitor.snapshot().runs.at(0).stale);

    QVERIFY(writeFile(root + QStringLiteral("/e2e-a/state.json"),
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("FAILED"),
                                QDateTime::currentDateTimeUtc())));
    QTRY_VERIFY_WITH_TIMEOUT(monitor.snapshot().reachable, 5000);
    QCOMPARE(run(monitor, QStringLiteral("e2e-a"))->record->state, RunState::Failed);
}

QTEST_GUILESS_MAIN(tst_DashboardMonitor)
#include "tst_dashboardmonitor.moc"
