#include "shared/statusmessage.h"

#include <QSet>
#include <QStringList>

#include <algorithm>

namespace {

// Maximum length of each kind of value, in characters before escaping.
constexpr int s_maxReasonLength = 400;
constexpr int s_maxFieldLength = 200;
constexpr int s_maxTitleLength = 160;
constexpr int s_maxErrorLength = 160;
constexpr int s_maxPathLength = 300;
constexpr int s_maxGuestLength = 100;

const QChar s_zeroWidthJoiner(0x200D);

bool isControl(QChar c)
{
    const char16_t code = c.unicode();
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code == 0x2028 || code == 0x2029
            || code == 0x2424; // Mattermost's marked fork turns U+2424 into a line break
}

bool isMentionCharacter(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

// Collapses control characters and runs of whitespace into single spaces.
QString singleLine(const QString &text)
{
    QString line;
    line.reserve(text.size());
    for (const QChar c : text)
        line.append(isControl(c) ? QLatin1Char(' ') : c);
    return line.simplified();
}

// Shortens to at most maxLength characters, ending with '…' when cut.
QString shorten(const QString &text, int maxLength)
{
    const QString line = singleLine(text);
    if (line.size() <= maxLength)
        return line;

    qsizetype cut = maxLength - 1;
    if (cut > 0 && line.at(cut).isLowSurrogate())
        --cut; // keep a surrogate pair whole
    return line.left(cut) + QChar(0x2026);
}

QString breakMentions(const QString &text)
{
    QString result;
    result.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        result.append(text.at(i));
        if (text.at(i) == QLatin1Char('@') && i + 1 < text.size()
            && isMentionCharacter(text.at(i + 1))) {
            result.append(s_zeroWidthJoiner);
        }
    }
    return result;
}

QString stateSymbol(RunState state)
{
    switch (state) {
    case RunState::Completed:
        return QStringLiteral("\u2705"); // white heavy check mark
    case RunState::Failed:
        return QStringLiteral("\u274C"); // cross mark
    case RunState::Cancelled:
        return QStringLiteral("\U0001F6AB"); // no entry sign
    case RunState::Watching:
        return QStringLiteral("\u23F3"); // hourglass
    case RunState::Terminated:
    case RunState::Hung:
    case RunState::Unknown:
        break;
    }
    return QStringLiteral("\u26A0\uFE0F"); // warning sign
}

QString fieldValue(const QString &value)
{
    const QString shown = shorten(value, s_maxFieldLength);
    return shown.isEmpty() ? QStringLiteral("_not set_") : escapeMarkdownText(shown);
}

QString andMore(int count)
{
    return QStringLiteral("- _and %1 more_").arg(count);
}

QStringList headerLines(const StatusMessageInput &input)
{
    QStringList lines;
    lines.append(QStringLiteral("#### %1 %2: %3")
                         .arg(stateSymbol(input.state), runStateName(input.state),
                              markdownCode(shorten(input.buildName, s_maxPathLength))));

    const QString reason = shorten(input.reason, s_maxReasonLength);
    if (!reason.isEmpty())
        lines.append(escapeMarkdownText(reason));

    lines.append(QString());
    lines.append(QStringLiteral("**Template:** ") + fieldValue(input.metadata.templateName));
    lines.append(QStringLiteral("**Config family:** ") + fieldValue(input.metadata.configFamily));
    lines.append(QStringLiteral("**Migration style:** ")
                 + fieldValue(input.metadata.migrationStyle));
    lines.append(QStringLiteral("**Integration plugin:** ")
                 + fieldValue(input.metadata.integrationPlugin));
    lines.append(QStringLiteral("**Scope:** ") + fieldValue(input.metadata.scopeDescription));
    return lines;
}

QStringList guestLines(const QList<GuestKernel> &guests)
{
    QStringList lines;
    lines.append(QString());
    if (guests.isEmpty()) {
        lines.append(QStringLiteral("**Guests:** _none named in the build name_"));
        return lines;
    }

    lines.append(QStringLiteral("| Guest | Kernel |"));
    lines.append(QStringLiteral("|:------|:-------|"));
    const int shown = std::min<int>(guests.size(), maxListedItems);
    for (int i = 0; i < shown; ++i) {
        const GuestKernel &guest = guests.at(i);
        const QString kernel = guest.kernel && !guest.kernel->trimmed().isEmpty()
                ? escapeMarkdownText(shorten(*guest.kernel, s_maxGuestLength))
                : QStringLiteral("unknown");
        lines.append(
                QStringLiteral("| %1 | %2 |")
                        .arg(escapeMarkdownText(shorten(guest.token, s_maxGuestLength)), kernel));
    }
    if (guests.size() > shown)
        lines.append(QStringLiteral("| _and %1 more_ | |").arg(guests.size() - shown));
    return lines;
}

QStringList totalLines(const StatusMessageInput &input)
{
    const RunProgress &progress = input.progress;
    const QString specsTotal = progress.specsTotal < 0 ? QStringLiteral("unknown")
                                                       : QString::number(progress.specsTotal);

    QStringList lines;
    lines.append(QString());
    lines.append(QStringLiteral("**Tests:** %1 \u00B7 **Passing:** %2 \u00B7 **Failing:** %3 "
                                "\u00B7 **Pending:** %4 \u00B7 **Skipped:** %5")
                         .arg(progress.tests)
                         .arg(progress.passing)
                         .arg(progress.failing)
                         .arg(progress.pending)
                         .arg(progress.skipped));
    lines.append(QStringLiteral("**Specs:** %1 of %2 done, %3 failed")
                         .arg(progress.specsDone)
                         .arg(specsTotal)
                         .arg(progress.specsFailed));
    lines.append(QStringLiteral("**Duration:** ") + fieldValue(input.duration));
    return lines;
}

QStringList failureLines(const RunProgress &progress)
{
    QStringList failedSpecs;
    QSet<QString> seenSpecs;
    for (const FailedTest &failure : progress.failures) {
        if (!failure.spec.isEmpty() && !seenSpecs.contains(failure.spec)) {
            seenSpecs.insert(failure.spec);
            failedSpecs.append(failure.spec);
        }
    }

    QStringList lines;
    const int specCount = std::max<int>(failedSpecs.size(), progress.specsFailed);
    if (specCount > 0) {
        lines.append(QString());
        lines.append(QStringLiteral("**Failed specs**"));
        const int shown = std::min<int>(failedSpecs.size(), maxListedItems);
        for (int i = 0; i < shown; ++i)
            lines.append(QStringLiteral("- ")
                         + markdownCode(shorten(failedSpecs.at(i), s_maxPathLength)));
        if (specCount > shown)
            lines.append(andMore(specCount - shown));
    }

    if (!progress.failures.isEmpty()) {
        lines.append(QString());
        lines.append(QStringLiteral("**Failed tests**"));
        const int shown = std::min<int>(progress.failures.size(), maxListedItems);
        for (int i = 0; i < shown; ++i) {
            const FailedTest &failure = progress.failures.at(i);
            QString line = QStringLiteral("- ");
            if (!failure.spec.isEmpty())
                line += markdownCode(shorten(failure.spec, s_maxPathLength)) + QLatin1Char(' ');
            line += escapeMarkdownText(shorten(failure.title, s_maxTitleLength));
            const QString error = shorten(failure.error, s_maxErrorLength);
            if (!error.isEmpty())
                line += QStringLiteral(": ") + escapeMarkdownText(error);
            lines.append(line);
        }
        if (progress.failures.size() > shown)
            lines.append(andMore(progress.failures.size() - shown));
    }
    return lines;
}

QString logLine(const StatusMessageInput &input)
{
    const QString path = shorten(input.logPath, s_maxPathLength);
    if (path.isEmpty())
        return QStringLiteral("**Log:** _not known_");

    const QString host = shorten(input.host, s_maxGuestLength);
    return QStringLiteral("**Log:** ")
            + markdownCode(host.isEmpty() ? path : host + QLatin1Char(':') + path);
}

} // namespace

