#include "dashboard/sampleroot.h"
#include "shared/runcontrol.h"
#include "shared/staterootmonitor.h"
#include "shared/staterootreader.h"

#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

using namespace std::chrono_literals;

namespace {

const QString s_sshd = QStringLiteral("/usr/sbin/sshd");

/*!
    An OpenSSH server on 127.0.0.1 with throw-away keys and an sshfs mount of a
    local folder through it. The destructor unmounts and stops both, so a
    failed check still cleans up.
*/
class SshfsMount
{
public:
    ~SshfsMount() { stop(); }

    QString folder() const { return m_dir.filePath(QStringLiteral("controller-root")); }
    QString mountPoint() const { return m_dir.filePath(QStringLiteral("mnt")); }
    QString error() const { return m_error; }

    bool start()
    {
        QDir dir(m_dir.path());
        dir.mkpath(QStringLiteral("controller-root"));
        dir.mkpath(QStringLiteral("mnt"));
        dir.mkpath(QStringLiteral("keys"));
        // sshd's privilege separation needs this folder (Debian's unit creates it).
        QDir().mkpath(QStringLiteral("/run/sshd"));

        const QString keys = m_dir.filePath(QStringLiteral("keys"));
        if (!run(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                  QStringLiteral("-N"), QString(), QStringLiteral("-f"),
                  keys + QStringLiteral("/host")})
            || !run(QStringLiteral("ssh-keygen"),
                    {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                     QStringLiteral("-N"), QString(), QStringLiteral("-f"),
                     keys + QStringLiteral("/client")})) {
            return false;
        }
        QFile::copy(keys + QStringLiteral("/client.pub"),
                    keys + QStringLiteral("/authorized_keys"));

        m_port = freePort();
        const QString config = m_dir.filePath(QStringLiteral("sshd_config"));
        writeFile(config,
                  QStringLiteral("Port %1\n"
                                 "ListenAddress 127.0.0.1\n"
                                 "HostKey %2/host\n"
                                 "AuthorizedKeysFile %2/authorized_keys\n"
                                 "PidFile %3/sshd.pid\n"
                                 "PasswordAuthentication no\n"
                                 "KbdInteractiveAuthentication no\n"
                                 "PermitRootLogin prohibit-password\n"
                                 "StrictModes no\n"
                                 "UsePAM no\n"
                                 "Subsystem sftp internal-sftp\n")
                          .arg(m_port)
                          .arg(keys, m_dir.path())
                          .toUtf8());

        m_sshd.setProcessChannelMode(QProcess::MergedChannels);
        m_sshd.start(s_sshd,
                     {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), config});
        if (!m_sshd.waitForStarted()) {
            m_error = QStringLiteral("sshd did not start: %1").arg(m_sshd.errorString());
            return false;
        }
        if (!QTest::qWaitFor([this] { return acceptsConnections(); }, 10000)) {
            m_error = QStringLiteral("sshd does not accept connections: %1")
                              .arg(QString::fromUtf8(m_sshd.readAll()));
            return false;
        }

        m_sshfs.setProcessChannelMode(QProcess::MergedChannels);
        m_sshfs.start(QStringLiteral("sshfs"),
                      {QStringLiteral("-f"), QStringLiteral("-p"), QString::number(m_port),
                       QStringLiteral("-o"), QStringLiteral("IdentityFile=%1/client").arg(keys),
                       QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=no"),
                       QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=/dev/null"),
                       QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                       QStringLiteral("root@127.0.0.1:%1").arg(folder()), mountPoint()});
        if (!m_sshfs.waitForStarted()) {
            m_error = QStringLiteral("sshfs did not start: %1").arg(m_sshfs.errorString());
            return false;
        }
        if (!QTest::qWaitFor([this] { return isFuseFileSystem(mountPoint()); }, 15000)) {
            m_error = QStringLiteral("sshfs did not mount: %1")
                              .arg(QString::fromUtf8(m_sshfs.readAll()));
            return false;
        }
        m_mounted = true;
        return true;
    }

    /*! Kills sshfs without unmounting, as a dropped connection does. */
    void killSshfs()
    {
        m_sshfs.kill();
        m_sshfs.waitForFinished();
    }

    void stop()
    {
        if (m_mounted) {
            run(QStringLiteral("fusermount3"),
                {QStringLiteral("-u"), QStringLiteral("-z"), mountPoint()});
            m_mounted = false;
        }
        for (QProcess *process : {&m_sshfs, &m_sshd}) {
            if (process->state() != QProcess::NotRunning) {
                process->terminate();
                if (!process->waitForFinished(5000)) {
                    process->kill();
                    process->waitForFinished();
                }
            }
        }
    }

