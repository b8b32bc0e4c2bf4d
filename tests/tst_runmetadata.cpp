#include "shared/runmetadata.h"

#include <QProcessEnvironment>
#include <QTest>

class TestRunMetadata : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromEnvironment();
    void missingVariablesEmpty();
    void jsonRoundTrip();
};

void TestRunMetadata::fromEnvironment()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("ATVM_WATCHER_TEMPLATE"), QStringLiteral("cdc-nightly"));
    env.insert(QStringLiteral("ATVM_WATCHER_CONFIG_FAMILY"), QStringLiteral(" dual-site\n"));
    env.insert(QStringLiteral("ATVM_WATCHER_MIGRATION_STYLE"), QStringLiteral("live"));
    env.insert(QStringLiteral("ATVM_WATCHER_INTEGRATION_PLUGIN"), QStringLiteral("vsphere"));
    env.insert(QStringLiteral("ATVM_WATCHER_SCOPE_DESCRIPTION"),
               QStringLiteral("Full regression, FC only"));
    env.insert(QStringLiteral("ATVM_WATCHER_UNRELATED"), QStringLiteral("ignored"));

    const RunMetadata metadata = RunMetadata::fromEnvironment(env);
    QCOMPARE(metadata.templateName, QStringLiteral("cdc-nightly"));
    QCOMPARE(metadata.configFamily, QStringLiteral("dual-site"));
    QCOMPARE(metadata.migrationStyle, QStringLiteral("live"));
    QCOMPARE(metadata.integrationPlugin, QStringLiteral("vsphere"));
    QCOMPARE(metadata.scopeDescription, QStringLiteral("Full regression, FC only"));
}

void TestRunMetadata::missingVariablesEmpty()
{
    const RunMetadata metadata = RunMetadata::fromEnvironment(QProcessEnvironment());
    QVERIFY(metadata.templateName.isEmpty());
    QVERIFY(metadata.configFamily.isEmpty());
    QVERIFY(metadata.migrationStyle.isEmpty());
    QVERIFY(metadata.integrationPlugin.isEmpty());
    QVERIFY(metadata.scopeDescription.isEmpty());
}

void TestRunMetadata::jsonRoundTrip()
{
    RunMetadata metadata;
    metadata.templateName = QStringLiteral("cdc-nightly");
    metadata.configFamily = QStringLiteral("dual-site");
    metadata.migrationStyle = QStringLiteral("cold");
    metadata.integrationPlugin = QStringLiteral("hyper-v");
    metadata.scopeDescription = QStringLiteral("Smoke");

    const QJsonObject object = metadata.toJson();
    QCOMPARE(object.value(QStringLiteral("template")).toString(), QStringLiteral("cdc-nightly"));
    QCOMPARE(object.value(QStringLiteral("config_family")).toString(), QStringLiteral("dual-site"));
    QCOMPARE(object.value(QStringLiteral("migration_style")).toString(), QStringLiteral("cold"));
    QCOMPARE(object.value(QStringLiteral("integration_plugin")).toString(),
             QStringLiteral("hyper-v"));
    QCOMPARE(object.value(QStringLiteral("scope_description")).toString(), QStringLiteral("Smoke"));
    QCOMPARE(RunMetadata::fromJson(object), metadata);
}

QTEST_GUILESS_MAIN(TestRunMetadata)
#include "tst_runmetadata.moc"
