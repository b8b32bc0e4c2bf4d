#pragma once

#include "gui/runrow.h"

/*!
    Returns the Mattermost message of \a row as markdown: message.md when the
    watcher wrote it, otherwise a preview built with buildStatusMessage() from
    the state, headed by a note that it is a preview.
*/
QString messagePreviewMarkdown(const RunRow &row, const QDateTime &now);

/*!
    Returns \a markdown with each single line break turned into a hard break
    (two trailing spaces), outside fenced code blocks. Mattermost shows a single
    newline as a line break, while CommonMark joins the lines; this makes a
    local preview look like the post. Only for display: the text stays as written.
*/
QString markdownWithHardLineBreaks(const QString &markdown);