private:
    bool run(const QString &program, const QStringList &arguments)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(program, arguments);
        if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit
            || process.exitCode() != 0) {
            m_error = QStringLiteral("%1 failed: %2")
                              .arg(program, QString::fromUtf8(process.readAll()));
            return false;
        }
        return true;
    }

    static quint16 freePort()
    {
        QTcpServer server;
        server.listen(QHostAddress::LocalHost, 0);
        return server.serverPort();
    }

    bool acceptsConnections() const
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        return socket.waitForConnected(200);
    }

    QTemporaryDir m_dir;
    QProcess m_sshd;
    QProcess m_sshfs;
    quint16 m_port = 0;
    bool m_mounted = false;
    QString m_error;
};

} // namespace

class tst_DashboardSshfs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readsRootThroughSshfs();
};

void tst_DashboardSshfs::initTestCase()
{
    if (!QFileInfo(s_sshd).isExecutable())
        QSKIP("No OpenSSH server at /usr/sbin/sshd; install openssh-server.");
    if (QStandardPaths::findExecutable(QStringLiteral("sshfs")).isEmpty()
        || QStandardPaths::findExecutable(QStringLiteral("fusermount3")).isEmpty())
        QSKIP("sshfs or fusermount3 is missing; install sshfs and fuse3.");
    const int fuse = ::open("/dev/fuse", O_RDWR);
    if (fuse < 0)
        QSKIP("/dev/fuse cannot be opened; FUSE mounts are not possible here.");
    ::close(fuse);
    if (::geteuid() != 0)
        QSKIP("The test runs its own sshd, which needs root.");
}

void tst_DashboardSshfs::readsRootThroughSshfs()
{
    SshfsMount mount;
    QVERIFY2(mount.start(), qPrintable(mount.error()));
    QVERIFY(copySampleRoot(mount.folder()));

    // A direct read detects the FUSE mount and lists every run.
    const StateRootSnapshot first = readStateRoot(mount.mountPoint(), {}, sampleNow());
    QVERIFY2(first.reachable, qPrintable(first.error));
    QVERIFY(first.fuseMount);
    QCOMPARE(first.runs.size(), 9);
    QCOMPARE(first.findRun(QStringLiteral("e2e-ubuntu22.04-w2k19-nvme"))->record->progress.failing,
             7);

    // The monitor polls the mount: inotify would see nothing of a change on the controller.
    StateRootMonitor monitor(mount.mountPoint());
    monitor.setLocalPollInterval(1h);
    monitor.setMountPollInterval(200ms);
    QSignalSpy spy(&monitor, &StateRootMonitor::snapshotChanged);
    monitor.start();
    QVERIFY(spy.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(monitor.snapshot().fuseMount, 10000);

    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    QVERIFY(writeFile(mount.folder() + QLatin1Char('/') + build + QStringLiteral("/state.json"),
                      stateJson(build, QStringLiteral("COMPLETED"), sampleNow())));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.snapshot().findRun(build)->record->state, RunState::Completed,
                              15000);

    // Cancel and start go through the mount and arrive on the controller side.
    const ControlWriteResult cancel =
            writeCancelMarker(mount.mountPoint(), QStringLiteral("e2e-sles15.6-rocky9.4-iscsi"),
                              QStringLiteral("operator@laptop"), sampleNow());
    QVERIFY2(cancel.ok, qPrintable(cancel.error));
    QVERIFY(QFile::exists(mount.folder()
                          + QStringLiteral("/e2e-sles15.6-rocky9.4-iscsi/cancel.json")));

    StartRequest request;
    request.id = QStringLiteral("20261204T150000Z-sshfs1");
    request.buildName = QStringLiteral("e2e-over-sshfs");
    request.requestedAt = sampleNow();
    const ControlWriteResult start = writeStartRequest(mount.mountPoint(), request);
    QVERIFY2(start.ok, qPrintable(start.error));
    QVERIFY(QFile::exists(mount.folder()
                          + QStringLiteral("/.start-requests/20261204T150000Z-sshfs1.json")));

    // The connection drops: the root turns unreachable and keeps its runs, marked stale.
    mount.killSshfs();
    QTRY_VERIFY_WITH_TIMEOUT(!monitor.snapshot().reachable, 15000);
    QCOMPARE(monitor.snapshot().runs.size(), 9);
    QVERIFY(monitor.snapshot().findRun(build)->stale);
    QCOMPARE(monitor.snapshot().findRun(build)->record->state, RunState::Completed);
}

QTEST_GUILESS_MAIN(tst_DashboardSshfs)
#include "tst_dashboardsshfs.moc"
