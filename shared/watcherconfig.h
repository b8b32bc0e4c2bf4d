#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>

/*!
    \brief The watcher's configuration: command-line options, their environment
    forms and the Mattermost variables. docs/configuration.md lists each one.
*/
struct WatcherConfig
{
    QString buildName;
    QString automationRoot;
    QString runLog;
    QString reportDir;
    QString pidFile;
    QString exitStatusFile;
    QString stateRoot;
    QString inventory;

    std::chrono::seconds pollInterval{5};
    std::chrono::seconds hangTimeout{60 * 60};
    std::chrono::seconds startupGrace{5 * 60};
    std::chrono::seconds exitGrace{2 * 60};
    std::chrono::seconds postDeadline{15 * 60};
    bool dryRun = false;

    QUrl webhook;
    QString channel;
    QProcessEnvironment environment; // the metadata variables are read from here
};

/*! \brief The outcome of reading the command line: a configuration, help text or an error. */
struct WatcherConfigParse
{
    enum class Status { Ok, Help, Version, Error };
    Status status = Status::Error;
    WatcherConfig config;
    QString text; // the help text, or the error message naming the value and the fix
};

/*!
    Reads \a arguments (argv, program name first) and \a environment. An
    option on the command line wins over its environment form.
*/
WatcherConfigParse parseWatcherConfig(const QStringList &arguments,
                                      const QProcessEnvironment &environment);
