#pragma once

#include <QJsonObject>
#include <QString>

class QProcessEnvironment;

/*!
    \brief Descriptive metadata of one run, shown in the status message.

    The launcher passes it through the ATVM_WATCHER_* environment variables
    (kept in the run's run.env). Every field may be empty.
*/
struct RunMetadata
{
    QString templateName;
    QString configFamily;
    QString migrationStyle;
    QString integrationPlugin;
    QString scopeDescription;

    /*!
        Reads ATVM_WATCHER_TEMPLATE, ATVM_WATCHER_CONFIG_FAMILY,
        ATVM_WATCHER_MIGRATION_STYLE, ATVM_WATCHER_INTEGRATION_PLUGIN and
        ATVM_WATCHER_SCOPE_DESCRIPTION; surrounding whitespace is removed.
    */
    static RunMetadata fromEnvironment(const QProcessEnvironment &env);

    /*! Returns the "metadata" object of state.json (docs/state-format.md). */
    QJsonObject toJson() const;
    static RunMetadata fromJson(const QJsonObject &object);

    bool operator==(const RunMetadata &other) const;
};
