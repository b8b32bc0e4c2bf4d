#include "dashboard/sampleroot.h"
#include "gui/runfiltermodel.h"
#include "gui/runtablemodel.h"
#include "shared/staterootreader.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

class tst_DashboardModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void listsRunsInEveryState_data();
    void listsRunsInEveryState();
    void showsProgressAndCounts();
    void staleRowKeepsLastGood();
    void unreachableRootMarksRowsStale();
    void watcherLostFollowsClock();
    void filtersByStateControllerAndText();
    void sortsByFailing();
    void listsArchivedRuns();
    void removesRoot();
    void hidesArchivedRunsOfOtherRoots();
    void namesRowsByFolder();
    void showsUnreadableState();
    void escapesToolTips();

private:
    QString stateCell(const QString &build) const;
    QModelIndex indexOf(const QString &build, int column) const;

    QTemporaryDir m_dir;
    StateRootConfig m_root;
    StateRootSnapshot m_snapshot;
    std::unique_ptr<RunTableModel> m_model;
};

void tst_DashboardModel::init()
{
    QVERIFY(m_dir.isValid());
    QDir(m_dir.path()).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir.path()));
    QVERIFY(copySampleRoot(m_dir.path()));
    m_root = StateRootConfig{m_dir.path(), QStringLiteral("ctl-lab1"), {}};
    m_snapshot = readStateRoot(m_dir.path(), {}, sampleNow());
    m_model = std::make_unique<RunTableModel>();
    m_model->setNow(sampleNow());
    m_model->setSnapshot(m_root, m_snapshot);
}

QModelIndex tst_DashboardModel::indexOf(const QString &build, int column) const
{
    const int row = m_model->findRow(m_root.path, build);
    return row < 0 ? QModelIndex() : m_model->index(row, column);
}

QString tst_DashboardModel::stateCell(const QString &build) const
{
    return indexOf(build, RunTableModel::StateColumn).data().toString();
}

void tst_DashboardModel::listsRunsInEveryState_data()
{
    QTest::addColumn<QString>("build");
    QTest::addColumn<QString>("state");
    QTest::addColumn<DisplayState>("displayState");
    QTest::newRow("watching") << "e2e-redhat9.6-ubuntu24.04-w2k25-fc"
                              << "WATCHING" << DisplayState::Watching;
    QTest::newRow("watcher lost") << "e2e-sles15.6-rocky9.4-iscsi"
                                  << "WATCHER LOST" << DisplayState::WatcherLost;
    QTest::newRow("completed") << "e2e-redhat9.6-w2k22-fc-r2"
                               << "COMPLETED" << DisplayState::Completed;
    QTest::newRow("failed") << "e2e-ubuntu22.04-w2k19-nvme"
                            << "FAILED" << DisplayState::Failed;
    QTest::newRow("cancelled") << "e2e-oracle8.10-w2k25-iscsi"
                               << "CANCELLED" << DisplayState::Cancelled;
    QTest::newRow("terminated") << "e2e-debian12-w2k22-fc"
                                << "TERMINATED" << DisplayState::Terminated;
    QTest::newRow("hung") << "e2e-redhat8.10-ubuntu20.04-fc"
                          << "HUNG" << DisplayState::Hung;
    QTest::newRow("unknown") << "e2e-rocky9.4-smoke"
                             << "UNKNOWN" << DisplayState::Unknown;
    QTest::newRow("no state yet") << "e2e-redhat9.6-w2k25-nvme"
                                  << "NO STATE" << DisplayState::NoState;
}

void tst_DashboardModel::listsRunsInEveryState()
{
    QFETCH(QString, build);
    QFETCH(QString, state);
    QFETCH(DisplayState, displayState);

    QCOMPARE(m_model->rowCount(), 9);
    const QModelIndex index = indexOf(build, RunTableModel::StateColumn);
    QVERIFY2(index.isValid(), qPrintable(build));
    QCOMPARE(index.data().toString(), state);
    QCOMPARE(index.data(RunTableModel::DisplayStateRole).toInt(), int(displayState));
    QCOMPARE(index.data(RunTableModel::StaleRole).toBool(), false);
    QCOMPARE(indexOf(build, RunTableModel::ControllerColumn).data().toString(),
             QStringLiteral("ctl-lab1"));
}

