#pragma once

#include "shared/runrecord.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

/*! \brief One run folder of a state root, with the last state.json that parsed. */
struct RunEntry
{
    QString folderName;
    std::optional<RunRecord> record; // the last good record; empty until one parsed
    QByteArray recordJson; // the bytes of that record, for the history store
    bool stale = false; // true when the latest read did not give a good record
    bool unreadable = false; // state.json exists but could not be read or parsed
    QString readError; // why the latest read failed, empty if it succeeded
    bool cancelRequested = false; // cancel.json exists
    QString messageMarkdown; // message.md, empty if absent
    QDateTime stateModifiedAt; // modification time of state.json
};

/*! \brief The outcome of one start request, read from the results folder. */
struct StartRequestOutcome
{
    QString id;
    QString buildName;
    QString outcome; // "started", "rejected" or "failed"
    QString message;
    QDateTime handledAt;
};

/*! \brief Everything the dashboard read from one state root in one pass. */
struct StateRootSnapshot
{
    QString rootPath;
    bool reachable = false;
    QString error; // why the root is unreachable, empty if reachable
    bool fuseMount = false; // the root lies on a FUSE file system such as sshfs
    QDateTime lastReadAt; // when a read of the root last finished, good or not
    QDateTime lastGoodReadAt; // when a read of the root last succeeded
    QDateTime newestUpdateAt; // newest updated_at of all runs: the age of the data
    QList<RunEntry> runs;
    QList<StartRequestOutcome> requestOutcomes;
    QStringList pendingRequestIds; // requests the controller has not picked up yet

    const RunEntry *findRun(const QString &buildName) const;
};

Q_DECLARE_METATYPE(StateRootSnapshot)
