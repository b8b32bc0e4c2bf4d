#include "shared/webhookreply.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace {

// Reads "id" and "request_id" from a Mattermost JSON error body. The
// "message" field is translated per request and names the hook id, so it is
// never used.
QString describeJsonError(const WebhookReply &reply)
{
    const QByteArray mediaType = reply.contentType.split(';').first().trimmed().toLower();
    if (mediaType != "application/json")
        return {};
    const QJsonObject object = QJsonDocument::fromJson(reply.body).object();
    QStringList parts;
    const QString id = object.value(QLatin1String("id")).toString();
    const QString requestId = object.value(QLatin1String("request_id")).toString();
    if (!id.isEmpty())
        parts.append(QStringLiteral("error id \"%1\"").arg(id));
    if (!requestId.isEmpty())
        parts.append(QStringLiteral("request id \"%1\"").arg(requestId));
    return parts.join(QLatin1String(", "));
}

QString describeStatus(const WebhookReply &reply)
{
    QString text = QStringLiteral("HTTP %1").arg(reply.httpStatus);
    const QString details = describeJsonError(reply);
    if (!details.isEmpty())
        text += QStringLiteral(" (%1)").arg(details);
    return text;
}

bool isRetryableStatus(int status)
{
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

// Errors that are raised before any request byte leaves, and that no retry fixes.
bool isPermanentNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::InsecureRedirectError:
    case QNetworkReply::TooManyRedirectsError:
        return true;
    default:
        return false;
    }
}

WebhookAttemptVerdict judgeHttpStatus(const WebhookReply &reply, const QDateTime &now)
{
    WebhookAttemptVerdict verdict;
    const int status = reply.httpStatus;

    if (status == 200) {
        if (reply.networkError != QNetworkReply::NoError) {
            // The server accepted the post, then the response was cut off.
            verdict.kind = WebhookAttemptVerdict::Kind::Ambiguous;
            verdict.error = QStringLiteral("HTTP 200, but the response was cut off (%1); the post "
                                           "probably exists")
                                    .arg(reply.networkErrorString);
        } else if (reply.body == "ok") {
            verdict.kind = WebhookAttemptVerdict::Kind::Posted;
        } else {
            verdict.kind = WebhookAttemptVerdict::Kind::Failed;
            verdict.error = QStringLiteral("HTTP 200 with a %1-byte %2 body instead of \"ok\"; the "
                                           "URL does not reach "
                                           "the Mattermost webhook handler (a login page, a "
                                           "captive portal or a web app "
                                           "page); check the webhook URL")
                                    .arg(reply.body.size())
                                    .arg(QString::fromLatin1(reply.contentType.isEmpty()
                                                                     ? QByteArray("untyped")
                                                                     : reply.contentType));
        }
        return verdict;
    }

    if (status >= 300 && status < 400) {
        verdict.kind = WebhookAttemptVerdict::Kind::Failed;
        verdict.error = QStringLiteral("HTTP %1 redirect to \"%2\", not followed because a "
                                       "redirected POST can turn into a GET; set the webhook URL "
                                       "to the redirect target")
                                .arg(status)
                                .arg(reply.location.isEmpty() ? QStringLiteral("(no Location)")
                                                              : reply.location);
        return verdict;
    }

    verdict.error = describeStatus(reply);
    if (status == 500 && !reply.textFitsOnePost) {
        // Mattermost posts a long text in parts, so a 500 may follow parts that exist.
        verdict.kind = WebhookAttemptVerdict::Kind::Ambiguous;
        verdict.error +=
                QStringLiteral("; the text is split into several posts, so some may exist");
        return verdict;
    }
    if (isRetryableStatus(status)) {
        verdict.kind = WebhookAttemptVerdict::Kind::Retry;
        if (status == 429)
            verdict.retryAfter = parseRetryAfter(reply.retryAfter, now);
        return verdict;
    }
    verdict.kind = WebhookAttemptVerdict::Kind::Failed;
    return verdict;
}

} // namespace

WebhookAttemptVerdict judgeWebhookReply(const WebhookReply &reply, const QDateTime &now)
{
    if (reply.httpStatus > 0)
        return judgeHttpStatus(reply, now);

    WebhookAttemptVerdict verdict;
    verdict.error = reply.networkErrorString;
    if (reply.networkError == QNetworkReply::ConnectionRefusedError
        || reply.networkError == QNetworkReply::HostNotFoundError) {
        verdict.kind = WebhookAttemptVerdict::Kind::Retry;
    } else if (isPermanentNetworkError(reply.networkError)) {
        verdict.kind = WebhookAttemptVerdict::Kind::Failed;
    } else if (!reply.requestFullySent) {
        // Without its last byte the JSON object has no closing brace, so the
        // server cannot have decoded it, let alone posted it.
        verdict.kind = WebhookAttemptVerdict::Kind::Retry;
        verdict.error += QStringLiteral(" (before the whole request was sent)");
    } else {
        verdict.kind = WebhookAttemptVerdict::Kind::Ambiguous;
        verdict.error += QStringLiteral(" (after the whole request was sent; the post may exist)");
    }
    return verdict;
}

std::optional<std::chrono::seconds> parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;

    bool isNumber = false;
    const qlonglong seconds = trimmed.toLongLong(&isNumber);
    if (isNumber)
        return seconds >= 0 ? std::optional(std::chrono::seconds(seconds)) : std::nullopt;

    // An HTTP date, for example "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime date = QLocale::c().toDateTime(QString::fromLatin1(trimmed),
                                             QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    if (!date.isValid())
        return std::nullopt;
    date.setTimeSpec(Qt::UTC);
    return std::chrono::seconds(std::max<qint64>(0, now.secsTo(date)));
}
