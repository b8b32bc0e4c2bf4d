#include "shared/watcherconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace std::chrono_literals;

namespace {

QProcessEnvironment postingEnvironment()
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("MATTERMOST_ATVM_WEBHOOK"),
                       QStringLiteral("http://127.0.0.1:8065/hooks/xq9secrethookid0000000000"));
    environment.insert(QStringLiteral("MATTERMOST_ATVM_CHANNEL"), QStringLiteral("atvm-e2e"));
    return environment;
}

QStringList arguments(const QStringList &options)
{
    return QStringList{QStringLiteral("atvm-run-watcher")} + options;
}

} // namespace

class TestWatcherConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void defaultsDerivedFromRoot();
    void environmentForms();
    void commandLineWinsOverEnvironment();
    void rejectedInput_data();
    void rejectedInput();
    void webhookSecretNeverInErrors();
    void dryRunValues();
    void dryRunNeedsNoWebhook();
    void helpListsEveryOption();

private:
    QTemporaryDir m_root;
};

void TestWatcherConfig::init()
{
    QVERIFY(m_root.isValid());
    QDir(m_root.path()).mkpath(QStringLiteral("logs"));
}

void TestWatcherConfig::defaultsDerivedFromRoot()
{
    const WatcherConfigParse parse = parseWatcherConfig(
            arguments({QStringLiteral("--build-name"), QStringLiteral("e2e-redhat9.6-fc"),
                       QStringLiteral("--automation-root"), m_root.path()}),
            postingEnvironment());
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Ok));

    const WatcherConfig &config = parse.config;
    QCOMPARE(config.buildName, QStringLiteral("e2e-redhat9.6-fc"));
    QCOMPARE(config.runLog, m_root.filePath(QStringLiteral("logs/e2e-redhat9.6-fc.log")));
    QCOMPARE(config.pidFile, m_root.filePath(QStringLiteral("logs/e2e-redhat9.6-fc.pid")));
    QCOMPARE(config.exitStatusFile, m_root.filePath(QStringLiteral("logs/e2e-redhat9.6-fc.exit")));
    QCOMPARE(config.reportDir, m_root.filePath(QStringLiteral("cmcReporter/e2e-redhat9.6-fc")));
    QCOMPARE(config.inventory, m_root.filePath(QStringLiteral("atvm/inventory/vm-inventory.md")));
    QCOMPARE(config.stateRoot, QStringLiteral("/var/lib/atvm-run-watcher"));
    QCOMPARE(config.pollInterval, 5s);
    QCOMPARE(config.hangTimeout, 60min);
    QCOMPARE(config.startupGrace, 5min);
    QCOMPARE(config.postDeadline, 15min);
    QCOMPARE(config.channel, QStringLiteral("atvm-e2e"));
    QCOMPARE(config.webhook.port(), 8065);
    QVERIFY(!config.dryRun);
}

void TestWatcherConfig::environmentForms()
{
    QProcessEnvironment environment = postingEnvironment();
    environment.insert(QStringLiteral("ATVM_BUILD_NAME"), QStringLiteral("nightly-ubuntu24.04"));
    environment.insert(QStringLiteral("ATVM_AUTOMATION_ROOT"), m_root.path());
    environment.insert(QStringLiteral("ATVM_STATE_ROOT"), m_root.path());
    environment.insert(QStringLiteral("ATVM_HANG_TIMEOUT"), QStringLiteral("90m"));
    environment.insert(QStringLiteral("ATVM_POLL_INTERVAL"), QStringLiteral("2s"));
    environment.insert(QStringLiteral("ATVM_DRY_RUN"), QStringLiteral("1"));

    const WatcherConfigParse parse = parseWatcherConfig(arguments({}), environment);
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Ok));
    QCOMPARE(parse.config.buildName, QStringLiteral("nightly-ubuntu24.04"));
    QCOMPARE(parse.config.stateRoot, m_root.path());
    QCOMPARE(parse.config.hangTimeout, 90min);
    QCOMPARE(parse.config.pollInterval, 2s);
    QVERIFY(parse.config.dryRun);
}

