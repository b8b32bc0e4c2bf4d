#include "shared/statestore.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestStateStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void saveAndLoadRoundTrip();
    void missingStateIsNotAnError();
    void corruptStateIsReported();
    void newerFormatIsRejected();
    void secondLockIsRejected();
    void lockOfDeadProcessIsTaken();
    void cancelMarkerIsSeen();
    void unwritableRootIsReported();
};

void TestStateStore::saveAndLoadRoundTrip()
{
    QTemporaryDir root;
    StateStore store(root.path(), QStringLiteral("e2e-redhat9.6-fc"));
    QVERIFY(!store.ensureFolder());

    WatcherState state;
    state.buildName = QStringLiteral("e2e-redhat9.6-fc");
    state.state = RunState::Failed;
    state.reason = QStringLiteral("Cypress finished the run and 1 of 12 tests failed.");
    state.posted = true;
    state.postedAt = QDateTime(QDate(2026, 12, 4), QTime(11, 0, 5), Qt::UTC);
    state.postAttempts = 2;
    state.startedAt = QDateTime(QDate(2026, 12, 4), QTime(9, 0), Qt::UTC);
    state.process = ProcessIdentity{4242, 987654321, QStringLiteral("boot-1")};
    state.exitStatus = 1;
    state.progress.specsTotal = 4;
    state.progress.specsDone = 4;
    state.progress.failing = 1;
    state.progress.failures = {FailedTest{QStringLiteral("03.cy.js"), QStringLiteral("cuts over"),
                                          QStringLiteral("AssertionError: timed out")}};
    QVERIFY(!store.save(state));

    QString error;
    const std::optional<WatcherState> loaded = store.load(&error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->buildName, state.buildName);
    QCOMPARE(runStateName(loaded->state), QStringLiteral("FAILED"));
    QCOMPARE(loaded->reason, state.reason);
    QCOMPARE(loaded->posted, true);
    QCOMPARE(loaded->postedAt, state.postedAt);
    QCOMPARE(loaded->postAttempts, 2);
    QCOMPARE(loaded->startedAt, state.startedAt);
    QVERIFY(!loaded->finishedAt.isValid());
    QCOMPARE(loaded->process, state.process);
    QCOMPARE(loaded->exitStatus, std::optional<int>(1));
    QCOMPARE(loaded->progress, state.progress);

    // The file on disk is what docs/state-format.md describes.
    QFile file(store.stateFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(object.value(QStringLiteral("format_version")).toInt(), 1);
    QCOMPARE(object.value(QStringLiteral("state")).toString(), QStringLiteral("FAILED"));
    QCOMPARE(object.value(QStringLiteral("posted_at")).toString(),
             QStringLiteral("2026-12-04T11:00:05Z"));
    QVERIFY(object.value(QStringLiteral("finished_at")).isNull());
    QCOMPARE(object.value(QStringLiteral("progress")).toObject().value(QStringLiteral("specs_total")).toInt(),
             4);
}

void TestStateStore::missingStateIsNotAnError()
{
    QTemporaryDir root;
    StateStore store(root.path(), QStringLiteral("fresh-build"));
    QString error;
    QVERIFY(!store.load(&error));
    QVERIFY(error.isEmpty());
}

void TestStateStore::corruptStateIsReported()
{
    QTemporaryDir root;
    StateStore store(root.path(), QStringLiteral("broken"));
    QVERIFY(!store.ensureFolder());
    QFile file(store.stateFile());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format_version\": 1, \"state\": \"WATCH");
    file.close();

    QString error;
    QVERIFY(!store.load(&error));
    QVERIFY2(error.contains(store.stateFile()), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("not valid JSON")), qPrintable(error));
}

void TestStateStore::newerFormatIsRejected()
{
    QTemporaryDir root;
    StateStore store(root.path(), QStringLiteral("future"));
    QVERIFY(!store.ensureFolder());
    QFile file(store.stateFile());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"format_version": 2, "state": "WATCHING"})");
    file.close();

    QString error;
    QVERIFY(!store.load(&error));
    QVERIFY2(error.contains(QStringLiteral("version 2")), qPrintable(error));
}

void TestStateStore::secondLockIsRejected()
{
    QTemporaryDir root;
    StateStore first(root.path(), QStringLiteral("locked-build"));
    QVERIFY(!first.ensureFolder());
    QVERIFY(!first.lock());

    StateStore second(root.path(), QStringLiteral("locked-build"));
    const std::optional<QString> error = second.lock();
    QVERIFY(error);
    QVERIFY2(error->contains(QStringLiteral("Another watcher")), qPrintable(*error));
    QVERIFY2(error->contains(QString::number(QCoreApplication::applicationPid())),
             qPrintable(*error));
}

void TestStateStore::lockOfDeadProcessIsTaken()
{
    QTemporaryDir root;
    StateStore store(root.path(), QStringLiteral("stale-lock"));
    QVERIFY(!store.ensureFolder());

    // A lock file left by a process that no longer exists, as after SIGKILL.
    QProcess shortLived;
    shortLived.start(QStringLiteral("true"));
    QVERIFY(shortLived.waitForFinished());
    const qint64 deadPid = shortLived.processId() > 0 ? shortLived.processId() : 999999;
    QFile lockFile(store.folder() + QStringLiteral("/watcher.lock"));
    QVERIFY(lockFile.open(QIODevice::WriteOnly));
    lockFile.write(QByteArray::number(deadPid) + "\natvm-run-watcher\n"
                   + QSysInfo::machineHostName().toUtf8() + "\n");
    lockFile.close();

    QVERIFY(!store.lock());
}

void TestStateStore::cancelMarkerIsSeen()
{
    QTemporaryDir root;
    StateStore store(root.path(), QStringLiteral("cancel-me"));
    QVERIFY(!store.ensureFolder());
    QVERIFY(!store.isCancelRequested());

    QFile marker(store.cancelMarkerFile());
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.write(R"({"requested_by": "root@controller"})");
    marker.close();
    QVERIFY(store.isCancelRequested());
}

void TestStateStore::unwritableRootIsReported()
{
    StateStore store(QStringLiteral("/proc/atvm-no-such-root"), QStringLiteral("build"));
    const std::optional<QString> error = store.ensureFolder();
    QVERIFY(error);
    QVERIFY2(error->contains(QStringLiteral("/proc/atvm-no-such-root/build")), qPrintable(*error));
    QVERIFY2(error->contains(QStringLiteral("--state-root")), qPrintable(*error));
}

QTEST_GUILESS_MAIN(TestStateStore)
#include "tst_statestore.moc"
