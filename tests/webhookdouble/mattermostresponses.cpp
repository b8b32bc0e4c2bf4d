#include "mattermostresponses.h"

#include <QRandomGenerator>

namespace {

// Encodes a string as Go's encoding/json does, which also escapes <, > and &.
QByteArray jsonString(const QString &text)
{
    QByteArray result = "\"";
    for (const char c : text.toUtf8()) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            result += '\\';
            result += c;
        } else if (c == '\n') {
            result += "\\n";
        } else if (c == '\r') {
            result += "\\r";
        } else if (c == '\t') {
            result += "\\t";
        } else if (byte < 0x20 || c == '<' || c == '>' || c == '&') {
            result += "\\u00" + QByteArray::number(byte, 16).rightJustified(2, '0');
        } else {
            result += c;
        }
    }
    return result + '"';
}

QString generalMessage(const QString &hookId, const QString &mediaType)
{
    return QStringLiteral("Failed to handle the payload of media type %1 for incoming webhook %2.")
            .arg(mediaType, hookId);
}

QByteArray nginxPage(int status)
{
    const QByteArray title = QByteArray::number(status) + ' ' + reasonPhrase(status);
    return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
            + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
}

} // namespace

QByteArray newMattermostId()
{
    static const char alphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";
    quint32 words[4];
    QRandomGenerator::global()->fillRange(words);

    // 128 bits in 5-bit groups, most significant first: 25 full groups and a last group of 3 bits.
    QByteArray bits;
    for (const quint32 word : words) {
        for (int i = 31; i >= 0; --i)
            bits.append((word >> i) & 1u ? '1' : '0');
    }
    QByteArray id;
    for (int start = 0; start < bits.size(); start += 5) {
        int value = 0;
        for (int i = start; i < start + 5; ++i)
            value = value * 2 + (i < bits.size() && bits.at(i) == '1' ? 1 : 0);
        id.append(alphabet[value]);
    }
    return id;
}

MattermostResponses::MattermostResponses(WebhookFlavor flavor, int retryAfterSeconds)
    : m_flavor(flavor), m_retryAfterSeconds(retryAfterSeconds)
{
}

QByteArray MattermostResponses::versionId() const
{
    if (m_flavor == WebhookFlavor::Legacy)
        return "9.11.0.9.11.0.8c2f6d0e4a1b3957c6d8e0f2a4b6c8d1.false";
    return "11.6.0.11.6.0.3a7e9c1f5b2d4086e8a0c2e4f6a8b0d2.false";
}

void MattermostResponses::addMattermostHeaders(HttpResponse &response,
                                               const QByteArray &requestId) const
{
    response.setHeader("Permissions-Policy", "");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Vary", "Accept-Encoding");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Request-Id", requestId);
    response.setHeader("X-Version-Id", versionId());
}

HttpResponse MattermostResponses::ok() const
{
    HttpResponse response;
    response.setHeader("Content-Type", "text/plain");
    addMattermostHeaders(response, newMattermostId());
    response.body = "ok";
    return response;
}

HttpResponse MattermostResponses::okWithRateHeaders() const
{
    HttpResponse response = ok();
    response.setHeader("X-Ratelimit-Limit", "101");
    response.setHeader("X-Ratelimit-Remaining", "100");
    response.setHeader("X-Ratelimit-Reset", "1");
    return response;
}

HttpResponse MattermostResponses::appError(const QByteArray &id, const QString &message,
                                           int status) const
{
    const QByteArray requestId = newMattermostId();
    HttpResponse response;
    response.status = status;
    response.setHeader("Content-Type", "application/json");
    addMattermostHeaders(response, requestId);
    response.body = "{\"id\":" + jsonString(QString::fromLatin1(id))
            + ",\"message\":" + jsonString(message) + ",\"detailed_error\":\"\",\"request_id\":"
            + jsonString(QString::fromLatin1(requestId))
            + ",\"status_code\":" + QByteArray::number(status) + '}';
    return response;
}

HttpResponse MattermostResponses::wrappedOrInner(const QString &hookId, const QString &mediaType,
                                                 int status, const QByteArray &innerId,
                                                 const QString &innerMessage) const
{
    if (m_flavor == WebhookFlavor::Current) {
        return appError("web.incoming_webhook.general.app_error", generalMessage(hookId, mediaType),
                        status);
    }
    return appError(innerId, innerMessage, status);
}

HttpResponse MattermostResponses::decodeError(const QString &hookId, const QString &mediaType) const
{
    if (m_flavor == WebhookFlavor::Current) {
        return appError(
                "web.incoming_webhook.decode.app_error",
                QStringLiteral(
                        "Failed to decode the payload of media type %1 for incoming webhook %2.")
                        .arg(mediaType, hookId),
                400);
    }
    return appError("model.incoming_hook.parse_data.app_error",
                    QStringLiteral("Unable to parse incoming data."), 400);
}

