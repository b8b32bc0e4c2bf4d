#include "dashboard/fifotrap.h"
#include "dashboard/sampleroot.h"
#include "gui/dashboardroots.h"
#include "gui/historychart.h"
#include "gui/mainwindow.h"
#include "gui/rundetailview.h"
#include "gui/runfiltermodel.h"
#include "gui/runtablemodel.h"
#include "gui/startrundialog.h"

#include <QAction>
#include <QChart>
#include <QDialogButtonBox>
#include <QGraphicsTextItem>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtTest>

using namespace std::chrono_literals;

namespace {

RunRow rowFromState(const QString &folderName, const QJsonObject &state,
                    const QString &messageMarkdown = QString())
{
    RunRow row;
    row.rootPath = QStringLiteral("/roots/ctl-lab1");
    row.controllerName = QStringLiteral("ctl-lab1");
    row.entry.folderName = folderName;
    row.entry.recordJson = QJsonDocument(state).toJson();
    const RunRecordParseResult parsed =
            parseRunRecord(row.entry.recordJson, QStringLiteral("state.json"));
    row.entry.record = parsed.record;
    row.entry.messageMarkdown = messageMarkdown;
    return row;
}

QJsonObject stateObject(const QString &build, const QString &state)
{
    return QJsonDocument::fromJson(stateJson(build, state, sampleNow())).object();
}

QJsonObject withFailures(QJsonObject state, int count)
{
    QJsonArray failures;
    for (int i = 0; i < count; ++i) {
        failures.append(QJsonObject{
                {QStringLiteral("spec"), QStringLiteral("spec-%1.cy.js").arg(i)},
                {QStringLiteral("title"), QStringLiteral("test %1").arg(i)},
                {QStringLiteral("error"), QStringLiteral("AssertionError: expected %1").arg(i)}});
    }
    QJsonObject progress = state.value(QStringLiteral("progress")).toObject();
    progress.insert(QStringLiteral("failing"), count);
    progress.insert(QStringLiteral("failures"), failures);
    state.insert(QStringLiteral("progress"), progress);
    return state;
}

QStringList textItemsOf(QGraphicsItem *item)
{
    QStringList texts;
    if (auto *text = dynamic_cast<QGraphicsTextItem *>(item))
        texts.append(text->toPlainText());
    const QList<QGraphicsItem *> children = item->childItems();
    for (QGraphicsItem *child : children)
        texts += textItemsOf(child);
    return texts;
}

} // namespace

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
    void historyTitleIsPlainText();
    void messageLoadsNoResources();
    void messageKeepsSingleLineBreaks();
    void logTailSkipsFifo();
    void cancelAddressesRunFolder();
    void detailCapsFailures();
    void detailKeepsScrollAcrossRefresh();
    void unreachableRootDisablesActions();
    void sameFolderRootsGetDistinctNames();
    void futureUpdateShowsWarning();

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

void tst_DashboardWindow::historyTitleIsPlainText()
{
    QTemporaryDir dir;
    FifoTrap trap(dir.filePath(QStringLiteral("image")));
    QVERIFY(trap.isValid());

    RunHistoryPoint point;
    point.buildName = QStringLiteral("e2e-a");
    point.state = RunState::Completed;
    point.startedAt = sampleNow();
    point.durationSeconds = 3600;
    HistoryChart chart;
    chart.resize(1200, 400);
    const QString title = QStringLiteral("T <img src=\"%1\"> <b>x</b>").arg(trap.path());
    chart.setHistory(title, {point});
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.grab();

    QCOMPARE(trap.readerCount(), 0);
    const QStringList texts = textItemsOf(chart.chart());
    QVERIFY2(texts.contains(title), qPrintable(texts.join(QLatin1Char('|'))));
}

