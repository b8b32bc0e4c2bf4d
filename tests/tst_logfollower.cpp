#include "shared/logfollower.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

void appendBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Append), qPrintable(file.errorString()));
    QCOMPARE(file.write(bytes), bytes.size());
}

void replaceContent(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(file.errorString()));
    QCOMPARE(file.write(bytes), bytes.size());
}

// Replaces path by a copy of itself with extra appended, the way editors and
// tools rewrite a file: copy, change the copy, rename it over the original.
void replaceWithCopy(const QString &path, const QByteArray &extra)
{
    const QString copy = path + QStringLiteral(".new");
    QVERIFY(QFile::copy(path, copy));
    appendBytes(copy, extra);
    QCOMPARE(std::rename(QFile::encodeName(copy).constData(), QFile::encodeName(path).constData()),
             0);
}

QByteArray sha1Of(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha1);
}

QByteArray numberedLines(int count)
{
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += "  \xE2\x9C\x93 numbered test line " + QByteArray::number(i) + '\n';
    return lines;
}

/*
    Opens the write end of a FIFO as soon as a reader has opened it, then
    closes it. A reader blocked in open() on the FIFO returns and reads end of
    file, so a test that opens the FIFO fails instead of hanging.
*/
class FifoWriter
{
public:
    explicit FifoWriter(const QString &path) : m_path(QFile::encodeName(path))
    {
        m_thread.reset(QThread::create([this] {
            while (!m_stop.load()) {
                // Fails with ENXIO while no reader has the FIFO open.
                const int fd = ::open(m_path.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
                if (fd >= 0) {
                    ::close(fd);
                    return;
                }
                QThread::yieldCurrentThread();
            }
        }));
        m_thread->start();
    }

    ~FifoWriter()
    {
        m_stop.store(true);
        m_thread->wait();
    }

    FifoWriter(const FifoWriter &) = delete;
    FifoWriter &operator=(const FifoWriter &) = delete;

private:
    QByteArray m_path;
    std::atomic_bool m_stop = false;
    std::unique_ptr<QThread> m_thread;
};

} // namespace

class TestLogFollower : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void appendInPieces();
    void utf8SplitAcrossWrites();
    void invalidUtf8BecomesReplacement();
    void crlfAndAnsiRemoved();
    void stripEscapeSequences_data();
    void stripEscapeSequences();
    void truncationRestartsFromZero();
    void rewriteRestartsFromZero_data();
    void rewriteRestartsFromZero();
    void rotationDrainsOldFile();
    void copyReplacementContinues_data();
    void copyReplacementContinues();
    void shorterCopyStartsOver();
    void positionHasHeadFingerprint();
    void restoreReadsNothingTwice();
    void restoreAfterReplacementStartsOver();
    void restoreAfterCopyReplacementContinues();
    void restoreAfterRewriteStartsOver();
    void restoreOldPositionWithoutFingerprint();
    void restoreAfterTruncationStartsOver();
    void partialLineFlush();
    void longLineIsCut();
    void longLineCutKeepsWholeCharacters();
    void missingFileThenCreated();
    void nonRegularFileRejected_data();
    void nonRegularFileRejected();
    void regularFileReplacedByFifo();
    void readsOnlyAddedBytes();
    void largeLogReadInSlices();
    void positionJsonRoundTrip();
    void positionJsonInvalidFingerprint_data();
    void positionJsonInvalidFingerprint();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestLogFollower::largeLogReadInSlices()
{
    // 200,000 lines of 100 bytes: about 2.4 times maxBytesPerRead.
    const int lineCount = 200000;
    QByteArray content;
    content.reserve(lineCount * 100);
    for (int i = 0; i < lineCount; ++i)
        content += QByteArray::number(i).rightJustified(99, '.') + '\n';
    appendBytes(m_path, content);

    LogFollower follower(m_path);
    QStringList first = follower.readNewLines();
    QVERIFY(follower.hasUnreadBytes());
    QVERIFY(first.size() * 100 <= LogFollower::maxBytesPerRead + 100);

    int slices = 1;
    qsizetype total = first.size();
    QString last = first.constLast();
    while (follower.hasUnreadBytes()) {
        const QStringList more = follower.readNewLines();
        total += more.size();
        last = more.isEmpty() ? last : more.constLast();
        ++slices;
    }
    QCOMPARE(slices, 3);
    QCOMPARE(total, qsizetype(lineCount));
    QCOMPARE(first.constFirst(),
             QString::fromLatin1(QByteArray::number(0).rightJustified(99, '.')));
    QCOMPARE(last, QString::fromLatin1(QByteArray::number(lineCount - 1).rightJustified(99, '.')));
    QCOMPARE(follower.position().offset, qint64(content.size()));
}

