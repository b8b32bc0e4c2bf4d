#include "shared/runwatcher.h"

#include "shared/buildname.h"
#include "shared/cypresslogparser.h"
#include "shared/logfollower.h"
#include "shared/logging.h"
#include "shared/reportreader.h"
#include "shared/runmetadata.h"
#include "shared/statusmessage.h"
#include "shared/vminventory.h"
#include "shared/webhookposter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHostInfo>
#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cstdio>

namespace {

constexpr std::chrono::seconds s_heartbeat{30};
constexpr std::chrono::milliseconds s_coalesceDelay{250};
constexpr std::chrono::milliseconds s_minSaveInterval{1000};
constexpr std::chrono::seconds s_pidReuseSlack{60};
constexpr std::chrono::milliseconds s_artifactSettle{3000};

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

std::optional<int> readExitStatus(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    bool ok = false;
    const int status = QString::fromLatin1(file.read(32)).trimmed().toInt(&ok);
    return ok ? std::optional<int>(status) : std::nullopt;
}

} // namespace

RunWatcher::RunWatcher(const WatcherConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_store(config.stateRoot, config.buildName),
      m_follower(std::make_unique<LogFollower>(config.runLog)),
      m_parser(std::make_unique<CypressLogParser>()),
      m_reports(std::make_unique<ReportReader>(config.reportDir))
{
    m_pollTimer.setInterval(m_config.pollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &RunWatcher::evaluate);

    m_heartbeatTimer.setInterval(s_heartbeat);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, [this] { saveState(); });

    m_coalesceTimer.setSingleShot(true);
    m_coalesceTimer.setInterval(s_coalesceDelay);
    connect(&m_coalesceTimer, &QTimer::timeout, this, &RunWatcher::evaluate);

    m_deadlineTimer.setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &RunWatcher::evaluate);
}

RunWatcher::~RunWatcher() = default;