void tst_DashboardWindow::messageLoadsNoResources()
{
    QTemporaryDir dir;
    FifoTrap markdownImage(dir.filePath(QStringLiteral("markdown-image")));
    FifoTrap htmlImage(dir.filePath(QStringLiteral("html-image")));
    QVERIFY(markdownImage.isValid());
    QVERIFY(htmlImage.isValid());
    const QString message = QStringLiteral("#### Run finished\n\n![x](%1)\n\n<img src=\"%2\">\n")
                                    .arg(markdownImage.path(), htmlImage.path());

    RunDetailView detail;
    detail.resize(1200, 600);
    detail.setRun(rowFromState(QStringLiteral("e2e-a"),
                               stateObject(QStringLiteral("e2e-a"), QStringLiteral("COMPLETED")),
                               message),
                  {}, sampleNow());
    detail.tabs()->setCurrentIndex(2);
    detail.show();
    QVERIFY(QTest::qWaitForWindowExposed(&detail));
    detail.grab();

    QCOMPARE(markdownImage.readerCount(), 0);
    QCOMPARE(htmlImage.readerCount(), 0);
    QVERIFY2(detail.messageText().contains(QLatin1String("Run finished")),
             qPrintable(detail.messageText()));
}

void tst_DashboardWindow::messageKeepsSingleLineBreaks()
{
    const QString message = QStringLiteral(
            "first line\nsecond line\n\nnext paragraph\n\n```\ncode a\ncode b\n```\n");
    RunDetailView detail;
    detail.setRun(rowFromState(QStringLiteral("e2e-a"),
                               stateObject(QStringLiteral("e2e-a"), QStringLiteral("COMPLETED")),
                               message),
                  {}, sampleNow());
    const QString text = detail.messageText();
    QVERIFY2(text.contains(QLatin1String("first line\nsecond line")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("code a\ncode b")), qPrintable(text));
    // The markdown kept for copying and the console is the file as written.
    QCOMPARE(detail.messageMarkdown(), message);
}

void tst_DashboardWindow::logTailSkipsFifo()
{
    QTemporaryDir dir;
    FifoTrap trap(dir.filePath(QStringLiteral("run.log")));
    QVERIFY(trap.isValid());
    QJsonObject state = stateObject(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"));
    state.insert(QStringLiteral("paths"), QJsonObject{{QStringLiteral("run_log"), trap.path()}});

    RunDetailView detail;
    detail.setRun(rowFromState(QStringLiteral("e2e-a"), state), {}, sampleNow());
    QTRY_VERIFY2_WITH_TIMEOUT(detail.logText().contains(QLatin1String("not a regular file")),
                              qPrintable(detail.logText()), 5000);
    QCOMPARE(trap.readerCount(), 0);
}

void tst_DashboardWindow::cancelAddressesRunFolder()
{
    // The copied state.json names the run next to it; Cancel must mark the copy's folder.
    const QString other = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    const QString copy = QStringLiteral("e2e-copy");
    QVERIFY(writeFile(m_root.filePath(copy + QStringLiteral("/state.json")),
                      stateJson(other, QStringLiteral("WATCHING"), sampleNow())));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectRun(m_root.path(), copy), 5000);

    const ControlWriteResult result = m_window->cancelSelectedRun();
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.path, m_root.filePath(copy + QStringLiteral("/cancel.json")));
    QVERIFY(QFile::exists(m_root.filePath(copy + QStringLiteral("/cancel.json"))));
    QVERIFY(!QFile::exists(m_root.filePath(other + QStringLiteral("/cancel.json"))));
}

void tst_DashboardWindow::detailCapsFailures()
{
    RunDetailView detail;
    detail.setRun(rowFromState(QStringLiteral("e2e-a"),
                               withFailures(stateObject(QStringLiteral("e2e-a"),
                                                        QStringLiteral("FAILED")),
                                            5000)),
                  {}, sampleNow());
    const QString summary = detail.summaryHtml();
    QVERIFY2(summary.contains(QLatin1String("and 4800 more")), qPrintable(summary.right(500)));
    QVERIFY(summary.contains(QLatin1String("spec-199.cy.js")));
    QVERIFY(!summary.contains(QLatin1String("spec-200.cy.js")));
}

