#include "shared/cypresslogparser.h"
#include "shared/logfollower.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

// Parses every `*.log` in the folder named by ATVM_CORPUS_DIR and compares the
// totals with the matching `*.expected.json`. A key absent from the JSON is
// not checked.
class TestCorpusParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void corpusLog_data();
    void corpusLog();

private:
    QString m_corpusDir;
};

void TestCorpusParser::initTestCase()
{
    m_corpusDir = qEnvironmentVariable("ATVM_CORPUS_DIR");
    if (m_corpusDir.isEmpty())
        QSKIP("ATVM_CORPUS_DIR is not set; set it to a folder of Cypress run logs with "
              "*.expected.json files to run this test.");
    QVERIFY2(
            QDir(m_corpusDir).exists(),
            qPrintable(QStringLiteral("ATVM_CORPUS_DIR \"%1\" is not a folder.").arg(m_corpusDir)));
}

void TestCorpusParser::corpusLog_data()
{
    QTest::addColumn<QString>("logPath");
    QTest::addColumn<QString>("expectedPath");

    const QDir dir(m_corpusDir);
    const QStringList logs = dir.entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name);
    for (const QString &log : logs) {
        const QString base = log.chopped(4);
        QTest::newRow(qPrintable(base))
                << dir.filePath(log) << dir.filePath(base + QStringLiteral(".expected.json"));
    }
}

void TestCorpusParser::corpusLog()
{
    QFETCH(QString, logPath);
    QFETCH(QString, expectedPath);

    QFile expectedFile(expectedPath);
    if (!expectedFile.open(QIODevice::ReadOnly))
        QSKIP(qPrintable(QStringLiteral("No expectations: %1").arg(expectedFile.errorString())));
    QJsonParseError parseError;
    const QJsonObject expected =
            QJsonDocument::fromJson(expectedFile.readAll(), &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));

    LogFollower follower(logPath);
    CypressLogParser parser;
    const QStringList lines = follower.readNewLines() + follower.flushPartialLine();
    QVERIFY2(follower.errorString().isEmpty(), qPrintable(follower.errorString()));
    QVERIFY(!lines.isEmpty());
    for (const QString &line : lines)
        parser.addLine(line);
    parser.finish();

    const RunProgress &progress = parser.summary().progress;
    const QList<std::pair<QString, int>> actual{
            {QStringLiteral("tests"), progress.tests},
            {QStringLiteral("passing"), progress.passing},
            {QStringLiteral("failing"), progress.failing},
            {QStringLiteral("pending"), progress.pending},
            {QStringLiteral("skipped"), progress.skipped},
            {QStringLiteral("specs_total"), progress.specsTotal},
            {QStringLiteral("specs_failed"), progress.specsFailed},
    };
    int checked = 0;
    for (const auto &[key, value] : actual) {
        if (!expected.contains(key))
            continue;
        ++checked;
        QVERIFY2(value == expected.value(key).toInt(),
                 qPrintable(QStringLiteral("%1: parsed %2, expected %3")
                                    .arg(key)
                                    .arg(value)
                                    .arg(expected.value(key).toInt())));
    }
    QVERIFY2(checked > 0, "The expectations name none of the checked keys.");
}

QTEST_GUILESS_MAIN(TestCorpusParser)
#include "tst_corpus_parser.moc"
