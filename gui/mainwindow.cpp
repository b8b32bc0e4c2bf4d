#include "gui/mainwindow.h"

#include "gui/dashboardroots.h"
#include "gui/plaintext.h"
#include "gui/rootdialog.h"
#include "gui/rundetailview.h"
#include "gui/runfiltermodel.h"
#include "gui/runtabledelegates.h"
#include "gui/runtablemodel.h"
#include "gui/startrundialog.h"
#include "shared/logging.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

enum RootListColumn { RootNameColumn, RootStatusColumn, RootAgeColumn, RootPathColumn };

} // namespace

MainWindow::MainWindow(QSettings *settings, DashboardRoots *roots, QWidget *parent)
    : QMainWindow(parent), m_settings(settings), m_roots(roots)
{
    setWindowTitle(tr("ATVM watcher dashboard"));

    m_model = new RunTableModel(this);
    m_filter = new RunFilterModel(this);
    m_filter->setSourceModel(m_model);

    m_table = new QTableView(this);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunTableModel::StartedColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setItemDelegateForColumn(RunTableModel::StateColumn, new StateBadgeDelegate(m_table));
    m_table->setItemDelegateForColumn(RunTableModel::ProgressColumn,
                                      new ProgressBarDelegate(m_table));
    m_table->setColumnWidth(RunTableModel::BuildColumn, 235);
    m_table->setColumnWidth(RunTableModel::ControllerColumn, 75);
    m_table->setColumnWidth(RunTableModel::StateColumn, 155);
    m_table->setColumnWidth(RunTableModel::ProgressColumn, 100);
    m_table->setColumnWidth(RunTableModel::PassingColumn, 60);
    m_table->setColumnWidth(RunTableModel::FailingColumn, 60);
    m_table->setColumnWidth(RunTableModel::CurrentSpecColumn, 165);
    m_table->setColumnWidth(RunTableModel::StartedColumn, 95);
    m_table->setColumnWidth(RunTableModel::ElapsedColumn, 65);
    m_table->setColumnWidth(RunTableModel::LastActivityColumn, 130);

    m_stateFilter = new QComboBox(this);
    m_stateFilter->addItem(tr("All states"), -1);
    for (const DisplayState state : allDisplayStates())
        m_stateFilter->addItem(displayStateName(state), int(state));
    m_controllerFilter = new QComboBox(this);
    m_controllerFilter->addItem(tr("All controllers"), QString());
    m_textFilter = new QLineEdit(this);
    m_textFilter->setPlaceholderText(tr("Filter by build, spec, reason or metadata"));
    m_textFilter->setClearButtonEnabled(true);

    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, [this] {
        const int state = m_stateFilter->currentData().toInt();
        m_filter->setStateFilter(state < 0 ? std::nullopt
                                           : std::optional<DisplayState>(DisplayState(state)));
    });
    connect(m_controllerFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setControllerFilter(m_controllerFilter->currentData().toString());
    });
    connect(m_textFilter, &QLineEdit::textChanged, m_filter, &RunFilterModel::setTextFilter);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(new QLabel(tr("State:"), this));
    filterRow->addWidget(m_stateFilter);
    filterRow->addWidget(new QLabel(tr("Controller:"), this));
    filterRow->addWidget(m_controllerFilter);
    filterRow->addWidget(m_textFilter, 1);

    m_detail = new RunDetailView(this);

    auto *tableArea = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableArea);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addLayout(filterRow);
    tableLayout->addWidget(m_table);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(tableArea);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 4);
    setCentralWidget(splitter);

    m_rootList = new QTreeWidget(this);
    m_rootList->setHeaderLabels({tr("Controller"), tr("Status"), tr("Data age"), tr("Folder")});
    m_rootList->setRootIsDecorated(false);
    m_rootList->setColumnWidth(RootNameColumn, 70);
    m_rootList->setColumnWidth(RootStatusColumn, 92);
    m_rootList->setColumnWidth(RootAgeColumn, 60);
    auto *dock = new QDockWidget(tr("State roots"), this);
    dock->setObjectName(QStringLiteral("rootsDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(m_rootList);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {235}, Qt::Horizontal);

    auto *toolbar = addToolBar(tr("Actions"));
    toolbar->setObjectName(QStringLiteral("actions"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(tr("Add root…"), this, &MainWindow::addRoot);
    m_removeRootAction =
            toolbar->addAction(tr("Remove root"), this, &MainWindow::removeSelectedRoot);
    toolbar->addAction(tr("Refresh"), m_roots, &DashboardRoots::refreshAll);
    toolbar->addSeparator();
    m_startAction = toolbar->addAction(tr("Start watcher…"), this, &MainWindow::startRun);
    m_cancelAction = toolbar->addAction(tr("Cancel run…"), this, &MainWindow::confirmCancel);

    connect(m_roots, &DashboardRoots::rootAdded, this, &MainWindow::handleRootAdded);
    connect(m_roots, &DashboardRoots::rootRemoved, this, [this](const QString &rootPath) {
        m_model->removeRoot(rootPath);
        updateRootList();
        updateControllerFilter();
    });
    connect(m_roots, &DashboardRoots::snapshotChanged, this, &MainWindow::handleSnapshot);
    connect(m_roots, &DashboardRoots::historyChanged, this,
            [this] { m_model->setArchivedRuns(m_roots->history()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::handleSelectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_selectedBuild.isEmpty())
            selectRun(m_selectedRootPath, m_selectedBuild);
    });
    connect(m_rootList, &QTreeWidget::itemSelectionChanged, this, &MainWindow::updateActions);

    m_clockTimer.setInterval(5000);
    connect(&m_clockTimer, &QTimer::timeout, this, [this] {
        m_model->refreshTimes();
        updateRootList();
    });
    m_clockTimer.start();

    for (const StateRootConfig &root : m_roots->roots())
        handleRootAdded(root);
    m_model->setArchivedRuns(m_roots->history());
    updateActions();
    resize(1400, 900);
}

void MainWindow::handleRootAdded(const StateRootConfig &root)
{
    m_model->setSnapshot(root, m_roots->snapshot(root.path));
    updateRootList();
    updateControllerFilter();
}

void MainWindow::handleSnapshot(const StateRootConfig &root, const StateRootSnapshot &snapshot)
{
    m_model->setSnapshot(root, snapshot);
    updateRootList();

    for (const StartRequestOutcome &outcome : snapshot.requestOutcomes) {
        if (m_reportedOutcomes.contains(outcome.id))
            continue;
        m_reportedOutcomes.insert(outcome.id);
        // Outcomes older than this session were shown before; report only new ones.
        if (outcome.handledAt.isValid()
            && outcome.handledAt.secsTo(QDateTime::currentDateTimeUtc()) > 600) {
            continue;
        }
        statusBar()->showMessage(tr("Start request %1 for %2 on %3: %4. %5")
                                         .arg(outcome.id, outcome.buildName, root.displayName(),
                                              outcome.outcome, outcome.message));
    }
}

void MainWindow::updateRootList()
{
    const QDateTime now = m_model->now();
    m_rootList->clear();
    for (const StateRootConfig &root : m_roots->roots()) {
        const StateRootSnapshot snapshot = m_roots->snapshot(root.path);
        auto *item = new QTreeWidgetItem(m_rootList);
        item->setText(RootNameColumn, root.displayName());
        item->setText(RootPathColumn, root.path);
        item->setData(RootNameColumn, Qt::UserRole, root.path);

        QString status;
        if (snapshot.reachable)
            status = snapshot.fuseMount ? tr("mounted") : tr("local");
        else
            status = snapshot.lastReadAt.isValid() ? tr("unreachable") : tr("not read yet");
        item->setText(RootStatusColumn, status);
        item->setForeground(RootStatusColumn,
                            snapshot.reachable ? QBrush(QColor(0x2e, 0x7d, 0x32))
                                               : QBrush(QColor(0xc6, 0x28, 0x28)));

        const QString age = snapshot.newestUpdateAt.isValid()
                ? formatAge(snapshot.newestUpdateAt.secsTo(now))
                : tr("–");
        item->setText(RootAgeColumn, age);
        item->setToolTip(
                RootStatusColumn,
                plainToolTip(snapshot.reachable
                                     ? tr("Read %1 ago; %2 runs.")
                                               .arg(formatAge(snapshot.lastGoodReadAt.secsTo(now)))
                                               .arg(snapshot.runs.size())
                                     : snapshot.error));
        item->setToolTip(RootPathColumn, plainToolTip(root.path));
        item->setToolTip(RootAgeColumn, tr("Age of the newest state update in this root."));
    }
    updateActions();
}

void MainWindow::updateControllerFilter()
{
    const QString current = m_controllerFilter->currentData().toString();
    const QSignalBlocker blocker(m_controllerFilter);
    m_controllerFilter->clear();
    m_controllerFilter->addItem(tr("All controllers"), QString());
    for (const StateRootConfig &root : m_roots->roots()) {
        if (m_controllerFilter->findData(root.displayName()) < 0)
            m_controllerFilter->addItem(root.displayName(), root.displayName());
    }
    m_controllerFilter->setCurrentIndex(qMax(0, m_controllerFilter->findData(current)));
}

void MainWindow::updateActions()
{
    m_removeRootAction->setEnabled(!m_rootList->selectedItems().isEmpty());
    const std::optional<RunRow> row = selectedRow();
    // Nothing can be written to an unreachable root, so its rows offer no action.
    const bool rowRootReachable = !row || m_roots->snapshot(row->rootPath).reachable;
    m_startAction->setEnabled(!m_roots->roots().isEmpty() && rowRootReachable);
    m_cancelAction->setEnabled(row && rowRootReachable && !row->isArchived() && row->entry.record
                               && row->entry.record->state == RunState::Watching
                               && !row->entry.cancelRequested);
}

void MainWindow::saveRoots()
{
    if (m_settings)
        saveStateRoots(*m_settings, m_roots->roots());
}

void MainWindow::addRoot()
{
    RootDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    const std::optional<StateRootConfig> root = dialog.root(&error);
    if (!root)
        return;
    if (!m_roots->addRoot(*root)) {
        showPlainWarning(this, tr("Add state root"),
                         tr("The state root \"%1\" is listed already.").arg(root->path));
        return;
    }
    saveRoots();
}

void MainWindow::removeSelectedRoot()
{
    const QList<QTreeWidgetItem *> items = m_rootList->selectedItems();
    if (items.isEmpty())
        return;
    m_roots->removeRoot(items.constFirst()->data(RootNameColumn, Qt::UserRole).toString());
    saveRoots();
}

std::optional<RunRow> MainWindow::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    const RunRow *row = m_model->rowAt(m_filter->mapToSource(rows.constFirst()).row());
    if (!row)
        return std::nullopt;
    return *row;
}

bool MainWindow::selectRun(const QString &rootPath, const QString &buildName)
{
    const int sourceRow = m_model->findRow(rootPath, buildName);
    if (sourceRow < 0)
        return false;
    const QModelIndex index = m_filter->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid())
        return false;
    m_table->selectionModel()->select(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

void MainWindow::preselectRun(const QString &buildName)
{
    m_selectedRootPath.clear();
    m_selectedBuild = buildName;
    selectRun(QString(), buildName);
}

void MainWindow::handleSelectionChanged()
{
    const std::optional<RunRow> row = selectedRow();
    if (row) {
        m_selectedRootPath = row->rootPath;
        m_selectedBuild = row->buildName();
    }
    m_detail->setRun(row, m_roots->history(), m_model->now());
    updateActions();
}

void MainWindow::startRun()
{
    const std::optional<RunRow> row = selectedRow();
    StartRunDialog dialog(m_roots->roots(), row ? row->rootPath : QString(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ControlWriteResult result = submitStart(dialog.rootPath(), dialog.request());
    if (!result.ok)
        showPlainWarning(this, tr("Start watcher"), result.error);
}

ControlWriteResult MainWindow::submitStart(const QString &rootPath, StartRequest request)
{
    const std::optional<StateRootConfig> root = m_roots->root(rootPath);
    if (!root) {
        return ControlWriteResult{
                false, rootPath,
                tr("State root \"%1\" is not listed; add it first.").arg(rootPath)};
    }

    if (!root->startCommand.isEmpty()) {
        runStartCommand(*root, request);
        return ControlWriteResult{true, QString(), QString()};
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    request.id = newStartRequestId(now);
    request.requestedAt = now;
    request.requestedBy = currentUserAtHost();
    const ControlWriteResult result = writeStartRequest(rootPath, request);
    if (result.ok) {
        statusBar()->showMessage(tr("Start request %1 for %2 written to %3; waiting for the "
                                    "controller to pick it up.")
                                         .arg(request.id, request.buildName, root->displayName()));
        m_roots->refreshAll();
    }
    return result;
}

void MainWindow::runStartCommand(const StateRootConfig &root, const StartRequest &request)
{
    auto *process = new QProcess(this);
    process->setProgram(root.startCommand.constFirst());
    process->setArguments(startCommandArguments(root.startCommand, startScriptOptions(request)));
    process->setProcessChannelMode(QProcess::MergedChannels);
    const QString buildName = request.buildName;
    connect(process, &QProcess::finished, this,
            [this, process, buildName](int exitCode, QProcess::ExitStatus status) {
                const QString output = QString::fromLocal8Bit(process->readAll()).trimmed();
                process->deleteLater();
                if (status == QProcess::NormalExit && exitCode == 0) {
                    statusBar()->showMessage(tr("Started the watcher for %1.").arg(buildName));
                    m_roots->refreshAll();
                    return;
                }
                const QString failure = status == QProcess::NormalExit
                        ? tr("The start command \"%1\" for %2 failed with exit status %3:\n%4")
                                  .arg(process->program(), buildName)
                                  .arg(exitCode)
                                  .arg(output)
                        : tr("The start command \"%1\" for %2 crashed, or was killed after "
                             "2 minutes without finishing:\n%3")
                                  .arg(process->program(), buildName, output);
                showPlainWarning(this, tr("Start watcher"), failure);
            });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        showPlainWarning(
                this, tr("Start watcher"),
                tr("Cannot run \"%1\": %2.").arg(process->program(), process->errorString()));
        process->deleteLater();
    });
    qCInfo(lcProcess) << "Running start command" << process->program() << process->arguments();
    process->start();

    // An ssh command to a controller that does not respond must not linger.
    // The finished() handler then reports it as killed.
    QTimer::singleShot(std::chrono::minutes(2), process, [process] {
        if (process->state() != QProcess::NotRunning) {
            qCWarning(lcProcess) << "The start command" << process->program()
                                 << "did not finish within 2 minutes; killing it.";
            process->kill();
        }
    });
}

void MainWindow::confirmCancel()
{
    const std::optional<RunRow> row = selectedRow();
    if (!row)
        return;
    const bool confirmed = askPlainQuestion(
            this, tr("Cancel run"),
            tr("Cancel the run %1 on %2? The watcher records CANCELLED and posts nothing.")
                    .arg(row->buildName(), row->controllerName));
    if (!confirmed)
        return;
    const ControlWriteResult result = cancelSelectedRun();
    if (!result.ok)
        showPlainWarning(this, tr("Cancel run"), result.error);
}

ControlWriteResult MainWindow::cancelSelectedRun()
{
    const std::optional<RunRow> row = selectedRow();
    if (!row) {
        return ControlWriteResult{false, QString(),
                                  tr("No run is selected; select a run in the "
                                     "table first.")};
    }
    if (row->isArchived()) {
        return ControlWriteResult{false, QString(),
                                  tr("Run %1 is archived: its folder is gone, so there is "
                                     "nothing to cancel.")
                                          .arg(row->buildName())};
    }
    const ControlWriteResult result = writeCancelMarker(
            row->rootPath, row->buildName(), currentUserAtHost(), QDateTime::currentDateTimeUtc());
    if (result.ok) {
        statusBar()->showMessage(
                tr("Cancellation of %1 requested; waiting for the watcher.").arg(row->buildName()));
        m_roots->refreshAll();
    }
    return result;
}
