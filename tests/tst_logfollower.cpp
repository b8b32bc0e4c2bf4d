#include "shared/logfollower.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

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
    void rotationDrainsOldFile();
    void restoreReadsNothingTwice();
    void restoreAfterReplacementStartsOver();
    void restoreAfterTruncationStartsOver();
    void partialLineFlush();
    void longLineIsCut();
    void longLineCutKeepsWholeCharacters();
    void missingFileThenCreated();
    void unreadablePathNamesIt();
    void readsOnlyAddedBytes();
    void largeLogReadInSlices();
    void positionJsonRoundTrip();

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

void TestLogFollower::unreadablePathNamesIt()
{
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("run.log")));
    LogFollower follower(m_path);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Cannot open run log")));
    QCOMPARE(follower.readNewLines(), QStringList());
    QVERIFY2(follower.errorString().contains(m_path), qPrintable(follower.errorString()));

    // The same error is logged once, not on every poll.
    QCOMPARE(follower.readNewLines(), QStringList());
    QVERIFY(follower.errorString().contains(m_path));
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
    const LogPosition position{123456789012, 0xFFFFFFFFFFFFFF01ULL, (1ULL << 60) + 7};
    const QByteArray text = QJsonDocument(position.toJson()).toJson();

    QCOMPARE(LogPosition::fromJson(QJsonDocument::fromJson(text).object()), position);
    QCOMPARE(LogPosition::fromJson(QJsonObject()), LogPosition());
}

QTEST_GUILESS_MAIN(TestLogFollower)
#include "tst_logfollower.moc"
