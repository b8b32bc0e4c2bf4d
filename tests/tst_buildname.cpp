#include "shared/buildname.h"

#include <QTest>

class TestBuildName : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validNames_data();
    void validNames();
    void invalidNames_data();
    void invalidNames();
    void guestTokens_data();
    void guestTokens();
};

void TestBuildName::validNames_data()
{
    QTest::addColumn<QString>("name");

    QTest::newRow("team example") << QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    QTest::newRow("single character") << QStringLiteral("a");
    QTest::newRow("leading digit") << QStringLiteral("42-nightly");
    QTest::newRow("underscore and dots") << QStringLiteral("E2E_w2k22.nvme.1");
    QTest::newRow("100 characters") << QString(100, QLatin1Char('x'));
}

void TestBuildName::validNames()
{
    QFETCH(QString, name);

    const std::optional<QString> error = validateBuildName(name);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
}

void TestBuildName::invalidNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expectedReason");

    QTest::newRow("empty") << QString() << QStringLiteral("the name is empty");
    QTest::newRow("parent folder")
            << QStringLiteral("../x")
            << QStringLiteral("it starts with '.' instead of a letter or digit");
    QTest::newRow("dot dot inside")
            << QStringLiteral("e2e..w2k25") << QStringLiteral("it contains \"..\"");
    QTest::newRow("slash") << QStringLiteral("e2e/w2k25")
                           << QStringLiteral("it contains '/' at position 4");
    QTest::newRow("space") << QStringLiteral("e2e w2k25")
                           << QStringLiteral("it contains a space at position 4");
    QTest::newRow("too long") << QString(101, QLatin1Char('x'))
                              << QStringLiteral(
                                         "it has 101 characters, more than the maximum of 100");
    QTest::newRow("leading dash") << QStringLiteral(
            "-e2e") << QStringLiteral("it starts with '-' instead of a letter or digit");
    QTest::newRow("unicode letter") << QStringLiteral("e2e-r\u00E9dhat9.6")
                                    << QStringLiteral("it contains U+00E9 at position 6");
    QTest::newRow("newline") << QStringLiteral("e2e\nfc")
                             << QStringLiteral("it contains U+000A at position 4");
}

void TestBuildName::invalidNames()
{
    QFETCH(QString, name);
    QFETCH(QString, expectedReason);

    const std::optional<QString> error = validateBuildName(name);
    QVERIFY(error.has_value());
    QVERIFY2(error->contains(QLatin1Char('"') + name + QLatin1Char('"')), qPrintable(*error));
    QVERIFY2(error->contains(expectedReason), qPrintable(*error));
    // The message also names the fix.
    QVERIFY2(error->contains(QLatin1String("A-Z, a-z, 0-9, '.', '_' and '-'")), qPrintable(*error));
}

void TestBuildName::guestTokens_data()
{
    QTest::addColumn<QString>("buildName");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("team example") << QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc")
                                  << QStringList{QStringLiteral("redhat9.6"),
                                                 QStringLiteral("ubuntu24.04"),
                                                 QStringLiteral("w2k25")};
    QTest::newRow("iscsi suffix") << QStringLiteral("e2e-sles15sp6-iscsi")
                                  << QStringList{QStringLiteral("sles15sp6")};
    QTest::newRow("upper-case transport")
            << QStringLiteral("e2e-w2k22-NVMe") << QStringList{QStringLiteral("w2k22")};
    QTest::newRow("no transport") << QStringLiteral("smoke-debian12")
                                  << QStringList{QStringLiteral("debian12")};
    QTest::newRow("run number dropped") << QStringLiteral("e2e-redhat8.10-nfs-20261204")
                                        << QStringList{QStringLiteral("redhat8.10")};
    QTest::newRow("prefix only") << QStringLiteral("nightly") << QStringList{};
    QTest::newRow("empty tokens") << QStringLiteral("e2e--w2k19-")
                                  << QStringList{QStringLiteral("w2k19")};
    QTest::newRow("empty name") << QString() << QStringList{};
}

void TestBuildName::guestTokens()
{
    QFETCH(QString, buildName);
    QFETCH(QStringList, expected);

    QCOMPARE(::guestTokens(buildName), expected);
}

QTEST_GUILESS_MAIN(TestBuildName)
#include "tst_buildname.moc"
