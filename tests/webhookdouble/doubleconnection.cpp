#include "doubleconnection.h"

#include <sys/socket.h>

DoubleConnection::DoubleConnection(QTcpSocket *socket, int connectionNumber)
    : QObject(socket), number(connectionNumber), m_socket(socket)
{
    idleTimer.setSingleShot(true);
}

bool DoubleConnection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void DoubleConnection::reset()
{
    if (!m_socket)
        return;
    const qintptr descriptor = m_socket->socketDescriptor();
    if (descriptor >= 0) {
        const linger option{1, 0};
        ::setsockopt(static_cast<int>(descriptor), SOL_SOCKET, SO_LINGER, &option, sizeof option);
    }
    m_socket->abort();
}
