#pragma once

#include "doubleoptions.h"
#include "mattermostresponses.h"
#include "requestrecorder.h"

#include <QObject>
#include <QTcpServer>

class DoubleConnection;
struct HttpRequest;
struct ResponsePlan;

/*!
    \brief The webhook double's HTTP server: accepts connections on
    127.0.0.1, parses requests, chooses each request's mode and responds,
    resets or hangs as that mode defines.
*/
class WebhookDoubleServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookDoubleServer)

public:
    explicit WebhookDoubleServer(DoubleOptions options, QObject *parent = nullptr);

    /*! Starts listening; returns false and sets \a errorString when the port cannot be bound. */
    bool listen(QString *errorString);
    quint16 serverPort() const;

Q_SIGNALS:
    /*! Emitted once responses to --exit-after-posts posts have been sent. */
    void exitRequested();

private:
    void handleNewConnection();
    void processInput(DoubleConnection *connection);
    void handleRequestHead(DoubleConnection *connection);
    void handleRequest(DoubleConnection *connection, const HttpRequest &request);
    ResponsePlan planResponse(WebhookMode mode, const HttpRequest &request) const;
    ResponsePlan planHandlerResponse(WebhookMode mode, const HttpRequest &request,
                                     const QString &hookId) const;
    void execute(DoubleConnection *connection, const ResponsePlan &plan, bool headRequest);
    void finishResponse(DoubleConnection *connection, bool closeConnection);
    void exitWhenFlushed(DoubleConnection *connection);
    QByteArray defaultLocation(const HttpRequest &request) const;

    DoubleOptions m_options;
    MattermostResponses m_responses;
    RequestRecorder m_recorder;
    QTcpServer m_server;
    int m_requestCount = 0;
    int m_connectionCount = 0;
    int m_postCount = 0;
};
