#include "shared/vminventory.h"

#include <QTemporaryDir>
#include <QTest>

class TestVmInventory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exampleInventory_data();
    void exampleInventory();
    void exampleUnknownKernels();
    void reorderedColumns();
    void escapedPipesAndFences();
    void firstTableWins();
    void missingFile();
    void fileWithoutTable();
    void unknownToken();
};

namespace {

QString examplePath()
{
    return QStringLiteral(ATVM_TEST_DATA_DIR "/../../resources/vm-inventory.example.md");
}

QString dataPath(const char *name)
{
    return QStringLiteral(ATVM_TEST_DATA_DIR "/inventory/") + QLatin1String(name);
}

} // namespace

void TestVmInventory::exampleInventory_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("kernel");

    QTest::newRow("first table") << QStringLiteral("redhat9.6")
                                 << QStringLiteral("5.14.0-570.22.1.el9_6.x86_64");
    QTest::newRow("row with escaped pipe")
            << QStringLiteral("redhat8.10") << QStringLiteral("4.18.0-553.27.1.el8_10.x86_64");
    QTest::newRow("second table, token not first")
            << QStringLiteral("w2k25") << QStringLiteral("10.0.26100.2894");
    QTest::newRow("third table") << QStringLiteral("redhat7.9")
                                 << QStringLiteral("3.10.0-1160.119.1.el7.x86_64");
    QTest::newRow("case-insensitive token")
            << QStringLiteral("Ubuntu24.04") << QStringLiteral("6.8.0-51-generic");
}

void TestVmInventory::exampleInventory()
{
    QFETCH(QString, token);
    QFETCH(QString, kernel);

    const VmInventoryLoad load = VmInventory::load(examplePath());
    QVERIFY2(load.isValid(), qPrintable(load.error));
    QCOMPARE(load.inventory.kernelFor(token), std::optional<QString>(kernel));
}

void TestVmInventory::exampleUnknownKernels()
{
    const VmInventoryLoad load = VmInventory::load(examplePath());
    QVERIFY2(load.isValid(), qPrintable(load.error));

    // rocky9.5 has an empty kernel cell.
    QCOMPARE(load.inventory.kernelFor(QStringLiteral("rocky9.5")), std::nullopt);
    QCOMPARE(load.inventory.tokens().size(), 13);
    QCOMPARE(load.inventory.tokens().first(), QStringLiteral("redhat9.6"));
    QCOMPARE(load.inventory.tokens().last(), QStringLiteral("w2k16"));
}

void TestVmInventory::reorderedColumns()
{
    const VmInventoryLoad load = VmInventory::load(dataPath("reordered.md"));
    QVERIFY2(load.isValid(), qPrintable(load.error));

    QCOMPARE(load.inventory.kernelFor(QStringLiteral("redhat9.6")),
             std::optional<QString>(QStringLiteral("5.14.0-570.22.1.el9_6.x86_64")));
    QCOMPARE(load.inventory.kernelFor(QStringLiteral("ubuntu24.04")),
             std::optional<QString>(QStringLiteral("6.8.0-51-generic")));
    QCOMPARE(load.inventory.tokens().size(), 2);
}

void TestVmInventory::escapedPipesAndFences()
{
    const VmInventoryLoad load = VmInventory::load(dataPath("escaped-pipes.md"));
    QVERIFY2(load.isValid(), qPrintable(load.error));

    // The code span around the kernel is removed, the escaped pipes stay in their cell.
    QCOMPARE(load.inventory.kernelFor(QStringLiteral("redhat8.10")),
             std::optional<QString>(QStringLiteral("4.18.0-553.27.1.el8_10.x86_64")));
    QCOMPARE(load.inventory.kernelFor(QStringLiteral("w2k22")),
             std::optional<QString>(QStringLiteral("10.0.20348.3091 | UBR 3091")));

    // Neither the fenced example nor the table without the two columns count.
    QCOMPARE(load.inventory.kernelFor(QStringLiteral("fenced1.0")), std::nullopt);
    QCOMPARE(load.inventory.kernelFor(QStringLiteral("ubuntu24.04")), std::nullopt);
    QCOMPARE(load.inventory.tokens(),
             (QStringList{QStringLiteral("redhat8.10"), QStringLiteral("w2k22")}));
}

void TestVmInventory::firstTableWins()
{
    const VmInventory inventory = VmInventory::parse(QStringLiteral(
            "## Active\n\n"
            "| Build token | Kernel |\n|---|---|\n| w2k25 | n/a |\n| redhat9.6 | 5.14.0-570 |\n\n"
            "## Retired\n\n"
            "| Kernel | Build token |\n|---|---|\n| 5.14.0-1 | redhat9.6 |\n| 10.0.26100 | w2k25 "
            "|\n"));

    QCOMPARE(inventory.kernelFor(QStringLiteral("redhat9.6")),
             std::optional<QString>(QStringLiteral("5.14.0-570")));
    // "n/a" means unknown, so the second table's row is used.
    QCOMPARE(inventory.kernelFor(QStringLiteral("w2k25")),
             std::optional<QString>(QStringLiteral("10.0.26100")));
}

void TestVmInventory::missingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("vm-inventory.md"));

    const VmInventoryLoad load = VmInventory::load(path);
    QVERIFY(!load.isValid());
    QVERIFY2(load.error.contains(path), qPrintable(load.error));
    QVERIFY2(load.error.contains(QLatin1String("not found")), qPrintable(load.error));
    QVERIFY(load.inventory.isEmpty());
    QCOMPARE(load.inventory.kernelFor(QStringLiteral("redhat9.6")), std::nullopt);
}

void TestVmInventory::fileWithoutTable()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("notes.md"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# Notes\n\nredhat9.6 runs 5.14.0-570.\n");
    file.close();

    const VmInventoryLoad load = VmInventory::load(path);
    QVERIFY(!load.isValid());
    QVERIFY2(load.error.contains(path), qPrintable(load.error));
    QVERIFY2(load.error.contains(QLatin1String("\"Build token\"")), qPrintable(load.error));
    QVERIFY(load.inventory.isEmpty());
}

void TestVmInventory::unknownToken()
{
    const VmInventoryLoad load = VmInventory::load(examplePath());
    QVERIFY2(load.isValid(), qPrintable(load.error));

    QCOMPARE(load.inventory.kernelFor(QStringLiteral("freebsd14.1")), std::nullopt);
    QCOMPARE(load.inventory.kernelFor(QString()), std::nullopt);
}

QTEST_GUILESS_MAIN(TestVmInventory)
#include "tst_vminventory.moc"