QString escapeMarkdownText(const QString &text)
{
    // Only what can start formatting in running text is escaped, so the post
    // still reads as plain words in notifications and previews.
    static const QString alwaysEscaped = QStringLiteral("`*_~[]|");
    static const QString escapedAtStart = QStringLiteral("#-+>=");

    QString result;
    result.reserve(text.size() * 2);
    bool atStart = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < text.size() ? text.at(i + 1) : QChar();
        if (isControl(c)) {
            result.append(QLatin1Char(' '));
            continue;
        }

        const bool hashtag = c == QLatin1Char('#') && next.isLetterOrNumber();
        if (alwaysEscaped.contains(c) || hashtag || (atStart && escapedAtStart.contains(c))) {
            result.append(QLatin1Char('\\'));
            result.append(c);
        } else if (c == QLatin1Char('\\')) {
            result.append(QLatin1String("&#92;"));
        } else if (c == QLatin1Char('<')) {
            result.append(QLatin1String("&lt;"));
        } else if (c == QLatin1Char('&')) {
            result.append(QLatin1String("&amp;"));
        } else if (c == QLatin1Char('$')) {
            result.append(QLatin1String("&#36;")); // inline LaTeX, where the server enables it
        } else if (c == QLatin1Char(':') && !next.isNull() && !next.isSpace()) {
            // Breaks emoji names (":smile:") and URL schemes ("http://").
            result.append(QLatin1String("&#58;"));
        } else if (atStart && (c == QLatin1Char('.') || c == QLatin1Char(')')) && !result.isEmpty()
                   && result.back().isDigit() && (next.isNull() || next.isSpace())) {
            result.append(QLatin1Char('\\'));
            result.append(c); // "1." would start an ordered list
        } else if (c == QLatin1Char('.')
                   && result.endsWith(QLatin1String("www"), Qt::CaseInsensitive)) {
            result.append(QLatin1String("\\.")); // "www." would become a link
        } else {
            result.append(c);
            if (c == QLatin1Char('@') && isMentionCharacter(next))
                result.append(s_zeroWidthJoiner);
        }
        if (!c.isSpace() && !c.isDigit())
            atStart = false;
    }
    return result;
}

