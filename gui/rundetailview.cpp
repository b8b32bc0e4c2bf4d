#include "gui/rundetailview.h"

#include "gui/historychart.h"
#include "gui/messagepreview.h"
#include "gui/resourcefreetextdocument.h"
#include "shared/staterootreader.h"

#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QThreadPool>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>

namespace {

constexpr int s_logTailLines = 200;
constexpr qint64 s_logTailBytes = 256 * 1024;
constexpr int s_historyRuns = 12;
// Rendering thousands of failures as HTML takes seconds on the UI thread.
constexpr int s_maxFailuresShown = 200;
constexpr int s_logReadThreads = 2;

// Log reads run here, not in the global pool: Qt's painting uses the global
// pool too, so reads stuck on a dead mount there would stall the window. The
// pool is never deleted, because its destructor would wait for such a read.
QThreadPool *logReadPool()
{
    static QThreadPool *pool = [] {
        auto *threadPool = new QThreadPool;
        threadPool->setMaxThreadCount(s_logReadThreads);
        return threadPool;
    }();
    return pool;
}

LogTailRead readLogTail(const QString &path)
{
    LogTailRead read;
    read.lines = readLastLines(path, s_logTailLines, s_logTailBytes, &read.error);
    read.missing = !read.lines && !QFileInfo::exists(path);
    return read;
}

bool isSameEntry(const RunEntry &left, const RunEntry &right)
{
    return left.folderName == right.folderName && left.recordJson == right.recordJson
            && left.stale == right.stale && left.unreadable == right.unreadable
            && left.readError == right.readError && left.cancelRequested == right.cancelRequested
            && left.messageMarkdown == right.messageMarkdown;
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString tableRow(const QString &label, const QString &value)
{
    return QStringLiteral("<tr><td style='color:#555;padding-right:12px'>%1</td><td>%2</td></tr>")
            .arg(escaped(label), value.isEmpty() ? QStringLiteral("–") : escaped(value));
}

QString stripTerminalCodes(const QString &line)
{
    static const QRegularExpression escapes(QStringLiteral("\\x1B\\[[0-9;?]*[A-Za-z]"));
    QString text = line;
    text.remove(escapes);
    return text;
}

} // namespace

RunDetailView::RunDetailView(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::RichText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);

    m_tabs = new QTabWidget(this);
    m_summary = new QTextBrowser(this);
    m_summary->setDocument(new ResourceFreeTextDocument(m_summary));
    m_summary->setOpenLinks(false);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFont(QStringLiteral("monospace")));
    m_message = new QTextBrowser(this);
    m_message->setDocument(new ResourceFreeTextDocument(m_message));
    m_message->setOpenLinks(false);
    m_message->setOpenExternalLinks(false);
    m_history = new HistoryChart(this);

    m_tabs->addTab(m_summary, tr("Summary"));
    m_tabs->addTab(m_log, tr("Run log"));
    m_tabs->addTab(m_message, tr("Message"));

    // The history chart stays in view next to the tabs, so a slow or failing
    // run is visible without another click.
    auto *historyBox = new QGroupBox(tr("History"), this);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(2, 2, 2, 2);
    historyLayout->addWidget(m_history);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_tabs);
    splitter->addWidget(historyBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(splitter, 1);

    connect(&m_logWatcher, &QFutureWatcher<LogTailRead>::finished, this,
            &RunDetailView::handleLogRead);

    setRun(std::nullopt, {}, QDateTime::currentDateTimeUtc());
}

