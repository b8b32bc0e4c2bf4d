#pragma once

#include "shared/runrecord.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

/*
    Start requests let the dashboard start a watcher on a controller it can only
    reach through a mounted state root. The dashboard writes
    <root>/.start-requests/<id>.json (staged in <root>/.start-staging/ and renamed,
    so a reader never sees half a file). atvm-run-watcher-requests.path on the
    controller runs process-start-requests.sh, which moves each request to
    <root>/.start-results/<id>.request.json and writes <root>/.start-results/<id>.result.json.
    The folders start with a dot because a build name never does.
*/

QString startRequestsDirPath(const QString &rootPath);
QString startStagingDirPath(const QString &rootPath);
QString startResultsDirPath(const QString &rootPath);
QString cancelMarkerPath(const QString &rootPath, const QString &buildName);

/*! \brief A request to start a watcher for one build, with the run's metadata. */
struct StartRequest
{
    QString id; // file name without ".json": letters, digits and '-'
    QString buildName;
    RunMetadata metadata;
    QString requestedBy; // user@host
    QDateTime requestedAt;

    QJsonObject toJson() const;
};

/*!
    Returns the options of start-atvm-run-watcher.sh for \a request:
    --build-name, then --template, --config-family, --migration-style,
    --integration-plugin and --scope-description for each field that is set.
*/
QStringList startScriptOptions(const StartRequest &request);

/*! \brief The outcome of a write to a state root. */
struct ControlWriteResult
{
    bool ok = false;
    QString path; // the file written
    QString error; // what failed and what to do, empty on success
};

/*! Returns "user@host" for the requested_by fields. */
QString currentUserAtHost();

/*! Returns a new request id: the UTC time and a random suffix, for example "20261204T150700Z-3fa9c2". */
QString newStartRequestId(const QDateTime &now);

/*!
    Writes the start request into \a rootPath. It validates the build name with validateBuildName()
   first and rejects a build whose folder already has a state.json of a run that is still WATCHING.
*/
ControlWriteResult writeStartRequest(const QString &rootPath, const StartRequest &request);

/*!
    Writes the cancellation marker <root>/<build>/cancel.json atomically;
    \a buildName is the run's folder name. The folder's state.json must record
    WATCHING: a missing, unreadable or finished state is rejected with nothing
    written. The watcher records CANCELLED once it finds the file.
*/
ControlWriteResult writeCancelMarker(const QString &rootPath, const QString &buildName,
                                     const QString &requestedBy, const QDateTime &now);
