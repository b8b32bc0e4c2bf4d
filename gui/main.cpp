#include "gui/consolecommand.h"
#include "gui/dashboardroots.h"
#include "gui/mainwindow.h"
#include "shared/stateroots.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include <cstring>

namespace {

bool hasConsoleFlag(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--console") == 0)
            return true;
    }
    return false;
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("atvm"));
    QCoreApplication::setApplicationName(QStringLiteral("atvm-watcher-dashboard"));
}

} // namespace

int main(int argc, char *argv[])
{
    // Console mode must work without a display, so it never creates a QApplication.
    if (hasConsoleFlag(argc, argv)) {
        QCoreApplication app(argc, argv);
        setApplicationNames();
        return runConsole(QCoreApplication::arguments());
    }

    QApplication app(argc, argv);
    setApplicationNames();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Shows the ATVM watcher runs of local and sshfs-mounted state roots, and starts and "
            "cancels watchers. Add --console for the text mode (--console --help lists its "
            "commands)."));
    parser.addHelpOption();
    parser.addOptions({
            {QStringLiteral("console"),
             QStringLiteral("Run the console mode instead of the window.")},
            {QStringLiteral("root"),
             QStringLiteral("State root to show, as PATH or PATH=NAME; repeat for several. "
                            "Replaces the saved roots for this session."),
             QStringLiteral("PATH[=NAME]")},
            {QStringLiteral("select"), QStringLiteral("Select the run BUILD once it is read."),
             QStringLiteral("BUILD")},
    });
    parser.process(app);

    QSettings settings;
    QList<StateRootConfig> roots = loadStateRoots(settings);
    QList<StateRootConfig> overrides;
    const QStringList rootArguments = parser.values(QStringLiteral("root"));
    for (const QString &argument : rootArguments) {
        const std::optional<StateRootConfig> root = parseStateRootArgument(argument);
        if (!root) {
            qCritical("Invalid --root \"%s\"; use PATH or PATH=NAME.", qPrintable(argument));
            return 64;
        }
        overrides.append(*root);
    }
    const QString selectedBuild = parser.value(QStringLiteral("select"));
    // Roots given on the command line are for this session only and are not saved.
    QSettings *savedSettings = overrides.isEmpty() ? &settings : nullptr;
    if (!overrides.isEmpty())
        roots = overrides;

    const QString historyPath =
            QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                    .filePath(QStringLiteral("run-history.json"));
    DashboardRoots dashboardRoots(historyPath);
    for (const StateRootConfig &root : std::as_const(roots))
        dashboardRoots.addRoot(root);

    MainWindow window(savedSettings, &dashboardRoots);
    if (!selectedBuild.isEmpty())
        window.preselectRun(selectedBuild);
    window.show();
    return app.exec();
}