std::optional<int> RunWatcher::start()
{
    if (const std::optional<QString> error = m_store.ensureFolder()) {
        qCCritical(lcWatcher).noquote() << *error;
        return BadConfiguration;
    }
    if (const std::optional<QString> error = m_store.lock()) {
        qCCritical(lcWatcher).noquote() << *error;
        return AlreadyWatched;
    }

    QString loadError;
    std::optional<WatcherState> saved = m_store.load(&loadError);
    if (!saved && !loadError.isEmpty()) {
        // Never overwrite a record that cannot be read, because it may record a post.
        qCCritical(lcWatcher).noquote() << loadError;
        return BadConfiguration;
    }

    if (saved && saved->buildName != m_config.buildName) {
        qCCritical(lcWatcher).noquote()
                << QStringLiteral("The state file \"%1\" belongs to build \"%2\", not \"%3\". "
                                  "Move it aside, or check --state-root.")
                           .arg(m_store.stateFile(), saved->buildName, m_config.buildName);
        return BadConfiguration;
    }
    if (saved && saved->dryRun && !m_config.dryRun) {
        // A dry run decided and printed the message but posted nothing; this
        // watcher decides again with its own configuration and posts.
        qCInfo(lcWatcher).noquote()
                << QStringLiteral("The record of build \"%1\" comes from a dry run; watching "
                                  "the run again to post it.")
                           .arg(m_config.buildName);
        WatcherState fresh;
        fresh.buildName = m_config.buildName;
        fresh.startedAt = saved->startedAt;
        saved = fresh;
    }

    if (saved) {
        m_state = *saved;
        m_attemptsBefore = m_state.postAttempts;
        if (isTerminal(m_state.state)) {
            if (m_state.posted || !isPosted(m_state.state)) {
                qCInfo(lcWatcher).noquote()
                        << QStringLiteral(
                                   "Build \"%1\" is already recorded as %2%3; nothing to do.")
                                   .arg(m_config.buildName, runStateName(m_state.state),
                                        m_state.posted ? QStringLiteral(" and posted") : QString());
                QTimer::singleShot(0, this, [this] { finish(Done); });
                return std::nullopt;
            }
            QTimer::singleShot(0, this, &RunWatcher::resumeUnpostedRun);
            return std::nullopt;
        }
        const QJsonObject parserState =
                m_state.logPosition.value(QStringLiteral("parser")).toObject();
        if (parserState.isEmpty()) {
            // Nothing was read before the stop, so the log is read from its start.
        } else if (m_parser->restoreState(parserState)) {
            m_follower->restore(LogPosition::fromJson(m_state.logPosition));
        } else {
            qCWarning(lcWatcher) << "The saved log parser state is unusable; re-reading the log "
                                    "from its start.";
            m_parser = std::make_unique<CypressLogParser>();
        }
        qCInfo(lcWatcher).noquote() << QStringLiteral("Resuming build \"%1\" at log offset %2.")
                                               .arg(m_config.buildName)
                                               .arg(m_follower->position().offset);
    } else {
        m_state.buildName = m_config.buildName;
        m_state.startedAt = now();
    }

    // A watcher restarted without the run's environment keeps what was recorded.
    const RunMetadata metadata = RunMetadata::fromEnvironment(m_config.environment);
    if (!(metadata == RunMetadata{}) || m_state.metadata.isEmpty())
        m_state.metadata = metadata.toJson();

    const VmInventoryLoad inventory = VmInventory::load(m_config.inventory);
    if (!inventory.isValid())
        qCWarning(lcWatcher).noquote() << inventory.error;
    QJsonArray guests;
    for (const QString &token : guestTokens(m_config.buildName)) {
        const std::optional<QString> kernel = inventory.inventory.kernelFor(token);
        guests.append(QJsonObject{{QStringLiteral("token"), token},
                                  {QStringLiteral("kernel"),
                                   kernel ? QJsonValue(*kernel) : QJsonValue(QJsonValue::Null)}});
    }
    m_state.guests = guests;
    m_state.paths = QJsonObject{
            {QStringLiteral("run_log"), m_config.runLog},
            {QStringLiteral("report_dir"), m_config.reportDir},
            {QStringLiteral("pid_file"), m_config.pidFile},
            {QStringLiteral("inventory"), m_config.inventory},
    };
    m_state.watcherPid = QCoreApplication::applicationPid();
    m_state.state = RunState::Watching;

    m_fileWatcher = new QFileSystemWatcher(this);
    connect(m_fileWatcher, &QFileSystemWatcher::fileChanged, this, &RunWatcher::scheduleEvaluation);
    connect(m_fileWatcher, &QFileSystemWatcher::directoryChanged, this,
            &RunWatcher::scheduleEvaluation);

    qCInfo(lcWatcher).noquote()
            << QStringLiteral(
                       "Watching build \"%1\": log \"%2\", reports \"%3\", PID file \"%4\"%5.")
                       .arg(m_config.buildName, m_config.runLog, m_config.reportDir,
                            m_config.pidFile,
                            m_config.dryRun ? QStringLiteral(", dry run") : QString());

    m_pollTimer.start();
    m_heartbeatTimer.start();
    QTimer::singleShot(0, this, &RunWatcher::evaluate);
    return std::nullopt;
}

void RunWatcher::stop()
{
    if (m_poster && m_poster->isPosting()) {
        // A request already sent is not called back; any later attempt is dropped,
        // and the run stays recorded as not posted for a restarted watcher.
        m_stopRequested = true;
        m_poster->abort(QStringLiteral("The watcher was asked to stop before the post went "
                                       "through; a restarted watcher posts it."));
        return;
    }
    if (m_finishing)
        return;
    if (m_store.isCancelRequested()) {
        finalize(Verdict{RunState::Cancelled,
                         QStringLiteral("An operator cancelled the run (cancellation marker "
                                        "present).")});
        return;
    }
    qCInfo(lcWatcher) << "Stopping on request; the run stays WATCHING and a restarted watcher "
                         "resumes it.";
    saveState();
    finish(Done);
}

