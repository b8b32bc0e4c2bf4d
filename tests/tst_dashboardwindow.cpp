#include "dashboard/sampleroot.h"
#include "gui/dashboardroots.h"
#include "gui/historychart.h"
#include "gui/mainwindow.h"
#include "gui/rundetailview.h"
#include "gui/runfiltermodel.h"
#include "gui/runtablemodel.h"
#include "gui/startrundialog.h"

#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace std::chrono_literals;

class tst_DashboardWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void showsRootsAndRuns();
    void detailShowsSelectedRun();
    void detailShowsLogTail();
    void startDialogValidatesBuildName_data();
    void startDialogValidatesBuildName();
    void startWritesRequest();
    void cancelWritesMarker();
    void historyChartsRelatedRuns();
    void keepsSelectionAcrossUpdates();

private:
    QTemporaryDir m_root;
    QTemporaryDir m_data;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<DashboardRoots> m_roots;
    std::unique_ptr<MainWindow> m_window;
};

void tst_DashboardWindow::init()
{
    QDir(m_root.path()).removeRecursively();
    QVERIFY(QDir().mkpath(m_root.path()));
    QVERIFY(copySampleRoot(m_root.path()));
    const QString historyPath = m_data.filePath(QStringLiteral("run-history.json"));
    QFile::remove(historyPath);
    QVERIFY(QFile::copy(QStringLiteral(ATVM_TEST_DATA_DIR "/dashboard/run-history.json"),
                        historyPath));

    m_settings = std::make_unique<QSettings>(m_data.filePath(QStringLiteral("dashboard.conf")),
                                             QSettings::IniFormat);
    m_roots = std::make_unique<DashboardRoots>(historyPath);
    m_roots->setIntervals(200ms, 200ms, 5s);
    m_roots->addRoot(StateRootConfig{m_root.path(), QStringLiteral("ctl-lab1"), {}});
    m_window = std::make_unique<MainWindow>(m_settings.get(), m_roots.get());
    m_window->runModel()->setNow(sampleNow());
    m_window->show();
    // Archived history rows show at once; the run folders follow the first read.
    QTRY_VERIFY_WITH_TIMEOUT(
            m_window->runModel()->findRow(m_root.path(), QStringLiteral("e2e-rocky9.4-smoke")) >= 0,
            5000);
}

void tst_DashboardWindow::cleanup()
{
    m_window.reset();
    m_roots.reset();
    m_settings.reset();
}

void tst_DashboardWindow::showsRootsAndRuns()
{
    QTreeWidget *roots = m_window->rootList();
    QCOMPARE(roots->topLevelItemCount(), 1);
    QCOMPARE(roots->topLevelItem(0)->text(0), QStringLiteral("ctl-lab1"));
    QCOMPARE(roots->topLevelItem(0)->text(1), QStringLiteral("local"));
    // Newest update 14:59:40, the model's clock 15:00:00.
    QCOMPARE(roots->topLevelItem(0)->text(2), QStringLiteral("20s"));

    // Nine run folders, plus the nine archived history runs whose folders are gone.
    QCOMPARE(m_window->runModel()->rowCount(), 18);
    QVERIFY(m_window->selectRun(m_root.path(), QStringLiteral("e2e-sles15.6-rocky9.4-iscsi")));
}

void tst_DashboardWindow::detailShowsSelectedRun()
{
    QVERIFY(m_window->selectRun(m_root.path(), QStringLiteral("e2e-ubuntu22.04-w2k19-nvme")));
    RunDetailView *detail = m_window->detailView();
    const QString summary = detail->summaryHtml();
    QVERIFY2(summary.contains(QLatin1String("3 of 41 specs failed")), qPrintable(summary));
    QVERIFY(summary.contains(QLatin1String("NVMe/TCP migration regression")));
    QVERIFY(summary.contains(QLatin1String("10.0.17763.6659")));
    QVERIFY(summary.contains(QLatin1String("reports/export-csv.cy.js")));
    QVERIFY(detail->messageMarkdown().startsWith(QLatin1String("#### :x:")));
    // The run log path is the controller's and is not on this machine.
    QTRY_VERIFY_WITH_TIMEOUT(
            detail->logText().contains(QLatin1String("not readable from this machine")), 5000);

    QVERIFY(m_window->selectRun(m_root.path(), QStringLiteral("e2e-sles15.6-rocky9.4-iscsi")));
    QVERIFY2(detail->summaryHtml().contains(QLatin1String("has not written its state")),
             qPrintable(detail->summaryHtml()));
}