void RunDetailView::setRun(const std::optional<RunRow> &row, const QList<RunHistoryPoint> &history,
                           const QDateTime &now)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_scrollRestores))
        disconnect(connection);
    m_scrollRestores.clear();

    if (!row) {
        m_shownRow.reset();
        m_title->setText(tr("<b>No run selected</b>"));
        m_summary->setHtml(QString());
        m_logWatcher.setFuture(QFuture<LogTailRead>());
        m_logPath.clear();
        m_log->clear();
        m_messageMarkdown.clear();
        m_message->clear();
        m_history->setHistory(QString(), {});
        return;
    }

    const DisplayState state = displayStateOf(*row, now);
    const bool inFuture = row->entry.record && isUpdateInFuture(*row->entry.record, now);
    RunRecord reference;
    if (row->entry.record)
        reference = *row->entry.record;
    else if (row->archived)
        reference.metadata.templateName = row->archived->templateName;
    reference.buildName = row->buildName();
    const QList<RunHistoryPoint> related = relatedHistory(reference, history, s_historyRuns);
    if (isShown(*row, state, related) && inFuture == m_shownInFuture)
        return;

    // A new read of the run shown keeps the reader's place in every tab.
    const bool sameRun = m_shownRow && m_shownRow->rootPath == row->rootPath
            && m_shownRow->buildName() == row->buildName()
            && m_shownRow->isArchived() == row->isArchived();
    const ScrollPositions positions = sameRun ? scrollPositions() : ScrollPositions{};
    m_shownRow = row;
    m_shownState = state;
    m_shownInFuture = inFuture;
    m_shownHistory = related;

    showTitle(*row, state);
    m_summary->setHtml(buildSummaryHtml(*row, now));
    m_messageMarkdown = messagePreviewMarkdown(*row, now);
    m_message->setMarkdown(markdownWithHardLineBreaks(m_messageMarkdown));
    m_keepLogPosition = sameRun && !positions.logAtEnd;
    m_logPosition = positions.log;
    showLogTail(*row);

    const QString title = reference.metadata.templateName.isEmpty()
            ? tr("Last runs of build %1").arg(reference.buildName)
            : tr("Last runs of template %1").arg(reference.metadata.templateName);
    m_history->setHistory(title, related);

    if (sameRun)
        restoreScrollPositions(positions);
}

bool RunDetailView::isShown(const RunRow &row, DisplayState state,
                            const QList<RunHistoryPoint> &related) const
{
    if (!m_shownRow)
        return false;
    const RunRow &shown = *m_shownRow;
    return shown.rootPath == row.rootPath && shown.controllerName == row.controllerName
            && shown.rootReachable == row.rootReachable && shown.archived == row.archived
            && isSameEntry(shown.entry, row.entry) && m_shownState == state
            && m_shownHistory == related;
}

RunDetailView::ScrollPositions RunDetailView::scrollPositions() const
{
    ScrollPositions positions;
    positions.summary = m_summary->verticalScrollBar()->value();
    positions.message = m_message->verticalScrollBar()->value();
    const QScrollBar *logBar = m_log->verticalScrollBar();
    positions.log = logBar->value();
    positions.logAtEnd = logBar->value() >= logBar->maximum();
    return positions;
}

void RunDetailView::restoreScrollPositions(const ScrollPositions &positions)
{
    restoreScroll(m_summary->verticalScrollBar(), positions.summary);
    restoreScroll(m_message->verticalScrollBar(), positions.message);
}

void RunDetailView::restoreScroll(QScrollBar *bar, int value)
{
    bar->setValue(value);
    if (bar->value() == value)
        return;
    // The text layout grows the scroll range in steps after setHtml(); follow
    // it until the position fits or the user scrolls.
    auto rangeConnection = std::make_shared<QMetaObject::Connection>();
    *rangeConnection = connect(bar, &QScrollBar::rangeChanged, this,
                               [bar, value, rangeConnection](int, int maximum) {
                                   bar->setValue(qMin(value, maximum));
                                   if (maximum >= value)
                                       QObject::disconnect(*rangeConnection);
                               });
    const QMetaObject::Connection userConnection =
            connect(bar, &QScrollBar::actionTriggered, this,
                    [rangeConnection] { QObject::disconnect(*rangeConnection); });
    m_scrollRestores << *rangeConnection << userConnection;
}

void RunDetailView::showTitle(const RunRow &row, DisplayState state)
{
    m_title->setText(QStringLiteral("<b style='font-size:large'>%1</b> &nbsp; on %2 &nbsp; "
                                    "<span style='background:%3;color:white'>&nbsp;%4&nbsp;</span>")
                             .arg(escaped(row.buildName()), escaped(row.controllerName),
                                  displayStateColor(state).name(), displayStateName(state)));
}

QString RunDetailView::summaryHtml() const
{
    return m_summary->toHtml();
}

