#pragma once

#include "shared/runcontrol.h"
#include "shared/stateroots.h"
#include "shared/staterootsnapshot.h"

#include <QMainWindow>
#include <QSet>
#include <QTimer>

class DashboardRoots;
class QAction;
class QComboBox;
class QLineEdit;
class QSettings;
class QTableView;
class QTreeWidget;
class RunDetailView;
class RunFilterModel;
class RunTableModel;
struct RunRow;

/*!
    \brief The operator window: state roots, the run table, the detail pane and
    the start and cancel actions.
*/
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /*! \a settings stores the roots list; \a roots is the set of monitored roots. */
    MainWindow(QSettings *settings, DashboardRoots *roots, QWidget *parent = nullptr);

    RunTableModel *runModel() const { return m_model; }
    RunFilterModel *filterModel() const { return m_filter; }
    QTableView *runTable() const { return m_table; }
    QTreeWidget *rootList() const { return m_rootList; }
    RunDetailView *detailView() const { return m_detail; }
    QAction *startAction() const { return m_startAction; }
    QAction *cancelAction() const { return m_cancelAction; }

    /*! Selects the run \a buildName of \a rootPath; returns false when it is not listed. */
    bool selectRun(const QString &rootPath, const QString &buildName);

    /*! Selects \a buildName of any root as soon as a read lists it. */
    void preselectRun(const QString &buildName);

    /*! Submits \a request to \a rootPath: through the root's start command or as a start request. */
    ControlWriteResult submitStart(const QString &rootPath, StartRequest request);

    /*! Writes the cancellation marker of the selected run without asking; returns the outcome. */
    ControlWriteResult cancelSelectedRun();

private:
    void addRoot();
    void removeSelectedRoot();
    void startRun();
    void confirmCancel();
    void handleSnapshot(const StateRootConfig &root, const StateRootSnapshot &snapshot);
    void handleRootAdded(const StateRootConfig &root);
    void handleSelectionChanged();
    void updateRootList();
    void updateControllerFilter();
    void updateActions();
    void saveRoots();
    std::optional<RunRow> selectedRow() const;
    void runStartCommand(const StateRootConfig &root, const StartRequest &request);

    QSettings *m_settings = nullptr;
    DashboardRoots *m_roots = nullptr;
    RunTableModel *m_model = nullptr;
    RunFilterModel *m_filter = nullptr;
    QTableView *m_table = nullptr;
    RunDetailView *m_detail = nullptr;
    QTreeWidget *m_rootList = nullptr;
    QComboBox *m_stateFilter = nullptr;
    QComboBox *m_controllerFilter = nullptr;
    QLineEdit *m_textFilter = nullptr;
    QAction *m_startAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_removeRootAction = nullptr;
    QTimer m_clockTimer;
    QString m_selectedRootPath;
    QString m_selectedBuild;
    QSet<QString> m_reportedOutcomes; // start request ids already shown in the status bar
};
