#include "dashboard/fifotrap.h"
#include "dashboard/sampleroot.h"
#include "shared/staterootreader.h"

#include <QTemporaryDir>
#include <QtTest>

class tst_DashboardStateReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEveryRun();
    void keepsLastGoodOnBadFile_data();
    void keepsLastGoodOnBadFile();
    void recoversAfterGoodWrite();
    void folderWithoutState();
    void missingRootIsUnreachable();
    void readsRequestOutcomes();
    void localFolderIsNotFuse();
    void readsLastLines();
    void readLastLinesRejectsNonRegular_data();
    void readLastLinesRejectsNonRegular();
    void skipsFifoStateFile();
    void usesFolderNameOverBuildName_data();
    void usesFolderNameOverBuildName();
    void flagsUnreadableStateFile();
    void futureUpdateDoesNotSetAge();
};

void tst_DashboardStateReader::readsEveryRun()
{
    QTemporaryDir dir;
    QVERIFY(copySampleRoot(dir.path()));

    const StateRootSnapshot snapshot = readStateRoot(dir.path(), {}, sampleNow());
    QVERIFY(snapshot.reachable);
    QVERIFY(snapshot.error.isEmpty());
    QCOMPARE(snapshot.lastGoodReadAt, sampleNow());
    QCOMPARE(snapshot.runs.size(), 9);

    const QList<std::pair<QString, RunState>> expected{
            {QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc"), RunState::Watching},
            {QStringLiteral("e2e-sles15.6-rocky9.4-iscsi"), RunState::Watching},
            {QStringLiteral("e2e-redhat9.6-w2k22-fc-r2"), RunState::Completed},
            {QStringLiteral("e2e-ubuntu22.04-w2k19-nvme"), RunState::Failed},
            {QStringLiteral("e2e-oracle8.10-w2k25-iscsi"), RunState::Cancelled},
            {QStringLiteral("e2e-debian12-w2k22-fc"), RunState::Terminated},
            {QStringLiteral("e2e-redhat8.10-ubuntu20.04-fc"), RunState::Hung},
            {QStringLiteral("e2e-rocky9.4-smoke"), RunState::Unknown},
    };
    for (const auto &[build, state] : expected) {
        const RunEntry *entry = snapshot.findRun(build);
        QVERIFY2(entry, qPrintable(build));
        QVERIFY2(entry->record.has_value(), qPrintable(entry->readError));
        QCOMPARE(entry->record->state, state);
        QVERIFY(!entry->stale);
        QVERIFY(!entry->recordJson.isEmpty());
    }

    QCOMPARE(snapshot.newestUpdateAt, QDateTime(QDate(2026, 12, 4), QTime(14, 59, 40), Qt::UTC));
    QVERIFY(snapshot.findRun(QStringLiteral("e2e-oracle8.10-w2k25-iscsi"))->cancelRequested);
    QVERIFY(!snapshot.findRun(QStringLiteral("e2e-debian12-w2k22-fc"))->cancelRequested);
    QVERIFY(snapshot.findRun(QStringLiteral("e2e-redhat9.6-w2k22-fc-r2"))
                    ->messageMarkdown.startsWith(QLatin1String("#### :white_check_mark:")));
    QVERIFY(snapshot.findRun(QStringLiteral("e2e-debian12-w2k22-fc"))->messageMarkdown.isEmpty());
}

void tst_DashboardStateReader::keepsLastGoodOnBadFile_data()
{
    QTest::addColumn<QByteArray>("badContent");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("empty during a rename over sshfs") << QByteArray() << "is empty";
    QTest::newRow("half written") << QByteArray("{\"format_version\":1,\"build_na")
                                  << "not valid JSON";
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\xff\xfe", 4) << "not valid JSON";
    QTest::newRow("newer format") << QByteArray(
            "{\"format_version\":7,\"build_name\":\"e2e-a\",\"state\":\"WATCHING\"}")
                                  << "format version 7";
}

void tst_DashboardStateReader::keepsLastGoodOnBadFile()
{
    QFETCH(QByteArray, badContent);
    QFETCH(QString, expectedError);

    QTemporaryDir dir;
    const QString statePath = dir.filePath(QStringLiteral("e2e-a/state.json"));
    QVERIFY(writeFile(statePath,
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"), sampleNow())));
    const StateRootSnapshot good = readStateRoot(dir.path(), {}, sampleNow());
    QCOMPARE(good.runs.size(), 1);
    QVERIFY(good.runs.at(0).record.has_value());

    QVERIFY(writeFile(statePath, badContent));
    const StateRootSnapshot bad = readStateRoot(dir.path(), good, sampleNow().addSecs(5));
    QVERIFY(bad.reachable);
    QCOMPARE(bad.runs.size(), 1);
    const RunEntry &entry = bad.runs.at(0);
    QVERIFY(entry.stale);
    QVERIFY2(entry.readError.contains(expectedError), qPrintable(entry.readError));
    QVERIFY(entry.record.has_value());
    QCOMPARE(entry.record->state, RunState::Watching);
    QCOMPARE(entry.record->progress.passing, 40);
    QCOMPARE(entry.recordJson, good.runs.at(0).recordJson);
}

void tst_DashboardStateReader::recoversAfterGoodWrite()
{
    QTemporaryDir dir;
    const QString statePath = dir.filePath(QStringLiteral("e2e-a/state.json"));
    QVERIFY(writeFile(statePath,
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"), sampleNow())));
    StateRootSnapshot snapshot = readStateRoot(dir.path(), {}, sampleNow());
    QVERIFY(writeFile(statePath, QByteArray("{")));
    snapshot = readStateRoot(dir.path(), snapshot, sampleNow());
    QVERIFY(snapshot.runs.at(0).stale);

    QVERIFY(writeFile(statePath,
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("COMPLETED"),
                                sampleNow().addSecs(30))));
    snapshot = readStateRoot(dir.path(), snapshot, sampleNow().addSecs(31));
    QVERIFY(!snapshot.runs.at(0).stale);
    QVERIFY(snapshot.runs.at(0).readError.isEmpty());
    QCOMPARE(snapshot.runs.at(0).record->state, RunState::Completed);
}

void tst_DashboardStateReader::folderWithoutState()
{
    QTemporaryDir dir;
    QVERIFY(copySampleRoot(dir.path()));
    const StateRootSnapshot snapshot = readStateRoot(dir.path(), {}, sampleNow());
    const RunEntry *entry = snapshot.findRun(QStringLiteral("e2e-redhat9.6-w2k25-nvme"));
    QVERIFY(entry);
    QVERIFY(!entry->record.has_value());
    QVERIFY(!entry->stale);
    QVERIFY2(entry->readError.contains(QLatin1String("No state.json")),
             qPrintable(entry->readError));
}

void tst_DashboardStateReader::missingRootIsUnreachable()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("mount"));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/e2e-a")));
    QVERIFY(writeFile(root + QStringLiteral("/e2e-a/state.json"),
                      stateJson(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"), sampleNow())));
    const StateRootSnapshot good = readStateRoot(root, {}, sampleNow());
    QVERIFY(good.reachable);

    QVERIFY(QDir(root).removeRecursively());
    const StateRootSnapshot gone = readStateRoot(root, good, sampleNow().addSecs(10));
    QVERIFY(!gone.reachable);
    QVERIFY2(gone.error.contains(root), qPrintable(gone.error));
    QVERIFY2(gone.error.contains(QLatin1String("does not exist")), qPrintable(gone.error));
    QCOMPARE(gone.runs.size(), 1);
    QVERIFY(gone.runs.at(0).stale);
    QCOMPARE(gone.runs.at(0).record->state, RunState::Watching);
    QCOMPARE(gone.lastGoodReadAt, sampleNow());
}

void tst_DashboardStateReader::readsRequestOutcomes()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(
            dir.filePath(QStringLiteral(".start-results/20261204T150000Z-abc123.result.json")),
            QByteArray("{\"id\":\"20261204T150000Z-abc123\",\"build_name\":\"e2e-a\","
                       "\"outcome\":\"started\",\"message\":\"instance: x\","
                       "\"handled_at\":\"2026-12-04T15:00:02Z\"}")));
    QVERIFY(writeFile(dir.filePath(QStringLiteral(".start-requests/20261204T150100Z-def456.json")),
                      QByteArray("{}")));

    const StateRootSnapshot snapshot = readStateRoot(dir.path(), {}, sampleNow());
    QCOMPARE(snapshot.runs.size(), 0);
    QCOMPARE(snapshot.requestOutcomes.size(), 1);
    QCOMPARE(snapshot.requestOutcomes.at(0).id, QStringLiteral("20261204T150000Z-abc123"));
    QCOMPARE(snapshot.requestOutcomes.at(0).outcome, QStringLiteral("started"));
    QCOMPARE(snapshot.requestOutcomes.at(0).handledAt,
             QDateTime(QDate(2026, 12, 4), QTime(15, 0, 2), Qt::UTC));
    QCOMPARE(snapshot.pendingRequestIds, QStringList{QStringLiteral("20261204T150100Z-def456")});
}

void tst_DashboardStateReader::localFolderIsNotFuse()
{
    QTemporaryDir dir;
    QVERIFY(!isFuseFileSystem(dir.path()));
    QVERIFY(!readStateRoot(dir.path(), {}, sampleNow()).fuseMount);
}

void tst_DashboardStateReader::readsLastLines()
{
    QTemporaryDir dir;
    QByteArray log;
    for (int i = 1; i <= 500; ++i)
        log += "line " + QByteArray::number(i) + '\n';
    QVERIFY(writeFile(dir.filePath(QStringLiteral("run.log")), log));

    const std::optional<QStringList> last =
            readLastLines(dir.filePath(QStringLiteral("run.log")), 3, 4096);
    QVERIFY(last.has_value());
    QCOMPARE(*last,
             (QStringList{QStringLiteral("line 498"), QStringLiteral("line 499"),
                          QStringLiteral("line 500")}));

    // Reading only the last 20 bytes drops the partial first line.
    const std::optional<QStringList> tail =
            readLastLines(dir.filePath(QStringLiteral("run.log")), 100, 20);
    QVERIFY(tail.has_value());
    QCOMPARE(tail->constFirst(), QStringLiteral("line 499"));

    QVERIFY(!readLastLines(dir.filePath(QStringLiteral("missing.log")), 3, 4096).has_value());
}

void tst_DashboardStateReader::readLastLinesRejectsNonRegular_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("fifo") << "fifo";
    QTest::newRow("character device") << "device";
    QTest::newRow("folder") << "folder";
}

void tst_DashboardStateReader::readLastLinesRejectsNonRegular()
{
    QFETCH(QString, kind);

    QTemporaryDir dir;
    std::unique_ptr<FifoTrap> trap;
    QString path;
    if (kind == QLatin1String("fifo")) {
        trap = std::make_unique<FifoTrap>(dir.filePath(QStringLiteral("run.log")));
        QVERIFY(trap->isValid());
        path = trap->path();
    } else if (kind == QLatin1String("device")) {
        path = QStringLiteral("/dev/zero");
    } else {
        path = dir.path();
    }

    QString error;
    const std::optional<QStringList> lines = readLastLines(path, 200, 4096, &error);
    QVERIFY(!lines.has_value());
    QVERIFY2(error.contains(QLatin1String("not a regular file")), qPrintable(error));
    QVERIFY2(error.contains(path), qPrintable(error));
    if (trap)
        QCOMPARE(trap->readerCount(), 0);
}

void tst_DashboardStateReader::skipsFifoStateFile()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(
            dir.filePath(QStringLiteral("e2e-good/state.json")),
            stateJson(QStringLiteral("e2e-good"), QStringLiteral("WATCHING"), sampleNow())));
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("e2e-fifo"))));
    FifoTrap trap(dir.filePath(QStringLiteral("e2e-fifo/state.json")));
    QVERIFY(trap.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-message-fifo/state.json")),
                      stateJson(QStringLiteral("e2e-message-fifo"), QStringLiteral("COMPLETED"),
                                sampleNow())));
    FifoTrap messageTrap(dir.filePath(QStringLiteral("e2e-message-fifo/message.md")));
    QVERIFY(messageTrap.isValid());

    const StateRootSnapshot snapshot = readStateRoot(dir.path(), {}, sampleNow());
    QCOMPARE(trap.readerCount(), 0);
    QCOMPARE(messageTrap.readerCount(), 0);
    QVERIFY(snapshot.reachable);
    QCOMPARE(snapshot.runs.size(), 3);

    const RunEntry *fifo = snapshot.findRun(QStringLiteral("e2e-fifo"));
    QVERIFY(fifo);
    QVERIFY(!fifo->record.has_value());
    QVERIFY(fifo->unreadable);
    QVERIFY2(fifo->readError.contains(QLatin1String("not a regular file")),
             qPrintable(fifo->readError));

    const RunEntry *good = snapshot.findRun(QStringLiteral("e2e-good"));
    QVERIFY(good);
    QVERIFY2(good->record.has_value(), qPrintable(good->readError));
    QCOMPARE(good->record->state, RunState::Watching);

    const RunEntry *messageFifo = snapshot.findRun(QStringLiteral("e2e-message-fifo"));
    QVERIFY(messageFifo);
    QVERIFY2(messageFifo->record.has_value(), qPrintable(messageFifo->readError));
    QVERIFY(messageFifo->messageMarkdown.isEmpty());
}

