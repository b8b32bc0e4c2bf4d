#include "gui/consolecommand.h"

#include "gui/messagepreview.h"
#include "gui/runrow.h"
#include "shared/buildname.h"
#include "shared/runcontrol.h"
#include "shared/staterootmonitor.h"
#include "shared/stateroots.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace {

constexpr int s_exitFailure = 1;
constexpr int s_exitUsage = 64;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

struct ConsoleRoot
{
    StateRootConfig config;
    StateRootSnapshot snapshot;
};

// Reads every root once, on monitor threads, so that one hanging mount only
// costs its read timeout.
QList<ConsoleRoot> readRoots(const QList<StateRootConfig> &configs, int timeoutSeconds)
{
    QList<ConsoleRoot> roots;
    QList<StateRootMonitor *> monitors;
    QEventLoop loop;
    int pending = int(configs.size());
    for (const StateRootConfig &config : configs) {
        roots.append(ConsoleRoot{config, {}});
        auto *monitor = new StateRootMonitor(config.path);
        monitor->setReadTimeout(std::chrono::seconds(timeoutSeconds));
        monitors.append(monitor);
        const int index = int(roots.size()) - 1;
        QObject::connect(monitor, &StateRootMonitor::snapshotChanged, &loop,
                         [&roots, &pending, &loop, index](const StateRootSnapshot &snapshot) {
                             if (roots[index].snapshot.rootPath.isEmpty()) {
                                 roots[index].snapshot = snapshot;
                                 if (--pending == 0)
                                     loop.quit();
                             }
                         });
        monitor->refresh();
    }
    if (pending > 0)
        loop.exec();
    qDeleteAll(monitors);
    return roots;
}

QList<RunRow> rowsOf(const QList<ConsoleRoot> &roots)
{
    QList<RunRow> rows;
    for (const ConsoleRoot &root : roots) {
        for (const RunEntry &entry : root.snapshot.runs) {
            RunRow row;
            row.rootPath = root.config.path;
            row.controllerName = root.config.displayName();
            row.rootReachable = root.snapshot.reachable;
            row.entry = entry;
            rows.append(row);
        }
    }
    return rows;
}

QJsonObject rowToJson(const RunRow &row, const QDateTime &now)
{
    QJsonObject object{
            {QStringLiteral("root"), row.rootPath},
            {QStringLiteral("controller"), row.controllerName},
            {QStringLiteral("build_name"), row.buildName()},
            {QStringLiteral("display_state"), displayStateName(displayStateOf(row, now))},
            {QStringLiteral("stale"), row.isStale()},
            {QStringLiteral("read_error"), row.entry.readError},
            {QStringLiteral("cancel_requested"), row.entry.cancelRequested},
    };
    if (!row.entry.recordJson.isEmpty())
        object.insert(QStringLiteral("state"),
                      QJsonDocument::fromJson(row.entry.recordJson).object());
    return object;
}

QString progressText(const RunRecord &record)
{
    return QStringLiteral("%1/%2")
            .arg(record.progress.specsDone)
            .arg(record.progress.specsTotal < 0 ? QStringLiteral("?")
                                                : QString::number(record.progress.specsTotal));
}

