#include "gui/runrow.h"

#include <QCoreApplication>
#include <QLocale>

QString RunRow::buildName() const
{
    // The folder is the run's address; a build_name inside state.json may differ.
    if (archived)
        return archived->buildName;
    return entry.folderName;
}

DisplayState displayStateOf(const RunRow &row, const QDateTime &now)
{
    RunState state = RunState::Unknown;
    if (row.archived) {
        state = row.archived->state;
    } else if (!row.entry.record) {
        return row.entry.unreadable ? DisplayState::Unreadable : DisplayState::NoState;
    } else {
        if (isWatcherLost(*row.entry.record, now))
            return DisplayState::WatcherLost;
        state = row.entry.record->state;
    }

    switch (state) {
    case RunState::Watching:
        return DisplayState::Watching;
    case RunState::Completed:
        return DisplayState::Completed;
    case RunState::Failed:
        return DisplayState::Failed;
    case RunState::Cancelled:
        return DisplayState::Cancelled;
    case RunState::Terminated:
        return DisplayState::Terminated;
    case RunState::Hung:
        return DisplayState::Hung;
    case RunState::Unknown:
        break;
    }
    return DisplayState::Unknown;
}

QString displayStateName(DisplayState state)
{
    switch (state) {
    case DisplayState::Watching:
        return QStringLiteral("WATCHING");
    case DisplayState::WatcherLost:
        return QStringLiteral("WATCHER LOST");
    case DisplayState::Completed:
        return QStringLiteral("COMPLETED");
    case DisplayState::Failed:
        return QStringLiteral("FAILED");
    case DisplayState::Cancelled:
        return QStringLiteral("CANCELLED");
    case DisplayState::Terminated:
        return QStringLiteral("TERMINATED");
    case DisplayState::Hung:
        return QStringLiteral("HUNG");
    case DisplayState::Unknown:
        return QStringLiteral("UNKNOWN");
    case DisplayState::NoState:
        return QStringLiteral("NO STATE");
    case DisplayState::Unreadable:
        return QStringLiteral("UNREADABLE");
    }
    return QStringLiteral("UNKNOWN");
}

QList<DisplayState> allDisplayStates()
{
    return {DisplayState::Watching,  DisplayState::WatcherLost, DisplayState::Completed,
            DisplayState::Failed,    DisplayState::Cancelled,   DisplayState::Terminated,
            DisplayState::Hung,      DisplayState::Unknown,     DisplayState::NoState,
            DisplayState::Unreadable};
}

QColor displayStateColor(DisplayState state)
{
    switch (state) {
    case DisplayState::Watching:
        return QColor(0x1f, 0x6f, 0xc5);
    case DisplayState::WatcherLost:
        return QColor(0xb3, 0x5c, 0x00);
    case DisplayState::Completed:
        return QColor(0x2e, 0x7d, 0x32);
    case DisplayState::Failed:
        return QColor(0xc6, 0x28, 0x28);
    case DisplayState::Cancelled:
        return QColor(0x61, 0x61, 0x61);
    case DisplayState::Terminated:
        return QColor(0x8e, 0x24, 0xaa);
    case DisplayState::Hung:
        return QColor(0xd8, 0x43, 0x15);
    case DisplayState::Unknown:
    case DisplayState::Unreadable:
        return QColor(0x6d, 0x4c, 0x41);
    case DisplayState::NoState:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

QString formatTime(const QDateTime &time)
{
    if (!time.isValid())
        return QStringLiteral("–");
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString formatShortTime(const QDateTime &time)
{
    if (!time.isValid())
        return QString();
    return time.toLocalTime().toString(QStringLiteral("MM-dd HH:mm"));
}

QString futureUpdateWarning(const RunRecord &record, const QDateTime &now)
{
    return QCoreApplication::translate("RunRow",
                                       "updated_at %1 is %2 ahead of this machine's clock, so the "
                                       "age of this state is unknown and the watcher is not known "
                                       "to be alive. Check the clocks of the controller and of "
                                       "this machine.")
            .arg(record.updatedAt.toUTC().toString(Qt::ISODate),
                 formatAge(now.secsTo(record.updatedAt)));
}

QString formatAge(qint64 seconds)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1m").arg(seconds / 60);
    if (seconds < 86400) {
        return QStringLiteral("%1h%2m")
                .arg(seconds / 3600)
                .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1d%2h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}
