#include "shared/runhistory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

#include <algorithm>

namespace {

bool isSameRun(const RunHistoryPoint &left, const RunHistoryPoint &right)
{
    return left.buildName == right.buildName && left.controllerName == right.controllerName
            && left.startedAt == right.startedAt;
}

QJsonObject pointToJson(const RunHistoryPoint &point)
{
    return QJsonObject{
            {QStringLiteral("build_name"), point.buildName},
            {QStringLiteral("controller"), point.controllerName},
            {QStringLiteral("template"), point.templateName},
            {QStringLiteral("state"), runStateName(point.state)},
            {QStringLiteral("started_at"), point.startedAt.toUTC().toString(Qt::ISODate)},
            {QStringLiteral("duration_seconds"), point.durationSeconds},
            {QStringLiteral("failing"), point.failing},
            {QStringLiteral("tests"), point.tests},
    };
}

RunHistoryPoint pointFromJson(const QJsonObject &object)
{
    RunHistoryPoint point;
    point.buildName = object.value(QStringLiteral("build_name")).toString();
    point.controllerName = object.value(QStringLiteral("controller")).toString();
    point.templateName = object.value(QStringLiteral("template")).toString();
    point.state = runStateFromName(object.value(QStringLiteral("state")).toString())
                          .value_or(RunState::Unknown);
    point.startedAt = QDateTime::fromString(object.value(QStringLiteral("started_at")).toString(),
                                            Qt::ISODate);
    point.durationSeconds = object.value(QStringLiteral("duration_seconds")).toInteger();
    point.failing = object.value(QStringLiteral("failing")).toInt();
    point.tests = object.value(QStringLiteral("tests")).toInt();
    return point;
}

} // namespace

bool RunHistoryPoint::operator==(const RunHistoryPoint &other) const
{
    return isSameRun(*this, other) && templateName == other.templateName && state == other.state
            && durationSeconds == other.durationSeconds && failing == other.failing
            && tests == other.tests;
}

std::optional<RunHistoryPoint> historyPointOf(const RunRecord &record,
                                              const QString &controllerName)
{
    if (!isTerminal(record.state) || !record.startedAt.isValid())
        return std::nullopt;
    RunHistoryPoint point;
    point.buildName = record.buildName;
    point.controllerName = controllerName;
    point.templateName = record.metadata.templateName;
    point.state = record.state;
    point.startedAt = record.startedAt;
    point.durationSeconds = runDurationSeconds(record, record.updatedAt);
    point.failing = record.progress.failing;
    point.tests = record.progress.tests;
    return point;
}

QList<RunHistoryPoint> relatedHistory(const RunRecord &current,
                                      const QList<RunHistoryPoint> &finishedRuns, int maxRuns)
{
    const QString templateName = current.metadata.templateName;
    QList<RunHistoryPoint> related;
    for (const RunHistoryPoint &point : finishedRuns) {
        const bool matches = templateName.isEmpty() ? point.buildName == current.buildName
                                                    : point.templateName == templateName;
        if (!matches || !isPosted(point.state))
            continue;
        const bool known = std::any_of(
                related.cbegin(), related.cend(),
                [&point](const RunHistoryPoint &other) { return isSameRun(point, other); });
        if (!known)
            related.append(point);
    }

    std::sort(related.begin(), related.end(),
              [](const RunHistoryPoint &left, const RunHistoryPoint &right) {
                  return left.startedAt < right.startedAt;
              });
    if (maxRuns >= 0 && related.size() > maxRuns)
        related = related.mid(related.size() - maxRuns);
    return related;
}

RunHistoryStore::RunHistoryStore(const QString &filePath) : m_filePath(filePath) { }

std::optional<QString> RunHistoryStore::load()
{
    m_points.clear();
    QFile file(m_filePath);
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        return QStringLiteral("Cannot read run history \"%1\": %2.")
                .arg(m_filePath, file.errorString());
    }

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isArray()) {
        return QStringLiteral("Run history \"%1\" is not a JSON array; move it aside to start "
                              "a new history.")
                .arg(m_filePath);
    }
    const QJsonArray array = document.array();
    for (const QJsonValue &value : array)
        m_points.append(pointFromJson(value.toObject()));
    return std::nullopt;
}

bool RunHistoryStore::add(const RunHistoryPoint &point)
{
    for (RunHistoryPoint &known : m_points) {
        if (isSameRun(known, point)) {
            if (known == point)
                return false;
            known = point;
            return true;
        }
    }
    m_points.append(point);
    return true;
}

void RunHistoryStore::prune()
{
    // The same grouping as relatedHistory(): by template, else by build name.
    QHash<QString, QList<qsizetype>> groups;
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        const RunHistoryPoint &point = m_points.at(i);
        const QString key = point.templateName.isEmpty()
                ? QStringLiteral("build:") + point.buildName
                : QStringLiteral("template:") + point.templateName;
        groups[key].append(i);
    }

    QSet<qsizetype> dropped;
    for (QList<qsizetype> &indexes : groups) {
        if (indexes.size() <= maxRunsPerGroup)
            continue;
        std::sort(indexes.begin(), indexes.end(), [this](qsizetype left, qsizetype right) {
            return m_points.at(left).startedAt < m_points.at(right).startedAt;
        });
        for (qsizetype i = 0; i < indexes.size() - maxRunsPerGroup; ++i)
            dropped.insert(indexes.at(i));
    }
    if (dropped.isEmpty())
        return;

    QList<RunHistoryPoint> kept;
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        if (!dropped.contains(i))
            kept.append(m_points.at(i));
    }
    m_points = kept;
}

std::optional<QString> RunHistoryStore::save()
{
    prune();
    QDir().mkpath(QFileInfo(m_filePath).path());
    QJsonArray array;
    for (const RunHistoryPoint &point : m_points)
        array.append(pointToJson(point));

    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        return QStringLiteral("Cannot write run history \"%1\": %2.")
                .arg(m_filePath, file.errorString());
    }
    file.write(QJsonDocument(array).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        return QStringLiteral("Cannot write run history \"%1\": %2.")
                .arg(m_filePath, file.errorString());
    }
    return std::nullopt;
}
