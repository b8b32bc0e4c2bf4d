#pragma once

#include <QString>

/*!
    \brief Reports readiness and a one-line status to systemd (sd_notify).

    Outside a Type=notify unit NOTIFY_SOCKET is unset and each call does nothing.
*/
class SystemdNotifier
{
public:
    static void notifyReady(const QString &status);
    static void notifyStatus(const QString &status);
    static void notifyStopping(const QString &status);
};
