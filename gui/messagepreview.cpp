#include "gui/messagepreview.h"

#include "shared/statusmessage.h"

#include <QCoreApplication>

QString messagePreviewMarkdown(const RunRow &row, const QDateTime &now)
{
    if (!row.entry.messageMarkdown.isEmpty())
        return row.entry.messageMarkdown;
    if (!row.entry.record) {
        return QCoreApplication::translate("MessagePreview",
                                           "*No state yet, so there is no message to preview.*");
    }

    const RunRecord &record = *row.entry.record;
    StatusMessageInput input;
    input.buildName = row.buildName();
    input.state = record.state;
    input.reason = record.reason;
    input.metadata = record.metadata;
    for (const GuestSystem &guest : record.guests)
        input.guests.append(GuestKernel{guest.token, guest.kernel});
    input.progress = record.progress;
    input.duration = formatAge(runDurationSeconds(record, now));
    input.logPath = record.runLogPath;
    input.host = row.controllerName;

    const QString note = isPosted(record.state)
            ? QCoreApplication::translate("MessagePreview",
                                          "*The watcher has not written message.md yet. This "
                                          "preview is built here from state.json.*")
            : QCoreApplication::translate("MessagePreview",
                                          "*Preview only: a %1 run is not posted. This is the "
                                          "message its current state would give.*")
                      .arg(runStateName(record.state));
    return note + QStringLiteral("\n\n---\n\n") + buildStatusMessage(input);
}

QString markdownWithHardLineBreaks(const QString &markdown)
{
    QStringList lines = markdown.split(QLatin1Char('\n'));
    bool inFence = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString &line = lines[i];
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1String("```")) || trimmed.startsWith(QLatin1String("~~~"))) {
            inFence = !inFence;
            continue;
        }
        const bool nextIsText = i + 1 < lines.size() && !lines.at(i + 1).trimmed().isEmpty();
        if (inFence || trimmed.isEmpty() || !nextIsText)
            continue;
        if (!line.endsWith(QLatin1String("  ")) && !line.endsWith(QLatin1Char('\\')))
            line += QLatin1String("  ");
    }
    return lines.join(QLatin1Char('\n'));
}
