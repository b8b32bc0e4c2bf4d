#pragma once

#include <QString>

class QWidget;

/*
    Text from state files, start scripts and mounts is shown as plain text.
    Qt renders rich text in tooltips and message boxes whenever
    Qt::mightBeRichText() guesses so, and rich text can load images from any
    path, which blocks on a FIFO.
*/

/*! Returns \a text as a tooltip that Qt shows literally, line breaks kept. */
QString plainToolTip(const QString &text);

/*! Shows a modal warning with \a text as plain text. */
void showPlainWarning(QWidget *parent, const QString &title, const QString &text);

/*! Asks a yes/no question with \a text as plain text; returns true for Yes. */
bool askPlainQuestion(QWidget *parent, const QString &title, const QString &text);
