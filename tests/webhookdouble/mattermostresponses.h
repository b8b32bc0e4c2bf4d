#pragma once

#include "httpresponse.h"
#include "webhookmode.h"

#include <QByteArray>
#include <QString>

/*! Returns a new 26-character Mattermost id (base32 of 16 random bytes, Mattermost's alphabet). */
QByteArray newMattermostId();

/*!
    \brief Builds the byte-exact responses of a Mattermost server and of the
    proxies in front of it.

    \a hookId and \a mediaType fill the current flavor's messages, which name
    both. The media type is the parsed, lower-case one, or empty when the
    request had no usable Content-Type.
*/
class MattermostResponses
{
public:
    MattermostResponses(WebhookFlavor flavor, int retryAfterSeconds);

    HttpResponse ok() const;
    HttpResponse okWithRateHeaders() const;

    HttpResponse decodeError(const QString &hookId, const QString &mediaType) const;
    HttpResponse mediaTypeError(const QString &hookId) const;
    HttpResponse noText(const QString &hookId, const QString &mediaType) const;
    HttpResponse invalidHook(const QString &hookId, const QString &mediaType) const;
    HttpResponse channelNotFound(const QString &hookId, const QString &mediaType) const;
    HttpResponse channelLocked(const QString &hookId, const QString &mediaType) const;
    HttpResponse disabled(const QString &hookId, const QString &mediaType) const;
    HttpResponse serverError(const QString &hookId, const QString &mediaType) const;
    HttpResponse hardened500() const;
    HttpResponse tooLarge() const;

    HttpResponse rateLimited() const;
    HttpResponse webAppPage() const;
    HttpResponse methodNotAllowed() const;
    HttpResponse redirect(int status, const QByteArray &location, bool getOrHead) const;
    HttpResponse useHttps() const;
    HttpResponse proxyError(int status) const;
    HttpResponse captivePortal() const;
    HttpResponse malformedRequest() const;

    /*! Returns the X-Version-Id value of this flavor. */
    QByteArray versionId() const;

private:
    HttpResponse appError(const QByteArray &id, const QString &message, int status) const;
    HttpResponse wrappedOrInner(const QString &hookId, const QString &mediaType, int status,
                                const QByteArray &innerId, const QString &innerMessage) const;
    void addMattermostHeaders(HttpResponse &response, const QByteArray &requestId) const;

    WebhookFlavor m_flavor = WebhookFlavor::Current;
    int m_retryAfterSeconds = 1;
};
