#include "shared/processprobe.h"

#include "shared/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <unistd.h>

namespace {

// True when the program, or the script an interpreter runs, only names the build.
bool isViewer(const QList<QByteArray> &argv, const QSet<QString> &viewers)
{
    for (int index = 0; index < std::min<int>(argv.size(), 2); ++index) {
        const QString name = QFileInfo(QString::fromLocal8Bit(argv.at(index))).fileName();
        if (viewers.contains(name))
            return true;
    }
    return false;
}

} // namespace

QJsonObject ProcessIdentity::toJson() const
{
    return QJsonObject{
            {QStringLiteral("pid"), pid},
            {QStringLiteral("start_ticks"), QString::number(startTicks)},
            {QStringLiteral("boot_id"), bootId},
    };
}

ProcessIdentity ProcessIdentity::fromJson(const QJsonObject &object)
{
    ProcessIdentity identity;
    identity.pid = object.value(QStringLiteral("pid")).toInteger();
    identity.startTicks = object.value(QStringLiteral("start_ticks")).toString().toULongLong();
    identity.bootId = object.value(QStringLiteral("boot_id")).toString();
    return identity;
}

bool ProcessIdentity::operator==(const ProcessIdentity &other) const
{
    return pid == other.pid && startTicks == other.startTicks && bootId == other.bootId;
}

ProcessProbe::ProcessProbe(const QString &procRoot) : m_procRoot(procRoot) { }

QString ProcessProbe::bootId() const
{
    QFile file(m_procRoot + QStringLiteral("/sys/kernel/random/boot_id"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.readAll()).trimmed();
}

std::optional<ProcessProbe::StatFields> ProcessProbe::readStat(qint64 pid) const
{
    QFile file(m_procRoot + QLatin1Char('/') + QString::number(pid) + QStringLiteral("/stat"));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray stat = file.readAll();

    // The command name in field 2 is in parentheses and may itself contain
    // spaces and parentheses, so the fields after it start at the last ')'.
    const int nameEnd = stat.lastIndexOf(')');
    if (nameEnd < 0)
        return std::nullopt;
    const QList<QByteArray> fields = stat.mid(nameEnd + 2).split(' ');

    // fields[0] is field 3 (state), fields[1] field 4 (ppid), fields[19] field 22 (starttime).
    if (fields.size() < 20)
        return std::nullopt;

    StatFields result;
    result.state = fields.at(0).isEmpty() ? '?' : fields.at(0).at(0);
    result.parentPid = fields.at(1).toLongLong();
    bool ok = false;
    result.startTicks = fields.at(19).toULongLong(&ok);
    if (!ok)
        return std::nullopt;
    return result;
}

std::optional<ProcessIdentity> ProcessProbe::identify(qint64 pid) const
{
    if (pid <= 0)
        return std::nullopt;
    const std::optional<StatFields> stat = readStat(pid);
    if (!stat || stat->state == 'Z' || stat->state == 'X')
        return std::nullopt;
    return ProcessIdentity{pid, stat->startTicks, bootId()};
}

std::optional<ProcessIdentity> ProcessProbe::identifyFromPidFile(const QString &pidFile) const
{
    const std::optional<qint64> pid = readPidFile(pidFile);
    if (!pid)
        return std::nullopt;
    if (*pid == 0) {
        qCWarning(lcProcess).noquote()
                << QStringLiteral("Ignoring PID file \"%1\": it does not contain a process id.")
                           .arg(pidFile);
        return std::nullopt;
    }
    return identify(*pid);
}

std::optional<qint64> ProcessProbe::readPidFile(const QString &pidFile) const
{
    QFile file(pidFile);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    bool ok = false;
    const qint64 pid = QString::fromLatin1(file.read(64)).trimmed().toLongLong(&ok);
    return ok && pid > 0 ? pid : 0;
}

QDateTime ProcessProbe::startTime(const ProcessIdentity &identity) const
{
    QFile stat(m_procRoot + QStringLiteral("/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    qint64 bootSeconds = 0;
    const QList<QByteArray> lines = stat.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("btime "))
            bootSeconds = line.mid(6).trimmed().toLongLong();
    }
    const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    if (bootSeconds <= 0 || ticksPerSecond <= 0)
        return {};
    return QDateTime::fromSecsSinceEpoch(bootSeconds, Qt::UTC)
            .addMSecs(qint64(identity.startTicks) * 1000 / ticksPerSecond);
}

std::optional<ProcessIdentity> ProcessProbe::findByCommandLine(const QString &buildName,
                                                               qint64 excludePid) const
{
    // The watcher's ancestors (a shell, sudo, timeout, systemd) may name the
    // build too, but they are not the run.
    QSet<qint64> excluded{excludePid};
    for (qint64 pid = excludePid; pid > 1;) {
        const std::optional<StatFields> stat = readStat(pid);
        if (!stat)
            break;
        pid = stat->parentPid;
        excluded.insert(pid);
    }
    static const QSet<QString> viewers{
            QStringLiteral("atvm-run-watcher"),
            QStringLiteral("atvm-watcher-dashboard"),
            QStringLiteral("journalctl"),
            QStringLiteral("systemctl"),
            QStringLiteral("systemd-run"),
            QStringLiteral("less"),
            QStringLiteral("more"),
            QStringLiteral("tail"),
            QStringLiteral("grep"),
            QStringLiteral("watch"),
            QStringLiteral("ssh"),
            QStringLiteral("start-atvm-run-watcher.sh"),
            QStringLiteral("cancel-atvm-run-watcher.sh"),
            QStringLiteral("launch-atvm-run.sh"),
            QStringLiteral("sudo"),
            QStringLiteral("su"),
            QStringLiteral("timeout"),
            QStringLiteral("nsenter"),
            QStringLiteral("sshd"),
            QStringLiteral("tmux"),
            QStringLiteral("screen"),
            QStringLiteral("vi"),
            QStringLiteral("vim"),
            QStringLiteral("nano"),
            QStringLiteral("emacs"),
    };

    // The build name must stand alone, so "run-1" does not match "run-10".
    // Not after '@': "atvm-run-watcher@BUILD.service" in a viewer's command names a unit.
    const QRegularExpression word(QStringLiteral("(^|[^A-Za-z0-9._@-])")
                                  + QRegularExpression::escape(buildName)
                                  + QStringLiteral("($|[^A-Za-z0-9._-])"));

    std::optional<ProcessIdentity> best;
    const QStringList entries = QDir(m_procRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok || excluded.contains(pid))
            continue;

        QFile cmdline(m_procRoot + QLatin1Char('/') + entry + QStringLiteral("/cmdline"));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        QByteArray arguments = cmdline.read(64 * 1024);
        const QList<QByteArray> argv = arguments.split('\0');
        if (isViewer(argv, viewers))
            continue;
        arguments.replace('\0', ' ');
        if (!word.match(QString::fromUtf8(arguments)).hasMatch())
            continue;

        const std::optional<ProcessIdentity> identity = identify(pid);
        if (identity && (!best || identity->startTicks < best->startTicks))
            best = identity;
    }
    return best;
}

bool ProcessProbe::isAlive(const ProcessIdentity &identity) const
{
    if (!identity.isValid() || identity.bootId != bootId())
        return false;
    const std::optional<StatFields> stat = readStat(identity.pid);
    return stat && stat->state != 'Z' && stat->state != 'X'
            && stat->startTicks == identity.startTicks;
}
