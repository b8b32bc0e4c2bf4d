#include "headless/systemdnotifier.h"
#include "headless/unixsignalbridge.h"

#include "shared/logging.h"
#include "shared/runwatcher.h"
#include "shared/watcherconfig.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("atvm-run-watcher"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ATVM_VERSION));

    const WatcherConfigParse parse = parseWatcherConfig(QCoreApplication::arguments(),
                                                        QProcessEnvironment::systemEnvironment());
    switch (parse.status) {
    case WatcherConfigParse::Status::Help:
        std::fputs(parse.text.toUtf8().constData(), stdout);
        return 0;
    case WatcherConfigParse::Status::Version:
        std::printf("atvm-run-watcher %s\n", ATVM_VERSION);
        return 0;
    case WatcherConfigParse::Status::Error:
        std::fprintf(stderr, "atvm-run-watcher: %s\n", parse.text.toUtf8().constData());
        return RunWatcher::BadConfiguration;
    case WatcherConfigParse::Status::Ok:
        break;
    }

    RunWatcher watcher(parse.config);
    if (const std::optional<int> exitCode = watcher.start())
        return *exitCode;

    UnixSignalBridge signalBridge;
    QObject::connect(&signalBridge, &UnixSignalBridge::terminationRequested, &watcher,
                     [&](int number) {
                         qCInfo(lcWatcher) << "Received signal" << number << "- stopping.";
                         watcher.stop();
                     });
    QObject::connect(&watcher, &RunWatcher::statusChanged, &app, &SystemdNotifier::notifyStatus);
    QObject::connect(&watcher, &RunWatcher::finished, &app, [](int exitCode) {
        SystemdNotifier::notifyStopping(QStringLiteral("finished"));
        QCoreApplication::exit(exitCode);
    });

    SystemdNotifier::notifyReady(QStringLiteral("watching %1").arg(parse.config.buildName));
    return app.exec();
}