void tst_DashboardModel::showsProgressAndCounts()
{
    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    QCOMPARE(indexOf(build, RunTableModel::ProgressColumn).data().toString(),
             QStringLiteral("23 of 48"));
    QCOMPARE(indexOf(build, RunTableModel::ProgressColumn)
                     .data(RunTableModel::ProgressFractionRole)
                     .toDouble(),
             23.0 / 48.0);
    QCOMPARE(indexOf(build, RunTableModel::PassingColumn).data().toInt(), 205);
    QCOMPARE(indexOf(build, RunTableModel::FailingColumn).data().toInt(), 3);
    QCOMPARE(indexOf(build, RunTableModel::CurrentSpecColumn).data().toString(),
             QStringLiteral("migration/cutover-rollback.cy.js"));
    // Started 12:10, now 15:00.
    QCOMPARE(indexOf(build, RunTableModel::ElapsedColumn).data().toString(),
             QStringLiteral("2h50m"));
    QVERIFY(indexOf(build, RunTableModel::LastActivityColumn)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("29s ago (")));
    QCOMPARE(indexOf(build, RunTableModel::PostedColumn).data().toString(), QString());

    const QString unknownTotal = QStringLiteral("e2e-rocky9.4-smoke");
    QCOMPARE(indexOf(unknownTotal, RunTableModel::ProgressColumn).data().toString(),
             QStringLiteral("0 of ?"));
    QCOMPARE(indexOf(unknownTotal, RunTableModel::ProgressColumn)
                     .data(RunTableModel::ProgressFractionRole)
                     .toDouble(),
             -1.0);

    QVERIFY(indexOf(QStringLiteral("e2e-redhat9.6-w2k22-fc-r2"), RunTableModel::PostedColumn)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("posted ")));
    QCOMPARE(indexOf(QStringLiteral("e2e-oracle8.10-w2k25-iscsi"), RunTableModel::PostedColumn)
                     .data()
                     .toString(),
             QStringLiteral("not posted"));
}

void tst_DashboardModel::staleRowKeepsLastGood()
{
    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    QVERIFY(writeFile(m_dir.filePath(build + QStringLiteral("/state.json")),
                      QByteArray("{\"format_version\":1,\"build_name\":\"e2e-red")));
    m_snapshot = readStateRoot(m_dir.path(), m_snapshot, sampleNow());
    m_model->setSnapshot(m_root, m_snapshot);

    QCOMPARE(m_model->rowCount(), 9);
    QCOMPARE(stateCell(build), QStringLiteral("WATCHING (stale)"));
    QCOMPARE(indexOf(build, RunTableModel::StateColumn).data(RunTableModel::StaleRole).toBool(),
             true);
    QCOMPARE(indexOf(build, RunTableModel::PassingColumn).data().toInt(), 205);
    QVERIFY(indexOf(build, RunTableModel::BuildColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("not valid JSON")));
    QCOMPARE(indexOf(build, RunTableModel::BuildColumn).data(Qt::FontRole).value<QFont>().italic(),
             true);
}

void tst_DashboardModel::unreachableRootMarksRowsStale()
{
    QVERIFY(QDir(m_dir.path()).removeRecursively());
    m_snapshot = readStateRoot(m_dir.path(), m_snapshot, sampleNow());
    m_model->setSnapshot(m_root, m_snapshot);

    QCOMPARE(m_model->rowCount(), 9);
    for (int row = 0; row < m_model->rowCount(); ++row)
        QVERIFY(m_model->index(row, 0).data(RunTableModel::StaleRole).toBool());
    QCOMPARE(stateCell(QStringLiteral("e2e-redhat9.6-w2k22-fc-r2")),
             QStringLiteral("COMPLETED (stale)"));
}

void tst_DashboardModel::watcherLostFollowsClock()
{
    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    // Last write 14:59:40: at 15:01:40 it is exactly two minutes old, one second later lost.
    m_model->setNow(QDateTime(QDate(2026, 12, 4), QTime(15, 1, 40), Qt::UTC));
    QCOMPARE(stateCell(build), QStringLiteral("WATCHING"));
    m_model->setNow(QDateTime(QDate(2026, 12, 4), QTime(15, 1, 41), Qt::UTC));
    QCOMPARE(stateCell(build), QStringLiteral("WATCHER LOST"));

    // Elapsed time of a lost watcher's run stops at its last write (12:10 to 14:41).
    QCOMPARE(indexOf(QStringLiteral("e2e-sles15.6-rocky9.4-iscsi"), RunTableModel::ElapsedColumn)
                     .data()
                     .toString(),
             QStringLiteral("1h39m"));
}