void TestLogFollower::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("run.log"));
}

void TestLogFollower::appendInPieces()
{
    appendBytes(m_path, "first line\nsecond li");
    LogFollower follower(m_path);

    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("first line")});
    QCOMPARE(follower.position().offset, 11);

    QCOMPARE(follower.readNewLines(), QStringList());

    appendBytes(m_path, "ne\n\nthird line\n");
    const QStringList expected{QStringLiteral("second line"), QString(),
                               QStringLiteral("third line")};
    QCOMPARE(follower.readNewLines(), expected);
    QCOMPARE(follower.position().offset, QFileInfo(m_path).size());
    QVERIFY(follower.errorString().isEmpty());
}

void TestLogFollower::utf8SplitAcrossWrites()
{
    LogFollower follower(m_path);
    appendBytes(m_path, "caf\xC3");
    QCOMPARE(follower.readNewLines(), QStringList());

    appendBytes(m_path, "\xA9 \xE2\x82");
    QCOMPARE(follower.readNewLines(), QStringList());

    appendBytes(m_path, "\xAC 3\n");
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("caf\u00E9 \u20AC 3")});
}

void TestLogFollower::invalidUtf8BecomesReplacement()
{
    appendBytes(m_path, "bad \xFF byte\n");
    LogFollower follower(m_path);

    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("bad \uFFFD byte")});
}

void TestLogFollower::crlfAndAnsiRemoved()
{
    appendBytes(m_path,
                "\x1b[90m  \xE2\x94\x82\x1b[39m Tests:  3\r\n"
                "\x1b[32m\xE2\x9C\x93\x1b[0m passes\x1b[0m\r\n"
                "\x1b[?25lhidden cursor\x1b[2K\r\n");
    LogFollower follower(m_path);

    const QStringList expected{
            QStringLiteral("  \u2502 Tests:  3"),
            QStringLiteral("\u2713 passes"),
            QStringLiteral("hidden cursor"),
    };
    QCOMPARE(follower.readNewLines(), expected);
}

void TestLogFollower::stripEscapeSequences_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const QString esc(QChar(0x1b));
    QTest::newRow("plain text") << QStringLiteral("no codes [90m here")
                                << QStringLiteral("no codes [90m here");
    QTest::newRow("SGR colour") << esc + QStringLiteral("[31mred") + esc + QStringLiteral("[0m")
                                << QStringLiteral("red");
    QTest::newRow("SGR with parameters")
            << esc + QStringLiteral("[1;38;5;208mbold") << QStringLiteral("bold");
    QTest::newRow("private mode") << esc + QStringLiteral("[?25lx") + esc + QStringLiteral("[?25h")
                                  << QStringLiteral("x");
    QTest::newRow("erase line") << esc + QStringLiteral("[2Kline") << QStringLiteral("line");
    QTest::newRow("OSC title with BEL")
            << esc + QStringLiteral("]0;cypress") + QChar(0x07) + QStringLiteral("text")
            << QStringLiteral("text");
    QTest::newRow("OSC with ST") << esc + QStringLiteral("]8;;http://x") + esc
                    + QStringLiteral("\\link")
                                 << QStringLiteral("link");
    QTest::newRow("charset designation")
            << esc + QStringLiteral("(Bascii") << QStringLiteral("ascii");
    QTest::newRow("two-byte sequence") << esc + QStringLiteral("7saved") + esc + QStringLiteral("8")
                                       << QStringLiteral("saved");
    QTest::newRow("lone ESC at end") << QStringLiteral("end") + esc << QStringLiteral("end");
}

