#include "dashboard/sampleroot.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct ConsoleRun
{
    int exitCode = -1;
    QByteArray output;
    QString errors;
};

} // namespace

class tst_DashboardConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void listsRunsAsJson();
    void listsRunsAsText();
    void showsRun();
    void previewsMessage_data();
    void previewsMessage();
    void cancelsRun();
    void startsRunThroughRequest();
    void startsRunThroughCommand();
    void readsConfiguredRoots();
    void rejectsBadCommandLines_data();
    void rejectsBadCommandLines();
    void refusesCancelOfEndedRun_data();
    void refusesCancelOfEndedRun();
    void cancelsByRunFolder();
    void boundsStartCommand_data();
    void boundsStartCommand();

private:
    ConsoleRun runConsole(const QStringList &arguments) const;
    QString rootArgument() const { return m_root.path() + QStringLiteral("=ctl-lab1"); }

    QTemporaryDir m_root;
    QTemporaryDir m_home;
};

void tst_DashboardConsole::init()
{
    QDir(m_root.path()).removeRecursively();
    QVERIFY(QDir().mkpath(m_root.path()));
    QVERIFY(copySampleRoot(m_root.path()));
}

ConsoleRun tst_DashboardConsole::runConsole(const QStringList &arguments) const
{
    // No display and no platform plugin: console mode must not need either.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("no-such-platform"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                       m_home.filePath(QStringLiteral("config")));

    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(ATVM_DASHBOARD_BINARY),
                  QStringList{QStringLiteral("--console")} + arguments);
    ConsoleRun run;
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.output = process.readAllStandardOutput();
    run.errors = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void tst_DashboardConsole::listsRunsAsJson()
{
    const ConsoleRun run = runConsole({QStringLiteral("list"), QStringLiteral("--json"),
                                       QStringLiteral("--root"), rootArgument()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));

    const QJsonObject document = QJsonDocument::fromJson(run.output).object();
    const QJsonArray roots = document.value(QStringLiteral("roots")).toArray();
    QCOMPARE(roots.size(), 1);
    QCOMPARE(roots.at(0).toObject().value(QStringLiteral("controller")).toString(),
             QStringLiteral("ctl-lab1"));
    QCOMPARE(roots.at(0).toObject().value(QStringLiteral("reachable")).toBool(), true);

    const QJsonArray runs = document.value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 9);
    QMap<QString, QString> states;
    for (const QJsonValue &value : runs) {
        const QJsonObject object = value.toObject();
        states.insert(object.value(QStringLiteral("build_name")).toString(),
                      object.value(QStringLiteral("display_state")).toString());
    }
    // The console compares with the wall clock, which is past the sample run's last
    // write (2026-12-04T14:41:12Z) by more than two minutes.
    QCOMPARE(states.value(QStringLiteral("e2e-sles15.6-rocky9.4-iscsi")),
             QStringLiteral("WATCHER LOST"));
    QCOMPARE(states.value(QStringLiteral("e2e-ubuntu22.04-w2k19-nvme")), QStringLiteral("FAILED"));
    QCOMPARE(states.value(QStringLiteral("e2e-redhat9.6-w2k25-nvme")), QStringLiteral("NO STATE"));

    const QJsonObject failed = [&runs] {
        for (const QJsonValue &value : runs) {
            if (value.toObject().value(QStringLiteral("build_name")).toString()
                == QLatin1String("e2e-ubuntu22.04-w2k19-nvme"))
                return value.toObject();
        }
        return QJsonObject();
    }();
    QCOMPARE(failed.value(QStringLiteral("state"))
                     .toObject()
                     .value(QStringLiteral("progress"))
                     .toObject()
                     .value(QStringLiteral("failing"))
                     .toInt(),
             7);
}

