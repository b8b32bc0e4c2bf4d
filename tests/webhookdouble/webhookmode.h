#pragma once

#include <QList>
#include <QString>

#include <optional>

/*!
    \brief How the double responds to one request.

    Handler modes act like the Mattermost webhook handler and apply only to
    requests routed to it (POST <subpath>/hooks/<id>); other requests get the
    routing answer. Every other mode acts like a proxy or a broken connection
    and applies to any request.
*/
enum class WebhookMode {
    Ok,
    OkSlow,
    OkStalledBody,
    RateHeadersOk,
    BadPayload,
    NoText,
    UnknownHook,
    ChannelNotFound,
    ChannelLocked,
    Disabled,
    ServerError,
    Hardened500,
    TooLarge413,
    RateLimited,
    MethodNotAllowed,
    Redirect301,
    Redirect302,
    Redirect307,
    Redirect308,
    GetHtml,
    UseHttps,
    Proxy502,
    Proxy503,
    Proxy504,
    OkWrongBody,
    ResetBeforeResponse,
    ResetMidRequest,
    ResetMidResponse,
    Hang,
    IdleClose,
};

/*! \brief The Mattermost server version whose error bodies the double sends. */
enum class WebhookFlavor {
    Current, // 10.2 and later: app errors wrapped as web.incoming_webhook.general.app_error
    Legacy, // up to 10.1: the inner error id and message are sent as they are
};

struct WebhookModeInfo
{
    WebhookMode mode;
    const char *name;
    const char *description;
};

/*! Returns every mode with its command-line name and a one-line description. */
const QList<WebhookModeInfo> &webhookModes();

QString webhookModeName(WebhookMode mode);
std::optional<WebhookMode> webhookModeFromName(const QString &name);

/*! Returns true for the modes that act like the Mattermost handler rather than a proxy. */
bool isHandlerMode(WebhookMode mode);