void TestLogFollower::stripEscapeSequences()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);

    QCOMPARE(LogFollower::stripEscapeSequences(input), expected);
}

void TestLogFollower::truncationRestartsFromZero()
{
    appendBytes(m_path, "one\ntwo\nthree\n");
    LogFollower follower(m_path);
    QCOMPARE(follower.readNewLines().size(), 3);

    replaceContent(m_path, "new\n");
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("shrank from 14 to 4")));
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("new")});
    QCOMPARE(follower.position().offset, 4);
}

void TestLogFollower::rewriteRestartsFromZero_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");

    QTest::newRow("regrown past the offset")
            << QByteArray("one\ntwo\n") << QByteArray("uno\ndos\ntres\n");
    QTest::newRow("regrown to the same size")
            << QByteArray("one\ntwo\n") << QByteArray("ONE\nTWO\n");
    QTest::newRow("unfinished line, regrown past it")
            << QByteArray("one\ntw") << QByteArray("eins\nzwei\n");
    QTest::newRow("log longer than the head")
            << numberedLines(400) << QByteArray("new run\n") + numberedLines(400);
}

void TestLogFollower::rewriteRestartsFromZero()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);

    appendBytes(m_path, before);
    LogFollower follower(m_path);
    follower.readNewLines();
    const quint64 inode = follower.position().inode;

    // Truncated and written again between two reads: the inode stays and the
    // file is not shorter than what was read.
    replaceContent(m_path, after);
    QVERIFY(after.size() >= before.size());

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("was rewritten")));
    const QStringList lines = follower.readNewLines();
    QCOMPARE(lines, QString::fromUtf8(after).split(QLatin1Char('\n'), Qt::SkipEmptyParts));
    QCOMPARE(follower.position().inode, inode);
    QCOMPARE(follower.position().offset, after.size());
}

void TestLogFollower::rotationDrainsOldFile()
{
    appendBytes(m_path, "a\nb-part");
    LogFollower follower(m_path);
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("a")});
    const quint64 oldInode = follower.position().inode;
    QVERIFY(oldInode != 0);

    // The writer finishes the old file after the rename, then a new file appears.
    const QString rotated = m_path + QStringLiteral(".1");
    QVERIFY(QFile::rename(m_path, rotated));
    appendBytes(rotated, "ial\nc\nunterminated");
    QCOMPARE(follower.readNewLines(),
             (QStringList{QStringLiteral("b-partial"), QStringLiteral("c")}));

    appendBytes(m_path, "new 1\nnew 2\n");
    const QStringList expected{
            QStringLiteral("unterminated"),
            QStringLiteral("new 1"),
            QStringLiteral("new 2"),
    };
    QCOMPARE(follower.readNewLines(), expected);
    QVERIFY(follower.position().inode != oldInode);
    QCOMPARE(follower.position().offset, 12);
}

void TestLogFollower::copyReplacementContinues_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("added");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("complete lines") << QByteArray("1\n2\n3\n") << QByteArray("4\n5\n")
                                    << QStringList{QStringLiteral("4"), QStringLiteral("5")};
    QTest::newRow("copy completes unfinished line")
            << QByteArray("1\n2-par") << QByteArray("tial\n3\n")
            << QStringList{QStringLiteral("2-partial"), QStringLiteral("3")};
    QTest::newRow("nothing added") << QByteArray("1\n2\n") << QByteArray() << QStringList();
    QTest::newRow("log longer than the head")
            << numberedLines(400) << QByteArray("after the copy\n")
            << QStringList{QStringLiteral("after the copy")};
}

void TestLogFollower::copyReplacementContinues()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, added);
    QFETCH(QStringList, expected);

    appendBytes(m_path, before);
    LogFollower follower(m_path);
    follower.readNewLines();
    const LogPosition old = follower.position();

    replaceWithCopy(m_path, added);
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("replaced by a copy")));
    QCOMPARE(follower.readNewLines(), expected);
    QVERIFY(follower.position().inode != old.inode);
    const QByteArray copyContent = before + added;
    const qint64 lastNewline = copyContent.lastIndexOf('\n') + 1;
    QCOMPARE(follower.position().offset, lastNewline);
    QVERIFY(follower.errorString().isEmpty());

    // Later appends to the copy are read once.
    appendBytes(m_path, "next\n");
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("next")});
}

