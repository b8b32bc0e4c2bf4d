#pragma once

#include "httprequestparser.h"
#include "webhookmode.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

/*!
    \brief The state of one client connection of the webhook double. It is a
    child of its socket, so it goes away with it.
*/
class DoubleConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DoubleConnection)

public:
    DoubleConnection(QTcpSocket *socket, int number);

    QTcpSocket *socket() const { return m_socket; }
    bool isOpen() const;

    /*! Closes the connection with a TCP reset (SO_LINGER 0) instead of a FIN. */
    void reset();

    HttpRequestParser parser;
    int number = 0;
    int sequence = 0; // the current request's number across all connections
    WebhookMode mode = WebhookMode::Ok;
    bool busy = false; // answering later or hanging: further requests wait
    bool exitPending = false;
    QTimer idleTimer;

private:
    QPointer<QTcpSocket> m_socket;
};