HttpResponse MattermostResponses::mediaTypeError(const QString &hookId) const
{
    if (m_flavor == WebhookFlavor::Current) {
        return appError("web.incoming_webhook.media_type.app_error",
                        QStringLiteral("Failed to parse media incoming webhook %1.").arg(hookId),
                        400);
    }
    return appError("api.webhook.incoming.error",
                    QStringLiteral("Could not decode the multipart payload of incoming webhook."),
                    400);
}

HttpResponse MattermostResponses::noText(const QString &hookId, const QString &mediaType) const
{
    return wrappedOrInner(hookId, mediaType, 400, "web.incoming_webhook.text.app_error",
                          QStringLiteral("No text specified."));
}

HttpResponse MattermostResponses::invalidHook(const QString &hookId, const QString &mediaType) const
{
    return wrappedOrInner(hookId, mediaType, 400, "web.incoming_webhook.invalid.app_error",
                          QStringLiteral("Invalid webhook."));
}

HttpResponse MattermostResponses::channelNotFound(const QString &hookId,
                                                  const QString &mediaType) const
{
    return wrappedOrInner(hookId, mediaType, 404, "web.incoming_webhook.channel.app_error",
                          QStringLiteral("Couldn't find the channel."));
}

HttpResponse MattermostResponses::channelLocked(const QString &hookId,
                                                const QString &mediaType) const
{
    return wrappedOrInner(
            hookId, mediaType, 403, "web.incoming_webhook.channel_locked.app_error",
            QStringLiteral("This webhook is not permitted to post to the requested channel."));
}

HttpResponse MattermostResponses::disabled(const QString &hookId, const QString &mediaType) const
{
    return wrappedOrInner(
            hookId, mediaType, 501, "web.incoming_webhook.disabled.app_error",
            QStringLiteral("Incoming webhooks have been disabled by the system admin."));
}

HttpResponse MattermostResponses::serverError(const QString &hookId, const QString &mediaType) const
{
    return wrappedOrInner(hookId, mediaType, 500, "api.post.create_webhook_post.creating.app_error",
                          QStringLiteral("Error creating post."));
}

HttpResponse MattermostResponses::hardened500() const
{
    return appError("", QStringLiteral("Internal Server Error"), 500);
}

HttpResponse MattermostResponses::tooLarge() const
{
    HttpResponse response =
            appError("api.context.request_body_too_large.app_error",
                     QStringLiteral("Unable to process request. Request body too large."), 413);
    response.closeConnection = true;
    return response;
}

HttpResponse MattermostResponses::rateLimited() const
{
    const QByteArray seconds = QByteArray::number(m_retryAfterSeconds);
    HttpResponse response;
    response.status = 429;
    response.setHeader("Content-Type", "text/plain; charset=utf-8");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Ratelimit-Limit", "101");
    response.setHeader("X-Ratelimit-Remaining", "0");
    response.setHeader("X-Ratelimit-Reset", seconds);
    response.setHeader("Retry-After", seconds);
    response.body = "limit exceeded\n";
    return response;
}

HttpResponse MattermostResponses::webAppPage() const
{
    HttpResponse response;
    response.setHeader("Cache-Control", "no-cache, max-age=31556926, public");
    response.setHeader("Content-Type", "text/html; charset=utf-8");
    response.setHeader("Vary", "Accept-Encoding");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<title>Mattermost</title></head><body><noscript>To use Mattermost, enable "
                    "JavaScript.</noscript><div id=\"root\"></div></body></html>";
    return response;
}

HttpResponse MattermostResponses::methodNotAllowed() const
{
    HttpResponse response;
    response.status = 405;
    return response;
}

HttpResponse MattermostResponses::redirect(int status, const QByteArray &location,
                                           bool getOrHead) const
{
    HttpResponse response;
    response.status = status;
    response.setHeader("Location", location);
    // Go's http.Redirect writes a short HTML body for GET and HEAD only.
    if (getOrHead) {
        response.setHeader("Content-Type", "text/html; charset=utf-8");
        response.body = "<a href=\"" + location + "\">" + reasonPhrase(status) + "</a>.\n\n";
    }
    return response;
}

HttpResponse MattermostResponses::useHttps() const
{
    HttpResponse response;
    response.status = 400;
    response.setHeader("Content-Type", "text/plain; charset=utf-8");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.body = "Use HTTPS\n";
    return response;
}

HttpResponse MattermostResponses::proxyError(int status) const
{
    HttpResponse response;
    response.status = status;
    response.setHeader("Content-Type", "text/html");
    response.setHeader("Server", "nginx");
    response.body = nginxPage(status);
    return response;
}

HttpResponse MattermostResponses::captivePortal() const
{
    HttpResponse response;
    response.setHeader("Content-Type", "text/html; charset=utf-8");
    response.body = "<!doctype html><html><head><title>Network login</title></head><body>"
                    "<p>Sign in to continue to the network.</p></body></html>";
    return response;
}

HttpResponse MattermostResponses::malformedRequest() const
{
    HttpResponse response;
    response.status = 400;
    response.setHeader("Content-Type", "text/plain; charset=utf-8");
    response.body = "400 Bad Request";
    response.closeConnection = true;
    return response;
}
