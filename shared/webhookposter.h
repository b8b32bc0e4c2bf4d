#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QMetaType>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <chrono>

class OneShotUploadDevice;
class QNetworkReply;
struct WebhookAttemptVerdict;

/*! \brief Timeouts and retry pacing of one webhook post. */
struct PostPolicy
{
    std::chrono::milliseconds transferTimeout{30000}; // per attempt, without any bytes moving
    std::chrono::milliseconds initialBackoff{1000};
    std::chrono::milliseconds maxBackoff{60000};
    std::chrono::milliseconds deadline{15 * 60
                                       * 1000}; // no attempt starts later than this after post()
    double jitter = 0.2; // each backoff is scaled by a random factor in [1 - jitter, 1 + jitter]
    std::chrono::seconds maxRetryAfter{300}; // cap on a 429's Retry-After
};

/*! \brief How a post ended. */
struct PostOutcome
{
    enum class Result {
        Posted, // the server responded 200 "ok"
        Failed, // the post does not exist
        Ambiguous, // the post may exist: the connection broke after the request was sent
    };

    Result result = Result::Failed;
    int attempts = 0; // requests started, 0 when the URL or the text was rejected up front
    int httpStatus = 0; // status of the last response, 0 when none arrived
    QString error; // empty when posted; never contains the webhook URL or hook id
};

Q_DECLARE_METATYPE(PostOutcome)

/*!
    \brief Posts one message to a Mattermost incoming webhook, at most once.

    The request is a POST of compact UTF-8 JSON {"channel": ..., "text": ...}
    with Connection: close, a transfer timeout and no redirects followed. Only
    HTTP 200 with the body "ok" counts as posted. Connection failures before
    the whole request was sent, 429, 500, 502, 503 and 504 are retried with
    capped exponential backoff and jitter (429 waits for Retry-After) until
    the deadline. A broken connection after the whole request was sent is
    Ambiguous and never retried, because Mattermost has no idempotency key and
    a retry could post the message twice. docs/posting.md has the full table.

    The webhook URL and hook id are secrets: logs and outcomes show them
    redacted.
*/
class WebhookPoster final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookPoster)

public:
    explicit WebhookPoster(PostPolicy policy = {}, QObject *parent = nullptr);
    ~WebhookPoster() override;

    /*!
        Starts posting \a text to \a channel (the hook's own channel when
        empty) through \a webhook, and emits finished() once, never from
        inside this call. A call while a post is running is ignored with a
        warning.
    */
    void post(const QUrl &webhook, const QString &channel, const QString &text);

    bool isPosting() const { return m_posting; }

    /*!
        Stops the running post for \a reason: no further attempt starts. A
        request in flight is cancelled and ends Ambiguous when it was already
        sent whole; otherwise finished() reports Failed with \a reason. Safe to
        call from a slot connected to attemptStarting(), which then keeps that
        request from being sent.
    */
    void abort(const QString &reason);
    const PostPolicy &policy() const { return m_policy; }

    /*! Returns the request body for \a channel and \a text, as post() sends it. */
    static QByteArray requestBody(const QString &channel, const QString &text);

Q_SIGNALS:
    /*! Emitted synchronously just before request number \a attempt (from 1) is sent. */
    void attemptStarting(int attempt);

    /*!
        Emitted when request \a attempt ended in a way that proves no post was
        created (a 429, a 5xx or a connection failure before the request was
        sent) and the post goes on. \a error describes the response or failure.
    */
    void attemptRejected(int attempt, const QString &error);
    void finished(const PostOutcome &outcome);

private:
    void startAttempt();
    void handleReplyFinished();
    QString describeNetworkError(QNetworkReply *reply) const;
    void handleVerdict(const WebhookAttemptVerdict &verdict, int httpStatus);
    std::chrono::milliseconds nextBackoff();
    void finish(PostOutcome::Result result, int httpStatus, const QString &error);
    void finishLater(PostOutcome::Result result, const QString &error);

    PostPolicy m_policy;
    QNetworkAccessManager m_manager;
    QTimer m_retryTimer;
    QDeadlineTimer m_deadline;
    QUrl m_webhook;
    QString m_safeUrl;
    QByteArray m_body;
    bool m_textFitsOnePost = true;
    QPointer<QNetworkReply> m_reply;
    QPointer<OneShotUploadDevice> m_upload; // a child of m_reply
    qint64 m_bytesSent = 0;
    int m_attempt = 0;
    int m_backoffStep = 0;
    bool m_posting = false;
    QString m_abortReason; // set by abort(); no attempt starts after it
};
