#include "sampleroot.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

QDateTime sampleNow()
{
    return QDateTime(QDate(2026, 12, 4), QTime(15, 0), Qt::UTC);
}

bool copySampleRoot(const QString &target)
{
    const QString source = QStringLiteral(ATVM_TEST_DATA_DIR "/dashboard/sample-root");
    QDirIterator it(source, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = QDir(source).relativeFilePath(path);
        const QString destination = QDir(target).filePath(relative);
        QDir().mkpath(QFileInfo(destination).path());
        if (!QFile::copy(path, destination))
            return false;
    }
    return true;
}

QByteArray stateJson(const QString &buildName, const QString &state, const QDateTime &updatedAt)
{
    const QString updated = updatedAt.toUTC().toString(Qt::ISODate);
    const QJsonObject object{
            {QStringLiteral("format_version"), 1},
            {QStringLiteral("build_name"), buildName},
            {QStringLiteral("state"), state},
            {QStringLiteral("reason"), QStringLiteral("Reason for %1.").arg(state)},
            {QStringLiteral("posted"), false},
            {QStringLiteral("started_at"), updatedAt.addSecs(-3600).toUTC().toString(Qt::ISODate)},
            {QStringLiteral("updated_at"), updated},
            {QStringLiteral("watcher_pid"), 4242},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("template"), QStringLiteral("cmc-e2e-fc")}}},
            {QStringLiteral("progress"),
             QJsonObject{{QStringLiteral("specs_total"), 10},
                         {QStringLiteral("specs_done"), 4},
                         {QStringLiteral("passing"), 40},
                         {QStringLiteral("failing"), 1}}},
    };
    return QJsonDocument(object).toJson();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(bytes) == bytes.size();
}
