#include "webhookmode.h"

const QList<WebhookModeInfo> &webhookModes()
{
    static const QList<WebhookModeInfo> modes = {
            {WebhookMode::Ok, "ok",
             "act like the real handler: validate the request, then 200 \"ok\" or the matching "
             "error"},
            {WebhookMode::OkSlow, "ok_slow",
             "like ok, but wait --delay-ms before sending the response"},
            {WebhookMode::OkStalledBody, "ok_stalled_body",
             "like ok, but send the head, then wait --delay-ms before the body"},
            {WebhookMode::RateHeadersOk, "rate_headers_ok",
             "like ok, plus the X-Ratelimit-* headers of an enabled rate limiter"},
            {WebhookMode::BadPayload, "bad_payload", "400 payload decode error"},
            {WebhookMode::NoText, "no_text", "400 \"No text specified\""},
            {WebhookMode::UnknownHook, "unknown_hook", "400 \"Invalid webhook\""},
            {WebhookMode::ChannelNotFound, "channel_not_found", "404 channel not found"},
            {WebhookMode::ChannelLocked, "channel_locked", "403 webhook locked to another channel"},
            {WebhookMode::Disabled, "disabled", "501 incoming webhooks disabled"},
            {WebhookMode::ServerError, "server_error",
             "500 \"Error creating post\", nothing created"},
            {WebhookMode::Hardened500, "hardened_500", "500 with the hardened-mode body"},
            {WebhookMode::TooLarge413, "too_large_413",
             "413 request body too large, then close the connection"},
            {WebhookMode::RateLimited, "rate_limited",
             "429 \"limit exceeded\" with Retry-After: --retry-after seconds"},
            {WebhookMode::MethodNotAllowed, "method_not_allowed", "405 with an empty body"},
            {WebhookMode::Redirect301, "redirect_301", "301 to --location"},
            {WebhookMode::Redirect302, "redirect_302", "302 to --location"},
            {WebhookMode::Redirect307, "redirect_307", "307 to --location"},
            {WebhookMode::Redirect308, "redirect_308", "308 to --location"},
            {WebhookMode::GetHtml, "get_html", "200 with the web app's HTML page"},
            {WebhookMode::UseHttps, "use_https",
             "400 \"Use HTTPS\" as sent by the port 80 forwarder"},
            {WebhookMode::Proxy502, "proxy_502", "502 nginx HTML page"},
            {WebhookMode::Proxy503, "proxy_503", "503 nginx HTML page"},
            {WebhookMode::Proxy504, "proxy_504", "504 nginx HTML page"},
            {WebhookMode::OkWrongBody, "ok_wrong_body",
             "200 text/html captive-portal page instead of \"ok\""},
            {WebhookMode::ResetBeforeResponse, "reset_before_response",
             "read the whole request, then reset the connection; a valid request counts as posted"},
            {WebhookMode::ResetMidRequest, "reset_mid_request",
             "reset the connection right after the request head, before the body is read"},
            {WebhookMode::ResetMidResponse, "reset_mid_response",
             "send the status line and part of the headers of the answer, then close"},
            {WebhookMode::Hang, "hang",
             "read the whole request and never answer; a valid request counts as posted"},
            {WebhookMode::IdleClose, "idle_close",
             "like ok, but keep the connection open and close it after --idle-close-ms idle"},
    };
    return modes;
}

QString webhookModeName(WebhookMode mode)
{
    for (const WebhookModeInfo &info : webhookModes()) {
        if (info.mode == mode)
            return QString::fromLatin1(info.name);
    }
    return {};
}

std::optional<WebhookMode> webhookModeFromName(const QString &name)
{
    for (const WebhookModeInfo &info : webhookModes()) {
        if (name == QLatin1String(info.name))
            return info.mode;
    }
    return std::nullopt;
}

bool isHandlerMode(WebhookMode mode)
{
    switch (mode) {
    case WebhookMode::Ok:
    case WebhookMode::OkSlow:
    case WebhookMode::OkStalledBody:
    case WebhookMode::RateHeadersOk:
    case WebhookMode::BadPayload:
    case WebhookMode::NoText:
    case WebhookMode::UnknownHook:
    case WebhookMode::ChannelNotFound:
    case WebhookMode::ChannelLocked:
    case WebhookMode::Disabled:
    case WebhookMode::ServerError:
    case WebhookMode::Hardened500:
    case WebhookMode::IdleClose:
        return true;
    default:
        return false;
    }
}