int listRuns(const QList<ConsoleRoot> &roots, bool json, const QDateTime &now)
{
    const QList<RunRow> rows = rowsOf(roots);
    if (json) {
        QJsonArray rootArray;
        for (const ConsoleRoot &root : roots) {
            rootArray.append(QJsonObject{
                    {QStringLiteral("path"), root.config.path},
                    {QStringLiteral("controller"), root.config.displayName()},
                    {QStringLiteral("reachable"), root.snapshot.reachable},
                    {QStringLiteral("error"), root.snapshot.error},
                    {QStringLiteral("fuse_mount"), root.snapshot.fuseMount},
                    {QStringLiteral("newest_update_at"),
                     root.snapshot.newestUpdateAt.toString(Qt::ISODate)},
            });
        }
        QJsonArray runArray;
        for (const RunRow &row : rows)
            runArray.append(rowToJson(row, now));
        out() << QJsonDocument(QJsonObject{{QStringLiteral("roots"), rootArray},
                                           {QStringLiteral("runs"), runArray}})
                         .toJson(QJsonDocument::Indented);
        return 0;
    }

    for (const ConsoleRoot &root : roots) {
        if (!root.snapshot.reachable) {
            err() << "Root " << root.config.displayName() << " (" << root.config.path
                  << ") is unreachable: " << root.snapshot.error << "\n";
        }
    }
    out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                     .arg(QStringLiteral("BUILD"), -40)
                     .arg(QStringLiteral("CONTROLLER"), -12)
                     .arg(QStringLiteral("STATE"), -22)
                     .arg(QStringLiteral("SPECS"), -8)
                     .arg(QStringLiteral("PASS"), 5)
                     .arg(QStringLiteral("FAIL"), 5)
                     .arg(QStringLiteral("ELAPSED"));
    for (const RunRow &row : rows) {
        const RunRecord *record = row.entry.record ? &*row.entry.record : nullptr;
        QString state = displayStateName(displayStateOf(row, now));
        if (row.isStale())
            state += QStringLiteral(" (stale)");
        out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                         .arg(row.buildName(), -40)
                         .arg(row.controllerName, -12)
                         .arg(state, -22)
                         .arg(record ? progressText(*record) : QString(), -8)
                         .arg(record ? QString::number(record->progress.passing) : QString(), 5)
                         .arg(record ? QString::number(record->progress.failing) : QString(), 5)
                         .arg(record ? formatAge(runDurationSeconds(*record, now)) : QString());
    }
    return 0;
}

std::optional<RunRow> findRun(const QList<ConsoleRoot> &roots, const QString &buildName,
                              QString *error)
{
    QList<RunRow> matches;
    for (const RunRow &row : rowsOf(roots)) {
        if (row.buildName() == buildName)
            matches.append(row);
    }
    if (matches.isEmpty()) {
        *error = QStringLiteral("Build \"%1\" not found in any state root; run \"list\" to see "
                                "the builds.")
                         .arg(buildName);
        return std::nullopt;
    }
    if (matches.size() > 1) {
        *error = QStringLiteral("Build \"%1\" exists in %2 roots; pick one with --root.")
                         .arg(buildName)
                         .arg(matches.size());
        return std::nullopt;
    }
    return matches.constFirst();
}

int showRun(const RunRow &row, bool json, const QDateTime &now)
{
    if (json) {
        out() << QJsonDocument(rowToJson(row, now)).toJson(QJsonDocument::Indented);
        return 0;
    }
    out() << "Build:       " << row.buildName() << "\n";
    out() << "Controller:  " << row.controllerName << " (" << row.rootPath << ")\n";
    out() << "State:       " << displayStateName(displayStateOf(row, now))
          << (row.isStale() ? QStringLiteral(" (stale: %1)").arg(row.entry.readError) : QString())
          << "\n";
    if (!row.entry.record) {
        out() << "Note:        " << row.entry.readError << "\n";
        return 0;
    }
    const RunRecord &record = *row.entry.record;
    out() << "Reason:      " << record.reason << "\n";
    out() << "Template:    " << record.metadata.templateName << "\n";
    out() << "Config:      " << record.metadata.configFamily << "\n";
    out() << "Migration:   " << record.metadata.migrationStyle << "\n";
    out() << "Plugin:      " << record.metadata.integrationPlugin << "\n";
    out() << "Scope:       " << record.metadata.scopeDescription << "\n";
    out() << "Started:     " << record.startedAt.toString(Qt::ISODate) << "\n";
    out() << "Updated:     " << record.updatedAt.toString(Qt::ISODate) << "\n";
    out() << "Finished:    " << record.finishedAt.toString(Qt::ISODate) << "\n";
    out() << "Specs:       " << progressText(record) << ", " << record.progress.specsFailed
          << " failed; current: " << record.progress.currentSpec << "\n";
    out() << "Tests:       " << record.progress.tests << " (" << record.progress.passing
          << " passing, " << record.progress.failing << " failing, " << record.progress.pending
          << " pending, " << record.progress.skipped << " skipped)\n";
    out() << "Posted:      "
          << (record.posted ? record.postedAt.toString(Qt::ISODate) : QStringLiteral("no")) << "\n";
    if (!record.lastError.isEmpty())
        out() << "Last error:  " << record.lastError << "\n";
    for (const GuestSystem &guest : record.guests)
        out() << "Guest:       " << guest.token << " "
              << guest.kernel.value_or(QStringLiteral("(no kernel)")) << "\n";
    for (const FailedTest &failure : record.progress.failures)
        out() << "Failure:     " << failure.spec << ": " << failure.title << ": " << failure.error
              << "\n";
    return 0;
}