void tst_DashboardWindow::detailKeepsScrollAcrossRefresh()
{
    const QString build = QStringLiteral("e2e-many-failures");
    const QString statePath = m_root.filePath(build + QStringLiteral("/state.json"));
    QJsonObject state = withFailures(stateObject(build, QStringLiteral("WATCHING")), 150);
    QVERIFY(writeFile(statePath, QJsonDocument(state).toJson()));
    m_window->resize(1400, 900);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectRun(m_root.path(), build), 5000);

    QScrollBar *scroll = m_window->detailView()->summaryBrowser()->verticalScrollBar();
    QTRY_VERIFY_WITH_TIMEOUT(scroll->maximum() > 100, 5000);
    const int position = scroll->maximum() / 2;
    scroll->setValue(position);

    // Reads of unchanged data leave the pane as it is.
    QSignalSpy reads(m_roots.get(), &DashboardRoots::snapshotChanged);
    QVERIFY(reads.wait(5000));
    QVERIFY(reads.wait(5000));
    QCOMPARE(scroll->value(), position);

    // Changed data is shown at the same scroll position.
    state.insert(QStringLiteral("reason"), QStringLiteral("Changed reason."));
    QVERIFY(writeFile(statePath, QJsonDocument(state).toJson()));
    QTRY_VERIFY_WITH_TIMEOUT(
            m_window->detailView()->summaryHtml().contains(QLatin1String("Changed reason.")), 5000);
    QCOMPARE(scroll->value(), position);
}

void tst_DashboardWindow::unreachableRootDisablesActions()
{
    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    QVERIFY(m_window->selectRun(m_root.path(), build));
    QVERIFY(m_window->cancelAction()->isEnabled());
    QVERIFY(m_window->startAction()->isEnabled());

    const QString moved = m_root.path() + QStringLiteral("-moved");
    QVERIFY(QDir().rename(m_root.path(), moved));
    QTRY_VERIFY_WITH_TIMEOUT(!m_roots->snapshot(m_root.path()).reachable, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectRun(m_root.path(), build), 5000);
    const bool cancelEnabled = m_window->cancelAction()->isEnabled();
    const bool startEnabled = m_window->startAction()->isEnabled();
    QVERIFY(QDir().rename(moved, m_root.path()));
    QVERIFY(!cancelEnabled);
    QVERIFY(!startEnabled);
}

void tst_DashboardWindow::sameFolderRootsGetDistinctNames()
{
    QTemporaryDir other;
    const QString first = other.filePath(QStringLiteral("lab1/atvm-run-watcher"));
    const QString second = other.filePath(QStringLiteral("lab2/atvm-run-watcher"));
    QVERIFY(m_roots->addRoot(StateRootConfig{first, QString(), {}}));
    QVERIFY(m_roots->addRoot(StateRootConfig{second, QString(), {}}));
    QVERIFY(m_roots->addRoot(
            StateRootConfig{other.filePath(QStringLiteral("x")), QStringLiteral("ctl-lab1"), {}}));

    const QList<StateRootConfig> roots = m_roots->roots();
    QCOMPARE(roots.size(), 4);
    QCOMPARE(roots.at(0).displayName(), QStringLiteral("ctl-lab1"));
    QCOMPARE(roots.at(1).displayName(), QStringLiteral("atvm-run-watcher"));
    QCOMPARE(roots.at(2).displayName(), QStringLiteral("lab2/atvm-run-watcher"));
    QCOMPARE(roots.at(3).displayName(), QStringLiteral("ctl-lab1 (2)"));
}

void tst_DashboardWindow::futureUpdateShowsWarning()
{
    RunDetailView detail;
    const QJsonObject state =
            QJsonDocument::fromJson(stateJson(QStringLiteral("e2e-a"), QStringLiteral("WATCHING"),
                                              sampleNow().addSecs(3600)))
                    .object();
    detail.setRun(rowFromState(QStringLiteral("e2e-a"), state), {}, sampleNow());
    const QString summary = detail.summaryHtml();
    QVERIFY2(summary.contains(QLatin1String("ahead of this machine")), qPrintable(summary));
}

QTEST_MAIN(tst_DashboardWindow)
#include "tst_dashboardwindow.moc"
