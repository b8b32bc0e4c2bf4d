#pragma once

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

/*!
    \brief Runs mattermost-webhook-double for one test and reads back what it
    recorded. Shared by the webhook poster and webhook double tests.
*/
class WebhookDoubleProcess
{
public:
    static constexpr char HookId[] = "hq7w1mxs3kb5tn9cydz8ergu4o";

    ~WebhookDoubleProcess() { stop(); }

    /*! Starts the double with \a arguments plus the port, record and hook id options; returns false on failure. */
    bool start(const QStringList &arguments)
    {
        if (!m_dir.isValid())
            return false;
        m_process.setProgram(QStringLiteral(ATVM_WEBHOOK_DOUBLE));
        m_process.setArguments(QStringList{QStringLiteral("--port"), QStringLiteral("0"),
                                           QStringLiteral("--port-file"), portFilePath(),
                                           QStringLiteral("--record"), recordPath(),
                                           QStringLiteral("--hook-id"), QLatin1String(HookId)}
                               + arguments);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return false;
        return QTest::qWaitFor(
                       [this] { return port() != 0 || m_process.state() != QProcess::Running; },
                       10000)
                && port() != 0;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }

    quint16 port() const
    {
        QFile file(portFilePath());
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        return static_cast<quint16>(file.readAll().trimmed().toUInt());
    }

    QUrl webhookUrl(const QString &hookId = QLatin1String(HookId)) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/hooks/%2").arg(port()).arg(hookId));
    }

    /*! Returns the recorded requests, oldest first. */
    QList<QJsonObject> records() const
    {
        QList<QJsonObject> result;
        QFile file(recordPath());
        if (!file.open(QIODevice::ReadOnly))
            return result;
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (!line.isEmpty())
                result.append(QJsonDocument::fromJson(line).object());
        }
        return result;
    }

    QProcess &process() { return m_process; }
    QString recordPath() const { return m_dir.filePath(QStringLiteral("record.jsonl")); }
    QString portFilePath() const { return m_dir.filePath(QStringLiteral("port")); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
};