void TestLogFollower::shorterCopyStartsOver()
{
    appendBytes(m_path, "1\n2\n3\n");
    LogFollower follower(m_path);
    QCOMPARE(follower.readNewLines().size(), 3);

    // Same first bytes, but it ends before the last line read: not a copy.
    const QString shorter = m_path + QStringLiteral(".new");
    appendBytes(shorter, "1\n2\n");
    QCOMPARE(std::rename(QFile::encodeName(shorter).constData(),
                         QFile::encodeName(m_path).constData()),
             0);

    QCOMPARE(follower.readNewLines(), (QStringList{QStringLiteral("1"), QStringLiteral("2")}));
    QCOMPARE(follower.position().offset, 4);
}

void TestLogFollower::positionHasHeadFingerprint()
{
    LogFollower follower(m_path);
    QCOMPARE(follower.position().headLength, 0);
    QVERIFY(follower.position().headSha1.isEmpty());

    appendBytes(m_path, "abc\nde");
    follower.readNewLines();
    // Only the bytes up to the position count, not the unfinished line.
    QCOMPARE(follower.position().headLength, 4);
    QCOMPARE(follower.position().headSha1, sha1Of("abc\n"));

    const QByteArray more = numberedLines(400);
    appendBytes(m_path, "f\n" + more);
    follower.readNewLines();
    const QByteArray content = "abc\ndef\n" + more;
    QCOMPARE(follower.position().offset, content.size());
    QCOMPARE(follower.position().headLength, LogFollower::headBytes);
    QCOMPARE(follower.position().headSha1, sha1Of(content.left(LogFollower::headBytes)));
}

void TestLogFollower::restoreReadsNothingTwice()
{
    appendBytes(m_path, "1\n2\n3\n4-part");
    LogPosition saved;
    QStringList seen;
    {
        LogFollower first(m_path);
        seen += first.readNewLines();
        saved = first.position();
    }
    QCOMPARE(saved.offset, 6);

    appendBytes(m_path, "ial\n5\n");
    const LogPosition restored = LogPosition::fromJson(
            QJsonDocument::fromJson(QJsonDocument(saved.toJson()).toJson()).object());
    QCOMPARE(restored, saved);

    LogFollower second(m_path);
    second.restore(restored);
    QCOMPARE(second.position(), saved);
    seen += second.readNewLines();

    const QStringList expected{
            QStringLiteral("1"),         QStringLiteral("2"), QStringLiteral("3"),
            QStringLiteral("4-partial"), QStringLiteral("5"),
    };
    QCOMPARE(seen, expected);
    // Only the unfinished line "4-part" (6 bytes) is read again, then the 6 new bytes.
    QCOMPARE(second.totalBytesRead(), 12);
}

void TestLogFollower::restoreAfterReplacementStartsOver()
{
    appendBytes(m_path, "old 1\nold 2\n");
    LogFollower first(m_path);
    QCOMPARE(first.readNewLines().size(), 2);
    const LogPosition saved = first.position();

    QVERIFY(QFile::remove(m_path));
    appendBytes(m_path, "fresh 1\nfresh 2\nfresh 3\n");

    LogFollower second(m_path);
    second.restore(saved);
    const QStringList lines = second.readNewLines();
    // Some filesystems reuse the freed inode at once; then the file looks unchanged.
    if (second.position().inode == saved.inode)
        QSKIP("The filesystem reused the inode of the removed file.");
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.first(), QStringLiteral("fresh 1"));
}

