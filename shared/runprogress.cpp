#include "shared/runprogress.h"

#include <QJsonArray>

QJsonObject RunProgress::toJson() const
{
    QJsonArray failureArray;
    for (const FailedTest &failure : failures) {
        failureArray.append(QJsonObject{
                {QStringLiteral("spec"), failure.spec},
                {QStringLiteral("title"), failure.title},
                {QStringLiteral("error"), failure.error},
        });
    }

    return QJsonObject{
            {QStringLiteral("specs_total"), specsTotal},
            {QStringLiteral("specs_done"), specsDone},
            {QStringLiteral("specs_failed"), specsFailed},
            {QStringLiteral("current_spec"), currentSpec},
            {QStringLiteral("tests"), tests},
            {QStringLiteral("passing"), passing},
            {QStringLiteral("failing"), failing},
            {QStringLiteral("pending"), pending},
            {QStringLiteral("skipped"), skipped},
            {QStringLiteral("failures"), failureArray},
    };
}

RunProgress RunProgress::fromJson(const QJsonObject &object)
{
    RunProgress progress;
    progress.specsTotal = object.value(QStringLiteral("specs_total")).toInt(-1);
    progress.specsDone = object.value(QStringLiteral("specs_done")).toInt();
    progress.specsFailed = object.value(QStringLiteral("specs_failed")).toInt();
    progress.currentSpec = object.value(QStringLiteral("current_spec")).toString();
    progress.tests = object.value(QStringLiteral("tests")).toInt();
    progress.passing = object.value(QStringLiteral("passing")).toInt();
    progress.failing = object.value(QStringLiteral("failing")).toInt();
    progress.pending = object.value(QStringLiteral("pending")).toInt();
    progress.skipped = object.value(QStringLiteral("skipped")).toInt();

    const QJsonArray failureArray = object.value(QStringLiteral("failures")).toArray();
    for (const QJsonValue &value : failureArray) {
        const QJsonObject failure = value.toObject();
        progress.failures.append(FailedTest{
                failure.value(QStringLiteral("spec")).toString(),
                failure.value(QStringLiteral("title")).toString(),
                failure.value(QStringLiteral("error")).toString(),
        });
    }
    return progress;
}

bool RunProgress::operator==(const RunProgress &other) const
{
    return specsTotal == other.specsTotal && specsDone == other.specsDone
            && specsFailed == other.specsFailed && currentSpec == other.currentSpec
            && tests == other.tests && passing == other.passing && failing == other.failing
            && pending == other.pending && skipped == other.skipped
            && failures == other.failures;
}
