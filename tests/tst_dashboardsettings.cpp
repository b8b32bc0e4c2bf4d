#include "shared/runcontrol.h"
#include "shared/runhistory.h"
#include "shared/stateroots.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

class tst_DashboardSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void savesAndLoadsRoots();
    void parsesRootArgument_data();
    void parsesRootArgument();
    void buildsStartCommand_data();
    void buildsStartCommand();
    void selectsRelatedHistory();
    void storesHistory();
    void rejectsCorruptHistory();
    void prunesHistoryOnSave();
    void namesSameFolderRootsApart_data();
    void namesSameFolderRootsApart();
};

void tst_DashboardSettings::savesAndLoadsRoots()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dashboard.conf"));
    const QList<StateRootConfig> roots{
            {QStringLiteral("/var/lib/atvm-run-watcher"), QString(), {}},
            {QStringLiteral("/mnt/ctl2"),
             QStringLiteral("ctl2"),
             {QStringLiteral("ssh"), QStringLiteral("ctl2"), QStringLiteral("sudo"),
              QStringLiteral("/opt/atvm-watcher-service/libexec/start-atvm-run-watcher.sh")}},
    };
    {
        QSettings settings(path, QSettings::IniFormat);
        saveStateRoots(settings, roots);
    }
    QSettings settings(path, QSettings::IniFormat);
    const QList<StateRootConfig> loaded = loadStateRoots(settings);
    QCOMPARE(loaded.size(), 2);
    QVERIFY(loaded.at(0) == roots.at(0));
    QVERIFY(loaded.at(1) == roots.at(1));
    QCOMPARE(loaded.at(0).displayName(), QStringLiteral("atvm-run-watcher"));
    QCOMPARE(loaded.at(1).displayName(), QStringLiteral("ctl2"));

    saveStateRoots(settings, {roots.at(1)});
    QCOMPARE(loadStateRoots(settings).size(), 1);
}

void tst_DashboardSettings::parsesRootArgument_data()
{
    QTest::addColumn<QString>("argument");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("name");
    QTest::newRow("path only") << "/mnt/ctl1/" << true << "/mnt/ctl1"
                               << "";
    QTest::newRow("path and name") << "/mnt/ctl1=lab 1" << true << "/mnt/ctl1"
                                   << "lab 1";
    QTest::newRow("empty") << "" << false << ""
                           << "";
    QTest::newRow("name only") << "=lab" << false << ""
                               << "";
}

void tst_DashboardSettings::parsesRootArgument()
{
    QFETCH(QString, argument);
    QFETCH(bool, valid);
    QFETCH(QString, path);
    QFETCH(QString, name);

    const std::optional<StateRootConfig> root = parseStateRootArgument(argument);
    QCOMPARE(root.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(root->path, path);
    QCOMPARE(root->controllerName, name);
}

void tst_DashboardSettings::buildsStartCommand_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QStringList>("expected");
    const QStringList options{QStringLiteral("--build-name"), QStringLiteral("e2e-a"),
                              QStringLiteral("--scope-description"), QStringLiteral("it's $(id)")};
    QTest::newRow("local program gets plain arguments")
            << QStringList{QStringLiteral("/usr/bin/sudo"), QStringLiteral("start.sh")}
            << (QStringList{QStringLiteral("start.sh")} + options);
    QTest::newRow("ssh quotes each value for the remote shell")
            << QStringList{QStringLiteral("ssh"), QStringLiteral("ctl1"),
                           QStringLiteral("start.sh")}
            << QStringList{QStringLiteral("ctl1"),
                           QStringLiteral("start.sh"),
                           QStringLiteral("'--build-name'"),
                           QStringLiteral("'e2e-a'"),
                           QStringLiteral("'--scope-description'"),
                           QStringLiteral("'it'\\''s $(id)'")};
}

void tst_DashboardSettings::buildsStartCommand()
{
    QFETCH(QStringList, command);
    QFETCH(QStringList, expected);

    StartRequest request;
    request.buildName = QStringLiteral("e2e-a");
    request.metadata.scopeDescription = QStringLiteral("it's $(id)");
    QCOMPARE(startCommandArguments(command, startScriptOptions(request)), expected);
}

void tst_DashboardSettings::selectsRelatedHistory()
{
    const QDateTime start(QDate(2026, 11, 1), QTime(7, 0), Qt::UTC);
    const auto point = [&start](const QString &build, const QString &templateName, RunState state,
                                int day) {
        RunHistoryPoint result;
        result.buildName = build;
        result.controllerName = QStringLiteral("ctl1");
        result.templateName = templateName;
        result.state = state;
        result.startedAt = start.addDays(day);
        result.durationSeconds = 3600 + day;
        return result;
    };
    const QList<RunHistoryPoint> points{
            point(QStringLiteral("b3"), QStringLiteral("fc"), RunState::Failed, 3),
            point(QStringLiteral("b1"), QStringLiteral("fc"), RunState::Completed, 1),
            point(QStringLiteral("b2"), QStringLiteral("iscsi"), RunState::Completed, 2),
            point(QStringLiteral("b4"), QStringLiteral("fc"), RunState::Cancelled, 4),
            point(QStringLiteral("b5"), QStringLiteral("fc"), RunState::Completed, 5),
            point(QStringLiteral("b5"), QStringLiteral("fc"), RunState::Completed, 5),
    };
    RunRecord current;
    current.buildName = QStringLiteral("b9");
    current.metadata.templateName = QStringLiteral("fc");

    QList<RunHistoryPoint> related = relatedHistory(current, points, 10);
    QCOMPARE(related.size(), 3);
    QCOMPARE(related.at(0).buildName, QStringLiteral("b1"));
    QCOMPARE(related.at(1).buildName, QStringLiteral("b3"));
    QCOMPARE(related.at(2).buildName, QStringLiteral("b5"));

    related = relatedHistory(current, points, 2);
    QCOMPARE(related.size(), 2);
    QCOMPARE(related.at(0).buildName, QStringLiteral("b3"));

    // Without a template, runs of the same build name count.
    current.metadata.templateName.clear();
    current.buildName = QStringLiteral("b2");
    related = relatedHistory(current, points, 10);
    QCOMPARE(related.size(), 1);
    QCOMPARE(related.at(0).templateName, QStringLiteral("iscsi"));
}

