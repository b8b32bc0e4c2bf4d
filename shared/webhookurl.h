#pragma once

#include <QString>
#include <QUrl>

#include <optional>

/*!
    Checks that \a webhook can be a Mattermost incoming webhook URL: http or
    https, a host, and a path that ends in the hook id. Returns an error
    message for an unusable URL; the message shows the URL redacted.
*/
std::optional<QString> webhookUrlError(const QUrl &webhook);

/*!
    Returns \a webhook in a form that is safe to log: scheme, host and port,
    with the path's last segment (the hook id, which is the webhook's only
    credential) replaced, and without user info, query or fragment. For
    example "https://chat.example.com/hooks/<redacted>".
*/
QString redactedWebhookUrl(const QUrl &webhook);

/*!
    Returns \a text with every form of \a webhook and of its hook id replaced
    by the redacted form. Qt error strings name the request URL, and
    Mattermost error messages name the hook id, so every text from the
    network passes through this before it is logged or reported.
*/
QString redactWebhookSecret(QString text, const QUrl &webhook);
