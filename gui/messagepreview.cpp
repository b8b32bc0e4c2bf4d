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
    input.buildName = record.buildName;
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
