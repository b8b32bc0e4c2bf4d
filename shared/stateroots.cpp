#include "shared/stateroots.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

QString StateRootConfig::displayName() const
{
    if (!controllerName.isEmpty())
        return controllerName;
    const QString name = QFileInfo(QDir::cleanPath(path)).fileName();
    return name.isEmpty() ? path : name;
}

bool StateRootConfig::operator==(const StateRootConfig &other) const
{
    return path == other.path && controllerName == other.controllerName
            && startCommand == other.startCommand;
}

QList<StateRootConfig> loadStateRoots(QSettings &settings)
{
    QList<StateRootConfig> roots;
    const int count = settings.beginReadArray(QStringLiteral("roots"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        StateRootConfig root;
        root.path = settings.value(QStringLiteral("path")).toString();
        root.controllerName = settings.value(QStringLiteral("name")).toString();
        root.startCommand = settings.value(QStringLiteral("start_command")).toStringList();
        if (!root.path.isEmpty())
            roots.append(root);
    }
    settings.endArray();
    return roots;
}

void saveStateRoots(QSettings &settings, const QList<StateRootConfig> &roots)
{
    settings.remove(QStringLiteral("roots"));
    settings.beginWriteArray(QStringLiteral("roots"), int(roots.size()));
    for (int i = 0; i < roots.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("path"), roots.at(i).path);
        settings.setValue(QStringLiteral("name"), roots.at(i).controllerName);
        settings.setValue(QStringLiteral("start_command"), roots.at(i).startCommand);
    }
    settings.endArray();
    settings.sync();
}

std::optional<StateRootConfig> parseStateRootArgument(const QString &argument)
{
    const qsizetype separator = argument.indexOf(QLatin1Char('='));
    StateRootConfig root;
    root.path = separator < 0 ? argument : argument.left(separator);
    if (separator >= 0)
        root.controllerName = argument.mid(separator + 1);
    if (root.path.isEmpty())
        return std::nullopt;
    root.path = QDir::cleanPath(root.path);
    return root;
}

QString distinctControllerName(const StateRootConfig &root, const QStringList &takenNames)
{
    const QString name = root.displayName();
    if (!takenNames.contains(name))
        return name;

    if (root.controllerName.isEmpty()) {
        const QStringList folders =
                QDir::cleanPath(root.path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
        for (qsizetype count = 2; count <= folders.size(); ++count) {
            const QString candidate = folders.mid(folders.size() - count).join(QLatin1Char('/'));
            if (!takenNames.contains(candidate))
                return candidate;
        }
    }

    for (int number = 2;; ++number) {
        const QString candidate = QStringLiteral("%1 (%2)").arg(name).arg(number);
        if (!takenNames.contains(candidate))
            return candidate;
    }
}

QList<StateRootConfig> withDistinctControllerNames(const QList<StateRootConfig> &roots)
{
    QList<StateRootConfig> named;
    QStringList takenNames;
    for (StateRootConfig root : roots) {
        const QString name = distinctControllerName(root, takenNames);
        if (name != root.displayName())
            root.controllerName = name;
        takenNames.append(name);
        named.append(root);
    }
    return named;
}

QStringList startCommandArguments(const QStringList &command, const QStringList &startOptions)
{
    QStringList arguments = command.mid(1);
    const bool throughSsh = !command.isEmpty()
            && QFileInfo(command.constFirst()).fileName() == QLatin1String("ssh");
    for (const QString &option : startOptions) {
        if (!throughSsh) {
            arguments.append(option);
            continue;
        }
        QString quoted = option;
        quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
        arguments.append(QLatin1Char('\'') + quoted + QLatin1Char('\''));
    }
    return arguments;
}