void TestWatcherConfig::commandLineWinsOverEnvironment()
{
    QProcessEnvironment environment = postingEnvironment();
    environment.insert(QStringLiteral("ATVM_BUILD_NAME"), QStringLiteral("from-environment"));
    environment.insert(QStringLiteral("ATVM_RUN_LOG"), QStringLiteral("/nonexistent/env.log"));

    const WatcherConfigParse parse = parseWatcherConfig(
            arguments({QStringLiteral("--build-name"), QStringLiteral("from-command-line"),
                       QStringLiteral("--automation-root"), m_root.path(),
                       QStringLiteral("--run-log"), m_root.filePath(QStringLiteral("cli.log"))}),
            environment);
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Ok));
    QCOMPARE(parse.config.buildName, QStringLiteral("from-command-line"));
    QCOMPARE(parse.config.runLog, m_root.filePath(QStringLiteral("cli.log")));
}

void TestWatcherConfig::rejectedInput_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("expectedText");

    QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--colour")} << QStringLiteral("'colour'");
    QTest::newRow("missing build name") << QStringList{} << QStringLiteral("--build-name NAME");
    QTest::newRow("path traversal")
            << QStringList{QStringLiteral("--build-name"), QStringLiteral("../x")}
            << QStringLiteral("\"../x\"");
    QTest::newRow("spaces in build name")
            << QStringList{QStringLiteral("--build-name"), QStringLiteral("my build")}
            << QStringLiteral("\"my build\"");
    QTest::newRow("bad duration") << QStringList{QStringLiteral("--build-name"),
                                                 QStringLiteral("ok-build"),
                                                 QStringLiteral("--hang-timeout"),
                                                 QStringLiteral("forever")}
                                  << QStringLiteral("\"forever\"");
    QTest::newRow("missing automation root")
            << QStringList{QStringLiteral("--build-name"), QStringLiteral("ok-build"),
                           QStringLiteral("--automation-root"), QStringLiteral("/nonexistent/root")}
            << QStringLiteral("\"/nonexistent/root\" does not exist");
    QTest::newRow("log is a folder")
            << QStringList{QStringLiteral("--build-name"), QStringLiteral("ok-build"),
                           QStringLiteral("--run-log"), QStringLiteral("/tmp")}
            << QStringLiteral("\"/tmp\" is not a regular file");
    QTest::newRow("duration over a week")
            << QStringList{QStringLiteral("--build-name"), QStringLiteral("ok-build"),
                           QStringLiteral("--poll-interval"), QStringLiteral("100000h")}
            << QStringLiteral("maximum of 7 days");
    // Opening a FIFO blocks until a writer appears, so it is rejected up front.
    const QString fifo = m_root.filePath(QStringLiteral("run.fifo"));
    QFile::remove(fifo);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QTest::newRow("log is a FIFO")
            << QStringList{QStringLiteral("--build-name"), QStringLiteral("ok-build"),
                           QStringLiteral("--run-log"), fifo}
            << QStringLiteral("is not a regular file");
    QTest::newRow("stray argument")
            << QStringList{QStringLiteral("--build-name"), QStringLiteral("ok-build"),
                           QStringLiteral("extra")}
            << QStringLiteral("\"extra\"");
}

void TestWatcherConfig::rejectedInput()
{
    QFETCH(QStringList, options);
    QFETCH(QString, expectedText);

    QStringList withRoot = options;
    if (!options.contains(QStringLiteral("--automation-root")))
        withRoot << QStringLiteral("--automation-root") << m_root.path();

    const WatcherConfigParse parse = parseWatcherConfig(arguments(withRoot), postingEnvironment());
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Error));
    QVERIFY2(parse.text.contains(expectedText), qPrintable(parse.text));
}