void tst_DashboardWindow::detailShowsLogTail()
{
    // A local run whose log is readable here: the tail shows without terminal colour codes.
    const QString build = QStringLiteral("e2e-local-log");
    const QString logPath = m_root.filePath(QStringLiteral("run.log"));
    QByteArray log;
    for (int i = 1; i <= 300; ++i)
        log += "\x1b[32m  \xe2\x9c\x93 test " + QByteArray::number(i) + "\x1b[39m\n";
    QVERIFY(writeFile(logPath, log));

    QJsonObject state =
            QJsonDocument::fromJson(stateJson(build, QStringLiteral("WATCHING"), sampleNow()))
                    .object();
    state.insert(QStringLiteral("paths"), QJsonObject{{QStringLiteral("run_log"), logPath}});
    QVERIFY(writeFile(m_root.filePath(build + QStringLiteral("/state.json")),
                      QJsonDocument(state).toJson()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectRun(m_root.path(), build), 5000);

    RunDetailView *detail = m_window->detailView();
    QTRY_VERIFY_WITH_TIMEOUT(detail->logText().endsWith(QStringLiteral("  \u2713 test 300")), 5000);
    const QStringList lines = detail->logText().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 200);
    QCOMPARE(lines.constFirst(), QStringLiteral("  \u2713 test 101"));
    QVERIFY(!detail->logText().contains(QChar(0x1b)));
}

void tst_DashboardWindow::startDialogValidatesBuildName_data()
{
    QTest::addColumn<QString>("buildName");
    QTest::addColumn<bool>("acceptable");
    QTest::newRow("valid name") << "e2e-redhat9.6-ubuntu24.04-w2k25-fc" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("dot dot") << "e2e..fc" << false;
    QTest::newRow("space") << "e2e fc" << false;
    QTest::newRow("leading dot") << ".e2e" << false;
}

void tst_DashboardWindow::startDialogValidatesBuildName()
{
    QFETCH(QString, buildName);
    QFETCH(bool, acceptable);

    StartRunDialog dialog(m_roots->roots(), m_root.path());
    dialog.buildNameEdit()->setText(buildName);
    QCOMPARE(dialog.isAcceptable(), acceptable);
    auto *buttons = dialog.findChild<QDialogButtonBox *>();
    QVERIFY(buttons);
    QCOMPARE(buttons->button(QDialogButtonBox::Ok)->isEnabled(), acceptable);
    if (!acceptable && !buildName.isEmpty())
        QVERIFY2(dialog.validationMessage().contains(buildName),
                 qPrintable(dialog.validationMessage()));
    QCOMPARE(dialog.rootPath(), m_root.path());
}

void tst_DashboardWindow::startWritesRequest()
{
    StartRequest request;
    request.buildName = QStringLiteral("e2e-new-run");
    request.metadata.templateName = QStringLiteral("cmc-e2e-fc");
    const ControlWriteResult result = m_window->submitStart(m_root.path(), request);
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(result.path.startsWith(m_root.filePath(QStringLiteral(".start-requests/"))));
    QVERIFY(QFile::exists(result.path));
}

void tst_DashboardWindow::cancelWritesMarker()
{
    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    QVERIFY(m_window->selectRun(m_root.path(), build));
    const ControlWriteResult result = m_window->cancelSelectedRun();
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(QFile::exists(m_root.filePath(build + QStringLiteral("/cancel.json"))));

    RunTableModel *model = m_window->runModel();
    const auto stateCell = [&] {
        return model->index(model->findRow(m_root.path(), build), RunTableModel::StateColumn)
                .data()
                .toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(stateCell(), QStringLiteral("WATCHING (cancel requested)"), 5000);

    // The watcher records the cancellation; the row follows.
    QVERIFY(writeFile(m_root.filePath(build + QStringLiteral("/state.json")),
                      stateJson(build, QStringLiteral("CANCELLED"), sampleNow())));
    QTRY_COMPARE_WITH_TIMEOUT(stateCell(), QStringLiteral("CANCELLED"), 5000);
}

void tst_DashboardWindow::historyChartsRelatedRuns()
{
    // The completed cmc-e2e-fc run joins the nine stored runs of that template. Its
    // TERMINATED and HUNG runs stay out because they did not run to the end.
    QVERIFY(m_window->selectRun(m_root.path(), QStringLiteral("e2e-redhat9.6-w2k22-fc-r2")));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->detailView()->historyChart()->pointCount(), 10, 5000);

    QVERIFY(m_window->selectRun(m_root.path(), QStringLiteral("e2e-rocky9.4-smoke")));
    QCOMPARE(m_window->detailView()->historyChart()->pointCount(), 0);
}

void tst_DashboardWindow::keepsSelectionAcrossUpdates()
{
    const QString build = QStringLiteral("e2e-debian12-w2k22-fc");
    QVERIFY(m_window->selectRun(m_root.path(), build));
    QVERIFY(writeFile(
            m_root.filePath(QStringLiteral("e2e-another/state.json")),
            stateJson(QStringLiteral("e2e-another"), QStringLiteral("WATCHING"), sampleNow())));
    QTRY_COMPARE_WITH_TIMEOUT(
            m_window->runModel()->findRow(m_root.path(), QStringLiteral("e2e-another")) >= 0, true,
            5000);
    const QModelIndexList selected = m_window->runTable()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.at(0).data(RunTableModel::BuildNameRole).toString(), build);
}

QTEST_MAIN(tst_DashboardWindow)
#include "tst_dashboardwindow.moc"