void TestLogFollower::restoreAfterCopyReplacementContinues()
{
    appendBytes(m_path, "1\n2\n3-par");
    // first stays open, so the copy cannot get the old file's inode.
    LogFollower first(m_path);
    QCOMPARE(first.readNewLines(), (QStringList{QStringLiteral("1"), QStringLiteral("2")}));
    const LogPosition saved = LogPosition::fromJson(
            QJsonDocument::fromJson(QJsonDocument(first.position().toJson()).toJson()).object());
    QCOMPARE(saved, first.position());

    replaceWithCopy(m_path, "tial\n4\n");
    LogFollower second(m_path);
    second.restore(saved);
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("replaced by a copy")));
    QCOMPARE(second.readNewLines(),
             (QStringList{QStringLiteral("3-partial"), QStringLiteral("4")}));
    QVERIFY(second.position().inode != saved.inode);
    QCOMPARE(second.position().offset, 16);
    // Only the bytes after the saved offset 4 were read: "3-partial\n4\n".
    QCOMPARE(second.totalBytesRead(), 12);
}

void TestLogFollower::restoreAfterRewriteStartsOver()
{
    appendBytes(m_path, "alpha\nbeta\n");
    LogFollower first(m_path);
    QCOMPARE(first.readNewLines().size(), 2);
    const LogPosition saved = first.position();

    // Same inode, at least as long as the saved offset, but other bytes.
    replaceContent(m_path, "gamma\ndelta\nepsilon\n");
    LogFollower second(m_path);
    second.restore(saved);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("was rewritten")));
    const QStringList expected{QStringLiteral("gamma"), QStringLiteral("delta"),
                               QStringLiteral("epsilon")};
    QCOMPARE(second.readNewLines(), expected);
    QCOMPARE(second.position().inode, saved.inode);
}

void TestLogFollower::restoreOldPositionWithoutFingerprint()
{
    appendBytes(m_path, "1\n2\n");
    LogFollower first(m_path);
    QCOMPARE(first.readNewLines().size(), 2);
    const LogPosition current = first.position();

    // Written by a watcher from before the fingerprint.
    const QJsonObject oldJson{
            {QStringLiteral("offset"), 4},
            {QStringLiteral("device"), QString::number(current.device)},
            {QStringLiteral("inode"), QString::number(current.inode)},
    };
    const LogPosition saved = LogPosition::fromJson(oldJson);
    QCOMPARE(saved.offset, 4);
    QCOMPARE(saved.device, current.device);
    QCOMPARE(saved.inode, current.inode);
    QCOMPARE(saved.headLength, 0);
    QVERIFY(saved.headSha1.isEmpty());

    appendBytes(m_path, "3\n");
    LogFollower second(m_path);
    second.restore(saved);
    QCOMPARE(second.readNewLines(), QStringList{QStringLiteral("3")});
    // From then on the position carries a fingerprint again.
    QCOMPARE(second.position().headLength, 6);
    QCOMPARE(second.position().headSha1, sha1Of("1\n2\n3\n"));
}

void TestLogFollower::restoreAfterTruncationStartsOver()
{
    appendBytes(m_path, "a long first line\nand a second\n");
    LogFollower first(m_path);
    QCOMPARE(first.readNewLines().size(), 2);
    const LogPosition saved = first.position();

    replaceContent(m_path, "short\n");
    LogFollower second(m_path);
    second.restore(saved);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("fewer than the saved offset")));
    QCOMPARE(second.readNewLines(), QStringList{QStringLiteral("short")});
}

void TestLogFollower::partialLineFlush()
{
    appendBytes(m_path, "done\nno newline at the end\x1b[0m\r");
    LogFollower follower(m_path);

    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("done")});
    QCOMPARE(follower.position().offset, 5);

    QCOMPARE(follower.flushPartialLine(), QStringList{QStringLiteral("no newline at the end")});
    QCOMPARE(follower.position().offset, QFileInfo(m_path).size());
    QCOMPARE(follower.flushPartialLine(), QStringList());
    QCOMPARE(follower.readNewLines(), QStringList());
}