void tst_DashboardConsole::listsRunsAsText()
{
    const ConsoleRun run =
            runConsole({QStringLiteral("list"), QStringLiteral("--root"), rootArgument()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QStringList lines =
            QString::fromUtf8(run.output).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 10);
    QVERIFY(lines.at(0).startsWith(QLatin1String("BUILD")));
    const QStringList failedLine = lines.filter(QStringLiteral("e2e-ubuntu22.04-w2k19-nvme"));
    QCOMPARE(failedLine.size(), 1);
    QVERIFY2(failedLine.at(0).contains(QLatin1String("FAILED")), qPrintable(failedLine.at(0)));
    QVERIFY2(failedLine.at(0).contains(QLatin1String("41/41")), qPrintable(failedLine.at(0)));
}

void tst_DashboardConsole::showsRun()
{
    const ConsoleRun text =
            runConsole({QStringLiteral("show"), QStringLiteral("e2e-ubuntu22.04-w2k19-nvme"),
                        QStringLiteral("--root"), rootArgument()});
    QVERIFY2(text.exitCode == 0, qPrintable(text.errors));
    const QString output = QString::fromUtf8(text.output);
    QVERIFY2(output.contains(QLatin1String("3 of 41 specs failed")), qPrintable(output));
    QVERIFY2(output.contains(QLatin1String("Guest:       w2k19 10.0.17763.6659")),
             qPrintable(output));
    QVERIFY2(output.contains(QLatin1String("reports/export-csv.cy.js")), qPrintable(output));

    const ConsoleRun json =
            runConsole({QStringLiteral("show"), QStringLiteral("e2e-ubuntu22.04-w2k19-nvme"),
                        QStringLiteral("--json"), QStringLiteral("--root"), rootArgument()});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject object = QJsonDocument::fromJson(json.output).object();
    QCOMPARE(object.value(QStringLiteral("display_state")).toString(), QStringLiteral("FAILED"));
    QCOMPARE(object.value(QStringLiteral("state"))
                     .toObject()
                     .value(QStringLiteral("posted"))
                     .toBool(),
             true);

    const ConsoleRun missing = runConsole({QStringLiteral("show"), QStringLiteral("e2e-not-there"),
                                           QStringLiteral("--root"), rootArgument()});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.errors.contains(QLatin1String("\"e2e-not-there\" not found")),
             qPrintable(missing.errors));
}

void tst_DashboardConsole::previewsMessage_data()
{
    QTest::addColumn<QString>("build");
    QTest::addColumn<bool>("fromMessageFile");
    QTest::addColumn<QString>("expectedText");
    QTest::newRow("posted run with message.md")
            << "e2e-redhat9.6-w2k22-fc-r2" << true << "#### :white_check_mark:";
    QTest::newRow("watching run, built preview")
            << "e2e-redhat9.6-ubuntu24.04-w2k25-fc" << false << "Preview only";
}

