#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

/*!
    \brief The identity of one process: its PID, its start time and the boot it belongs to.

    The kernel reuses PIDs, so a PID alone is not enough. The start time (field 22 of
    /proc/PID/stat, in clock ticks since boot) and the boot id make the
    identity unique, so a reused PID never looks like the run's process.
*/
struct ProcessIdentity
{
    qint64 pid = 0;
    quint64 startTicks = 0;
    QString bootId;

    bool isValid() const { return pid > 0 && !bootId.isEmpty(); }
    QJsonObject toJson() const;
    static ProcessIdentity fromJson(const QJsonObject &object);
    bool operator==(const ProcessIdentity &other) const;
};

/*!
    \brief Finds the run's process and checks whether it is still the same living process.

    The proc folder is a parameter so tests can point it at a fake tree.
*/
class ProcessProbe
{
public:
    explicit ProcessProbe(const QString &procRoot = QStringLiteral("/proc"));

    /*! Returns the current boot id, or an empty string when it cannot be read. */
    QString bootId() const;

    /*! Returns the identity of the living process \a pid, or nothing when there is none. */
    std::optional<ProcessIdentity> identify(qint64 pid) const;

    /*!
        Reads a PID file (a decimal number, surrounding white space allowed) and
        identifies that process. Returns nothing when the file is missing,
        malformed or names a process that no longer exists.
    */
    std::optional<ProcessIdentity> identifyFromPidFile(const QString &pidFile) const;

    /*!
        Reads the process id from a PID file. Returns nothing when the file is
        missing; returns 0 when it exists but contains no valid process id yet.
    */
    std::optional<qint64> readPidFile(const QString &pidFile) const;

    /*! Returns when the process of \a identity started, or an invalid time when unknown. */
    QDateTime startTime(const ProcessIdentity &identity) const;

    /*!
        Finds a living process whose command line contains \a buildName as a
        whole word. Skipped are \a excludePid (the watcher itself) with all its
        ancestors, and programs that only name a build without running it
        (watchers, journalctl, systemctl, pagers, the service helpers). When
        several match, the oldest one wins, because a launcher starts the run
        before any helper it spawns.
    */
    std::optional<ProcessIdentity> findByCommandLine(const QString &buildName,
                                                     qint64 excludePid) const;

    /*! Returns true when the process of \a identity still exists and is not a zombie. */
    bool isAlive(const ProcessIdentity &identity) const;

private:
    struct StatFields
    {
        char state = '?';
        qint64 parentPid = 0;
        quint64 startTicks = 0;
    };
    std::optional<StatFields> readStat(qint64 pid) const;

    QString m_procRoot;
};
