#include "doubleoptions.h"

#include <QCommandLineParser>
#include <QRegularExpression>

#include <cstdio>

namespace {

QString modeList()
{
    QString text =
            QStringLiteral("Modes (one per request with --sequence; the last one repeats):\n");
    for (const WebhookModeInfo &info : webhookModes()) {
        text += QStringLiteral("  %1 %2\n")
                        .arg(QString::fromLatin1(info.name).leftJustified(22),
                             QString::fromLatin1(info.description));
    }
    return text;
}

std::optional<int> parseNonNegative(const QString &value, int maximum)
{
    bool ok = false;
    const int number = value.toInt(&ok);
    if (!ok || number < 0 || number > maximum)
        return std::nullopt;
    return number;
}

} // namespace

DoubleOptionsResult parseDoubleOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "A faithful stand-in for a Mattermost incoming webhook (POST /hooks/<id>) for tests "
            "and "
            "demos.\nIt listens on 127.0.0.1 only, answers byte for byte like a Mattermost server "
            "or the proxy in front of it, and records every request it receives.\n"
            "It stops on SIGTERM or SIGINT, or after --exit-after-posts posts.\n\n"
            "Routing, as on a real server: GET or HEAD on any path returns the web app's HTML "
            "page (200); other methods on a path that is not <subpath>/hooks/<id> with an id of "
            "letters and digits return 405 with an empty body; an unclean path (\"//\", \".\", "
            "\"..\") returns 301 to the cleaned path.\n"
            "In mode ok a webhook POST is decoded like Mattermost does: an unparsable "
            "Content-Type, an undecodable body or a body over --body-cap bytes returns 400, an "
            "empty text returns 400, an unknown hook id returns 400, anything else 200 \"ok\"."));
    parser.addHelpOption();

    const QCommandLineOption portOption(
            QStringLiteral("port"), QStringLiteral("TCP port to listen on; 0 picks a free one."),
            QStringLiteral("PORT"), QStringLiteral("0"));
    const QCommandLineOption portFileOption(
            QStringLiteral("port-file"),
            QStringLiteral("Write the port actually listened on to FILE once listening."),
            QStringLiteral("FILE"));
    const QCommandLineOption hookIdOption(
            QStringLiteral("hook-id"),
            QStringLiteral("A known hook id (letters and digits); repeat for more. Default: %1.")
                    .arg(QLatin1String(DoubleOptions::DefaultHookId)),
            QStringLiteral("ID"));
    const QCommandLineOption modeOption(
            QStringLiteral("mode"), QStringLiteral("Answer every request in MODE (default ok)."),
            QStringLiteral("MODE"));
    const QCommandLineOption sequenceOption(
            QStringLiteral("sequence"),
            QStringLiteral("Answer the n-th request in the n-th mode of the comma-separated list; "
                           "the last mode repeats. Example: rate_limited,ok."),
            QStringLiteral("MODES"));
    const QCommandLineOption flavorOption(
            QStringLiteral("flavor"),
            QStringLiteral("Error bodies of Mattermost 10.2 and later (current, default) or of "
                           "earlier versions (legacy)."),
            QStringLiteral("current|legacy"), QStringLiteral("current"));
    const QCommandLineOption retryAfterOption(
            QStringLiteral("retry-after"),
            QStringLiteral("Retry-After and X-Ratelimit-Reset value in seconds for rate_limited "
                           "(default 1)."),
            QStringLiteral("SECONDS"), QStringLiteral("1"));
    const QCommandLineOption locationOption(
            QStringLiteral("location"),
            QStringLiteral("Location header of the redirect modes. Default: the request's own URL "
                           "on this server."),
            QStringLiteral("URL"));
    const QCommandLineOption recordOption(
            QStringLiteral("record"),
            QStringLiteral("Append one JSON line per request to FILE: method, target, headers, "
                           "body, parsed channel and text, receive time, mode, status sent and "
                           "whether a real server would have created a post."),
            QStringLiteral("FILE"));
    const QCommandLineOption subpathOption(
            QStringLiteral("subpath"),
            QStringLiteral("Serve under a site URL subpath such as /mattermost; other paths are "
                           "redirected there with 302."),
            QStringLiteral("PATH"));
    const QCommandLineOption bodyCapOption(
            QStringLiteral("body-cap"),
            QStringLiteral("Largest request body in bytes the handler decodes (default %1).")
                    .arg(DoubleOptions::DefaultBodyCap),
            QStringLiteral("BYTES"), QString::number(DoubleOptions::DefaultBodyCap));
    const QCommandLineOption delayOption(
            QStringLiteral("delay-ms"),
            QStringLiteral("Delay in milliseconds of ok_slow and ok_stalled_body (default 2000)."),
            QStringLiteral("MS"), QStringLiteral("2000"));
    const QCommandLineOption idleCloseOption(
            QStringLiteral("idle-close-ms"),
            QStringLiteral("Idle time in milliseconds before idle_close closes a connection "
                           "(default 1000)."),
            QStringLiteral("MS"), QStringLiteral("1000"));
    const QCommandLineOption exitAfterPostsOption(
            QStringLiteral("exit-after-posts"),
            QStringLiteral("Exit with status 0 after N requests that a real server would have "
                           "posted (0, the default, never)."),
            QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption lowerCaseOption(
            QStringLiteral("lower-case-headers"),
            QStringLiteral("Send every response header name in lower case."));
    const QCommandLineOption listModesOption(QStringLiteral("list-modes"),
                                             QStringLiteral("Print the modes and exit."));

    parser.addOptions({portOption, portFileOption, hookIdOption, modeOption, sequenceOption,
                       flavorOption, retryAfterOption, locationOption, recordOption, subpathOption,
                       bodyCapOption, delayOption, idleCloseOption, exitAfterPostsOption,
                       lowerCaseOption, listModesOption});

    DoubleOptionsResult result;
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText() + QLatin1Char('\n') + modeList()), stdout);
        result.helpShown = true;
        return result;
    }
    if (parser.isSet(listModesOption)) {
        std::fputs(qPrintable(modeList()), stdout);
        result.helpShown = true;
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.error = QStringLiteral("unexpected argument \"%1\"; see --help")
                               .arg(parser.positionalArguments().first());
        return result;
    }

    DoubleOptions options;
    const std::optional<int> port = parseNonNegative(parser.value(portOption), 65535);
    if (!port) {
        result.error = QStringLiteral("invalid --port \"%1\": use a number from 0 to 65535")
                               .arg(parser.value(portOption));
        return result;
    }
    options.port = static_cast<quint16>(*port);
    options.portFile = parser.value(portFileOption);

    static const QRegularExpression hookIdPattern(QStringLiteral("^[A-Za-z0-9]+$"));
    options.hookIds = parser.values(hookIdOption);
    if (options.hookIds.isEmpty())
        options.hookIds.append(QLatin1String(DoubleOptions::DefaultHookId));
    for (const QString &hookId : std::as_const(options.hookIds)) {
        if (!hookIdPattern.match(hookId).hasMatch()) {
            result.error = QStringLiteral("invalid --hook-id \"%1\": use letters and digits only")
                                   .arg(hookId);
            return result;
        }
    }

    if (parser.isSet(modeOption) && parser.isSet(sequenceOption)) {
        result.error = QStringLiteral("--mode and --sequence are exclusive; use one of them");
        return result;
    }
    QStringList modeNames;
    if (parser.isSet(modeOption))
        modeNames.append(parser.value(modeOption));
    if (parser.isSet(sequenceOption))
        modeNames = parser.value(sequenceOption).split(QLatin1Char(','));
    if (!modeNames.isEmpty())
        options.modes.clear();
    for (const QString &name : std::as_const(modeNames)) {
        const std::optional<WebhookMode> mode = webhookModeFromName(name.trimmed());
        if (!mode) {
            result.error = QStringLiteral("unknown mode \"%1\"; --list-modes prints the modes")
                                   .arg(name.trimmed());
            return result;
        }
        options.modes.append(*mode);
    }

    const QString flavor = parser.value(flavorOption);
    if (flavor == QLatin1String("current")) {
        options.flavor = WebhookFlavor::Current;
    } else if (flavor == QLatin1String("legacy")) {
        options.flavor = WebhookFlavor::Legacy;
    } else {
        result.error = QStringLiteral("invalid --flavor \"%1\": use current or legacy").arg(flavor);
        return result;
    }

    const struct
    {
        const QCommandLineOption &option;
        int &target;
        int maximum;
    } numbers[] = {
            {retryAfterOption, options.retryAfterSeconds, 86400},
            {delayOption, options.delayMs, 3600 * 1000},
            {idleCloseOption, options.idleCloseMs, 3600 * 1000},
            {exitAfterPostsOption, options.exitAfterPosts, 1000000},
    };
    for (const auto &number : numbers) {
        const QString value = parser.value(number.option);
        const std::optional<int> parsed = parseNonNegative(value, number.maximum);
        if (!parsed) {
            result.error = QStringLiteral("invalid --%1 \"%2\": use a whole number from 0 to %3")
                                   .arg(number.option.names().first(), value)
                                   .arg(number.maximum);
            return result;
        }
        number.target = *parsed;
    }

    bool bodyCapOk = false;
    options.bodyCap = parser.value(bodyCapOption).toLongLong(&bodyCapOk);
    if (!bodyCapOk || options.bodyCap < 0) {
        result.error = QStringLiteral("invalid --body-cap \"%1\": use a number of bytes")
                               .arg(parser.value(bodyCapOption));
        return result;
    }

    options.location = parser.value(locationOption);
    options.recordFile = parser.value(recordOption);
    options.subpath = parser.value(subpathOption);
    if (options.subpath.endsWith(QLatin1Char('/')))
        options.subpath.chop(1);
    if (!options.subpath.isEmpty() && !options.subpath.startsWith(QLatin1Char('/'))) {
        result.error = QStringLiteral("invalid --subpath \"%1\": it must start with /, for example "
                                      "/mattermost")
                               .arg(options.subpath);
        return result;
    }
    options.lowerCaseHeaderNames = parser.isSet(lowerCaseOption);

    result.options = options;
    return result;
}
