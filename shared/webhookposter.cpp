#include "shared/webhookposter.h"

#include "shared/logging.h"
#include "shared/oneshotuploaddevice.h"
#include "shared/webhookreply.h"
#include "shared/webhookurl.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace {

// Mattermost splits a text longer than this many code points into several
// posts (16 383 since Mattermost 5.0 on the default schema).
constexpr qsizetype MaxPostCodePoints = 16383;

// Mattermost reads at most 300 000 bytes of body (plus 512) and rejects larger requests.
constexpr qsizetype MaxRequestBodyBytes = 300000;

qsizetype codePointCount(const QString &text)
{
    return text.toUcs4().size();
}

QString formatSeconds(std::chrono::milliseconds duration)
{
    return QString::number(static_cast<double>(duration.count()) / 1000.0, 'f', 1)
            + QLatin1String(" s");
}

} // namespace

WebhookPoster::WebhookPoster(PostPolicy policy, QObject *parent) : QObject(parent), m_policy(policy)
{
    qRegisterMetaType<PostOutcome>();
    m_manager.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_retryTimer.setSingleShot(true);
    // A coarse timer may fire 5 % early, which would cut a Retry-After wait short.
    m_retryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_retryTimer, &QTimer::timeout, this, &WebhookPoster::startAttempt);
}

WebhookPoster::~WebhookPoster()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        delete m_reply;
    }
}

QByteArray WebhookPoster::requestBody(const QString &channel, const QString &text)
{
    QJsonObject object{{QStringLiteral("text"), text}};
    if (!channel.isEmpty())
        object.insert(QStringLiteral("channel"), channel);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

void WebhookPoster::post(const QUrl &webhook, const QString &channel, const QString &text)
{
    if (m_posting) {
        qCWarning(lcWebhook) << "Ignored a second post request while a post is still running.";
        return;
    }
    m_posting = true;
    m_abortReason.clear();
    m_webhook = webhook;
    m_safeUrl = redactedWebhookUrl(webhook);
    m_attempt = 0;
    m_backoffStep = 0;
    m_deadline = QDeadlineTimer(m_policy.deadline);

    if (const std::optional<QString> error = webhookUrlError(webhook)) {
        finishLater(PostOutcome::Result::Failed, *error);
        return;
    }
    if (text.trimmed().isEmpty()) {
        finishLater(PostOutcome::Result::Failed,
                    QStringLiteral("The message text is empty; Mattermost rejects a post without "
                                   "text, so nothing was sent."));
        return;
    }
    m_body = requestBody(channel, text);
    if (m_body.size() > MaxRequestBodyBytes) {
        finishLater(
                PostOutcome::Result::Failed,
                QStringLiteral("The request body is %1 bytes, more than the %2 bytes Mattermost "
                               "accepts; shorten the message.")
                        .arg(m_body.size())
                        .arg(MaxRequestBodyBytes));
        return;
    }
    m_textFitsOnePost = codePointCount(text) <= MaxPostCodePoints;
    startAttempt();
}

void WebhookPoster::startAttempt()
{
    ++m_attempt;
    m_bytesSent = 0;

    QNetworkRequest request(m_webhook);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("atvm-run-watcher"));
    // A fresh connection per attempt: a pooled one may have been closed by the
    // server's idle timeout, and Qt would then send the request again by itself.
    request.setRawHeader("Connection", "close");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setTransferTimeout(static_cast<int>(m_policy.transferTimeout.count()));

    qCInfo(lcWebhook).noquote()
            << QStringLiteral("Posting to %1, attempt %2.").arg(m_safeUrl).arg(m_attempt);
    Q_EMIT attemptStarting(m_attempt);
    if (!m_abortReason.isEmpty()) {
        finishLater(PostOutcome::Result::Failed, m_abortReason);
        return;
    }

    m_upload = new OneShotUploadDevice(m_body);
    m_reply = m_manager.post(request, m_upload);
    m_upload->setParent(m_reply);
    connect(m_reply, &QNetworkReply::uploadProgress, this,
            [this](qint64 bytesSent, qint64) { m_bytesSent = std::max(m_bytesSent, bytesSent); });
    connect(m_reply, &QNetworkReply::finished, this, &WebhookPoster::handleReplyFinished);
}

void WebhookPoster::handleReplyFinished()
{
    QNetworkReply *networkReply = m_reply;
    m_reply = nullptr;
    networkReply->deleteLater();

    WebhookReply reply;
    reply.networkError = networkReply->error();
    reply.networkErrorString = describeNetworkError(networkReply);
    reply.httpStatus = networkReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply.contentType = networkReply->rawHeader("Content-Type");
    if (networkReply->isOpen())
        reply.body = networkReply->readAll();
    reply.retryAfter = networkReply->rawHeader("Retry-After");
    reply.requestFullySent = m_bytesSent >= m_body.size();
    reply.textFitsOnePost = m_textFitsOnePost;
    const QByteArray location = networkReply->rawHeader("Location");
    if (!location.isEmpty()) {
        const QUrl target = m_webhook.resolved(QUrl::fromEncoded(location));
        reply.location = redactWebhookSecret(target.toString(), m_webhook);
    }

    handleVerdict(judgeWebhookReply(reply, QDateTime::currentDateTimeUtc()), reply.httpStatus);
}

