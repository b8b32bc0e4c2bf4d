#include "shared/cypresslogsummary.h"

#include <QJsonArray>

QJsonObject CypressLogSummary::toJson() const
{
    return QJsonObject{
            {QStringLiteral("run_started"), runStarted},
            {QStringLiteral("run_finished"), runFinished},
            {QStringLiteral("all_specs_passed"), allSpecsPassed},
            {QStringLiteral("canceled"), canceled},
            {QStringLiteral("no_specs_found"), noSpecsFound},
            {QStringLiteral("fatal_error"), fatalError},
            {QStringLiteral("crash_detected"), crashDetected},
            {QStringLiteral("cypress_version"), cypressVersion},
            {QStringLiteral("footer_duration"), footerDuration},
            {QStringLiteral("specs_without_results"),
             QJsonArray::fromStringList(specsWithoutResults)},
            {QStringLiteral("progress"), progress.toJson()},
    };
}

CypressLogSummary CypressLogSummary::fromJson(const QJsonObject &object)
{
    CypressLogSummary summary;
    summary.runStarted = object.value(QStringLiteral("run_started")).toBool();
    summary.runFinished = object.value(QStringLiteral("run_finished")).toBool();
    summary.allSpecsPassed = object.value(QStringLiteral("all_specs_passed")).toBool();
    summary.canceled = object.value(QStringLiteral("canceled")).toBool();
    summary.noSpecsFound = object.value(QStringLiteral("no_specs_found")).toBool();
    summary.fatalError = object.value(QStringLiteral("fatal_error")).toString();
    summary.crashDetected = object.value(QStringLiteral("crash_detected")).toBool();
    summary.cypressVersion = object.value(QStringLiteral("cypress_version")).toString();
    summary.footerDuration = object.value(QStringLiteral("footer_duration")).toString();

    const QJsonArray specs = object.value(QStringLiteral("specs_without_results")).toArray();
    for (const QJsonValue &spec : specs)
        summary.specsWithoutResults.append(spec.toString());

    summary.progress = RunProgress::fromJson(object.value(QStringLiteral("progress")).toObject());
    return summary;
}

bool CypressLogSummary::operator==(const CypressLogSummary &other) const
{
    return runStarted == other.runStarted && runFinished == other.runFinished
            && allSpecsPassed == other.allSpecsPassed && canceled == other.canceled
            && noSpecsFound == other.noSpecsFound && fatalError == other.fatalError
            && crashDetected == other.crashDetected && cypressVersion == other.cypressVersion
            && footerDuration == other.footerDuration
            && specsWithoutResults == other.specsWithoutResults && progress == other.progress;
}