std::optional<ConsoleRoot> pickRoot(const QList<ConsoleRoot> &roots, QString *error)
{
    if (roots.size() == 1)
        return roots.constFirst();
    *error = roots.isEmpty() ? QStringLiteral("No state root configured; pass --root PATH[=NAME].")
                             : QStringLiteral("%1 state roots are configured; pick one with "
                                              "--root PATH[=NAME].")
                                       .arg(roots.size());
    return std::nullopt;
}

std::optional<QJsonObject> waitForOutcome(const QString &rootPath, const QString &id,
                                          int waitSeconds)
{
    const QString path =
            startResultsDirPath(rootPath) + QLatin1Char('/') + id + QStringLiteral(".result.json");
    QElapsedTimer timer;
    timer.start();
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(500);
    std::optional<QJsonObject> outcome;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
            if (document.isObject()) {
                outcome = document.object();
                loop.quit();
                return;
            }
        }
        if (timer.elapsed() > waitSeconds * 1000LL)
            loop.quit();
    });
    poll.start();
    loop.exec();
    return outcome;
}

// Runs the root's start command, bounded by timeoutSeconds, with its output passed through.
int runStartCommand(const ConsoleRoot &root, const StartRequest &request, int timeoutSeconds)
{
    const QString program = root.config.startCommand.constFirst();
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(program,
                  startCommandArguments(root.config.startCommand, startScriptOptions(request)));
    if (!process.waitForStarted(timeoutSeconds * 1000)) {
        err() << "Cannot run start command \"" << program << "\": " << process.errorString()
              << ".\n";
        return s_exitFailure;
    }
    if (!process.waitForFinished(timeoutSeconds * 1000)) {
        process.kill();
        process.waitForFinished(5000);
        err() << "Start command \"" << program << "\" did not finish within " << timeoutSeconds
              << " s and was stopped; check the controller, or raise --timeout.\n";
        return s_exitFailure;
    }
    if (process.exitStatus() != QProcess::NormalExit) {
        err() << "Start command \"" << program
              << "\" crashed or was killed by a signal; the watcher may not have started.\n";
        return s_exitFailure;
    }
    if (process.exitCode() != 0) {
        err() << "Start command \"" << program << "\" failed with exit status "
              << process.exitCode() << "; its output above says why.\n";
        return s_exitFailure;
    }
    return 0;
}

