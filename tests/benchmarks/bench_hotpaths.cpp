#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include "cypresslogsample.h"
#include "mochawesomesample.h"

#include "shared/cypresslogparser.h"
#include "shared/logfollower.h"
#include "shared/reportreader.h"

namespace {

constexpr qint64 kibibyte = 1024;
constexpr qint64 mebibyte = 1024 * kibibyte;
constexpr int reportFileCount = 500;

// Writes \a bytes bytes of run log to \a path by repeating one block of log text.
bool writeFilledFile(const QString &path, qint64 bytes, const QByteArray &block)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    qint64 written = 0;
    while (written < bytes) {
        const qint64 count = qMin<qint64>(block.size(), bytes - written);
        if (file.write(block.constData(), count) != count)
            return false;
        written += count;
    }
    return true;
}

double mebibytesPerSecond(qint64 bytes, qint64 nanoseconds)
{
    return nanoseconds > 0 ? static_cast<double>(bytes) / mebibyte * 1e9 / nanoseconds : 0.0;
}

} // namespace

/*!
    \brief Benchmarks of the watcher's hot paths: one LogFollower wake-up, the
    Cypress log parser and a ReportReader scan.

    Run it with scripts/run-benchmarks.sh, which also measures the watcher
    process. Nothing here checks a timing: the checks only prove that each
    benchmark did the work it claims (lines read, totals parsed, files parsed).
*/
class BenchHotPaths final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void followerWakeUp_data();
    void followerWakeUp();

    void followerBulkRead();
    void parserThroughput();

    void reportScan_data();
    void reportScan();

private:
    QString largeLogPath() const { return m_dir.filePath(QStringLiteral("large-run.log")); }
    void ensureLargeLog();

    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/atvm-bench-XXXXXX")};
    QByteArray m_logText; // 1 MiB of run log, reused as file filler and appended text
    qint64 m_followLogBytes = 0; // size of the log last written for followerWakeUp()
    CypressLogSample m_largeSample{CypressLogSample::specCountForSize(100 * mebibyte)};
    qint64 m_largeLogBytes = 0;
    QStringList m_largeLogLines;
};

void BenchHotPaths::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    m_logText = CypressLogSample(300).wholeLog().left(mebibyte);
    QCOMPARE(m_logText.size(), mebibyte);
}

void BenchHotPaths::followerWakeUp_data()
{
    QTest::addColumn<qint64>("fileBytes");
    QTest::addColumn<qint64>("appendedBytes");

    QTest::newRow("1 MiB log, 10 KiB added") << mebibyte << 10 * kibibyte;
    QTest::newRow("100 MiB log, 10 KiB added") << 100 * mebibyte << 10 * kibibyte;
    QTest::newRow("1 GiB log, 10 KiB added") << 1024 * mebibyte << 10 * kibibyte;
    QTest::newRow("1 GiB log, 1 KiB added") << 1024 * mebibyte << kibibyte;
    QTest::newRow("1 GiB log, 100 KiB added") << 1024 * mebibyte << 100 * kibibyte;
}

// One poll of a log that grew by appendedBytes: the append itself (one write()
// to the page cache) is inside the measured block, because QBENCHMARK cannot
// pause. The follower starts at the end of the file, as after a restart.
void BenchHotPaths::followerWakeUp()
{
    QFETCH(qint64, fileBytes);
    QFETCH(qint64, appendedBytes);

    // QBENCHMARK runs this function several times. A log already written for
    // this size is cut back to it, which is far cheaper than writing it again.
    const QString path = m_dir.filePath(QStringLiteral("follow.log"));
    if (m_followLogBytes == fileBytes) {
        QVERIFY(QFile::resize(path, fileBytes));
    } else {
        QVERIFY(writeFilledFile(path, fileBytes, m_logText));
        m_followLogBytes = fileBytes;
    }

    struct stat status;
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &status), 0);
    LogFollower follower(path);
    follower.restore(LogPosition{fileBytes, static_cast<quint64>(status.st_dev),
                                 static_cast<quint64>(status.st_ino)});
    QVERIFY(follower.readNewLines().isEmpty());

    QFile writer(path);
    QVERIFY(writer.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered));
    const QByteArray added = m_logText.left(appendedBytes);

    qint64 wakeUps = 0;
    qint64 lineCount = 0;
    QBENCHMARK
    {
        writer.write(added);
        lineCount += follower.readNewLines().size();
        ++wakeUps;
    }

    QCOMPARE(follower.totalBytesRead(), wakeUps * appendedBytes);
    QVERIFY(lineCount > 0);
    qInfo("%lld wake-ups; the log grew from %lld to %lld bytes during the measurement.", wakeUps,
          fileBytes, writer.size());
}

void BenchHotPaths::ensureLargeLog()
{
    if (m_largeLogBytes > 0)
        return;
    QFile::remove(m_dir.filePath(QStringLiteral("follow.log")));
    m_followLogBytes = 0;
    const QByteArray log = m_largeSample.wholeLog();
    QVERIFY(writeFilledFile(largeLogPath(), log.size(), log));
    m_largeLogBytes = log.size();
}

