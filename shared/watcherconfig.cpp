#include "shared/watcherconfig.h"

#include "shared/buildname.h"
#include "shared/duration.h"
#include "shared/webhookurl.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace {

const QString s_defaultAutomationRoot = QStringLiteral("/root/cdc-e2e-cyp-12.17.4");
const QString s_defaultStateRoot = QStringLiteral("/var/lib/atvm-run-watcher");

// Long enough for any run; timers hold milliseconds in an int, about 24 days.
constexpr std::chrono::seconds s_maxDuration{7 * 24 * 3600};

struct OptionSpec
{
    const char *name;
    const char *variable;
    const char *valueName;
    const char *description;
};

// Each option with its environment form; the order is the order of --help.
const OptionSpec s_options[] = {
        {"build-name", "ATVM_BUILD_NAME", "name",
         "Build name of the run to watch (required), for example "
         "e2e-redhat9.6-ubuntu24.04-w2k25-fc."},
        {"automation-root", "ATVM_AUTOMATION_ROOT", "dir",
         "Folder of the Cypress automation (default /root/cdc-e2e-cyp-12.17.4)."},
        {"run-log", "ATVM_RUN_LOG", "file",
         "Run log to follow (default <automation root>/logs/<build>.log)."},
        {"report-dir", "ATVM_REPORT_DIR", "dir",
         "Reporter artifact folder with mochawesome JSON and JUnit XML files "
         "(default <automation root>/cmcReporter/<build>)."},
        {"pid-file", "ATVM_PID_FILE", "file",
         "PID file of the run's process (default <automation root>/logs/<build>.pid). Without "
         "it, the process whose command line contains the build name is used."},
        {"state-root", "ATVM_STATE_ROOT", "dir",
         "Folder that holds one state folder per build (default /var/lib/atvm-run-watcher)."},
        {"inventory", "ATVM_VM_INVENTORY", "file",
         "VM inventory in markdown, for guest kernels "
         "(default <automation root>/atvm/inventory/vm-inventory.md)."},
        {"poll-interval", "ATVM_POLL_INTERVAL", "duration",
         "How often files and the process are checked when no change is signalled "
         "(default 5s)."},
        {"hang-timeout", "ATVM_HANG_TIMEOUT", "duration",
         "A live run whose log and artifacts do not change for this long is HUNG (default 60m)."},
        {"startup-grace", "ATVM_STARTUP_GRACE", "duration",
         "How long to wait for the run's log or process to appear (default 5m)."},
        {"exit-grace", "ATVM_EXIT_GRACE", "duration",
         "How long a process may linger after Cypress printed its summary (default 2m)."},
        {"post-deadline", "ATVM_POST_DEADLINE", "duration",
         "How long to keep retrying the Mattermost post (default 15m)."},
};

QString optionValue(const QCommandLineParser &parser, const OptionSpec &spec,
                    const QProcessEnvironment &environment)
{
    const QString name = QString::fromLatin1(spec.name);
    if (parser.isSet(name))
        return parser.value(name);
    return environment.value(QString::fromLatin1(spec.variable));
}

QString optionLabel(const OptionSpec &spec)
{
    return QStringLiteral("--%1 (or %2)")
            .arg(QString::fromLatin1(spec.name), QString::fromLatin1(spec.variable));
}

WatcherConfigParse failure(const QString &message)
{
    WatcherConfigParse result;
    result.status = WatcherConfigParse::Status::Error;
    result.text = message;
    return result;
}

std::optional<QString> checkReadable(const QString &path, const QString &label, bool folder)
{
    const QFileInfo info(path);
    if (!info.exists())
        return std::nullopt; // it may appear later; the watcher waits for it
    if ((folder && !info.isDir()) || (!folder && !info.isFile())) {
        return QStringLiteral("%1 \"%2\" is not a %3. Give the path of a %3.")
                .arg(label, path,
                     folder ? QStringLiteral("folder") : QStringLiteral("regular file"));
    }
    if (!info.isReadable()) {
        return QStringLiteral("%1 \"%2\" is not readable by this user. Fix its permissions.")
                .arg(label, path);
    }
    return std::nullopt;
}

} // namespace

