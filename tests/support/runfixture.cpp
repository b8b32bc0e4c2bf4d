#include "runfixture.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

RunFixture::RunFixture(const QString &buildName) : m_buildName(buildName)
{
    QDir root(m_dir.path());
    root.mkpath(QStringLiteral("automation/logs"));
    root.mkpath(QStringLiteral("automation/cmcReporter"));
    root.mkpath(QStringLiteral("state"));
}

RunFixture::~RunFixture()
{
    for (const std::unique_ptr<QProcess> &watcher : m_watchers) {
        if (watcher->state() != QProcess::NotRunning) {
            watcher->kill();
            watcher->waitForFinished();
        }
    }
    if (m_simulation.state() != QProcess::NotRunning) {
        m_simulation.kill();
        m_simulation.waitForFinished();
    }
}

QString RunFixture::automationRoot() const
{
    return m_dir.filePath(QStringLiteral("automation"));
}

QString RunFixture::stateRoot() const
{
    return m_dir.filePath(QStringLiteral("state"));
}

QString RunFixture::runLog() const
{
    return automationRoot() + QStringLiteral("/logs/") + m_buildName + QStringLiteral(".log");
}

QString RunFixture::pidFile() const
{
    return automationRoot() + QStringLiteral("/logs/") + m_buildName + QStringLiteral(".pid");
}

QString RunFixture::reportDir() const
{
    return automationRoot() + QStringLiteral("/cmcReporter/") + m_buildName;
}

QString RunFixture::stateFolder() const
{
    return stateRoot() + QLatin1Char('/') + m_buildName;
}

bool RunFixture::startSimulation(const QString &outcome, int seconds)
{
    m_simulation.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_simulation.start(QStringLiteral(ATVM_SIMULATOR),
                       {QStringLiteral("--log"), runLog(), QStringLiteral("--pid-file"), pidFile(),
                        QStringLiteral("--report-dir"), reportDir(), QStringLiteral("--duration"),
                        QString::number(seconds), QStringLiteral("--outcome"), outcome});
    if (!m_simulation.waitForStarted())
        return false;

    // The run counts as started once its PID file exists.
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired() && !QFile::exists(pidFile()))
        m_simulation.waitForFinished(20);
    return QFile::exists(pidFile());
}

QProcess *RunFixture::startWatcher(const QUrl &webhook, const QStringList &extraArguments)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("MATTERMOST_ATVM_WEBHOOK"), webhook.toString());
    environment.insert(QStringLiteral("MATTERMOST_ATVM_CHANNEL"), QStringLiteral("atvm-e2e"));
    environment.insert(QStringLiteral("ATVM_WATCHER_TEMPLATE"), QStringLiteral("cmc-e2e"));
    environment.insert(QStringLiteral("ATVM_WATCHER_CONFIG_FAMILY"), QStringLiteral("gold"));
    environment.insert(QStringLiteral("ATVM_WATCHER_MIGRATION_STYLE"),
                       QStringLiteral("ATVM end-to-end migration validation"));

    auto watcher = std::make_unique<QProcess>();
    watcher->setProcessEnvironment(environment);
    watcher->setProcessChannelMode(QProcess::SeparateChannels);
    watcher->start(QStringLiteral(ATVM_WATCHER_BINARY),
                   QStringList{QStringLiteral("--build-name"), m_buildName,
                               QStringLiteral("--automation-root"), automationRoot(),
                               QStringLiteral("--state-root"), stateRoot(),
                               QStringLiteral("--poll-interval"), QStringLiteral("1s"),
                               QStringLiteral("--exit-grace"), QStringLiteral("5s"),
                               QStringLiteral("--post-deadline"), QStringLiteral("20s")}
                           + extraArguments);
    watcher->waitForStarted();
    m_watchers.push_back(std::move(watcher));
    return m_watchers.back().get();
}

int RunFixture::waitForExit(QProcess *watcher, int timeoutMs)
{
    if (!watcher->waitForFinished(timeoutMs))
        return -1;
    if (watcher->exitStatus() != QProcess::NormalExit)
        return -1;
    return watcher->exitCode();
}

QJsonObject RunFixture::state() const
{
    QFile file(stateFolder() + QStringLiteral("/state.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QString RunFixture::stateName() const
{
    return state().value(QStringLiteral("state")).toString();
}

QJsonObject RunFixture::progress() const
{
    return state().value(QStringLiteral("progress")).toObject();
}
