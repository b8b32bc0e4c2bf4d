#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

/*!
    \brief A throw-away automation root and state root for one watched run.

    It starts the simulated Cypress run and the real atvm-run-watcher binary
    as child processes, with the paths the watcher derives by default.
*/
class RunFixture
{
public:
    explicit RunFixture(
            const QString &buildName = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc"));
    ~RunFixture();

    QString buildName() const { return m_buildName; }
    QString automationRoot() const;
    QString stateRoot() const;
    QString runLog() const;
    QString pidFile() const;
    QString reportDir() const;
    QString stateFolder() const;

    /*! Starts scripts/simulate-cypress-run.sh with \a outcome over about \a seconds. */
    bool startSimulation(const QString &outcome, int seconds);
    QProcess &simulation() { return m_simulation; }

    /*! Starts a watcher for the build with short timings; returns the process. */
    QProcess *startWatcher(const QUrl &webhook, const QStringList &extraArguments = {});

    /*! Waits for \a watcher to exit and returns its exit code, or -1 on a timeout or crash. */
    static int waitForExit(QProcess *watcher, int timeoutMs = 60000);

    QJsonObject state() const;
    QString stateName() const;
    QJsonObject progress() const;

private:
    QString m_buildName;
    QTemporaryDir m_dir;
    QProcess m_simulation;
    std::vector<std::unique_ptr<QProcess>> m_watchers;
};
