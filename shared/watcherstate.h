#pragma once

#include "shared/processprobe.h"
#include "shared/runprogress.h"
#include "shared/runstate.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

/*!
    \brief Everything one watcher records about its run: the content of state.json.

    docs/state-format.md describes each field; this struct is its only writer.
*/
struct WatcherState
{
    static constexpr int formatVersion = 1;

    QString buildName;
    RunState state = RunState::Watching;
    QString reason;

    bool posted = false;
    QDateTime postedAt;
    QDateTime postStartedAt;
    bool postInFlight = false; // a request was sent and its response is not recorded yet
    bool dryRun = false; // decided by a --dry-run watcher, which posts nothing
    int postAttempts = 0;
    QString lastError;

    QDateTime startedAt;
    QDateTime updatedAt;
    QDateTime finishedAt;
    QDateTime lastActivityAt;
    qint64 watcherPid = 0;

    QJsonObject metadata; // template, config_family, ...
    QJsonArray guests; // [{token, kernel}]
    QJsonObject paths; // run_log, report_dir, pid_file, inventory

    ProcessIdentity process;
    bool processAlive = false;
    std::optional<int> exitStatus;

    RunProgress progress;
    QJsonObject logPosition; // offset, device, inode, parser

    QJsonObject toJson() const;

    /*!
        Reads a state object. Returns nothing, with \a error set, when the
        object is not a state of a format version this code understands.
    */
    static std::optional<WatcherState> fromJson(const QJsonObject &object, QString *error);
};

/*! Formats a time as state.json stores it: UTC, ISO 8601, seconds; null when invalid. */
QJsonValue stateTimeToJson(const QDateTime &time);
QDateTime stateTimeFromJson(const QJsonValue &value);
