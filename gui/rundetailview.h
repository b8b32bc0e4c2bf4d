#pragma once

#include "gui/runrow.h"

#include <QFutureWatcher>
#include <QWidget>

class HistoryChart;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTextBrowser;

/*!
    \brief The detail pane of the selected run: metadata, guests, reason,
    failures, the run log tail, the Mattermost message preview and history.
*/
class RunDetailView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunDetailView)

public:
    explicit RunDetailView(QWidget *parent = nullptr);

    /*! Shows \a row; \a history holds finished runs to chart; \a now dates ages. */
    void setRun(const std::optional<RunRow> &row, const QList<RunHistoryPoint> &history,
                const QDateTime &now);

    QString summaryHtml() const;
    QString messageMarkdown() const { return m_messageMarkdown; }
    QString logText() const;
    HistoryChart *historyChart() const { return m_history; }
    QTabWidget *tabs() const { return m_tabs; }

private:
    QString buildSummaryHtml(const RunRow &row, const QDateTime &now) const;
    void showLogTail(const RunRow &row);

    QLabel *m_title = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTextBrowser *m_summary = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QTextBrowser *m_message = nullptr;
    HistoryChart *m_history = nullptr;
    QString m_messageMarkdown;
    QString m_logPath;
    QFutureWatcher<std::optional<QStringList>> m_logWatcher;
};