void TestWatcherConfig::webhookSecretNeverInErrors()
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("MATTERMOST_ATVM_WEBHOOK"),
                       QStringLiteral("ftp://127.0.0.1/hooks/xq9secrethookid0000000000"));
    environment.insert(QStringLiteral("MATTERMOST_ATVM_CHANNEL"), QStringLiteral("atvm-e2e"));

    const QStringList options{QStringLiteral("--build-name"), QStringLiteral("ok-build"),
                              QStringLiteral("--automation-root"), m_root.path()};
    WatcherConfigParse parse = parseWatcherConfig(arguments(options), environment);
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Error));
    QVERIFY2(parse.text.contains(QStringLiteral("MATTERMOST_ATVM_WEBHOOK")),
             qPrintable(parse.text));
    QVERIFY2(!parse.text.contains(QStringLiteral("xq9secrethookid")), qPrintable(parse.text));

    environment.insert(QStringLiteral("MATTERMOST_ATVM_WEBHOOK"),
                       QStringLiteral("http://127.0.0.1:1/"));
    parse = parseWatcherConfig(arguments(options), environment);
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Error));
    QVERIFY2(parse.text.contains(QStringLiteral("MATTERMOST_ATVM_WEBHOOK: ")),
             qPrintable(parse.text));

    environment.remove(QStringLiteral("MATTERMOST_ATVM_WEBHOOK"));
    parse = parseWatcherConfig(arguments(options), environment);
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Error));
    QVERIFY2(parse.text.contains(QStringLiteral("is not set")), qPrintable(parse.text));

    environment = postingEnvironment();
    environment.remove(QStringLiteral("MATTERMOST_ATVM_CHANNEL"));
    parse = parseWatcherConfig(arguments(options), environment);
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Error));
    QVERIFY2(parse.text.contains(QStringLiteral("MATTERMOST_ATVM_CHANNEL")),
             qPrintable(parse.text));
}

void TestWatcherConfig::dryRunValues()
{
    const QStringList options{QStringLiteral("--build-name"), QStringLiteral("ok-build"),
                              QStringLiteral("--automation-root"), m_root.path()};
    for (const char *value : {"1", "true", "YES"}) {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("ATVM_DRY_RUN"), QLatin1String(value));
        const WatcherConfigParse parse = parseWatcherConfig(arguments(options), environment);
        QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Ok));
        QVERIFY2(parse.config.dryRun, value);
    }
    QProcessEnvironment environment = postingEnvironment();
    environment.insert(QStringLiteral("ATVM_DRY_RUN"), QStringLiteral("0"));
    QVERIFY(!parseWatcherConfig(arguments(options), environment).config.dryRun);

    environment.insert(QStringLiteral("ATVM_DRY_RUN"), QStringLiteral("maybe"));
    const WatcherConfigParse parse = parseWatcherConfig(arguments(options), environment);
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Error));
    QVERIFY2(parse.text.contains(QStringLiteral("\"maybe\"")), qPrintable(parse.text));
}

void TestWatcherConfig::dryRunNeedsNoWebhook()
{
    const WatcherConfigParse parse = parseWatcherConfig(
            arguments({QStringLiteral("--build-name"), QStringLiteral("ok-build"),
                       QStringLiteral("--automation-root"), m_root.path(),
                       QStringLiteral("--dry-run")}),
            QProcessEnvironment());
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Ok));
    QVERIFY(parse.config.dryRun);
}

void TestWatcherConfig::helpListsEveryOption()
{
    const WatcherConfigParse parse =
            parseWatcherConfig(arguments({QStringLiteral("--help")}), QProcessEnvironment());
    QCOMPARE(int(parse.status), int(WatcherConfigParse::Status::Help));
    for (const char *text :
         {"--build-name", "--automation-root", "--run-log", "--report-dir", "--pid-file",
          "--state-root", "--inventory", "--poll-interval", "--hang-timeout", "--startup-grace",
          "--exit-grace", "--post-deadline", "--dry-run", "ATVM_BUILD_NAME",
          "MATTERMOST_ATVM_WEBHOOK", "Exit codes"}) {
        QVERIFY2(parse.text.contains(QLatin1String(text)), text);
    }
}

QTEST_GUILESS_MAIN(TestWatcherConfig)
#include "tst_watcherconfig.moc"