void RunWatcher::scheduleEvaluation()
{
    if (!m_coalesceTimer.isActive())
        m_coalesceTimer.start();
}

void RunWatcher::evaluate()
{
    if (m_finishing)
        return;

    const ProcessStatus process = probeProcess();
    readLog(process == ProcessStatus::Gone);
    if (m_parser->summary().runFinished && !m_summarySeenAt.isValid())
        m_summarySeenAt = now();
    scanReports();
    updateWatchedPaths();

    const VerdictEvidence evidence = gatherEvidence(process);
    const Verdict verdict = decideVerdict(
            evidence,
            VerdictLimits{m_config.hangTimeout, m_config.startupGrace, m_config.exitGrace});

    if (process == ProcessStatus::Gone && !m_processGoneAt.isValid())
        m_processGoneAt = now();
    // Report merge steps often run right after `cypress run` exits, so a
    // posted verdict waits a moment for the artifacts to settle.
    const bool artifactsSettling = isPosted(verdict.state) && m_processGoneAt.isValid()
            && m_processGoneAt.msecsTo(now()) < s_artifactSettle.count();
    if (isTerminal(verdict.state) && !artifactsSettling) {
        finalize(verdict);
        return;
    }

    scheduleNextDeadline(evidence);
    m_state.reason = verdict.reason;
    const QString status = statusLine();
    if (status != m_lastStatus) {
        m_lastStatus = status;
        Q_EMIT statusChanged(status);
        m_stateChanged = true;
    }
    // Each write carries the parser state and every failure so far, so a fast
    // run is written at most once a second. The next pass writes the rest.
    if (m_stateChanged
        && (!m_sinceLastSave.isValid() || m_sinceLastSave.hasExpired(s_minSaveInterval.count())))
        saveState();
}

void RunWatcher::scheduleNextDeadline(const VerdictEvidence &evidence)
{
    // The time limits are checked when they run out, not only at the next
    // poll, so a long poll interval does not stretch them.
    const QDateTime activity =
            evidence.lastActivityAt.isValid() ? evidence.lastActivityAt : evidence.watchStartedAt;
    QList<QDateTime> deadlines{activity.addSecs(m_config.hangTimeout.count())};
    if (evidence.process == ProcessStatus::NeverFound)
        deadlines.append(evidence.watchStartedAt.addSecs(m_config.startupGrace.count()));
    if (m_summarySeenAt.isValid())
        deadlines.append(m_summarySeenAt.addSecs(m_config.exitGrace.count()));
    if (m_processGoneAt.isValid())
        deadlines.append(m_processGoneAt.addMSecs(s_artifactSettle.count()));

    qint64 delay = std::chrono::milliseconds(m_config.pollInterval).count();
    for (const QDateTime &deadline : std::as_const(deadlines)) {
        const qint64 untilDeadline = evidence.now.msecsTo(deadline);
        if (untilDeadline >= 0)
            delay = std::min(delay, untilDeadline + 100);
    }
    m_deadlineTimer.start(std::chrono::milliseconds(delay));
}

RunProgress RunWatcher::mergedProgress() const
{
    // The log names a spec relative to the spec pattern, a report relative to
    // the project, so specs are matched by file name. Failures of specs the
    // log shows no failure for come from the reports.
    RunProgress progress = m_parser->summary().progress;
    QSet<QString> specsFromLog;
    for (const FailedTest &failure : std::as_const(progress.failures))
        specsFromLog.insert(QFileInfo(failure.spec).fileName());
    for (const FailedTest &failure : m_reportSummary.failures) {
        if (!specsFromLog.contains(QFileInfo(failure.spec).fileName()))
            progress.failures.append(failure);
    }
    progress.failing = std::max(progress.failing, m_reportSummary.failing);
    const auto failedSpecs =
            std::count_if(m_reportSummary.specs.cbegin(), m_reportSummary.specs.cend(),
                          [](const ReportSpec &spec) { return spec.failed; });
    progress.specsFailed = std::max(progress.specsFailed, int(failedSpecs));
    return progress;
}

