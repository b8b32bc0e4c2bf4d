#pragma once

#include <QDateTime>
#include <QString>

struct HttpRequest;
struct WebhookPayload;

/*! \brief One request as the double received it, with the response it sent. */
struct RecordedRequest
{
    int sequence = 0; // 1 for the first request the double received
    int connection = 0; // 1 for the first TCP connection
    QDateTime receivedAt;
    QString mode;
    bool complete = true; // false when the double cut the request off
    int status = 0; // status sent; 0 when no status line was sent
    QString outcome; // "responded", "reset", "partial-response", "no-response"
    bool wouldCreatePost = false;
    int postsCreated = 0; // posts a real server would create; long texts are split
};

/*!
    \brief Appends one JSON object per request to a file (JSON Lines), so
    tests and demos can check what a client sent.
*/
class RequestRecorder
{
public:
    explicit RequestRecorder(QString path);

    /*! Appends \a record; returns false and logs a warning when the file cannot be written. */
    bool append(const RecordedRequest &record, const HttpRequest &request,
                const WebhookPayload *payload) const;

private:
    QString m_path;
};
