#pragma once

#include "shared/runhistory.h"
#include "shared/stateroots.h"
#include "shared/staterootsnapshot.h"

#include <QList>
#include <QObject>

#include <chrono>
#include <memory>

class StateRootMonitor;

/*!
    \brief The state roots the dashboard follows: one StateRootMonitor each,
    plus the local history of finished runs.
*/
class DashboardRoots final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardRoots)

public:
    /*! Creates the set; \a historyPath is the JSON file of finished runs, empty for none. */
    explicit DashboardRoots(const QString &historyPath, QObject *parent = nullptr);
    ~DashboardRoots() override;

    QList<StateRootConfig> roots() const;
    StateRootSnapshot snapshot(const QString &rootPath) const;
    std::optional<StateRootConfig> root(const QString &rootPath) const;
    QList<RunHistoryPoint> history() const;

    /*!
        Adds \a root and starts reading it; returns false when its path is listed
        already. A root whose name another root has gets a distinct one (distinctControllerName()).
    */
    bool addRoot(const StateRootConfig &root);
    void removeRoot(const QString &rootPath);
    void refreshAll();

    /*! Sets poll and timeout intervals for roots added from now on (tests use short ones). */
    void setIntervals(std::chrono::milliseconds localPoll, std::chrono::milliseconds mountPoll,
                      std::chrono::milliseconds readTimeout);

Q_SIGNALS:
    void rootAdded(const StateRootConfig &root);
    void rootRemoved(const QString &rootPath);
    void snapshotChanged(const StateRootConfig &root, const StateRootSnapshot &snapshot);
    void historyChanged();

private:
    void recordHistory(const StateRootConfig &root, const StateRootSnapshot &snapshot);

    struct Entry
    {
        StateRootConfig config;
        StateRootMonitor *monitor = nullptr;
    };
    QList<Entry> m_entries;
    std::unique_ptr<RunHistoryStore> m_history;
    std::chrono::milliseconds m_localPoll{30000};
    std::chrono::milliseconds m_mountPoll{5000};
    std::chrono::milliseconds m_readTimeout{10000};
};