ProcessStatus RunWatcher::probeProcess()
{
    const std::optional<int> exitStatus = readExitStatus(m_config.exitStatusFile);
    if (exitStatus)
        m_state.exitStatus = exitStatus;

    if (m_state.process.isValid()) {
        m_state.processAlive = m_probe.isAlive(m_state.process);
        if (m_state.processAlive)
            return ProcessStatus::Alive;
        // A process found only by its command line that ends before the run
        // wrote anything was a wrapper or a helper, not the run.
        if (m_processFromCommandLine && !m_parser->summary().runStarted
            && m_follower->totalBytesRead() == 0 && !exitStatus) {
            qCInfo(lcProcess).noquote()
                    << QStringLiteral("Process %1 ended before the run wrote its log; it was not "
                                      "the run. Searching again.")
                               .arg(m_state.process.pid);
            m_state.process = ProcessIdentity{};
            m_processFromCommandLine = false;
            return ProcessStatus::NeverFound;
        }
        return ProcessStatus::Gone;
    }

    const std::optional<qint64> pidFromFile = m_probe.readPidFile(m_config.pidFile);
    m_state.processAlive = false;
    if (pidFromFile && *pidFromFile == 0) {
        // The launcher may be writing it right now; an empty file is not a dead run.
        return exitStatus ? ProcessStatus::Gone : ProcessStatus::NeverFound;
    }

    if (pidFromFile) {
        m_state.process.pid = *pidFromFile;
        const std::optional<ProcessIdentity> identity = m_probe.identify(*pidFromFile);
        // A process that started well after the PID file was written got a
        // reused PID: the run itself has ended.
        const QDateTime written = QFileInfo(m_config.pidFile).lastModified().toUTC();
        const QDateTime started = identity ? m_probe.startTime(*identity) : QDateTime();
        if (identity
            && !(started.isValid() && written.isValid()
                 && started > written.addSecs(s_pidReuseSlack.count()))) {
            m_state.process = *identity;
            m_state.processAlive = true;
            qCInfo(lcProcess).noquote()
                    << QStringLiteral("Following the run's process, PID %1 from \"%2\".")
                               .arg(identity->pid)
                               .arg(m_config.pidFile);
            return ProcessStatus::Alive;
        }
        return ProcessStatus::Gone;
    }

    // Without a PID file the command line is searched, which a launcher that
    // writes no PID file relies on.
    if (exitStatus)
        return ProcessStatus::Gone;
    const std::optional<ProcessIdentity> identity =
            m_probe.findByCommandLine(m_config.buildName, QCoreApplication::applicationPid());
    if (!identity)
        return ProcessStatus::NeverFound;
    m_state.process = *identity;
    m_state.processAlive = true;
    m_processFromCommandLine = true;
    qCInfo(lcProcess).noquote()
            << QStringLiteral("Following the run's process, PID %1, found by the build name in "
                              "its command line (no PID file at \"%2\").")
                       .arg(identity->pid)
                       .arg(m_config.pidFile);
    return ProcessStatus::Alive;
}

void RunWatcher::readLog(bool processEnded)
{
    // A large log is read in slices, so memory stays bounded by one slice.
    bool readAny = false;
    do {
        const QStringList lines = m_follower->readNewLines();
        for (const QString &line : lines)
            m_parser->addLine(line);
        readAny = readAny || !lines.isEmpty();
    } while (m_follower->hasUnreadBytes());

    if (processEnded) {
        const QStringList lastLine = m_follower->flushPartialLine();
        for (const QString &line : lastLine)
            m_parser->addLine(line);
        readAny = readAny || !lastLine.isEmpty();
    }
    if (!readAny)
        return;

    m_state.lastActivityAt = now();
}