QString RunDetailView::messageText() const
{
    return m_message->toPlainText();
}

QString RunDetailView::logText() const
{
    return m_log->toPlainText();
}

QString RunDetailView::buildSummaryHtml(const RunRow &row, const QDateTime &now) const
{
    QString html;
    if (row.isStale()) {
        html += QStringLiteral("<p style='color:#b35c00'><b>%1</b> %2</p>")
                        .arg(escaped(tr("Stale data.")),
                             escaped(row.rootReachable ? row.entry.readError
                                                       : tr("The state root is unreachable.")));
    }
    if (row.isArchived()) {
        const RunHistoryPoint &point = *row.archived;
        html += QStringLiteral("<p>%1</p><table>")
                        .arg(escaped(tr("This run's folder is gone from the controller; the "
                                        "dashboard kept it in its "
                                        "history.")));
        html += tableRow(tr("Template"), point.templateName);
        html += tableRow(tr("Started"), formatTime(point.startedAt));
        html += tableRow(tr("Duration"), formatAge(point.durationSeconds));
        html += tableRow(tr("Tests"), QString::number(point.tests));
        html += tableRow(tr("Failing"), QString::number(point.failing));
        return html + QStringLiteral("</table>");
    }
    if (!row.entry.record) {
        html += QStringLiteral("<p>%1</p>").arg(escaped(row.entry.readError));
        return html;
    }

    const RunRecord &record = *row.entry.record;
    const DisplayState state = displayStateOf(row, now);
    QString reason = record.reason;
    const bool inFuture = isUpdateInFuture(record, now);
    if (inFuture) {
        html += QStringLiteral("<p style='color:#b35c00'><b>%1</b> %2</p>")
                        .arg(escaped(tr("Clock warning.")),
                             escaped(futureUpdateWarning(record, now)));
    }
    if (state == DisplayState::WatcherLost && !inFuture) {
        reason = tr("The watcher has not written its state for %1 (last write %2, pid %3); it "
                    "stopped or cannot write. Check atvm-run-watcher@%4.service on the controller.")
                         .arg(formatAge(record.updatedAt.secsTo(now)), formatTime(record.updatedAt))
                         .arg(record.watcherPid)
                         .arg(row.buildName());
    }
    html += QStringLiteral("<p><b>%1</b> %2</p>").arg(escaped(tr("Reason:")), escaped(reason));
    if (row.entry.cancelRequested && record.state == RunState::Watching)
        html += QStringLiteral("<p><i>%1</i></p>")
                        .arg(escaped(tr("Cancellation requested; "
                                        "waiting for the watcher.")));

    html += QStringLiteral("<table>");
    html += tableRow(tr("Template"), record.metadata.templateName);
    html += tableRow(tr("Config family"), record.metadata.configFamily);
    html += tableRow(tr("Migration style"), record.metadata.migrationStyle);
    html += tableRow(tr("Integration plugin"), record.metadata.integrationPlugin);
    html += tableRow(tr("Scope"), record.metadata.scopeDescription);
    html += tableRow(tr("Started"), formatTime(record.startedAt));
    html += tableRow(tr("Finished"), formatTime(record.finishedAt));
    const std::optional<qint64> updateAge = updateAgeSeconds(record, now);
    html += tableRow(
            tr("Last update"),
            updateAge ? tr("%1 (%2 ago)").arg(formatTime(record.updatedAt), formatAge(*updateAge))
                      : tr("%1 (age unknown)").arg(formatTime(record.updatedAt)));
    html += tableRow(tr("Last activity"), formatTime(record.lastActivityAt));
    const RunProgress &progress = record.progress;
    html += tableRow(
            tr("Specs"),
            tr("%1 of %2 done, %3 failed")
                    .arg(progress.specsDone)
                    .arg(progress.specsTotal < 0 ? tr("?") : QString::number(progress.specsTotal))
                    .arg(progress.specsFailed));
    html += tableRow(tr("Tests"),
                     tr("%1: %2 passing, %3 failing, %4 pending, %5 skipped")
                             .arg(progress.tests)
                             .arg(progress.passing)
                             .arg(progress.failing)
                             .arg(progress.pending)
                             .arg(progress.skipped));
    html += tableRow(tr("Current spec"), progress.currentSpec);
    html += tableRow(tr("Posted"),
                     record.posted ? tr("yes, %1").arg(formatTime(record.postedAt))
                                   : tr("no (%1 attempts)").arg(record.postAttempts));
    html += tableRow(tr("Last error"), record.lastError);
    html += tableRow(tr("Watcher pid"), QString::number(record.watcherPid));
    html += tableRow(tr("Run process"),
                     tr("pid %1, %2%3")
                             .arg(record.processPid)
                             .arg(record.processAlive ? tr("running") : tr("ended"))
                             .arg(record.processExitStatus
                                          ? tr(", exit status %1").arg(*record.processExitStatus)
                                          : QString()));
    html += tableRow(tr("Run log"), record.runLogPath);
    html += tableRow(tr("Report folder"), record.reportDirPath);
    html += tableRow(tr("State root"), row.rootPath);
    html += QStringLiteral("</table>");

    html += QStringLiteral("<h4>%1</h4>").arg(escaped(tr("Guest systems")));
    if (record.guests.isEmpty()) {
        html += QStringLiteral("<p>–</p>");
    } else {
        html += QStringLiteral("<table>");
        for (const GuestSystem &guest : record.guests)
            html += tableRow(guest.token, guest.kernel.value_or(tr("kernel not in inventory")));
        html += QStringLiteral("</table>");
    }

    html += QStringLiteral("<h4>%1</h4>")
                    .arg(escaped(tr("Failures (%1)").arg(progress.failures.size())));
    if (progress.failures.isEmpty()) {
        html += QStringLiteral("<p>%1</p>").arg(escaped(tr("None so far.")));
    } else {
        html += QStringLiteral("<ul>");
        const qsizetype shown = qMin<qsizetype>(progress.failures.size(), s_maxFailuresShown);
        for (qsizetype i = 0; i < shown; ++i) {
            const FailedTest &failure = progress.failures.at(i);
            html += QStringLiteral(
                            "<li><b>%1</b> – %2<br/><span style='color:#c62828'>%3</span></li>")
                            .arg(escaped(failure.spec), escaped(failure.title),
                                 escaped(failure.error));
        }
        html += QStringLiteral("</ul>");
        if (progress.failures.size() > shown) {
            html += QStringLiteral("<p>%1</p>")
                            .arg(escaped(tr("… and %1 more. \"atvm-watcher-dashboard --console "
                                            "show %2\" lists them all.")
                                                 .arg(progress.failures.size() - shown)
                                                 .arg(row.buildName())));
        }
    }
    return html;
}

