#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QNetworkReply>
#include <QString>

#include <chrono>
#include <optional>

/*!
    \brief What one webhook request got back, gathered from a finished
    QNetworkReply. Every text in it is already redacted.
*/
struct WebhookReply
{
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorString;
    int httpStatus = 0; // 0 when no status line arrived
    QByteArray contentType;
    QByteArray body;
    QString location; // the redacted Location header of a redirect
    QByteArray retryAfter;
    bool requestFullySent = false; // uploadProgress reported the whole body as taken by Qt
    bool textFitsOnePost = true; // a 500 then means nothing was created
};

/*! \brief What the poster does after one attempt. */
struct WebhookAttemptVerdict
{
    enum class Kind {
        Posted,
        Retry, // nothing was created: safe to send again after a wait
        Failed, // nothing was created, and sending again cannot help
        Ambiguous, // the post may exist: never send again
    };

    Kind kind = Kind::Failed;
    QString error; // what went wrong, for the log and the outcome; empty when posted
    std::optional<std::chrono::seconds> retryAfter; // the server's Retry-After, uncapped
};

/*! Decides what \a reply means for an at-most-once post. */
WebhookAttemptVerdict judgeWebhookReply(const WebhookReply &reply, const QDateTime &now);

/*!
    Parses a Retry-After value: whole seconds, or an HTTP date taken
    relative to \a now. Returns nothing for anything else.
*/
std::optional<std::chrono::seconds> parseRetryAfter(const QByteArray &value, const QDateTime &now);