int startRun(const ConsoleRoot &root, const QCommandLineParser &parser, int waitSeconds,
             int timeoutSeconds, bool json)
{
    StartRequest request;
    request.buildName = parser.value(QStringLiteral("build-name"));
    request.metadata.templateName = parser.value(QStringLiteral("template"));
    request.metadata.configFamily = parser.value(QStringLiteral("config-family"));
    request.metadata.migrationStyle = parser.value(QStringLiteral("migration-style"));
    request.metadata.integrationPlugin = parser.value(QStringLiteral("integration-plugin"));
    request.metadata.scopeDescription = parser.value(QStringLiteral("scope-description"));

    if (!root.config.startCommand.isEmpty())
        return runStartCommand(root, request, timeoutSeconds);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    request.id = newStartRequestId(now);
    request.requestedAt = now;
    request.requestedBy = currentUserAtHost();
    const ControlWriteResult result = writeStartRequest(root.config.path, request);
    if (!result.ok) {
        err() << result.error << "\n";
        return s_exitFailure;
    }

    std::optional<QJsonObject> outcome;
    if (waitSeconds > 0)
        outcome = waitForOutcome(root.config.path, request.id, waitSeconds);

    if (json) {
        QJsonObject object{{QStringLiteral("id"), request.id},
                           {QStringLiteral("request"), result.path}};
        if (outcome)
            object.insert(QStringLiteral("outcome"), *outcome);
        out() << QJsonDocument(object).toJson(QJsonDocument::Indented);
    } else {
        out() << "Start request " << request.id << " written to " << result.path << "\n";
        if (outcome) {
            out() << "Outcome: " << outcome->value(QStringLiteral("outcome")).toString() << ": "
                  << outcome->value(QStringLiteral("message")).toString() << "\n";
        }
    }
    if (waitSeconds > 0 && !outcome) {
        err() << "No outcome for start request " << request.id << " within " << waitSeconds
              << " s; check atvm-run-watcher-requests.path on the controller.\n";
        return s_exitFailure;
    }
    if (outcome && outcome->value(QStringLiteral("outcome")).toString() != QLatin1String("started"))
        return s_exitFailure;
    return 0;
}

} // namespace