void tst_DashboardModel::filtersByStateControllerAndText()
{
    StateRootConfig second{QStringLiteral("/mnt/ctl-lab2"), QStringLiteral("ctl-lab2"), {}};
    StateRootSnapshot secondSnapshot = m_snapshot;
    secondSnapshot.rootPath = second.path;
    secondSnapshot.runs = {*m_snapshot.findRun(QStringLiteral("e2e-debian12-w2k22-fc"))};
    m_model->setSnapshot(second, secondSnapshot);
    QCOMPARE(m_model->rowCount(), 10);

    RunFilterModel filter;
    filter.setSourceModel(m_model.get());
    QCOMPARE(filter.rowCount(), 10);

    filter.setStateFilter(DisplayState::WatcherLost);
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, RunTableModel::BuildColumn).data().toString(),
             QStringLiteral("e2e-sles15.6-rocky9.4-iscsi"));

    filter.setStateFilter(std::nullopt);
    filter.setControllerFilter(QStringLiteral("ctl-lab2"));
    QCOMPARE(filter.rowCount(), 1);
    filter.setControllerFilter(QString());

    filter.setTextFilter(QStringLiteral("ISCSI"));
    QCOMPARE(filter.rowCount(), 2);
    filter.setTextFilter(QStringLiteral("cutover-rollback"));
    QCOMPARE(filter.rowCount(), 1);
    // The second root lists the same TERMINATED run, so the reason matches twice.
    filter.setTextFilter(QStringLiteral("probably killed"));
    QCOMPARE(filter.rowCount(), 2);
    filter.setControllerFilter(QStringLiteral("ctl-lab2"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, RunTableModel::BuildColumn).data().toString(),
             QStringLiteral("e2e-debian12-w2k22-fc"));
    QCOMPARE(filter.index(0, RunTableModel::ControllerColumn).data().toString(),
             QStringLiteral("ctl-lab2"));
    filter.setControllerFilter(QString());

    filter.setStateFilter(DisplayState::Completed);
    QCOMPARE(filter.rowCount(), 0);
}