void TestLogFollower::longLineIsCut()
{
    LogFollower follower(m_path);
    const qint64 lineBytes = 200 * 1024;
    for (int piece = 0; piece < 25; ++piece) {
        appendBytes(m_path, QByteArray(lineBytes / 25, 'x'));
        QCOMPARE(follower.readNewLines(), QStringList());
    }
    appendBytes(m_path, "\nshort\n");

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("line longer than")));
    const QStringList lines = follower.readNewLines();
    QCOMPARE(lines.size(), 2);

    const qint64 dropped = lineBytes - LogFollower::maxLineBytes;
    const QString marker = QStringLiteral(" [line cut: %1 bytes dropped]").arg(dropped);
    QCOMPARE(lines.at(0).size(), LogFollower::maxLineBytes + marker.size());
    QVERIFY(lines.at(0).startsWith(QString(LogFollower::maxLineBytes, QLatin1Char('x'))));
    QVERIFY(lines.at(0).endsWith(marker));
    QCOMPARE(lines.at(1), QStringLiteral("short"));
    QCOMPARE(follower.position().offset, lineBytes + 7);
}

void TestLogFollower::longLineCutKeepsWholeCharacters()
{
    // 3-byte characters: the cut at 65536 bytes falls inside one.
    QByteArray euros;
    for (int i = 0; i < 30000; ++i)
        euros.append("\xE2\x82\xAC");
    appendBytes(m_path, euros + '\n');

    LogFollower follower(m_path);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("line longer than")));
    const QStringList lines = follower.readNewLines();
    QCOMPARE(lines.size(), 1);

    const qsizetype kept = LogFollower::maxLineBytes / 3;
    QVERIFY(lines.at(0).startsWith(QString(kept, QChar(0x20AC)) + QStringLiteral(" [line cut: ")));
    QVERIFY(!lines.at(0).contains(QChar(0xFFFD)));
    QVERIFY(lines.at(0).endsWith(
            QStringLiteral(" [line cut: %1 bytes dropped]").arg(euros.size() - kept * 3)));
}

void TestLogFollower::missingFileThenCreated()
{
    LogFollower follower(m_path);
    QVERIFY(!follower.exists());

    for (int poll = 0; poll < 3; ++poll) {
        QCOMPARE(follower.readNewLines(), QStringList());
        QVERIFY(follower.errorString().isEmpty());
    }
    QCOMPARE(follower.position().offset, 0);

    appendBytes(m_path, "(Run Starting)\n");
    QVERIFY(follower.exists());
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("(Run Starting)")});
}

void TestLogFollower::nonRegularFileRejected_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("typeName");

    QTest::newRow("directory") << QStringLiteral("directory") << QStringLiteral("a directory");
    QTest::newRow("FIFO") << QStringLiteral("fifo") << QStringLiteral("a FIFO");
    QTest::newRow("character device")
            << QStringLiteral("device") << QStringLiteral("a character device");
}

void TestLogFollower::nonRegularFileRejected()
{
    QFETCH(QString, kind);
    QFETCH(QString, typeName);

    if (kind == QLatin1String("directory")) {
        QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("run.log")));
    } else if (kind == QLatin1String("fifo")) {
        QVERIFY2(::mkfifo(QFile::encodeName(m_path).constData(), 0600) == 0,
                 qPrintable(QString::fromLocal8Bit(std::strerror(errno))));
    } else {
        QVERIFY(QFile::link(QStringLiteral("/dev/null"), m_path));
    }
    // A plain open() of the FIFO would wait for a writer. The writer thread
    // unblocks it, so such a follower fails the checks below instead of hanging.
    FifoWriter writer(m_path);
    LogFollower follower(m_path);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not a regular file")));
    QCOMPARE(follower.readNewLines(), QStringList());
    const QString expected = QStringLiteral("Run log \"%1\" is not a regular file (it is %2); "
                                            "point --run-log at the run's log file.")
                                     .arg(m_path, typeName);
    QCOMPARE(follower.errorString(), expected);
    QCOMPARE(follower.position().offset, 0);

    // The same error is logged once, not on every poll.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("not a regular file")));
    QCOMPARE(follower.readNewLines(), QStringList());
    QCOMPARE(follower.errorString(), expected);
}