int runConsole(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Lists, shows, starts and cancels ATVM watcher runs from the state roots.\n\n"
            "Commands:\n"
            "  list             list the runs of every root\n"
            "  show BUILD       show one run\n"
            "  preview BUILD    print the run's Mattermost message as markdown\n"
            "  start            start a watcher (--build-name and the metadata options)\n"
            "  cancel BUILD     write the cancellation marker of a WATCHING run\n\n"
            "BUILD is the name of the run's folder in the state root."));
    parser.addHelpOption();
    parser.addOptions({
            {QStringLiteral("console"), QStringLiteral("Run in console mode (no window).")},
            {QStringLiteral("json"), QStringLiteral("Print JSON for scripts.")},
            {QStringLiteral("root"),
             QStringLiteral("State root to read, as PATH or PATH=NAME; repeat for several. "
                            "Replaces the configured roots."),
             QStringLiteral("PATH[=NAME]")},
            {QStringLiteral("timeout"),
             QStringLiteral("Seconds to wait for a root before calling it unreachable, and "
                            "for a root's start command to finish (default 10)."),
             QStringLiteral("SECONDS"), QStringLiteral("10")},
            {QStringLiteral("build-name"), QStringLiteral("start: the build name."),
             QStringLiteral("NAME")},
            {QStringLiteral("template"), QStringLiteral("start: the run's template."),
             QStringLiteral("TEXT")},
            {QStringLiteral("config-family"), QStringLiteral("start: the config family."),
             QStringLiteral("TEXT")},
            {QStringLiteral("migration-style"), QStringLiteral("start: the migration style."),
             QStringLiteral("TEXT")},
            {QStringLiteral("integration-plugin"), QStringLiteral("start: the integration plugin."),
             QStringLiteral("TEXT")},
            {QStringLiteral("scope-description"), QStringLiteral("start: the scope description."),
             QStringLiteral("TEXT")},
            {QStringLiteral("wait"),
             QStringLiteral("start: seconds to wait for the controller's outcome (default 0: "
                            "do not wait)."),
             QStringLiteral("SECONDS"), QStringLiteral("0")},
    });
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("list, show, preview, start or cancel."));

    if (!parser.parse(arguments)) {
        err() << parser.errorText() << "\n";
        return s_exitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        return 0;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        err() << "Missing command; use list, show BUILD, preview BUILD, start or cancel BUILD.\n";
        return s_exitUsage;
    }
    const QString command = positional.constFirst();
    const bool json = parser.isSet(QStringLiteral("json"));

    bool timeoutValid = false;
    const int timeoutSeconds = parser.value(QStringLiteral("timeout")).toInt(&timeoutValid);
    if (!timeoutValid || timeoutSeconds < 1) {
        err() << "Invalid --timeout \"" << parser.value(QStringLiteral("timeout"))
              << "\"; use a whole number of seconds, at least 1.\n";
        return s_exitUsage;
    }

    bool waitValid = false;
    const int waitSeconds = parser.value(QStringLiteral("wait")).toInt(&waitValid);
    if (!waitValid || waitSeconds < 0) {
        err() << "Invalid --wait \"" << parser.value(QStringLiteral("wait"))
              << "\"; use a whole number of seconds, 0 (do not wait) or more.\n";
        return s_exitUsage;
    }

    QList<StateRootConfig> configs;
    const QStringList rootArguments = parser.values(QStringLiteral("root"));
    for (const QString &argument : rootArguments) {
        const std::optional<StateRootConfig> root = parseStateRootArgument(argument);
        if (!root) {
            err() << "Invalid --root \"" << argument << "\"; use PATH or PATH=NAME.\n";
            return s_exitUsage;
        }
        configs.append(*root);
    }
    if (configs.isEmpty()) {
        QSettings settings;
        configs = loadStateRoots(settings);
    }
    configs = withDistinctControllerNames(configs);

    const bool needsBuild = command == QLatin1String("show") || command == QLatin1String("preview")
            || command == QLatin1String("cancel");
    if (needsBuild && positional.size() != 2) {
        err() << "The " << command << " command takes one build name, for example \"" << command
              << " e2e-redhat9.6-ubuntu24.04-w2k25-fc\".\n";
        return s_exitUsage;
    }
    const bool known =
            needsBuild || command == QLatin1String("list") || command == QLatin1String("start");
    if (!known) {
        err() << "Unknown command \"" << command
              << "\"; use list, show, preview, start or cancel.\n";
        return s_exitUsage;
    }
    if (command == QLatin1String("start")) {
        if (const std::optional<QString> error =
                    validateBuildName(parser.value(QStringLiteral("build-name")))) {
            err() << *error << " Pass it with --build-name.\n";
            return s_exitUsage;
        }
    }

    const QList<ConsoleRoot> roots = readRoots(configs, timeoutSeconds);
    const QDateTime now = QDateTime::currentDateTimeUtc();

    if (command == QLatin1String("list"))
        return listRuns(roots, json, now);

    QString error;
    if (command == QLatin1String("start")) {
        const std::optional<ConsoleRoot> root = pickRoot(roots, &error);
        if (!root) {
            err() << error << "\n";
            return s_exitUsage;
        }
        return startRun(*root, parser, waitSeconds, timeoutSeconds, json);
    }

    const std::optional<RunRow> row = findRun(roots, positional.at(1), &error);
    if (!row) {
        err() << error << "\n";
        return s_exitFailure;
    }
    if (command == QLatin1String("show"))
        return showRun(*row, json, now);
    if (command == QLatin1String("preview")) {
        const QString markdown = messagePreviewMarkdown(*row, now);
        if (json)
            out() << QJsonDocument(QJsonObject{{QStringLiteral("build_name"), row->buildName()},
                                               {QStringLiteral("from_message_file"),
                                                !row->entry.messageMarkdown.isEmpty()},
                                               {QStringLiteral("markdown"), markdown}})
                             .toJson(QJsonDocument::Indented);
        else
            out() << markdown << "\n";
        return 0;
    }

    const ControlWriteResult result =
            writeCancelMarker(row->rootPath, row->buildName(), currentUserAtHost(), now);
    if (!result.ok) {
        err() << result.error << "\n";
        return s_exitFailure;
    }
    if (json)
        out() << QJsonDocument(QJsonObject{{QStringLiteral("cancel_marker"), result.path}})
                         .toJson(QJsonDocument::Indented);
    else
        out() << "Cancellation marker written to " << result.path
              << "; the watcher records CANCELLED when it sees it.\n";
    return 0;
}
