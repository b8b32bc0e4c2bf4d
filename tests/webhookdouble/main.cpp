// mattermost-webhook-double: a stand-in for a Mattermost incoming webhook, for
// tests and demos. See --help.

#include "doubleoptions.h"
#include "webhookdoubleserver.h"

#include <QCoreApplication>
#include <QSaveFile>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int s_signalSocket[2] = {-1, -1};

// Async-signal-safe: only writes one byte, and the event loop does the rest.
void handleTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(s_signalSocket[0], &byte, 1);
}

bool installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s_signalSocket) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = handleTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGTERM, &action, nullptr) == 0
            && ::sigaction(SIGINT, &action, nullptr) == 0;
}

bool writePortFile(const QString &path, quint16 port, QString *errorString)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *errorString = file.errorString();
        return false;
    }
    file.write(QByteArray::number(port) + '\n');
    if (!file.commit()) {
        *errorString = file.errorString();
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mattermost-webhook-double"));

    const DoubleOptionsResult parsed = parseDoubleOptions(QCoreApplication::arguments());
    if (parsed.helpShown)
        return 0;
    if (!parsed.options) {
        std::fprintf(stderr, "mattermost-webhook-double: %s\n", qPrintable(parsed.error));
        return 64;
    }

    if (!installSignalHandlers()) {
        std::perror("mattermost-webhook-double: failed to install the SIGTERM and SIGINT handlers");
        return 71;
    }
    QSocketNotifier signalNotifier(s_signalSocket[1], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [] {
        char byte = 0;
        [[maybe_unused]] const ssize_t bytesRead = ::read(s_signalSocket[1], &byte, 1);
        qInfo("Stopping on a termination signal.");
        QCoreApplication::quit();
    });

    WebhookDoubleServer server(*parsed.options);
    QObject::connect(&server, &WebhookDoubleServer::exitRequested, &app, [] {
        qInfo("Stopping after the requested number of posts.");
        QCoreApplication::quit();
    });

    QString errorString;
    if (!server.listen(&errorString)) {
        std::fprintf(stderr, "mattermost-webhook-double: %s\n", qPrintable(errorString));
        return 69;
    }
    const QString &portFile = parsed.options->portFile;
    if (!portFile.isEmpty() && !writePortFile(portFile, server.serverPort(), &errorString)) {
        std::fprintf(stderr,
                     "mattermost-webhook-double: failed to write the port file \"%s\": %s\n",
                     qPrintable(portFile), qPrintable(errorString));
        return 73;
    }
    qInfo("Listening on 127.0.0.1:%u.", server.serverPort());

    return QCoreApplication::exec();
}
