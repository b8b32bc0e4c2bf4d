#include "gui/runtablemodel.h"

#include "gui/plaintext.h"

#include <QBrush>
#include <QFont>

#include <algorithm>

RunTableModel::RunTableModel(QObject *parent) : QAbstractTableModel(parent) { }

int RunTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case BuildColumn:
        return tr("Build");
    case ControllerColumn:
        return tr("Controller");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Specs");
    case PassingColumn:
        return tr("Passing");
    case FailingColumn:
        return tr("Failing");
    case CurrentSpecColumn:
        return tr("Current spec");
    case StartedColumn:
        return tr("Started");
    case ElapsedColumn:
        return tr("Elapsed");
    case LastActivityColumn:
        return tr("Last activity");
    case PostedColumn:
        return tr("Posted");
    default:
        return {};
    }
}

QVariant RunTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const RunRow &row = m_rows.at(index.row());

    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case SortRole:
        return sortData(row, index.column());
    case DisplayStateRole:
        return int(displayStateOf(row, now()));
    case StaleRole:
        return row.isStale();
    case BuildNameRole:
        return row.buildName();
    case ControllerRole:
        return row.controllerName;
    case RootPathRole:
        return row.rootPath;
    case ProgressFractionRole:
        return progressFraction(row);
    case SearchTextRole: {
        QStringList parts{row.buildName(), row.controllerName};
        if (row.entry.record) {
            const RunRecord &record = *row.entry.record;
            parts << record.reason << record.progress.currentSpec << record.metadata.templateName
                  << record.metadata.configFamily << record.metadata.scopeDescription;
        }
        return parts.join(QLatin1Char('\n'));
    }
    case Qt::ToolTipRole:
        return plainToolTip(toolTip(row, index.column()));
    case Qt::ForegroundRole:
        if (row.isStale() || row.isArchived())
            return QBrush(Qt::gray);
        if (index.column() == FailingColumn && row.entry.record
            && row.entry.record->progress.failing > 0) {
            return QBrush(displayStateColor(DisplayState::Failed));
        }
        return {};
    case Qt::FontRole:
        if (row.isStale() || row.isArchived()) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == PassingColumn || index.column() == FailingColumn
            || index.column() == ElapsedColumn) {
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    default:
        return {};
    }
}

QString RunTableModel::toolTip(const RunRow &row, int column) const
{
    if (row.isArchived())
        return tr("Finished run kept in the local history; its folder is gone.");
    if (!row.rootReachable)
        return tr("The state root is unreachable; this is the last data read.");
    if (row.entry.stale || (!row.entry.record && row.entry.unreadable))
        return tr("Stale: %1").arg(row.entry.readError);
    if (!row.entry.record)
        return column == StateColumn ? row.entry.readError : QString();
    if (isUpdateInFuture(*row.entry.record, now()))
        return futureUpdateWarning(*row.entry.record, now());
    if (column == StateColumn)
        return row.entry.record->reason;
    return QString();
}

double RunTableModel::progressFraction(const RunRow &row)
{
    if (row.archived || !row.entry.record)
        return -1.0;
    const RunProgress &progress = row.entry.record->progress;
    if (progress.specsTotal <= 0)
        return -1.0;
    return qBound(0.0, double(progress.specsDone) / progress.specsTotal, 1.0);
}

QString RunTableModel::progressText(const RunRow &row) const
{
    if (row.archived)
        return tr("%1 tests").arg(row.archived->tests);
    if (!row.entry.record)
        return QString();
    const RunProgress &progress = row.entry.record->progress;
    if (progress.specsTotal < 0)
        return tr("%1 of ?").arg(progress.specsDone);
    return tr("%1 of %2").arg(progress.specsDone).arg(progress.specsTotal);
}

QVariant RunTableModel::displayData(const RunRow &row, int column) const
{
    const QDateTime current = now();
    const RunRecord *record = row.entry.record ? &*row.entry.record : nullptr;

    switch (column) {
    case BuildColumn:
        return row.buildName();
    case ControllerColumn:
        return row.controllerName;
    case StateColumn: {
        QString text = displayStateName(displayStateOf(row, current));
        if (row.isStale())
            text += tr(" (stale)");
        if (row.isArchived())
            text += tr(" (archived)");
        else if (row.entry.cancelRequested && record && record->state == RunState::Watching)
            text += tr(" (cancel requested)");
        return text;
    }
    case ProgressColumn:
        return progressText(row);
    case PassingColumn:
        return record ? QVariant(record->progress.passing) : QVariant();
    case FailingColumn:
        if (row.archived)
            return row.archived->failing;
        return record ? QVariant(record->progress.failing) : QVariant();
    case CurrentSpecColumn:
        return record ? record->progress.currentSpec : QString();
    case StartedColumn:
        if (row.archived)
            return formatShortTime(row.archived->startedAt);
        return record ? formatShortTime(record->startedAt) : QString();
    case ElapsedColumn:
        if (row.archived)
            return formatAge(row.archived->durationSeconds);
        if (!record || !record->startedAt.isValid())
            return QString();
        // A lost watcher's run has no known end, so its elapsed time stops at its last write.
        return formatAge(runDurationSeconds(*record,
                                            record->state == RunState::Watching
                                                            && isWatcherLost(*record, current)
                                                    ? record->updatedAt
                                                    : current));
    case LastActivityColumn:
        if (!record || !record->lastActivityAt.isValid())
            return QString();
        return tr("%1 ago (%2)")
                .arg(formatAge(record->lastActivityAt.secsTo(current)),
                     record->lastActivityAt.toLocalTime().toString(QStringLiteral("HH:mm")));
    case PostedColumn:
        if (!record)
            return QString();
        if (record->posted)
            return tr("posted %1").arg(formatShortTime(record->postedAt));
        if (isPosted(record->state))
            return record->lastError.isEmpty() ? tr("not yet") : tr("failed");
        return isTerminal(record->state) ? tr("not posted") : QString();
    default:
        return {};
    }
}

