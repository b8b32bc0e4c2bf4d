#pragma once

#include "shared/runmetadata.h"
#include "shared/runprogress.h"
#include "shared/runstate.h"

#include <QList>
#include <QString>

#include <optional>

/*! \brief One guest system of the build and its kernel; no kernel means unknown. */
struct GuestKernel
{
    QString token;
    std::optional<QString> kernel;
};

/*! \brief Everything the status message shows about one finished run. */
struct StatusMessageInput
{
    QString buildName;
    RunState state = RunState::Unknown;
    QString reason;
    RunMetadata metadata;
    QList<GuestKernel> guests;
    RunProgress progress;
    QString duration; // already formatted, for example "3h 12m"
    QString logPath;
    QString host;
};

/*!
    The maximum length of a status message in UTF-16 code units. A code point
    takes one or two of them, so the message has at most as many code points.
*/
constexpr int maxStatusMessageLength = 4000;

/*! The number of failed specs, failed tests and guests listed before "and N more". */
constexpr int maxListedItems = 10;

/*!
    \brief Builds the Mattermost markdown post for a run.

    The message is at most maxStatusMessageLength characters, so a
    Mattermost server (16,383 code points per post) creates exactly one post.
    Every value is shown as text: see escapeMarkdownText() and
    docs/status-template.md.
*/
QString buildStatusMessage(const StatusMessageInput &input);

/*!
    \brief Escapes \a text so that Mattermost shows it literally.

    Line breaks and other control characters become spaces. The characters
    that Mattermost's markdown renderer (its marked fork, inline "escape"
    rule) accepts a backslash escape for, \c{` * _ { } [ ] ( ) # + - . ! > | ~},
    get a backslash. Other specials would show that backslash, so '\\', '<',
    '&', ':' and '$' become HTML character references, which the browser
    shows as the plain character. Escaping '.' and ':' also stops autolinks
    such as "http://x" and "www.x". A zero-width joiner
    (U+200D) is inserted after each '@' followed by a letter, digit or '_',
    so "@channel", "@here", "@all" and user names never ping.

    NOTE: the rules follow the source of the web client's renderer and were
    not tried on a live server or the mobile apps' markdown library.
*/
QString escapeMarkdownText(const QString &text);

/*!
    \brief Puts \a text in an inline code span, for paths and names.

    The fence is one backtick longer than the longest backtick run in the text,
    with a padding space when the text starts or ends with a backtick. Line
    breaks become spaces and mentions are broken as in escapeMarkdownText().
    Code spans take no escapes, so the result does not belong in a table cell,
    where a '|' would still end the cell.
*/
QString markdownCode(const QString &text);