void tst_DashboardConsole::previewsMessage()
{
    QFETCH(QString, build);
    QFETCH(bool, fromMessageFile);
    QFETCH(QString, expectedText);

    const ConsoleRun run = runConsole({QStringLiteral("preview"), build, QStringLiteral("--json"),
                                       QStringLiteral("--root"), rootArgument()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QJsonObject object = QJsonDocument::fromJson(run.output).object();
    QCOMPARE(object.value(QStringLiteral("from_message_file")).toBool(), fromMessageFile);
    const QString markdown = object.value(QStringLiteral("markdown")).toString();
    QVERIFY2(markdown.contains(expectedText), qPrintable(markdown));
}

void tst_DashboardConsole::cancelsRun()
{
    const QString build = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    const ConsoleRun run =
            runConsole({QStringLiteral("cancel"), build, QStringLiteral("--root"), rootArgument()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    QFile marker(m_root.filePath(build + QStringLiteral("/cancel.json")));
    QVERIFY(marker.open(QIODevice::ReadOnly));
    const QJsonObject object = QJsonDocument::fromJson(marker.readAll()).object();
    QCOMPARE(object.value(QStringLiteral("via")).toString(),
             QStringLiteral("atvm-watcher-dashboard"));
}

void tst_DashboardConsole::startsRunThroughRequest()
{
    const ConsoleRun run = runConsole(
            {QStringLiteral("start"), QStringLiteral("--json"), QStringLiteral("--build-name"),
             QStringLiteral("e2e-new-run"), QStringLiteral("--scope-description"),
             QStringLiteral("a b; c"), QStringLiteral("--root"), rootArgument()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QJsonObject object = QJsonDocument::fromJson(run.output).object();
    const QString requestPath = object.value(QStringLiteral("request")).toString();
    QVERIFY2(requestPath.startsWith(m_root.filePath(QStringLiteral(".start-requests/"))),
             qPrintable(requestPath));
    QFile request(requestPath);
    QVERIFY(request.open(QIODevice::ReadOnly));
    const QJsonObject content = QJsonDocument::fromJson(request.readAll()).object();
    QCOMPARE(content.value(QStringLiteral("build_name")).toString(), QStringLiteral("e2e-new-run"));
    QCOMPARE(content.value(QStringLiteral("scope_description")).toString(),
             QStringLiteral("a b; c"));
}

void tst_DashboardConsole::startsRunThroughCommand()
{
    // A root with a start command runs it with the options as separate arguments.
    QTemporaryDir scratch;
    const QString argumentsFile = scratch.filePath(QStringLiteral("arguments"));
    const QString script = scratch.filePath(QStringLiteral("fake-start.sh"));
    QVERIFY(writeFile(script, QByteArray("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$1\"\n")));
    QVERIFY(QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

    const QString config =
            m_home.filePath(QStringLiteral("config/atvm/atvm-watcher-dashboard.conf"));
    QVERIFY(writeFile(config,
                      QStringLiteral("[roots]\n1\\path=%1\n1\\name=ctl-lab1\n"
                                     "1\\start_command=%2, %3\nsize=1\n")
                              .arg(m_root.path(), script, argumentsFile)
                              .toUtf8()));

    const ConsoleRun run = runConsole({QStringLiteral("start"), QStringLiteral("--build-name"),
                                       QStringLiteral("e2e-new-run"), QStringLiteral("--template"),
                                       QStringLiteral("cmc e2e; $(id)")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    QFile arguments(argumentsFile);
    QVERIFY(arguments.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(arguments.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts),
             (QStringList{argumentsFile, QStringLiteral("--build-name"),
                          QStringLiteral("e2e-new-run"), QStringLiteral("--template"),
                          QStringLiteral("cmc e2e; $(id)")}));
    QVERIFY(QFile::remove(config));
}

void tst_DashboardConsole::readsConfiguredRoots()
{
    const QString config =
            m_home.filePath(QStringLiteral("config/atvm/atvm-watcher-dashboard.conf"));
    QVERIFY(writeFile(config,
                      QStringLiteral("[roots]\n1\\path=%1\n1\\name=configured\nsize=1\n")
                              .arg(m_root.path())
                              .toUtf8()));
    const ConsoleRun run = runConsole({QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY(QFile::remove(config));
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QJsonArray roots =
            QJsonDocument::fromJson(run.output).object().value(QStringLiteral("roots")).toArray();
    QCOMPARE(roots.size(), 1);
    QCOMPARE(roots.at(0).toObject().value(QStringLiteral("controller")).toString(),
             QStringLiteral("configured"));
}

void tst_DashboardConsole::rejectsBadCommandLines_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("no command") << QStringList{} << 64 << "Missing command";
    QTest::newRow("unknown command")
            << QStringList{QStringLiteral("stop")} << 64 << "Unknown command \"stop\"";
    QTest::newRow("show without build")
            << QStringList{QStringLiteral("show")} << 64 << "one build name";
    QTest::newRow("start without build name")
            << QStringList{QStringLiteral("start")} << 64 << "--build-name";
    QTest::newRow("start with invalid build name")
            << QStringList{QStringLiteral("start"), QStringLiteral("--build-name"),
                           QStringLiteral("a..b")}
            << 64 << "a..b";
    QTest::newRow("bad timeout") << QStringList{QStringLiteral("list"), QStringLiteral("--timeout"),
                                                QStringLiteral("soon")}
                                 << 64 << "Invalid --timeout \"soon\"";
    QTest::newRow("wait not a number")
            << QStringList{QStringLiteral("start"), QStringLiteral("--build-name"),
                           QStringLiteral("e2e-new-run"), QStringLiteral("--wait"),
                           QStringLiteral("abc")}
            << 64 << "Invalid --wait \"abc\"";
    QTest::newRow("negative wait")
            << QStringList{QStringLiteral("start"), QStringLiteral("--build-name"),
                           QStringLiteral("e2e-new-run"), QStringLiteral("--wait"),
                           QStringLiteral("-5")}
            << 64 << "Invalid --wait \"-5\"";
    QTest::newRow("unknown option")
            << QStringList{QStringLiteral("list"), QStringLiteral("--colour")} << 64 << "colour";
}

void tst_DashboardConsole::rejectsBadCommandLines()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, expectedError);

    const ConsoleRun run =
            runConsole(arguments + QStringList{QStringLiteral("--root"), rootArgument()});
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.errors.contains(expectedError), qPrintable(run.errors));
}

void tst_DashboardConsole::refusesCancelOfEndedRun_data()
{
    QTest::addColumn<QString>("build");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("completed run") << "e2e-redhat9.6-w2k22-fc-r2"
                                   << "already finished as COMPLETED; nothing changed";
    QTest::newRow("cancelled run") << "e2e-oracle8.10-w2k25-iscsi"
                                   << "already finished as CANCELLED; nothing changed";
    QTest::newRow("folder without state") << "e2e-redhat9.6-w2k25-nvme"
                                          << "nothing changed";
}

void tst_DashboardConsole::refusesCancelOfEndedRun()
{
    QFETCH(QString, build);
    QFETCH(QString, expectedError);

    const QString markerPath = m_root.filePath(build + QStringLiteral("/cancel.json"));
    const QByteArray markerBefore = [&markerPath] {
        QFile file(markerPath);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();

    const ConsoleRun run =
            runConsole({QStringLiteral("cancel"), build, QStringLiteral("--root"), rootArgument()});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errors.contains(expectedError), qPrintable(run.errors));
    QVERIFY2(run.errors.contains(build), qPrintable(run.errors));

    QFile marker(markerPath);
    if (markerBefore.isEmpty()) {
        QVERIFY(!marker.exists());
    } else {
        QVERIFY(marker.open(QIODevice::ReadOnly));
        QCOMPARE(marker.readAll(), markerBefore);
    }
}

void tst_DashboardConsole::cancelsByRunFolder()
{
    // A copied state.json names another run; the folder name picks the run.
    const QString other = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    const QString copy = QStringLiteral("e2e-copy");
    QVERIFY(writeFile(m_root.filePath(copy + QStringLiteral("/state.json")),
                      stateJson(other, QStringLiteral("WATCHING"), sampleNow())));

    const ConsoleRun show = runConsole({QStringLiteral("show"), copy, QStringLiteral("--json"),
                                        QStringLiteral("--root"), rootArgument()});
    QVERIFY2(show.exitCode == 0, qPrintable(show.errors));
    const QJsonObject object = QJsonDocument::fromJson(show.output).object();
    QCOMPARE(object.value(QStringLiteral("build_name")).toString(), copy);
    QCOMPARE(object.value(QStringLiteral("stale")).toBool(), true);

    const ConsoleRun run =
            runConsole({QStringLiteral("cancel"), copy, QStringLiteral("--root"), rootArgument()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    QVERIFY(QFile::exists(m_root.filePath(copy + QStringLiteral("/cancel.json"))));
    QVERIFY(!QFile::exists(m_root.filePath(other + QStringLiteral("/cancel.json"))));
}

void tst_DashboardConsole::boundsStartCommand_data()
{
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QStringList>("expectedErrors");
    QTest::newRow("command that never exits")
            << QByteArray("#!/bin/sh\nexec sleep 60\n")
            << QStringList{QStringLiteral("did not finish within 1 s")};
    QTest::newRow("command that fails")
            << QByteArray("#!/bin/sh\necho 'no such build' >&2\nexit 3\n")
            << QStringList{QStringLiteral("failed with exit status 3")};
    QTest::newRow("command killed by a signal")
            << QByteArray("#!/bin/sh\nkill -9 $$\n")
            << QStringList{QStringLiteral("crashed or was killed")};
}

void tst_DashboardConsole::boundsStartCommand()
{
    QFETCH(QByteArray, script);
    QFETCH(QStringList, expectedErrors);

    QTemporaryDir scratch;
    const QString scriptPath = scratch.filePath(QStringLiteral("fake-start.sh"));
    QVERIFY(writeFile(scriptPath, script));
    QVERIFY(QFile::setPermissions(scriptPath,
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QString config =
            m_home.filePath(QStringLiteral("config/atvm/atvm-watcher-dashboard.conf"));
    QVERIFY(writeFile(config,
                      QStringLiteral("[roots]\n1\\path=%1\n1\\name=ctl-lab1\n"
                                     "1\\start_command=%2\nsize=1\n")
                              .arg(m_root.path(), scriptPath)
                              .toUtf8()));

    const ConsoleRun run = runConsole({QStringLiteral("start"), QStringLiteral("--build-name"),
                                       QStringLiteral("e2e-new-run"), QStringLiteral("--timeout"),
                                       QStringLiteral("1")});
    QVERIFY(QFile::remove(config));
    QCOMPARE(run.exitCode, 1);
    for (const QString &expected : expectedErrors)
        QVERIFY2(run.errors.contains(expected), qPrintable(run.errors));
    QVERIFY2(run.errors.contains(scriptPath), qPrintable(run.errors));
}

QTEST_GUILESS_MAIN(tst_DashboardConsole)
#include "tst_dashboardconsole.moc"
