#include "headless/systemdnotifier.h"

#include <systemd/sd-daemon.h>

namespace {

void send(const QString &state)
{
    // A failed notification only affects what `systemctl status` shows.
    sd_notify(0, state.toUtf8().constData());
}

// STATUS= ends at a newline, so one is never passed through.
QString singleLine(const QString &status)
{
    QString line = status;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return line;
}

} // namespace

void SystemdNotifier::notifyReady(const QString &status)
{
    send(QStringLiteral("READY=1\nSTATUS=") + singleLine(status));
}

void SystemdNotifier::notifyStatus(const QString &status)
{
    send(QStringLiteral("STATUS=") + singleLine(status));
}

void SystemdNotifier::notifyStopping(const QString &status)
{
    send(QStringLiteral("STOPPING=1\nSTATUS=") + singleLine(status));
}
