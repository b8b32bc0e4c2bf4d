#include "support/runfixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

const char s_corpusVariable[] = "ATVM_CORPUS_DIR";

// Returns the PID of a process that has already ended, as a stale PID file would name it.
qint64 deadProcessId()
{
    QProcess process;
    process.start(QStringLiteral("true"));
    process.waitForFinished();
    return process.processId() > 0 ? process.processId() : 999999;
}

} // namespace

/*!
    Runs the real watcher over every log of a corpus of real `cypress run`
    outputs, each found complete with its process gone, and compares the
    recorded state and totals with the corpus's expected values.
*/
class TestCorpusWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void watcherMatchesCorpus_data();
    void watcherMatchesCorpus();
};

void TestCorpusWatcher::watcherMatchesCorpus_data()
{
    QTest::addColumn<QString>("logPath");
    QTest::addColumn<QJsonObject>("expected");

    const QString folder = qEnvironmentVariable(s_corpusVariable);
    if (folder.isEmpty())
        QSKIP("ATVM_CORPUS_DIR is not set; point it at a folder of *.log files with "
              "*.expected.json.");

    const QDir corpus(folder);
    const QStringList logs = corpus.entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name);
    QVERIFY2(!logs.isEmpty(), qPrintable(QStringLiteral("No *.log files in \"%1\".").arg(folder)));
    for (const QString &log : logs) {
        QFile expectedFile(corpus.filePath(QFileInfo(log).completeBaseName()
                                           + QStringLiteral(".expected.json")));
        QVERIFY2(expectedFile.open(QIODevice::ReadOnly), qPrintable(expectedFile.fileName()));
        QTest::newRow(qPrintable(log))
                << corpus.filePath(log) << QJsonDocument::fromJson(expectedFile.readAll()).object();
    }
}

void TestCorpusWatcher::watcherMatchesCorpus()
{
    QFETCH(QString, logPath);
    QFETCH(QJsonObject, expected);

    RunFixture run(QFileInfo(logPath).completeBaseName());
    QVERIFY(QFile::copy(logPath, run.runLog()));
    QFile pidFile(run.pidFile());
    QVERIFY(pidFile.open(QIODevice::WriteOnly));
    pidFile.write(QByteArray::number(deadProcessId()) + '\n');
    pidFile.close();

    QProcess *watcher = run.startWatcher(
            QUrl(),
            {QStringLiteral("--dry-run"), QStringLiteral("--startup-grace"), QStringLiteral("1s")});
    QCOMPARE(RunFixture::waitForExit(watcher, 30000), 0);

    const QString state = run.stateName();
    QStringList accepted;
    for (const QJsonValue &value : expected.value(QStringLiteral("accept")).toArray())
        accepted.append(value.toString());
    if (accepted.isEmpty())
        accepted.append(expected.value(QStringLiteral("state")).toString());
    QVERIFY2(accepted.contains(state),
             qPrintable(QStringLiteral("state %1, expected one of %2; reason: %3")
                                .arg(state, accepted.join(QStringLiteral(", ")),
                                     run.state().value(QStringLiteral("reason")).toString())));

    const QJsonObject progress = run.progress();
    for (const char *key :
         {"tests", "passing", "failing", "pending", "skipped", "specs_total", "specs_failed"}) {
        const QString name = QLatin1String(key);
        if (!expected.contains(name))
            continue;
        QVERIFY2(progress.value(name).toInt() == expected.value(name).toInt(),
                 qPrintable(QStringLiteral("%1: recorded %2, expected %3")
                                    .arg(name)
                                    .arg(progress.value(name).toInt())
                                    .arg(expected.value(name).toInt())));
    }
}

QTEST_GUILESS_MAIN(TestCorpusWatcher)
#include "tst_corpus_watcher.moc"
