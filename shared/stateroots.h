#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

/*! \brief One state root the dashboard reads: a local folder or an sshfs mount of a controller's root. */
struct StateRootConfig
{
    QString path;
    QString controllerName; // display name; the folder name when none is given

    /*!
        Program and arguments that start a watcher on the controller, for example
        {"ssh", "ctl1", "sudo", "/opt/atvm-watcher-service/libexec/start-atvm-run-watcher.sh"}.
        The start options are appended as separate arguments. Empty: start
        requests go through the root's request folder instead.
    */
    QStringList startCommand;

    QString displayName() const;
    bool operator==(const StateRootConfig &other) const;
};

/*! Reads the roots list from \a settings (array "roots" with keys path, name, start_command). */
QList<StateRootConfig> loadStateRoots(QSettings &settings);

/*! Writes \a roots to \a settings, replacing the stored list. */
void saveStateRoots(QSettings &settings, const QList<StateRootConfig> &roots);

/*! Parses a --root argument "PATH" or "PATH=NAME"; returns nothing for an empty path. */
std::optional<StateRootConfig> parseStateRootArgument(const QString &argument);

/*!
    Returns the arguments that run \a command with the start options of
    start-atvm-run-watcher.sh. When the program is ssh, each appended value is
    quoted for the remote POSIX shell, because ssh joins its arguments into one
    command line.
*/
/*!
    Returns root.displayName(), or a name not in \a takenNames: for a root
    named after its folder, the folder with as many parent folders as needed
    ("ctl2/atvm-run-watcher"), otherwise the name with a number ("ctl1 (2)").
    Rows, filters and the run history tell roots apart by this name.
*/
QString distinctControllerName(const StateRootConfig &root, const QStringList &takenNames);

/*! Returns \a roots with distinctControllerName() applied in order, so no two share a name. */
QList<StateRootConfig> withDistinctControllerNames(const QList<StateRootConfig> &roots);

QStringList startCommandArguments(const QStringList &command, const QStringList &startOptions);
