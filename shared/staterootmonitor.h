#pragma once

#include "shared/staterootsnapshot.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>

class QFileSystemWatcher;
class QThread;
class StateRootReadWorker;

/*!
    \brief Keeps a StateRootSnapshot of one state root up to date without
    blocking the thread it lives in.

    Reads run on a thread of their own, one at a time. A read that does not
    finish within readTimeout() marks the root unreachable, and no further read
    starts until the hung one returns. A local root is read again when its
    folders change (QFileSystemWatcher) and at every poll interval; a root on a
    FUSE mount such as sshfs, where inotify reports no remote change, is read at
    every mount poll interval.
*/
class StateRootMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StateRootMonitor)

public:
    /*! Function that reads a root; readStateRoot() unless a test sets another. */
    using Reader = std::function<StateRootSnapshot(
            const QString &rootPath, const StateRootSnapshot &previous, const QDateTime &now)>;

    explicit StateRootMonitor(const QString &rootPath, QObject *parent = nullptr);
    ~StateRootMonitor() override;

    QString rootPath() const { return m_rootPath; }
    StateRootSnapshot snapshot() const { return m_snapshot; }
    bool isReadInFlight() const { return m_readInFlight; }

    void setLocalPollInterval(std::chrono::milliseconds interval);
    void setMountPollInterval(std::chrono::milliseconds interval);
    void setReadTimeout(std::chrono::milliseconds timeout);
    std::chrono::milliseconds readTimeout() const { return m_readTimeout; }

    /*!
        Replaces readStateRoot() for reads started from now on. Tests use it to
        make a read hang, because readStateRoot() does not block on a FIFO.
    */
    void setReader(Reader reader);

    /*! Starts polling and the first read. */
    void start();

    /*! Reads the root again now, unless a read is in flight; then it reads once that one returns. */
    void refresh();

Q_SIGNALS:
    void snapshotChanged(const StateRootSnapshot &snapshot);

private:
    void handleReadFinished(const StateRootSnapshot &snapshot);
    void handleReadTimeout();
    void handleFileChange();
    void updateWatchedPaths();
    void updatePollInterval();

    QString m_rootPath;
    Reader m_reader;
    StateRootSnapshot m_snapshot;
    QThread *m_thread = nullptr;
    StateRootReadWorker *m_worker = nullptr;
    QFileSystemWatcher *m_fileWatcher = nullptr;
    QTimer m_pollTimer;
    QTimer m_timeoutTimer;
    QTimer m_changeDelayTimer;
    bool m_readInFlight = false;
    bool m_refreshPending = false;
    bool m_timedOut = false;
    std::chrono::milliseconds m_localPollInterval{30000};
    std::chrono::milliseconds m_mountPollInterval{5000};
    std::chrono::milliseconds m_readTimeout{10000};
};
