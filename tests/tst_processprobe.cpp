#include "shared/processprobe.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

// Writes a fake /proc/PID/stat whose command name contains spaces and parentheses.
void writeFakeStat(const QString &procRoot, qint64 pid, char state, quint64 startTicks)
{
    QDir().mkpath(procRoot + QStringLiteral("/%1").arg(pid));
    QFile stat(procRoot + QStringLiteral("/%1/stat").arg(pid));
    QVERIFY(stat.open(QIODevice::WriteOnly));
    QByteArray fields = QByteArray::number(pid) + " (node (cypress) x) " + state + " 1 1 1 0 -1";
    for (int field = 9; field <= 21; ++field)
        fields += " 0";
    fields += ' ' + QByteArray::number(startTicks) + " 100 200\n";
    stat.write(fields);
}

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

} // namespace

class TestProcessProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void identifiesLivingChild();
    void childIsGoneAfterExit();
    void reusedPidIsNotAlive();
    void otherBootIsNotAlive();
    void zombieIsNotAlive();
    void pidFileVariants_data();
    void pidFileVariants();
    void findsProcessByBuildName();
};

void TestProcessProbe::identifiesLivingChild()
{
    QProcess child;
    child.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    QVERIFY(child.waitForStarted());

    const ProcessProbe probe;
    const std::optional<ProcessIdentity> identity = probe.identify(child.processId());
    QVERIFY(identity);
    QCOMPARE(identity->pid, child.processId());
    QVERIFY(identity->startTicks > 0);
    QCOMPARE(identity->bootId, probe.bootId());
    QVERIFY(probe.isAlive(*identity));

    child.kill();
    child.waitForFinished();
}

void TestProcessProbe::childIsGoneAfterExit()
{
    QProcess child;
    child.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    QVERIFY(child.waitForStarted());
    const ProcessProbe probe;
    const std::optional<ProcessIdentity> identity = probe.identify(child.processId());
    QVERIFY(identity);

    child.kill();
    QVERIFY(child.waitForFinished());
    QVERIFY(!probe.isAlive(*identity));
}

void TestProcessProbe::reusedPidIsNotAlive()
{
    QTemporaryDir proc;
    writeFile(proc.filePath(QStringLiteral("sys/kernel/random/boot_id")), "boot-a\n");
    writeFakeStat(proc.path(), 777, 'S', 5000);
    const ProcessProbe probe(proc.path());

    const std::optional<ProcessIdentity> identity = probe.identify(777);
    QVERIFY(identity);
    QCOMPARE(identity->startTicks, quint64(5000));
    QVERIFY(probe.isAlive(*identity));

    // The run ended and another process got the same PID later.
    writeFakeStat(proc.path(), 777, 'S', 9000);
    QVERIFY(!probe.isAlive(*identity));
}

void TestProcessProbe::otherBootIsNotAlive()
{
    QTemporaryDir proc;
    writeFile(proc.filePath(QStringLiteral("sys/kernel/random/boot_id")), "boot-a\n");
    writeFakeStat(proc.path(), 777, 'S', 5000);
    const ProcessProbe probe(proc.path());
    const std::optional<ProcessIdentity> identity = probe.identify(777);
    QVERIFY(identity);

    writeFile(proc.filePath(QStringLiteral("sys/kernel/random/boot_id")), "boot-b\n");
    QVERIFY(!probe.isAlive(*identity));
}

void TestProcessProbe::zombieIsNotAlive()
{
    QTemporaryDir proc;
    writeFile(proc.filePath(QStringLiteral("sys/kernel/random/boot_id")), "boot-a\n");
    writeFakeStat(proc.path(), 777, 'Z', 5000);
    const ProcessProbe probe(proc.path());
    QVERIFY(!probe.identify(777));
    QVERIFY(!probe.isAlive(ProcessIdentity{777, 5000, QStringLiteral("boot-a")}));
}

void TestProcessProbe::pidFileVariants_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("found");

    QTest::newRow("plain") << QByteArray("777") << true;
    QTest::newRow("newline and spaces") << QByteArray("  777 \n") << true;
    QTest::newRow("dead pid") << QByteArray("778\n") << false;
    QTest::newRow("not a number") << QByteArray("cypress\n") << false;
    QTest::newRow("negative") << QByteArray("-1\n") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void TestProcessProbe::pidFileVariants()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, found);

    QTemporaryDir proc;
    writeFile(proc.filePath(QStringLiteral("sys/kernel/random/boot_id")), "boot-a\n");
    writeFakeStat(proc.path(), 777, 'R', 5000);
    writeFile(proc.filePath(QStringLiteral("run.pid")), content);

    const ProcessProbe probe(proc.path());
    const std::optional<ProcessIdentity> identity =
            probe.identifyFromPidFile(proc.filePath(QStringLiteral("run.pid")));
    QCOMPARE(bool(identity), found);
    if (found)
        QCOMPARE(identity->pid, qint64(777));
}

void TestProcessProbe::findsProcessByBuildName()
{
    QTemporaryDir proc;
    writeFile(proc.filePath(QStringLiteral("sys/kernel/random/boot_id")), "boot-a\n");
    const qint64 self = QCoreApplication::applicationPid();

    // The watcher itself names the build but is excluded.
    writeFakeStat(proc.path(), self, 'S', 100);
    writeFile(proc.filePath(QStringLiteral("%1/cmdline").arg(self)),
              QByteArray("atvm-run-watcher\0--build-name\0e2e-rhel-fc\0", 43));
    // A longer build name that merely starts with the same text does not match.
    writeFakeStat(proc.path(), 501, 'S', 200);
    writeFile(proc.filePath(QStringLiteral("501/cmdline")),
              QByteArray("npx\0cypress\0run\0--env\0build=e2e-rhel-fc2\0", 40));
    // Two real matches: the older one wins.
    writeFakeStat(proc.path(), 601, 'S', 400);
    writeFile(proc.filePath(QStringLiteral("601/cmdline")),
              QByteArray("node\0cypress\0--env\0build=e2e-rhel-fc\0", 36));
    writeFakeStat(proc.path(), 602, 'S', 300);
    writeFile(proc.filePath(QStringLiteral("602/cmdline")),
              QByteArray("bash\0run-e2e.sh\0e2e-rhel-fc\0", 28));

    // A shell running a journal viewer names the build only after '@'.
    writeFakeStat(proc.path(), 400, 'S', 100);
    writeFile(proc.filePath(QStringLiteral("400/cmdline")),
              QByteArray("bash\0-c\0journalctl -fu atvm-run-watcher@e2e-rhel-fc | grep x\0", 61));

    const ProcessProbe probe(proc.path());
    const std::optional<ProcessIdentity> identity =
            probe.findByCommandLine(QStringLiteral("e2e-rhel-fc"), self);
    QVERIFY(identity);
    QCOMPARE(identity->pid, qint64(602));
    QVERIFY(!probe.findByCommandLine(QStringLiteral("e2e-other"), self));
}

QTEST_GUILESS_MAIN(TestProcessProbe)
#include "tst_processprobe.moc"
