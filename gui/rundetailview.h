#pragma once

#include "gui/runrow.h"

#include <QFutureWatcher>
#include <QWidget>

class HistoryChart;
class QLabel;
class QPlainTextEdit;
class QScrollBar;
class QTabWidget;
class QTextBrowser;

/*! \brief The last lines of a run log, or why they cannot be shown. */
struct LogTailRead
{
    std::optional<QStringList> lines;
    QString error;
    bool missing = false; // the path does not exist on this machine
};

/*!
    \brief The detail pane of the selected run: metadata, guests, reason,
    failures, the run log tail, the Mattermost message preview and history.

    Every value from a state folder is shown as text: HTML is escaped, and the
    message preview loads no image or other resource it names.
*/
class RunDetailView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunDetailView)

public:
    explicit RunDetailView(QWidget *parent = nullptr);

    /*!
        Shows \a row; \a history contains finished runs to chart; \a now dates ages.
        When the run, its data, its displayed state and its related history are
        the same as shown, nothing is rendered again. When only the data of the
        shown run changed, the scroll positions are kept.
    */
    void setRun(const std::optional<RunRow> &row, const QList<RunHistoryPoint> &history,
                const QDateTime &now);

    QString summaryHtml() const;
    QString messageMarkdown() const { return m_messageMarkdown; }
    QString messageText() const;
    QString logText() const;
    HistoryChart *historyChart() const { return m_history; }
    QTabWidget *tabs() const { return m_tabs; }
    QTextBrowser *summaryBrowser() const { return m_summary; }

private:
    struct ScrollPositions
    {
        int summary = 0;
        int message = 0;
        int log = 0;
        bool logAtEnd = true;
    };

    bool isShown(const RunRow &row, DisplayState state,
                 const QList<RunHistoryPoint> &related) const;
    ScrollPositions scrollPositions() const;
    void restoreScrollPositions(const ScrollPositions &positions);
    void restoreScroll(QScrollBar *bar, int value);
    void showTitle(const RunRow &row, DisplayState state);
    QString buildSummaryHtml(const RunRow &row, const QDateTime &now) const;
    void showLogTail(const RunRow &row);
    void handleLogRead();

    QLabel *m_title = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTextBrowser *m_summary = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QTextBrowser *m_message = nullptr;
    HistoryChart *m_history = nullptr;
    QString m_messageMarkdown;
    QString m_logPath;
    bool m_keepLogPosition = false;
    int m_logPosition = 0;
    QFutureWatcher<LogTailRead> m_logWatcher;
    QList<QMetaObject::Connection> m_scrollRestores;

    // The run, state and history on screen; unchanged data is not rendered again.
    std::optional<RunRow> m_shownRow;
    DisplayState m_shownState = DisplayState::NoState;
    bool m_shownInFuture = false;
    QList<RunHistoryPoint> m_shownHistory;
};