void RunDetailView::showLogTail(const RunRow &row)
{
    const QString path = row.entry.record ? row.entry.record->runLogPath : QString();
    if (path.isEmpty()) {
        m_logWatcher.setFuture(QFuture<LogTailRead>());
        m_logPath.clear();
        m_log->setPlainText(tr("No run log path recorded for this run."));
        return;
    }
    // A new read of the same log keeps the old lines until the new ones arrive.
    if (path != m_logPath)
        m_log->setPlainText(tr("Reading %1 …").arg(path));
    m_logPath = path;
    // The path is the controller's; it may also be on a hanging mount, so it is read off the UI
    // thread.
    m_logWatcher.setFuture(QtConcurrent::run(logReadPool(), [path] { return readLogTail(path); }));
}

void RunDetailView::handleLogRead()
{
    if (m_logWatcher.future().resultCount() == 0)
        return;
    const LogTailRead read = m_logWatcher.result();
    if (!read.lines) {
        m_log->setPlainText(read.missing
                                    ? tr("The run log \"%1\" is not readable from this machine. "
                                         "It is on the controller; open it there or mount its "
                                         "folder.")
                                              .arg(m_logPath)
                                    : tr("The run log cannot be shown. %1").arg(read.error));
        return;
    }
    QStringList clean;
    for (const QString &line : *read.lines)
        clean.append(stripTerminalCodes(line));
    m_log->setPlainText(clean.join(QLatin1Char('\n')));
    if (m_keepLogPosition)
        m_log->verticalScrollBar()->setValue(m_logPosition);
    else
        m_log->moveCursor(QTextCursor::End);
}
