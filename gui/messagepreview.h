#pragma once

#include "gui/runrow.h"

/*!
    Returns the Mattermost message of \a row as markdown: message.md when the
    watcher wrote it, otherwise a preview built with buildStatusMessage() from
    the state, headed by a note that says so.
*/
QString messagePreviewMarkdown(const RunRow &row, const QDateTime &now);