QString WebhookPoster::describeNetworkError(QNetworkReply *reply) const
{
    // Qt's own texts for these two ("Unknown error", "Operation canceled") name no cause.
    if (reply->error() == QNetworkReply::ContentReSendError
        || (m_upload && m_upload->wasRewindRefused()))
        return QStringLiteral("the server closed the connection without answering");
    if (reply->error() == QNetworkReply::OperationCanceledError)
        return QStringLiteral("no data moved for %1 (transfer timeout)")
                .arg(formatSeconds(m_policy.transferTimeout));
    return redactWebhookSecret(reply->errorString(), m_webhook);
}

void WebhookPoster::handleVerdict(const WebhookAttemptVerdict &verdict, int httpStatus)
{
    using Kind = WebhookAttemptVerdict::Kind;
    switch (verdict.kind) {
    case Kind::Posted:
        qCInfo(lcWebhook).noquote()
                << QStringLiteral("Attempt %1: posted (HTTP 200 \"ok\").").arg(m_attempt);
        finish(PostOutcome::Result::Posted, httpStatus, QString());
        return;
    case Kind::Failed:
        qCWarning(lcWebhook).noquote() << QStringLiteral("Attempt %1 failed for good: %2")
                                                  .arg(m_attempt)
                                                  .arg(verdict.error);
        finish(PostOutcome::Result::Failed, httpStatus, verdict.error);
        return;
    case Kind::Ambiguous:
        qCWarning(lcWebhook).noquote()
                << QStringLiteral("Attempt %1: %2. The post may exist, so it is not retried and "
                                  "the message is never posted twice.")
                           .arg(m_attempt)
                           .arg(verdict.error);
        finish(PostOutcome::Result::Ambiguous, httpStatus, verdict.error);
        return;
    case Kind::Retry:
        break;
    }

    Q_EMIT attemptRejected(m_attempt, verdict.error);
    if (!m_abortReason.isEmpty()) {
        finish(PostOutcome::Result::Failed, httpStatus,
               QStringLiteral("%1 (after attempt %2: %3)")
                       .arg(m_abortReason)
                       .arg(m_attempt)
                       .arg(verdict.error));
        return;
    }

    std::chrono::milliseconds wait = nextBackoff();
    QString reason = QStringLiteral("backoff");
    if (verdict.retryAfter) {
        const std::chrono::seconds capped = std::min(*verdict.retryAfter, m_policy.maxRetryAfter);
        wait = capped;
        reason = capped < *verdict.retryAfter
                ? QStringLiteral("Retry-After %1 s, capped").arg(verdict.retryAfter->count())
                : QStringLiteral("Retry-After");
    }

    const std::chrono::milliseconds remaining(m_deadline.remainingTime());
    if (wait > remaining) {
        const QString error =
                QStringLiteral("%1; gave up after %2 because the next attempt, in %3, would start "
                               "after the post deadline of %4")
                        .arg(verdict.error,
                             m_attempt == 1 ? QStringLiteral("1 attempt")
                                            : QStringLiteral("%1 attempts").arg(m_attempt),
                             formatSeconds(wait), formatSeconds(m_policy.deadline));
        qCWarning(lcWebhook).noquote()
                << QStringLiteral("Attempt %1: %2").arg(m_attempt).arg(error);
        finish(PostOutcome::Result::Failed, httpStatus, error);
        return;
    }

    qCWarning(lcWebhook).noquote() << QStringLiteral("Attempt %1: %2; retrying in %3 (%4).")
                                              .arg(m_attempt)
                                              .arg(verdict.error, formatSeconds(wait), reason);
    m_retryTimer.start(wait);
}

void WebhookPoster::abort(const QString &reason)
{
    if (!m_posting || !m_abortReason.isEmpty())
        return;
    m_abortReason = reason;
    if (m_retryTimer.isActive()) {
        m_retryTimer.stop();
        finishLater(PostOutcome::Result::Failed, reason);
    } else if (m_reply) {
        m_reply->abort();
    }
    // Otherwise an attemptStarting() slot called this, and startAttempt() stops.
}

std::chrono::milliseconds WebhookPoster::nextBackoff()
{
    const double exponent = std::min(m_backoffStep, 30);
    ++m_backoffStep;
    const double base =
            std::min(static_cast<double>(m_policy.initialBackoff.count()) * std::pow(2.0, exponent),
                     static_cast<double>(m_policy.maxBackoff.count()));
    const double jitter = std::clamp(m_policy.jitter, 0.0, 1.0);
    const double factor = 1.0 + jitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
    const double delay = std::min(base * factor, static_cast<double>(m_policy.maxBackoff.count()));
    return std::chrono::milliseconds(std::llround(std::max(delay, 0.0)));
}

void WebhookPoster::finish(PostOutcome::Result result, int httpStatus, const QString &error)
{
    m_posting = false;
    PostOutcome outcome;
    outcome.result = result;
    outcome.attempts = m_attempt;
    outcome.httpStatus = httpStatus;
    outcome.error = error;
    Q_EMIT finished(outcome);
}

void WebhookPoster::finishLater(PostOutcome::Result result, const QString &error)
{
    qCWarning(lcWebhook).noquote() << QStringLiteral("Not posting: %1").arg(error);
    QMetaObject::invokeMethod(
            this, [this, result, error] { finish(result, 0, error); }, Qt::QueuedConnection);
}
