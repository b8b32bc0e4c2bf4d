#include "gui/dashboardroots.h"

#include "shared/logging.h"
#include "shared/staterootmonitor.h"

DashboardRoots::DashboardRoots(const QString &historyPath, QObject *parent) : QObject(parent)
{
    if (historyPath.isEmpty())
        return;
    m_history = std::make_unique<RunHistoryStore>(historyPath);
    if (const std::optional<QString> error = m_history->load())
        qCWarning(lcState) << *error;
}

DashboardRoots::~DashboardRoots() = default;

QList<StateRootConfig> DashboardRoots::roots() const
{
    QList<StateRootConfig> configs;
    for (const Entry &entry : m_entries)
        configs.append(entry.config);
    return configs;
}

StateRootSnapshot DashboardRoots::snapshot(const QString &rootPath) const
{
    for (const Entry &entry : m_entries) {
        if (entry.config.path == rootPath)
            return entry.monitor->snapshot();
    }
    return {};
}

std::optional<StateRootConfig> DashboardRoots::root(const QString &rootPath) const
{
    for (const Entry &entry : m_entries) {
        if (entry.config.path == rootPath)
            return entry.config;
    }
    return std::nullopt;
}

QList<RunHistoryPoint> DashboardRoots::history() const
{
    return m_history ? m_history->points() : QList<RunHistoryPoint>();
}

bool DashboardRoots::addRoot(const StateRootConfig &newRoot)
{
    if (this->root(newRoot.path))
        return false;

    QStringList takenNames;
    for (const Entry &entry : std::as_const(m_entries))
        takenNames.append(entry.config.displayName());
    StateRootConfig root = newRoot;
    const QString name = distinctControllerName(root, takenNames);
    if (name != root.displayName())
        root.controllerName = name;

    auto *monitor = new StateRootMonitor(root.path, this);
    monitor->setLocalPollInterval(m_localPoll);
    monitor->setMountPollInterval(m_mountPoll);
    monitor->setReadTimeout(m_readTimeout);
    m_entries.append(Entry{root, monitor});

    connect(monitor, &StateRootMonitor::snapshotChanged, this,
            [this, path = root.path](const StateRootSnapshot &snapshot) {
                const std::optional<StateRootConfig> config = this->root(path);
                if (!config)
                    return;
                recordHistory(*config, snapshot);
                Q_EMIT snapshotChanged(*config, snapshot);
            });
    Q_EMIT rootAdded(root);
    monitor->start();
    return true;
}

void DashboardRoots::removeRoot(const QString &rootPath)
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).config.path != rootPath)
            continue;
        delete m_entries.at(i).monitor;
        m_entries.removeAt(i);
        Q_EMIT rootRemoved(rootPath);
        return;
    }
}

void DashboardRoots::refreshAll()
{
    for (const Entry &entry : std::as_const(m_entries))
        entry.monitor->refresh();
}

void DashboardRoots::setIntervals(std::chrono::milliseconds localPoll,
                                  std::chrono::milliseconds mountPoll,
                                  std::chrono::milliseconds readTimeout)
{
    m_localPoll = localPoll;
    m_mountPoll = mountPoll;
    m_readTimeout = readTimeout;
}

void DashboardRoots::recordHistory(const StateRootConfig &root, const StateRootSnapshot &snapshot)
{
    if (!m_history || !snapshot.reachable)
        return;
    bool changed = false;
    for (const RunEntry &entry : snapshot.runs) {
        if (!entry.record || entry.stale)
            continue;
        if (const std::optional<RunHistoryPoint> point =
                    historyPointOf(*entry.record, root.displayName())) {
            changed = m_history->add(*point) || changed;
        }
    }
    if (!changed)
        return;
    if (const std::optional<QString> error = m_history->save())
        qCWarning(lcState) << *error;
    Q_EMIT historyChanged();
}
