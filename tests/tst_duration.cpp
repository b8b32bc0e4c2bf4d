#include "shared/duration.h"

#include <QTest>

class TestDuration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void format_data();
    void format();
};

void TestDuration::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds"); // -1: rejected

    QTest::newRow("bare number is seconds") << QStringLiteral("45") << qint64(45);
    QTest::newRow("seconds") << QStringLiteral("90s") << qint64(90);
    QTest::newRow("minutes") << QStringLiteral("5m") << qint64(300);
    QTest::newRow("hours") << QStringLiteral("2h") << qint64(7200);
    QTest::newRow("combined") << QStringLiteral("1h30m") << qint64(5400);
    QTest::newRow("surrounding spaces") << QStringLiteral(" 10s ") << qint64(10);
    QTest::newRow("zero") << QStringLiteral("0s") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-5m") << qint64(-1);
    QTest::newRow("unknown unit") << QStringLiteral("5d") << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("fraction") << QStringLiteral("1.5h") << qint64(-1);
    QTest::newRow("word") << QStringLiteral("soon") << qint64(-1);
}

void TestDuration::parse()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);

    const std::optional<std::chrono::seconds> duration = parseDuration(text);
    if (seconds < 0) {
        QVERIFY(!duration);
        return;
    }
    QVERIFY(duration);
    QCOMPARE(duration->count(), seconds);
}

void TestDuration::format_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");

    QTest::newRow("seconds") << qint64(45) << QStringLiteral("45s");
    QTest::newRow("whole minutes") << qint64(120) << QStringLiteral("2m");
    QTest::newRow("hours and minutes") << qint64(5400) << QStringLiteral("1h30m");
    QTest::newRow("all units") << qint64(3723) << QStringLiteral("1h2m3s");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0s");
}

void TestDuration::format()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);

    QCOMPARE(formatDuration(std::chrono::seconds(seconds)), text);
    if (seconds > 0)
        QCOMPARE(parseDuration(text)->count(), seconds);
}

QTEST_GUILESS_MAIN(TestDuration)
#include "tst_duration.moc"
