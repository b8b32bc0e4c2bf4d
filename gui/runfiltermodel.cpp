#include "gui/runfiltermodel.h"

#include "gui/runtablemodel.h"

RunFilterModel::RunFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RunTableModel::SortRole);
    setDynamicSortFilter(true);
}

void RunFilterModel::setStateFilter(std::optional<DisplayState> state)
{
    m_state = state;
    invalidateFilter();
}

void RunFilterModel::setControllerFilter(const QString &name)
{
    m_controller = name;
    invalidateFilter();
}

void RunFilterModel::setTextFilter(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool RunFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_state) {
        const int state = index.data(RunTableModel::DisplayStateRole).toInt();
        if (state != int(*m_state))
            return false;
    }
    if (!m_controller.isEmpty()
        && index.data(RunTableModel::ControllerRole).toString() != m_controller) {
        return false;
    }
    if (!m_text.isEmpty()
        && !index.data(RunTableModel::SearchTextRole)
                    .toString()
                    .contains(m_text, Qt::CaseInsensitive)) {
        return false;
    }
    return true;
}