WatcherConfigParse parseWatcherConfig(const QStringList &arguments,
                                      const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Follows one Cypress end-to-end run until it ends, then posts its status to a "
            "Mattermost incoming webhook (COMPLETED and FAILED only) and records the final state.\n"
            "Environment: MATTERMOST_ATVM_WEBHOOK and MATTERMOST_ATVM_CHANNEL (required to "
            "post), ATVM_WATCHER_TEMPLATE, ATVM_WATCHER_CONFIG_FAMILY, "
            "ATVM_WATCHER_MIGRATION_STYLE, ATVM_WATCHER_INTEGRATION_PLUGIN, "
            "ATVM_WATCHER_SCOPE_DESCRIPTION.\n"
            "Durations take s, m and h, for example 90s, 5m or 1h30m.\n"
            "Exit codes: 0 final state recorded, 64 bad configuration, 69 post failed for good, "
            "75 another watcher holds this build."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    for (const OptionSpec &spec : s_options) {
        parser.addOption(QCommandLineOption(QString::fromLatin1(spec.name),
                                            QStringLiteral("%1 [env: %2]")
                                                    .arg(QString::fromLatin1(spec.description),
                                                         QString::fromLatin1(spec.variable)),
                                            QString::fromLatin1(spec.valueName)));
    }
    const QCommandLineOption dryRunOption(
            QStringLiteral("dry-run"),
            QStringLiteral("Do everything but send: print the status message instead of posting "
                           "it. [env: ATVM_DRY_RUN=1]"));
    parser.addOption(dryRunOption);

    if (!parser.parse(arguments)) {
        QString error = parser.errorText();
        while (error.endsWith(QLatin1Char('.')))
            error.chop(1);
        return failure(QStringLiteral("%1. Run with --help to list the options.").arg(error));
    }
    if (parser.isSet(helpOption)) {
        WatcherConfigParse result;
        result.status = WatcherConfigParse::Status::Help;
        result.text = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        WatcherConfigParse result;
        result.status = WatcherConfigParse::Status::Version;
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        return failure(QStringLiteral("Unexpected argument \"%1\". Options take the form "
                                      "--name value; run with --help to list them.")
                               .arg(parser.positionalArguments().constFirst()));
    }

    auto value = [&](int index) {
        return optionValue(parser, s_options[index], environment);
    };

    WatcherConfig config;
    config.environment = environment;
    config.buildName = value(0);
    if (config.buildName.isEmpty()) {
        return failure(QStringLiteral("Missing build name. Give --build-name NAME or set "
                                      "ATVM_BUILD_NAME."));
    }
    if (const std::optional<QString> error = validateBuildName(config.buildName))
        return failure(*error);

    config.automationRoot = value(1).isEmpty() ? s_defaultAutomationRoot : value(1);
    const QDir root(config.automationRoot);
    const QString logsFolder = root.filePath(QStringLiteral("logs"));
    config.runLog = value(2).isEmpty()
            ? QDir(logsFolder).filePath(config.buildName + QStringLiteral(".log"))
            : value(2);
    config.reportDir = value(3).isEmpty()
            ? QDir(root.filePath(QStringLiteral("cmcReporter"))).filePath(config.buildName)
            : value(3);
    config.pidFile = value(4).isEmpty()
            ? QDir(logsFolder).filePath(config.buildName + QStringLiteral(".pid"))
            : value(4);
    const QFileInfo pidInfo(config.pidFile);
    config.exitStatusFile =
            pidInfo.dir().filePath(pidInfo.completeBaseName() + QStringLiteral(".exit"));
    config.stateRoot = value(5).isEmpty() ? s_defaultStateRoot : value(5);
    config.inventory = value(6).isEmpty()
            ? root.filePath(QStringLiteral("atvm/inventory/vm-inventory.md"))
            : value(6);

    const bool usesRoot = value(2).isEmpty() || value(3).isEmpty() || value(4).isEmpty();
    if (usesRoot && !QFileInfo(config.automationRoot).isDir()) {
        return failure(QStringLiteral("The automation root \"%1\" does not exist. Set "
                                      "--automation-root, or give --run-log, --report-dir and "
                                      "--pid-file.")
                               .arg(config.automationRoot));
    }

    const struct
    {
        const QString &path;
        int option;
        bool folder;
    } paths[] = {{config.runLog, 2, false},
                 {config.reportDir, 3, true},
                 {config.pidFile, 4, false},
                 {config.stateRoot, 5, true},
                 {config.inventory, 6, false}};
    for (const auto &path : paths) {
        if (const auto error =
                    checkReadable(path.path, optionLabel(s_options[path.option]), path.folder)) {
            return failure(*error);
        }
    }

    std::chrono::seconds *durations[] = {&config.pollInterval, &config.hangTimeout,
                                         &config.startupGrace, &config.exitGrace,
                                         &config.postDeadline};
    for (int index = 7; index <= 11; ++index) {
        const QString text = value(index);
        if (text.isEmpty())
            continue;
        const std::optional<std::chrono::seconds> duration = parseDuration(text);
        if (duration && *duration > s_maxDuration) {
            return failure(QStringLiteral("Duration \"%1\" for %2 is longer than the maximum of "
                                          "7 days. Give a shorter duration.")
                                   .arg(text, optionLabel(s_options[index])));
        }
        if (!duration) {
            return failure(QStringLiteral("Invalid duration \"%1\" for %2. Use a positive number "
                                          "with s, m or h, for example 90s, 5m or 1h30m.")
                                   .arg(text, optionLabel(s_options[index])));
        }
        *durations[index - 7] = *duration;
    }

    const QString dryRunValue = environment.value(QStringLiteral("ATVM_DRY_RUN")).trimmed();
    static const QStringList yes{QStringLiteral("1"), QStringLiteral("true"),
                                 QStringLiteral("yes")};
    static const QStringList no{QString(), QStringLiteral("0"), QStringLiteral("false"),
                                QStringLiteral("no")};
    if (!yes.contains(dryRunValue.toLower()) && !no.contains(dryRunValue.toLower())) {
        return failure(QStringLiteral("Invalid ATVM_DRY_RUN value \"%1\". Use 1, true or yes to "
                                      "turn the dry run on, or 0, false, no or nothing to turn it "
                                      "off.")
                               .arg(dryRunValue));
    }
    config.dryRun = parser.isSet(dryRunOption) || yes.contains(dryRunValue.toLower());

    config.channel = environment.value(QStringLiteral("MATTERMOST_ATVM_CHANNEL"));
    const QString webhook = environment.value(QStringLiteral("MATTERMOST_ATVM_WEBHOOK"));
    config.webhook = QUrl(webhook, QUrl::StrictMode);
    if (!config.dryRun) {
        // The webhook URL is a secret, so errors name the variable, never its value.
        if (webhook.isEmpty()) {
            return failure(QStringLiteral("MATTERMOST_ATVM_WEBHOOK is not set. Put the incoming "
                                          "webhook URL in /etc/atvm-run-watcher.env, or use "
                                          "--dry-run."));
        }
        const QString scheme = config.webhook.scheme();
        if (!config.webhook.isValid() || config.webhook.host().isEmpty()
            || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
            return failure(QStringLiteral("MATTERMOST_ATVM_WEBHOOK is not a valid http or https "
                                          "URL. Copy the URL Mattermost shows for the incoming "
                                          "webhook, such as https://HOST/hooks/ID."));
        }
        // The poster's own check, so a URL without a hook id fails now, not after the run.
        if (const std::optional<QString> error = webhookUrlError(config.webhook))
            return failure(QStringLiteral("MATTERMOST_ATVM_WEBHOOK: %1").arg(*error));
        if (config.channel.isEmpty()) {
            return failure(QStringLiteral("MATTERMOST_ATVM_CHANNEL is not set. Put the channel "
                                          "name (for example atvm-e2e) in "
                                          "/etc/atvm-run-watcher.env, or use --dry-run."));
        }
    }

    WatcherConfigParse result;
    result.status = WatcherConfigParse::Status::Ok;
    result.config = config;
    return result;
}