void RunWatcher::scanReports()
{
    m_reportSummary = m_reports->scan();
    const ReportSummary &summary = m_reportSummary;
    if (summary.lastChange.isValid()
        && (!m_state.lastActivityAt.isValid() || summary.lastChange > m_state.lastActivityAt)) {
        m_state.lastActivityAt = summary.lastChange.toUTC();
    }
}

void RunWatcher::updateWatchedPaths()
{
    // Watch the folders too: a log or report that does not exist yet, or is
    // replaced by rotation, shows up as a folder change.
    QStringList wanted{m_config.runLog, QFileInfo(m_config.runLog).absolutePath(),
                       m_config.reportDir, m_store.folder()};
    QStringList missing;
    const QStringList watched = m_fileWatcher->files() + m_fileWatcher->directories();
    for (const QString &path : wanted) {
        if (QFileInfo::exists(path) && !watched.contains(path))
            missing.append(path);
    }
    if (!missing.isEmpty())
        m_fileWatcher->addPaths(missing);
}

VerdictEvidence RunWatcher::gatherEvidence(ProcessStatus process) const
{
    const CypressLogSummary &summary = m_parser->summary();

    VerdictEvidence evidence;
    evidence.cancelRequested = m_store.isCancelRequested();
    evidence.logExists = m_follower->exists() || m_follower->totalBytesRead() > 0;
    evidence.summaryPrinted = summary.runFinished;
    evidence.cypressCanceled = summary.canceled;
    evidence.fatalError = summary.fatalError;
    evidence.crashDetected = summary.crashDetected;
    evidence.logProgress = summary.progress;
    evidence.specsWithoutResults = summary.specsWithoutResults;
    evidence.reportSpecs = int(m_reportSummary.specs.size());
    evidence.reportFailing = m_reportSummary.failing;
    evidence.reportProblems = m_reportSummary.problems;
    evidence.process = process;
    evidence.pid = m_state.process.pid;
    evidence.exitStatus = m_state.exitStatus;
    evidence.now = now();
    evidence.watchStartedAt = m_state.startedAt;
    evidence.lastActivityAt = m_state.lastActivityAt;
    evidence.summarySeenAt = m_summarySeenAt;
    return evidence;
}

bool RunWatcher::saveState()
{
    if (m_state.state == RunState::Watching && !m_finishing)
        m_state.progress = mergedProgress();

    // The offset and the parser state always describe the same lines.
    QJsonObject position = m_follower->position().toJson();
    position.insert(QStringLiteral("parser"), m_parser->saveState());
    m_state.logPosition = position;

    m_state.updatedAt = now();
    m_stateChanged = false;
    m_sinceLastSave.restart();
    if (const std::optional<QString> error = m_store.save(m_state)) {
        // While watching, the next write may succeed; posting checks the result.
        qCCritical(lcState).noquote() << *error;
        return false;
    }
    return true;
}

QString RunWatcher::statusLine() const
{
    const RunProgress &progress = m_parser->summary().progress;
    if (!m_parser->summary().runStarted && progress.specsDone == 0)
        return QStringLiteral("waiting for the run to start");
    QString line = QStringLiteral("spec %1/%2")
                           .arg(progress.specsDone + (progress.currentSpec.isEmpty() ? 0 : 1))
                           .arg(progress.specsTotal < 0 ? QStringLiteral("?")
                                                        : QString::number(progress.specsTotal));
    if (!progress.currentSpec.isEmpty())
        line += QStringLiteral(" (%1)").arg(progress.currentSpec);
    line += QStringLiteral(", %1 passing, %2 failing").arg(progress.passing).arg(progress.failing);
    return line;
}

