#pragma once

#include <QObject>

class QSocketNotifier;

/*!
    \brief Turns SIGTERM, SIGINT and SIGHUP into a Qt signal.

    The C signal handler only writes the signal number to a socket pair. The
    Qt side reads it in the event loop, so no Qt code runs inside the handler.
*/
class UnixSignalBridge final : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalBridge(QObject *parent = nullptr);
    ~UnixSignalBridge() override;
    Q_DISABLE_COPY_MOVE(UnixSignalBridge)

    /*! Returns false, with the reason logged, when the handlers could not be installed. */
    bool isValid() const { return m_notifier != nullptr; }

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void handleActivated();

    QSocketNotifier *m_notifier = nullptr;
};
