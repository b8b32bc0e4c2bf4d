#include "shared/processprobe.h"

#include "shared/logging.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

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
    QFile file(pidFile);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;

    bool ok = false;
    const qint64 pid = QString::fromLatin1(file.read(64)).trimmed().toLongLong(&ok);
    if (!ok || pid <= 0) {
        qCWarning(lcProcess).noquote()
                << QStringLiteral("Ignoring PID file \"%1\": it does not contain a process id.")
                           .arg(pidFile);
        return std::nullopt;
    }
    return identify(pid);
}

std::optional<ProcessIdentity> ProcessProbe::findByCommandLine(const QString &buildName,
                                                               qint64 excludePid) const
{
    const std::optional<StatFields> self = readStat(excludePid);
    const qint64 excludeParent = self ? self->parentPid : 0;

    // The build name must stand alone, so "run-1" does not match "run-10".
    const QRegularExpression word(QStringLiteral("(^|[^A-Za-z0-9._-])")
                                  + QRegularExpression::escape(buildName)
                                  + QStringLiteral("($|[^A-Za-z0-9._-])"));

    std::optional<ProcessIdentity> best;
    const QStringList entries = QDir(m_procRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok || pid == excludePid || pid == excludeParent)
            continue;

        QFile cmdline(m_procRoot + QLatin1Char('/') + entry + QStringLiteral("/cmdline"));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        QByteArray arguments = cmdline.read(64 * 1024);
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