void tst_DashboardSettings::storesHistory()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("data/run-history.json"));
    RunRecord record;
    record.buildName = QStringLiteral("e2e-a");
    record.state = RunState::Failed;
    record.startedAt = QDateTime(QDate(2026, 12, 1), QTime(8, 0), Qt::UTC);
    record.finishedAt = record.startedAt.addSecs(5400);
    record.metadata.templateName = QStringLiteral("fc");
    record.progress.failing = 3;
    record.progress.tests = 120;

    const std::optional<RunHistoryPoint> point = historyPointOf(record, QStringLiteral("ctl1"));
    QVERIFY(point.has_value());
    QCOMPARE(point->durationSeconds, qint64(5400));

    RunHistoryStore store(path);
    QCOMPARE(store.load(), std::nullopt);
    QVERIFY(store.add(*point));
    QVERIFY(!store.add(*point));
    QCOMPARE(store.save(), std::nullopt);

    RunHistoryStore reloaded(path);
    QCOMPARE(reloaded.load(), std::nullopt);
    QCOMPARE(reloaded.points().size(), 1);
    QVERIFY(reloaded.points().at(0) == *point);

    record.state = RunState::Watching;
    QCOMPARE(historyPointOf(record, QStringLiteral("ctl1")).has_value(), false);
}

void tst_DashboardSettings::rejectsCorruptHistory()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run-history.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"not\": \"an array\"}");
    file.close();

    RunHistoryStore store(path);
    const std::optional<QString> error = store.load();
    QVERIFY(error.has_value());
    QVERIFY2(error->contains(path), qPrintable(*error));
    QVERIFY(store.points().isEmpty());
}

void tst_DashboardSettings::prunesHistoryOnSave()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run-history.json"));
    const QDateTime start(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC);
    RunHistoryStore store(path);
    // 60 runs of template "fc", added newest first, and 60 runs of build "e2e-solo" without one.
    for (int i = 59; i >= 0; --i) {
        RunHistoryPoint point;
        point.buildName = QStringLiteral("e2e-fc-%1").arg(i);
        point.controllerName = QStringLiteral("ctl1");
        point.templateName = QStringLiteral("fc");
        point.state = RunState::Completed;
        point.startedAt = start.addDays(i);
        QVERIFY(store.add(point));

        RunHistoryPoint solo = point;
        solo.buildName = QStringLiteral("e2e-solo");
        solo.templateName.clear();
        QVERIFY(store.add(solo));
    }
    QCOMPARE(store.save(), std::nullopt);

    RunHistoryStore reloaded(path);
    QCOMPARE(reloaded.load(), std::nullopt);
    const QList<RunHistoryPoint> points = reloaded.points();
    QCOMPARE(points.size(), 2 * RunHistoryStore::maxRunsPerGroup);
    int templateRuns = 0;
    for (const RunHistoryPoint &point : points) {
        // The ten oldest runs of each group are the ones dropped.
        QVERIFY2(point.startedAt >= start.addDays(10),
                 qPrintable(point.startedAt.toString(Qt::ISODate)));
        if (point.templateName == QLatin1String("fc"))
            ++templateRuns;
    }
    QCOMPARE(templateRuns, RunHistoryStore::maxRunsPerGroup);
}

void tst_DashboardSettings::namesSameFolderRootsApart_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("takenNames");
    QTest::addColumn<QString>("expected");
    QTest::newRow("free name") << "/mnt/ctl1/atvm-run-watcher"
                               << "" << QStringList{QStringLiteral("ctl2")} << "atvm-run-watcher";
    QTest::newRow("same folder name")
            << "/mnt/ctl2/atvm-run-watcher"
            << "" << QStringList{QStringLiteral("atvm-run-watcher")} << "ctl2/atvm-run-watcher";
    QTest::newRow("same folder and parent name")
            << "/b/mnt/atvm-run-watcher"
            << ""
            << QStringList{QStringLiteral("atvm-run-watcher"),
                           QStringLiteral("mnt/atvm-run-watcher")}
            << "b/mnt/atvm-run-watcher";
    QTest::newRow("same given name") << "/mnt/x"
                                     << "ctl1" << QStringList{QStringLiteral("ctl1")} << "ctl1 (2)";
}

void tst_DashboardSettings::namesSameFolderRootsApart()
{
    QFETCH(QString, path);
    QFETCH(QString, name);
    QFETCH(QStringList, takenNames);
    QFETCH(QString, expected);

    const StateRootConfig root{path, name, {}};
    QCOMPARE(distinctControllerName(root, takenNames), expected);
}

QTEST_GUILESS_MAIN(tst_DashboardSettings)
#include "tst_dashboardsettings.moc"