void tst_DashboardStateReader::usesFolderNameOverBuildName_data()
{
    QTest::addColumn<QString>("recordedName");
    QTest::newRow("name of another run") << "e2e-redhat9.6-ubuntu24.04-w2k25-fc";
    QTest::newRow("path outside the root") << "../../etc";
}

void tst_DashboardStateReader::usesFolderNameOverBuildName()
{
    QFETCH(QString, recordedName);

    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-copy/state.json")),
                      stateJson(recordedName, QStringLiteral("WATCHING"), sampleNow())));
    const StateRootSnapshot snapshot = readStateRoot(dir.path(), {}, sampleNow());
    QCOMPARE(snapshot.runs.size(), 1);
    const RunEntry &entry = snapshot.runs.at(0);
    QCOMPARE(entry.folderName, QStringLiteral("e2e-copy"));
    QVERIFY(entry.stale);
    QVERIFY2(entry.readError.contains(recordedName), qPrintable(entry.readError));
    QVERIFY2(entry.readError.contains(QLatin1String("\"e2e-copy\"")), qPrintable(entry.readError));
}

void tst_DashboardStateReader::flagsUnreadableStateFile()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-corrupt/state.json")),
                      QByteArray("{\"format_version\": 1, \"build_na")));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-new/run.env")), QByteArray("A=1\n")));

    const StateRootSnapshot snapshot = readStateRoot(dir.path(), {}, sampleNow());
    const RunEntry *corrupt = snapshot.findRun(QStringLiteral("e2e-corrupt"));
    QVERIFY(corrupt);
    QVERIFY(corrupt->unreadable);
    QVERIFY(!corrupt->record.has_value());
    const RunEntry *fresh = snapshot.findRun(QStringLiteral("e2e-new"));
    QVERIFY(fresh);
    QVERIFY(!fresh->unreadable);
}

void tst_DashboardStateReader::futureUpdateDoesNotSetAge()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-now/state.json")),
                      stateJson(QStringLiteral("e2e-now"), QStringLiteral("WATCHING"),
                                sampleNow().addSecs(-30))));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("e2e-future/state.json")),
                      stateJson(QStringLiteral("e2e-future"), QStringLiteral("WATCHING"),
                                sampleNow().addSecs(3600))));
    const StateRootSnapshot snapshot = readStateRoot(dir.path(), {}, sampleNow());
    QCOMPARE(snapshot.newestUpdateAt, sampleNow().addSecs(-30));
}

QTEST_GUILESS_MAIN(tst_DashboardStateReader)
#include "tst_dashboardstatereader.moc"