QString RunWatcher::buildMessage() const
{
    const CypressLogSummary &summary = m_parser->summary();

    StatusMessageInput input;
    input.buildName = m_config.buildName;
    input.state = m_state.state;
    input.reason = m_state.reason;
    input.metadata = RunMetadata::fromJson(m_state.metadata);
    for (const QJsonValue &value : m_state.guests) {
        const QJsonObject guest = value.toObject();
        const QJsonValue kernel = guest.value(QStringLiteral("kernel"));
        input.guests.append(GuestKernel{
                guest.value(QStringLiteral("token")).toString(),
                kernel.isString() ? std::optional<QString>(kernel.toString()) : std::nullopt});
    }
    input.progress = m_state.progress;
    if (!summary.footerDuration.isEmpty()) {
        input.duration = summary.footerDuration;
    } else if (m_state.startedAt.isValid()) {
        const qint64 seconds = m_state.startedAt.secsTo(m_state.finishedAt);
        input.duration = QStringLiteral("%1:%2:%3 (watched)")
                                 .arg(seconds / 3600)
                                 .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                                 .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    }
    input.logPath = m_config.runLog;
    input.host = QHostInfo::localHostName();
    return buildStatusMessage(input);
}

void RunWatcher::finalize(const Verdict &verdict)
{
    m_pollTimer.stop();
    m_coalesceTimer.stop();
    m_parser->finish();

    m_deadlineTimer.stop();
    m_state.progress = mergedProgress();
    m_state.progress.currentSpec.clear();
    m_state.state = verdict.state;
    m_state.reason = verdict.reason;
    m_state.finishedAt = now();
    m_finishing = true;

    qCInfo(lcWatcher).noquote() << QStringLiteral("Build \"%1\" ended %2: %3")
                                           .arg(m_config.buildName, runStateName(verdict.state),
                                                verdict.reason);
    Q_EMIT statusChanged(QStringLiteral("%1: %2").arg(runStateName(verdict.state), statusLine()));

    m_state.dryRun = m_config.dryRun && isPosted(verdict.state);
    if (!isPosted(verdict.state)) {
        saveState();
        finish(Done);
        return;
    }

    // Without a durable record a restarted watcher could post a second time,
    // so nothing is sent unless the message and the state are both on disk.
    const QString message = buildMessage();
    const std::optional<QString> messageError = m_store.saveMessage(message);
    if (messageError)
        qCCritical(lcState).noquote() << *messageError;
    if (!saveState() || messageError) {
        qCCritical(lcWatcher).noquote()
                << QStringLiteral("Not posting build \"%1\": its state folder \"%2\" cannot be "
                                  "written. Free space or fix permissions there, then start the "
                                  "watcher again to post.")
                           .arg(m_config.buildName, m_store.folder());
        finish(PostFailed);
        return;
    }

    if (m_config.dryRun) {
        qCInfo(lcWatcher) << "Dry run: the message is printed, not posted.";
        std::fputs(message.toUtf8().constData(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
        finish(Done);
        return;
    }
    postMessage(message);
}

void RunWatcher::resumeUnpostedRun()
{
    m_finishing = true;
    if (m_state.postInFlight) {
        // At-most-once: the last request may have created the post.
        setLastError(QStringLiteral("A previous watcher sent the status message but stopped "
                                    "before Mattermost's answer was recorded. It is not sent "
                                    "again, to avoid a duplicate post; check the channel."));
        qCCritical(lcWatcher).noquote() << m_state.lastError;
        saveState();
        finish(PostFailed);
        return;
    }

    QFile messageFile(m_store.messageFile());
    if (!messageFile.open(QIODevice::ReadOnly)) {
        setLastError(QStringLiteral("The run ended %1 but its message \"%2\" cannot be read: %3")
                             .arg(runStateName(m_state.state), messageFile.fileName(),
                                  messageFile.errorString()));
        qCCritical(lcWatcher).noquote() << m_state.lastError;
        saveState();
        finish(PostFailed);
        return;
    }
    const QString message = QString::fromUtf8(messageFile.readAll());
    qCInfo(lcWatcher).noquote()
            << QStringLiteral("Build \"%1\" ended %2 but is not posted yet; posting now.")
                       .arg(m_config.buildName, runStateName(m_state.state));
    if (m_config.dryRun) {
        std::fputs(message.toUtf8().constData(), stdout);
        std::fflush(stdout);
        finish(Done);
        return;
    }
    postMessage(message);
}

void RunWatcher::postMessage(const QString &message)
{
    PostPolicy policy;
    policy.deadline = m_config.postDeadline;
    m_poster = new WebhookPoster(policy, this);
    connect(m_poster, &WebhookPoster::attemptStarting, this, &RunWatcher::handleAttemptStarting);
    connect(m_poster, &WebhookPoster::attemptRejected, this, &RunWatcher::handleAttemptRejected);
    connect(m_poster, &WebhookPoster::finished, this, &RunWatcher::handlePostFinished);
    m_poster->post(m_config.webhook, m_config.channel, message);
}

void RunWatcher::handleAttemptStarting(int attempt)
{
    // Recorded before the request leaves, so a crash in between is seen as "maybe sent".
    if (!m_state.postStartedAt.isValid())
        m_state.postStartedAt = now();
    m_state.postAttempts = m_attemptsBefore + attempt;
    m_state.postInFlight = true;
    if (!saveState()) {
        m_poster->abort(QStringLiteral("The post was not sent because the state file could not "
                                       "record it first; without that record a restarted watcher "
                                       "could post twice."));
    }
}

void RunWatcher::handleAttemptRejected(int attempt, const QString &error)
{
    // The server's response proves this attempt created nothing, so a watcher
    // restarted during the wait for the next attempt may post again.
    Q_UNUSED(attempt)
    m_state.postInFlight = false;
    setLastError(error);
    saveState();
}

void RunWatcher::handlePostFinished(const PostOutcome &outcome)
{
    switch (outcome.result) {
    case PostOutcome::Result::Posted:
        m_state.posted = true;
        m_state.postedAt = now();
        m_state.postInFlight = false;
        m_state.lastError.clear();
        saveState();
        qCInfo(lcWatcher).noquote()
                << QStringLiteral("Posted the status of build \"%1\" (%2).")
                           .arg(m_config.buildName,
                                outcome.attempts == 1
                                        ? QStringLiteral("1 attempt")
                                        : QStringLiteral("%1 attempts").arg(outcome.attempts));
        finish(Done);
        return;
    case PostOutcome::Result::Failed:
        m_state.postInFlight = false;
        setLastError(outcome.error);
        saveState();
        if (m_stopRequested) {
            qCInfo(lcWatcher).noquote()
                    << QStringLiteral("Stopped before build \"%1\" was posted; a restarted "
                                      "watcher posts it.")
                               .arg(m_config.buildName);
            finish(Done);
            return;
        }
        qCCritical(lcWatcher).noquote()
                << QStringLiteral("Posting the status of build \"%1\" failed for good: %2")
                           .arg(m_config.buildName, outcome.error);
        finish(PostFailed);
        return;
    case PostOutcome::Result::Ambiguous:
        // post_in_flight stays true, so no watcher sends this message again.
        setLastError(outcome.error);
        saveState();
        qCCritical(lcWatcher).noquote()
                << QStringLiteral("The status of build \"%1\" may or may not have been posted: %2")
                           .arg(m_config.buildName, outcome.error);
        finish(PostFailed);
        return;
    }
}

void RunWatcher::setLastError(const QString &error)
{
    m_state.lastError = error;
}

void RunWatcher::finish(int exitCode)
{
    m_finishing = true;
    m_pollTimer.stop();
    m_heartbeatTimer.stop();
    m_coalesceTimer.stop();
    m_deadlineTimer.stop();
    Q_EMIT finished(exitCode);
}
