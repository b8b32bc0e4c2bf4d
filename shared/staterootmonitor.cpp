#include "shared/staterootmonitor.h"

#include "shared/logging.h"
#include "shared/staterootreader.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QThread>

/*! \brief Runs the monitor's reader, readStateRoot() by default, on its read thread. */
class StateRootReadWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StateRootReadWorker)

public:
    StateRootReadWorker() = default;

    void read(const StateRootMonitor::Reader &reader, const QString &rootPath,
              const StateRootSnapshot &previous)
    {
        Q_EMIT finished(reader(rootPath, previous, QDateTime::currentDateTimeUtc()));
    }

Q_SIGNALS:
    void finished(const StateRootSnapshot &snapshot);
};

StateRootMonitor::StateRootMonitor(const QString &rootPath, QObject *parent)
    : QObject(parent), m_rootPath(rootPath), m_reader(&readStateRoot)
{
    qRegisterMetaType<StateRootSnapshot>();
    m_snapshot.rootPath = rootPath;
    m_snapshot.error = tr("Not read yet.");

    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("state root reader"));
    m_worker = new StateRootReadWorker;
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &StateRootReadWorker::finished, this, &StateRootMonitor::handleReadFinished);
    m_thread->start();

    m_pollTimer.setInterval(m_localPollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &StateRootMonitor::refresh);

    m_timeoutTimer.setSingleShot(true);
    m_timeoutTimer.setInterval(m_readTimeout);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &StateRootMonitor::handleReadTimeout);

    // A watcher replaces state.json with a rename, which reports several changes at once.
    m_changeDelayTimer.setSingleShot(true);
    m_changeDelayTimer.setInterval(200);
    connect(&m_changeDelayTimer, &QTimer::timeout, this, &StateRootMonitor::refresh);
}

StateRootMonitor::~StateRootMonitor()
{
    disconnect(m_worker, nullptr, this, nullptr);
    m_thread->quit();
    if (m_thread->wait(std::chrono::milliseconds(500))) {
        delete m_thread;
        return;
    }
    // A read hangs on an unreachable mount. The thread cannot be joined, so it
    // deletes itself once the read returns.
    qCWarning(lcState) << "A read of state root" << m_rootPath
                       << "is still hanging; leaving its thread to finish on its own.";
    QThread *thread = m_thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
}

void StateRootMonitor::setLocalPollInterval(std::chrono::milliseconds interval)
{
    m_localPollInterval = interval;
    updatePollInterval();
}

void StateRootMonitor::setMountPollInterval(std::chrono::milliseconds interval)
{
    m_mountPollInterval = interval;
    updatePollInterval();
}

void StateRootMonitor::setReadTimeout(std::chrono::milliseconds timeout)
{
    m_readTimeout = timeout;
    m_timeoutTimer.setInterval(timeout);
}

void StateRootMonitor::setReader(Reader reader)
{
    m_reader = std::move(reader);
}

void StateRootMonitor::start()
{
    // Until the first read shows whether the root is a FUSE mount, poll at the faster rate.
    m_pollTimer.setInterval(std::min(m_localPollInterval, m_mountPollInterval));
    m_pollTimer.start();
    refresh();
}

void StateRootMonitor::refresh()
{
    if (m_readInFlight) {
        m_refreshPending = true;
        return;
    }
    m_readInFlight = true;
    m_refreshPending = false;
    m_timeoutTimer.start();

    const QString rootPath = m_rootPath;
    const StateRootSnapshot previous = m_snapshot;
    const Reader reader = m_reader;
    StateRootReadWorker *worker = m_worker;
    QMetaObject::invokeMethod(
            worker,
            [worker, reader, rootPath, previous] { worker->read(reader, rootPath, previous); },
            Qt::QueuedConnection);
}

void StateRootMonitor::handleReadFinished(const StateRootSnapshot &snapshot)
{
    m_timeoutTimer.stop();
    m_readInFlight = false;
    if (m_timedOut) {
        qCInfo(lcState) << "State root" << m_rootPath << "answered again.";
        m_timedOut = false;
    }

    m_snapshot = snapshot;
    updatePollInterval();
    updateWatchedPaths();
    Q_EMIT snapshotChanged(m_snapshot);

    if (m_refreshPending)
        refresh();
}

void StateRootMonitor::handleReadTimeout()
{
    if (!m_readInFlight)
        return;
    m_timedOut = true;
    qCWarning(lcState) << "A read of state root" << m_rootPath << "did not finish within"
                       << m_readTimeout.count() << "ms; marking it unreachable.";

    m_snapshot.reachable = false;
    m_snapshot.lastReadAt = QDateTime::currentDateTimeUtc();
    m_snapshot.error = tr("No answer within %1 s; the mount may hang. Reads resume when it "
                          "answers.")
                               .arg(m_readTimeout.count() / 1000.0);
    for (RunEntry &entry : m_snapshot.runs)
        entry.stale = true;
    Q_EMIT snapshotChanged(m_snapshot);
}

void StateRootMonitor::handleFileChange()
{
    m_changeDelayTimer.start();
}

void StateRootMonitor::updatePollInterval()
{
    if (!m_snapshot.reachable && !m_snapshot.lastGoodReadAt.isValid())
        return;
    m_pollTimer.setInterval(m_snapshot.fuseMount ? m_mountPollInterval : m_localPollInterval);
}

void StateRootMonitor::updateWatchedPaths()
{
    // inotify reports no change made on the far side of a FUSE mount, and adding
    // watches there can block, so mounted roots rely on polling alone.
    if (!m_snapshot.reachable || m_snapshot.fuseMount) {
        delete m_fileWatcher;
        m_fileWatcher = nullptr;
        return;
    }
    if (!m_fileWatcher) {
        m_fileWatcher = new QFileSystemWatcher(this);
        connect(m_fileWatcher, &QFileSystemWatcher::directoryChanged, this,
                &StateRootMonitor::handleFileChange);
        connect(m_fileWatcher, &QFileSystemWatcher::fileChanged, this,
                &StateRootMonitor::handleFileChange);
    }

    const QDir rootDir(m_rootPath);
    QStringList wanted{m_rootPath, QDir(m_rootPath).filePath(QStringLiteral(".start-results"))};
    for (const RunEntry &entry : std::as_const(m_snapshot.runs)) {
        const QString folder = rootDir.filePath(entry.folderName);
        wanted.append(folder);
        // A writer that rewrites state.json in place changes no directory entry.
        wanted.append(QDir(folder).filePath(QStringLiteral("state.json")));
    }

    QStringList obsolete;
    const QStringList watched = m_fileWatcher->directories() + m_fileWatcher->files();
    for (const QString &path : watched) {
        if (!wanted.contains(path))
            obsolete.append(path);
    }
    if (!obsolete.isEmpty())
        m_fileWatcher->removePaths(obsolete);

    QStringList added;
    for (const QString &path : std::as_const(wanted)) {
        if (!watched.contains(path) && QFileInfo::exists(path))
            added.append(path);
    }
    if (!added.isEmpty())
        m_fileWatcher->addPaths(added);
}

#include "staterootmonitor.moc"
