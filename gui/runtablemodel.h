#pragma once

#include "gui/runrow.h"
#include "shared/stateroots.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

/*!
    \brief The run table: every run of every state root, plus archived finished
    runs whose folders are gone.

    Rows come from StateRootSnapshots. The model never reads files itself.
    Ages and "watcher lost" are computed against now(), which
    setNow() fixes for tests; otherwise it follows the clock.
*/
class RunTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunTableModel)

public:
    enum Column {
        BuildColumn,
        ControllerColumn,
        StateColumn,
        ProgressColumn,
        PassingColumn,
        FailingColumn,
        CurrentSpecColumn,
        StartedColumn,
        ElapsedColumn,
        LastActivityColumn,
        PostedColumn,
        ColumnCount,
    };

    enum Role {
        SortRole = Qt::UserRole + 1,
        DisplayStateRole, // int(DisplayState)
        ProgressFractionRole, // double 0..1, or -1 while the spec count is unknown
        StaleRole,
        BuildNameRole,
        ControllerRole,
        RootPathRole,
        SearchTextRole,
    };

    explicit RunTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /*! Replaces the rows of \a root with those of \a snapshot. */
    void setSnapshot(const StateRootConfig &root, const StateRootSnapshot &snapshot);

    /*! Removes every row of the root at \a rootPath. */
    void removeRoot(const QString &rootPath);

    /*! Sets finished runs to list when their folder is gone from a configured root. */
    void setArchivedRuns(const QList<RunHistoryPoint> &points);

    const RunRow *rowAt(int row) const;
    /*! Returns the row of \a buildName in \a rootPath (any root when empty), or -1. */
    int findRow(const QString &rootPath, const QString &buildName) const;

    QDateTime now() const;
    void setNow(const QDateTime &now);

    /*! Tells views that ages and "watcher lost" may have changed. */
    void refreshTimes();

private:
    QVariant displayData(const RunRow &row, int column) const;
    QVariant sortData(const RunRow &row, int column) const;
    QString progressText(const RunRow &row) const;
    QString toolTip(const RunRow &row, int column) const;
    static double progressFraction(const RunRow &row);
    void rebuildRows();

    struct RootRows
    {
        StateRootConfig config;
        StateRootSnapshot snapshot;
    };
    QList<RootRows> m_roots;
    QList<RunHistoryPoint> m_archivedCandidates;
    QList<RunRow> m_rows;
    QDateTime m_fixedNow;
};