QString markdownCode(const QString &text)
{
    const QString content = breakMentions(singleLine(text));
    if (content.isEmpty())
        return QStringLiteral("_empty_");

    int longestRun = 0;
    int run = 0;
    for (const QChar c : content) {
        run = c == QLatin1Char('`') ? run + 1 : 0;
        longestRun = std::max(longestRun, run);
    }

    const QString fence(longestRun + 1, QLatin1Char('`'));
    const bool pad = content.startsWith(QLatin1Char('`')) || content.endsWith(QLatin1Char('`'));
    const QString padding = pad ? QStringLiteral(" ") : QString();
    return fence + padding + content + padding + fence;
}

QString buildStatusMessage(const StatusMessageInput &input)
{
    QStringList lines = headerLines(input);
    lines.append(guestLines(input.guests));
    lines.append(totalLines(input));
    lines.append(failureLines(input.progress));

    const QString footer = QStringLiteral("\n\n") + logLine(input);
    QString body = lines.join(QLatin1Char('\n'));
    if (body.size() + footer.size() <= maxStatusMessageLength)
        return body + footer;

    // Every value is capped, but escaping can double a value's length. Cut
    // whole lines, so no escape or code span is split, and keep the log line.
    const QString notice = QStringLiteral("\n_\u2026 message shortened to %1 characters_")
                                   .arg(maxStatusMessageLength);
    const qsizetype budget = maxStatusMessageLength - footer.size() - notice.size();
    qsizetype cut = body.lastIndexOf(QLatin1Char('\n'), budget);
    if (cut < 0)
        cut = 0;
    body.truncate(cut);
    return body + notice + footer;
}