void tst_DashboardModel::sortsByFailing()
{
    RunFilterModel filter;
    filter.setSourceModel(m_model.get());
    filter.sort(RunTableModel::FailingColumn, Qt::DescendingOrder);
    QCOMPARE(filter.index(0, RunTableModel::BuildColumn).data().toString(),
             QStringLiteral("e2e-ubuntu22.04-w2k19-nvme"));
    QCOMPARE(filter.index(1, RunTableModel::BuildColumn).data().toString(),
             QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc"));

    filter.sort(RunTableModel::StartedColumn, Qt::AscendingOrder);
    QCOMPARE(filter.index(filter.rowCount() - 1, RunTableModel::BuildColumn).data().toString(),
             QStringLiteral("e2e-sles15.6-rocky9.4-iscsi"));
}

void tst_DashboardModel::listsArchivedRuns()
{
    RunHistoryPoint removedRun;
    removedRun.buildName = QStringLiteral("e2e-old-run");
    removedRun.controllerName = QStringLiteral("ctl-lab1");
    removedRun.state = RunState::Failed;
    removedRun.startedAt = sampleNow().addDays(-3);
    removedRun.durationSeconds = 3 * 3600;
    removedRun.failing = 4;
    RunHistoryPoint stillThere = removedRun;
    stillThere.buildName = QStringLiteral("e2e-redhat9.6-w2k22-fc-r2");

    m_model->setArchivedRuns({removedRun, stillThere});
    QCOMPARE(m_model->rowCount(), 10);
    const int row = m_model->findRow(m_root.path, QStringLiteral("e2e-old-run"));
    QVERIFY(row >= 0);
    QCOMPARE(m_model->index(row, RunTableModel::StateColumn).data().toString(),
             QStringLiteral("FAILED (archived)"));
    QCOMPARE(m_model->index(row, RunTableModel::FailingColumn).data().toInt(), 4);
    QCOMPARE(m_model->index(row, RunTableModel::ElapsedColumn).data().toString(),
             QStringLiteral("3h00m"));
    QVERIFY(m_model->rowAt(row)->isArchived());
}

void tst_DashboardModel::removesRoot()
{
    m_model->removeRoot(m_root.path);
    QCOMPARE(m_model->rowCount(), 0);
}

void tst_DashboardModel::hidesArchivedRunsOfOtherRoots()
{
    RunHistoryPoint configured;
    configured.buildName = QStringLiteral("e2e-old-run");
    configured.controllerName = QStringLiteral("ctl-lab1");
    configured.state = RunState::Completed;
    configured.startedAt = sampleNow().addDays(-3);
    RunHistoryPoint removedRoot = configured;
    removedRoot.buildName = QStringLiteral("e2e-run-of-removed-root");
    removedRoot.controllerName = QStringLiteral("ctl-retired");

    m_model->setArchivedRuns({configured, removedRoot});
    QVERIFY(m_model->findRow(QString(), QStringLiteral("e2e-old-run")) >= 0);
    QCOMPARE(m_model->findRow(QString(), QStringLiteral("e2e-run-of-removed-root")), -1);
    QCOMPARE(m_model->rowCount(), 10);
}

void tst_DashboardModel::namesRowsByFolder()
{
    // A copied state.json names another run; the row keeps its folder's name.
    const QString copied = QStringLiteral("e2e-copy");
    QVERIFY(writeFile(m_dir.filePath(copied + QStringLiteral("/state.json")),
                      stateJson(QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc"),
                                QStringLiteral("WATCHING"), sampleNow())));
    m_snapshot = readStateRoot(m_dir.path(), m_snapshot, sampleNow());
    m_model->setSnapshot(m_root, m_snapshot);

    QCOMPARE(m_model->rowCount(), 10);
    QCOMPARE(indexOf(copied, RunTableModel::BuildColumn).data().toString(), copied);
    QCOMPARE(stateCell(copied), QStringLiteral("WATCHING (stale)"));
    QVERIFY(indexOf(copied, RunTableModel::BuildColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("e2e-redhat9.6-ubuntu24.04-w2k25-fc")));
    QCOMPARE(stateCell(QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc")),
             QStringLiteral("WATCHING"));
}

void tst_DashboardModel::showsUnreadableState()
{
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("e2e-corrupt/state.json")),
                      QByteArray("{\"format_version\": 1, \"build_na")));
    m_snapshot = readStateRoot(m_dir.path(), m_snapshot, sampleNow());
    m_model->setSnapshot(m_root, m_snapshot);

    QCOMPARE(stateCell(QStringLiteral("e2e-corrupt")), QStringLiteral("UNREADABLE"));
    QCOMPARE(indexOf(QStringLiteral("e2e-corrupt"), RunTableModel::StateColumn)
                     .data(RunTableModel::DisplayStateRole)
                     .toInt(),
             int(DisplayState::Unreadable));
    QCOMPARE(stateCell(QStringLiteral("e2e-redhat9.6-w2k25-nvme")), QStringLiteral("NO STATE"));
}

void tst_DashboardModel::escapesToolTips()
{
    // A reason from a state file is shown as text, even when it looks like HTML.
    const QString build = QStringLiteral("e2e-html-reason");
    QJsonObject state =
            QJsonDocument::fromJson(stateJson(build, QStringLiteral("FAILED"), sampleNow()))
                    .object();
    state.insert(QStringLiteral("reason"), QStringLiteral("<img src=\"/dev/zero\"> failed"));
    QVERIFY(writeFile(m_dir.filePath(build + QStringLiteral("/state.json")),
                      QJsonDocument(state).toJson()));
    m_snapshot = readStateRoot(m_dir.path(), m_snapshot, sampleNow());
    m_model->setSnapshot(m_root, m_snapshot);

    const QString toolTip =
            indexOf(build, RunTableModel::StateColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(toolTip.contains(QLatin1String("&lt;img src=&quot;/dev/zero&quot;&gt; failed")),
             qPrintable(toolTip));
    QVERIFY2(!toolTip.contains(QLatin1String("<img")), qPrintable(toolTip));
}

QTEST_MAIN(tst_DashboardModel)
#include "tst_dashboardmodel.moc"