void TestLogFollower::regularFileReplacedByFifo()
{
    appendBytes(m_path, "1\n2-part");
    LogFollower follower(m_path);
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("1")});

    QVERIFY(QFile::rename(m_path, m_path + QStringLiteral(".old")));
    QVERIFY(::mkfifo(QFile::encodeName(m_path).constData(), 0600) == 0);
    FifoWriter writer(m_path);

    // The old file's unfinished line is handed out, then reading stops.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not a regular file")));
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("2-part")});
    QVERIFY2(
            follower.errorString().contains(QStringLiteral("is not a regular file (it is a FIFO)")),
            qPrintable(follower.errorString()));

    // Once a log file is back, it is read from the start.
    QVERIFY(QFile::remove(m_path));
    appendBytes(m_path, "fresh\n");
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("fresh")});
    QVERIFY(follower.errorString().isEmpty());
}

void TestLogFollower::readsOnlyAddedBytes()
{
    QByteArray bulk;
    for (int i = 0; i < 20000; ++i)
        bulk.append(QByteArrayLiteral("  \xE2\x9C\x93 a passing test line (123ms)\n"));
    appendBytes(m_path, bulk);

    LogFollower follower(m_path);
    QCOMPARE(follower.readNewLines().size(), 20000);
    QCOMPARE(follower.totalBytesRead(), bulk.size());

    appendBytes(m_path, "one more\n");
    QCOMPARE(follower.readNewLines(), QStringList{QStringLiteral("one more")});
    QCOMPARE(follower.totalBytesRead(), bulk.size() + 9);
}

void TestLogFollower::positionJsonRoundTrip()
{
    LogPosition position{123456789012, 0xFFFFFFFFFFFFFF01ULL, (1ULL << 60) + 7};
    position.headLength = LogFollower::headBytes;
    position.headSha1 = sha1Of("some log head");
    const QJsonObject json = position.toJson();
    QCOMPARE(json.value(QStringLiteral("head_length")).toInteger(), LogFollower::headBytes);
    QCOMPARE(json.value(QStringLiteral("head_sha1")).toString(),
             QString::fromLatin1(sha1Of("some log head").toHex()));

    const QByteArray text = QJsonDocument(json).toJson();
    QCOMPARE(LogPosition::fromJson(QJsonDocument::fromJson(text).object()), position);
    QCOMPARE(LogPosition::fromJson(QJsonObject()), LogPosition());
    QCOMPARE(LogPosition::fromJson(LogPosition().toJson()), LogPosition());
}

void TestLogFollower::positionJsonInvalidFingerprint_data()
{
    QTest::addColumn<QJsonValue>("headLength");
    QTest::addColumn<QJsonValue>("headSha1");

    const QString validSha1 = QString::fromLatin1(sha1Of("head").toHex());
    QTest::newRow("hash too short") << QJsonValue(4) << QJsonValue(QStringLiteral("abcd"));
    QTest::newRow("hash not hexadecimal")
            << QJsonValue(4) << QJsonValue(QString(40, QLatin1Char('z')));
    QTest::newRow("hash without length") << QJsonValue() << QJsonValue(validSha1);
    QTest::newRow("length beyond offset") << QJsonValue(200) << QJsonValue(validSha1);
    QTest::newRow("negative length") << QJsonValue(-4) << QJsonValue(validSha1);
    QTest::newRow("length without hash") << QJsonValue(4) << QJsonValue(QString());
}

void TestLogFollower::positionJsonInvalidFingerprint()
{
    QFETCH(QJsonValue, headLength);
    QFETCH(QJsonValue, headSha1);

    QJsonObject json{
            {QStringLiteral("offset"), 100},
            {QStringLiteral("device"), QStringLiteral("7")},
            {QStringLiteral("inode"), QStringLiteral("9")},
            {QStringLiteral("head_sha1"), headSha1},
    };
    if (!headLength.isNull())
        json.insert(QStringLiteral("head_length"), headLength);

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("invalid head fingerprint")));
    const LogPosition position = LogPosition::fromJson(json);
    QCOMPARE(position.offset, 100);
    QCOMPARE(position.device, 7);
    QCOMPARE(position.inode, 9);
    QCOMPARE(position.headLength, 0);
    QVERIFY(position.headSha1.isEmpty());
}

QTEST_GUILESS_MAIN(TestLogFollower)
#include "tst_logfollower.moc"