QVariant RunTableModel::sortData(const RunRow &row, int column) const
{
    const RunRecord *record = row.entry.record ? &*row.entry.record : nullptr;
    switch (column) {
    case StateColumn:
        return int(displayStateOf(row, now()));
    case ProgressColumn:
        return progressFraction(row);
    case PassingColumn:
        return record ? record->progress.passing : -1;
    case FailingColumn:
        if (row.archived)
            return row.archived->failing;
        return record ? record->progress.failing : -1;
    case StartedColumn:
        if (row.archived)
            return row.archived->startedAt;
        return record ? record->startedAt : QDateTime();
    case ElapsedColumn:
        if (row.archived)
            return row.archived->durationSeconds;
        return record ? runDurationSeconds(*record, now()) : qint64(-1);
    case LastActivityColumn:
        return record ? record->lastActivityAt : QDateTime();
    case PostedColumn:
        return record ? record->posted : false;
    default:
        return displayData(row, column);
    }
}

void RunTableModel::setSnapshot(const StateRootConfig &root, const StateRootSnapshot &snapshot)
{
    bool known = false;
    for (RootRows &rows : m_roots) {
        if (rows.config.path == root.path) {
            rows.config = root;
            rows.snapshot = snapshot;
            known = true;
        }
    }
    if (!known)
        m_roots.append(RootRows{root, snapshot});
    rebuildRows();
}

void RunTableModel::removeRoot(const QString &rootPath)
{
    m_roots.erase(std::remove_if(m_roots.begin(), m_roots.end(),
                                 [&rootPath](const RootRows &rows) {
                                     return rows.config.path == rootPath;
                                 }),
                  m_roots.end());
    rebuildRows();
}

void RunTableModel::setArchivedRuns(const QList<RunHistoryPoint> &points)
{
    m_archivedCandidates = points;
    rebuildRows();
}

void RunTableModel::rebuildRows()
{
    QList<RunRow> rows;
    for (const RootRows &root : std::as_const(m_roots)) {
        for (const RunEntry &entry : root.snapshot.runs) {
            RunRow row;
            row.rootPath = root.config.path;
            row.controllerName = root.config.displayName();
            row.rootReachable = root.snapshot.reachable;
            row.entry = entry;
            rows.append(row);
        }
    }

    // An archived run fills in only for a folder that the controller's root no
    // longer lists. An unreachable root keeps listing its runs, so they stay live rows.
    for (const RunHistoryPoint &point : std::as_const(m_archivedCandidates)) {
        // Runs of a root that was removed from the list stay in the history
        // file but are not shown.
        const auto configured =
                std::find_if(m_roots.cbegin(), m_roots.cend(), [&point](const RootRows &root) {
                    return root.config.displayName() == point.controllerName;
                });
        if (configured == m_roots.cend())
            continue;
        bool listed = false;
        for (const RunRow &row : std::as_const(rows)) {
            if (row.controllerName == point.controllerName && row.buildName() == point.buildName)
                listed = true;
        }
        if (listed)
            continue;
        RunRow row;
        row.controllerName = point.controllerName;
        row.archived = point;
        row.rootPath = configured->config.path;
        rows.append(row);
    }

    // The row set changes rarely; a reset keeps selection handling in the
    // views simple, and they restore the selection by build and root.
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

const RunRow *RunTableModel::rowAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return nullptr;
    return &m_rows.at(row);
}

int RunTableModel::findRow(const QString &rootPath, const QString &buildName) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const bool rootMatches = rootPath.isEmpty() || m_rows.at(i).rootPath == rootPath;
        if (rootMatches && m_rows.at(i).buildName() == buildName)
            return i;
    }
    return -1;
}

QDateTime RunTableModel::now() const
{
    return m_fixedNow.isValid() ? m_fixedNow : QDateTime::currentDateTimeUtc();
}

void RunTableModel::setNow(const QDateTime &now)
{
    m_fixedNow = now;
    refreshTimes();
}

void RunTableModel::refreshTimes()
{
    if (m_rows.isEmpty())
        return;
    Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}
