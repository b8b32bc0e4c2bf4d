#include "shared/runmetadata.h"

#include <QProcessEnvironment>

RunMetadata RunMetadata::fromEnvironment(const QProcessEnvironment &env)
{
    const auto read = [&env](const char *name) {
        return env.value(QString::fromLatin1(name)).trimmed();
    };

    RunMetadata metadata;
    metadata.templateName = read("ATVM_WATCHER_TEMPLATE");
    metadata.configFamily = read("ATVM_WATCHER_CONFIG_FAMILY");
    metadata.migrationStyle = read("ATVM_WATCHER_MIGRATION_STYLE");
    metadata.integrationPlugin = read("ATVM_WATCHER_INTEGRATION_PLUGIN");
    metadata.scopeDescription = read("ATVM_WATCHER_SCOPE_DESCRIPTION");
    return metadata;
}

QJsonObject RunMetadata::toJson() const
{
    return QJsonObject{
            {QStringLiteral("template"), templateName},
            {QStringLiteral("config_family"), configFamily},
            {QStringLiteral("migration_style"), migrationStyle},
            {QStringLiteral("integration_plugin"), integrationPlugin},
            {QStringLiteral("scope_description"), scopeDescription},
    };
}

RunMetadata RunMetadata::fromJson(const QJsonObject &object)
{
    RunMetadata metadata;
    metadata.templateName = object.value(QStringLiteral("template")).toString();
    metadata.configFamily = object.value(QStringLiteral("config_family")).toString();
    metadata.migrationStyle = object.value(QStringLiteral("migration_style")).toString();
    metadata.integrationPlugin = object.value(QStringLiteral("integration_plugin")).toString();
    metadata.scopeDescription = object.value(QStringLiteral("scope_description")).toString();
    return metadata;
}

bool RunMetadata::operator==(const RunMetadata &other) const
{
    return templateName == other.templateName && configFamily == other.configFamily
            && migrationStyle == other.migrationStyle
            && integrationPlugin == other.integrationPlugin
            && scopeDescription == other.scopeDescription;
}