// The first poll after the watcher starts late: the whole log is new and is
// read slice by slice, as the watcher does.
void BenchHotPaths::followerBulkRead()
{
    ensureLargeLog();
    QVERIFY(m_largeLogBytes > 0);

    QElapsedTimer timer;
    qint64 runs = 0;
    timer.start();
    QBENCHMARK
    {
        LogFollower follower(largeLogPath());
        m_largeLogLines.clear();
        do {
            m_largeLogLines += follower.readNewLines();
        } while (follower.hasUnreadBytes());
        ++runs;
    }
    const qint64 elapsed = timer.nsecsElapsed();

    QVERIFY(!m_largeLogLines.isEmpty());
    qInfo("Read %lld bytes, %lld lines per run: %.1f MiB/s (%d specs).", m_largeLogBytes,
          static_cast<qint64>(m_largeLogLines.size()),
          mebibytesPerSecond(m_largeLogBytes * runs, elapsed), m_largeSample.specCount());
}

// The parser alone, over the lines the follower returned for the large log.
void BenchHotPaths::parserThroughput()
{
    if (m_largeLogLines.isEmpty()) {
        ensureLargeLog();
        LogFollower follower(largeLogPath());
        do {
            m_largeLogLines += follower.readNewLines();
        } while (follower.hasUnreadBytes());
    }
    QVERIFY(!m_largeLogLines.isEmpty());

    CypressLogSummary summary;
    QElapsedTimer timer;
    qint64 runs = 0;
    timer.start();
    QBENCHMARK
    {
        CypressLogParser parser;
        for (const QString &line : std::as_const(m_largeLogLines))
            parser.addLine(line);
        parser.finish();
        summary = parser.summary();
        ++runs;
    }
    const qint64 elapsed = timer.nsecsElapsed();

    QVERIFY(summary.runFinished);
    QCOMPARE(summary.progress.specsTotal, m_largeSample.specCount());
    QCOMPARE(summary.progress.specsDone, m_largeSample.specCount());
    QCOMPARE(summary.progress.specsFailed, m_largeSample.expectedFailedSpecs());
    QCOMPARE(summary.progress.tests, m_largeSample.expectedTests());
    QCOMPARE(summary.progress.passing, m_largeSample.expectedPassing());
    QCOMPARE(summary.progress.failing, m_largeSample.expectedFailing());
    QCOMPARE(summary.progress.pending, m_largeSample.expectedPending());

    const double seconds = static_cast<double>(elapsed) / 1e9;
    qInfo("Parsed %lld bytes, %lld lines per run: %.1f MiB/s, %.0f lines/s.", m_largeLogBytes,
          static_cast<qint64>(m_largeLogLines.size()),
          mebibytesPerSecond(m_largeLogBytes * runs, elapsed),
          seconds > 0 ? static_cast<double>(m_largeLogLines.size()) * runs / seconds : 0.0);
}

void BenchHotPaths::reportScan_data()
{
    QTest::addColumn<QString>("change");

    QTest::newRow("500 files, first scan") << QStringLiteral("first");
    QTest::newRow("500 files, nothing changed") << QStringLiteral("none");
    QTest::newRow("500 files, one file changed") << QStringLiteral("one");
}

void BenchHotPaths::reportScan()
{
    QFETCH(QString, change);

    const QString folder = m_dir.filePath(QStringLiteral("reports"));
    if (!QDir(folder).exists()) {
        QVERIFY(QDir().mkpath(folder));
        for (int i = 0; i < reportFileCount; ++i) {
            const QString path = folder
                    + QStringLiteral("/mochawesome_%1.json").arg(i + 1, 3, 10, QLatin1Char('0'));
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QVERIFY(file.write(mochawesomeReport(i + 1)) > 0);
        }
    }

    ReportReader reader(folder);
    ReportSummary summary;
    qint64 runs = 0;
    if (change == QLatin1String("first")) {
        QBENCHMARK
        {
            ReportReader freshReader(folder);
            summary = freshReader.scan();
            ++runs;
        }
        QCOMPARE(summary.files, reportFileCount);
    } else if (change == QLatin1String("none")) {
        summary = reader.scan();
        const int parsedBefore = reader.parsedFileCount();
        QBENCHMARK
        {
            summary = reader.scan();
            ++runs;
        }
        QCOMPARE(reader.parsedFileCount(), parsedBefore);
    } else {
        summary = reader.scan();
        const int parsedBefore = reader.parsedFileCount();
        const QDateTime base = QDateTime::currentDateTimeUtc().addDays(-1);
        QBENCHMARK
        {
            // Rewrite one report and give it a modification time no earlier scan saw.
            const int index = static_cast<int>(runs % reportFileCount);
            QFile file(folder
                       + QStringLiteral("/mochawesome_%1.json")
                                 .arg(index + 1, 3, 10, QLatin1Char('0')));
            file.open(QIODevice::WriteOnly | QIODevice::Truncate);
            file.write(mochawesomeReport(index + 1, static_cast<int>(runs) + 1));
            file.setFileTime(base.addSecs(runs), QFileDevice::FileModificationTime);
            file.close();
            summary = reader.scan();
            ++runs;
        }
        QCOMPARE(reader.parsedFileCount(), parsedBefore + runs);
    }

    QCOMPARE(summary.files, reportFileCount);
    QCOMPARE(summary.unreadableFiles, 0);
    QCOMPARE(summary.tests, reportFileCount * 8);
    QCOMPARE(summary.failing, reportFileCount / 5);
    qInfo("%lld scans.", runs);
}

QTEST_GUILESS_MAIN(BenchHotPaths)

#include "bench_hotpaths.moc"
