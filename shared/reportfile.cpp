#include "shared/reportfile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>

namespace {

// An estimate: a report of one spec stays far below this, so the limit only stops
// stray large files.
constexpr qint64 s_maxReportBytes = 64 * 1024 * 1024;

QString firstLine(const QString &text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            return trimmed;
    }
    return QString();
}

QString normalisedSpecPath(const QString &path)
{
    QString spec = path.trimmed();
    spec.replace(QLatin1Char('\\'), QLatin1Char('/'));
    return spec;
}

// ---- mochawesome ------------------------------------------------------------

struct SuiteCounts
{
    int passing = 0;
    int failing = 0;
    int pending = 0;
    int skipped = 0;
};

QString mochawesomeError(const QJsonObject &test)
{
    const QJsonObject err = test.value(QStringLiteral("err")).toObject();
    for (const char *key : {"message", "estack", "_message", "stack"}) {
        const QString line = firstLine(err.value(QLatin1String(key)).toString());
        if (!line.isEmpty())
            return line;
    }
    return QString();
}

bool isFailed(const QJsonObject &runnable)
{
    return runnable.value(QStringLiteral("state")).toString() == QLatin1String("failed")
            || runnable.value(QStringLiteral("fail")).toBool();
}

QString fullTitle(const QJsonObject &runnable)
{
    const QString title = runnable.value(QStringLiteral("fullTitle")).toString();
    return title.isEmpty() ? runnable.value(QStringLiteral("title")).toString() : title;
}

void countMochawesomeSuite(const QJsonObject &suite, const QString &spec, SuiteCounts &counts,
                           QList<FailedTest> &failures)
{
    SuiteCounts own;
    QStringList failedTestErrors;

    const QJsonArray tests = suite.value(QStringLiteral("tests")).toArray();
    for (const QJsonValue &value : tests) {
        const QJsonObject test = value.toObject();
        const QString state = test.value(QStringLiteral("state")).toString();
        if (state == QLatin1String("passed") || test.value(QStringLiteral("pass")).toBool()) {
            ++own.passing;
        } else if (isFailed(test)) {
            ++own.failing;
            const QString error = mochawesomeError(test);
            failedTestErrors.append(error);
            failures.append(FailedTest{spec, fullTitle(test), error});
        } else if (test.value(QStringLiteral("pending")).toBool()) {
            ++own.pending;
        } else {
            // "skipped": true, or a test that never ran for another reason.
            ++own.skipped;
        }
    }

    const QJsonArray children = suite.value(QStringLiteral("suites")).toArray();
    for (const QJsonValue &child : children)
        countMochawesomeSuite(child.toObject(), spec, own, failures);

    for (const char *hookList : {"beforeHooks", "afterHooks"}) {
        const QJsonArray hooks = suite.value(QLatin1String(hookList)).toArray();
        for (const QJsonValue &value : hooks) {
            const QJsonObject hook = value.toObject();
            if (!isFailed(hook))
                continue;

            // Cypress may also record the hook's error on the test it ran for.
            const QString error = mochawesomeError(hook);
            if (!error.isEmpty() && failedTestErrors.contains(error))
                continue;

            if (own.skipped > 0)
                --own.skipped;
            ++own.failing;
            failures.append(FailedTest{spec, fullTitle(hook), error});
        }
    }

    counts.passing += own.passing;
    counts.failing += own.failing;
    counts.pending += own.pending;
    counts.skipped += own.skipped;
}

QString mochawesomeSpec(const QJsonObject &suite)
{
    for (const char *key : {"file", "fullFile"}) {
        const QString spec = normalisedSpecPath(suite.value(QLatin1String(key)).toString());
        if (!spec.isEmpty())
            return spec;
    }
    const QJsonArray children = suite.value(QStringLiteral("suites")).toArray();
    for (const QJsonValue &child : children) {
        const QString spec = mochawesomeSpec(child.toObject());
        if (!spec.isEmpty())
            return spec;
    }
    return QString();
}

// ---- JUnit ------------------------------------------------------------------

struct JUnitState
{
    ReportFile report;
    qsizetype current = -1; // index into report.specs, -1 before the first spec
};

ReportFileSpec &currentJUnitSpec(JUnitState &state, const QString &path)
{
    if (state.current < 0) {
        ReportFileSpec spec;
        spec.totals.sourceFile = path;
        state.report.specs.append(spec);
        state.current = state.report.specs.size() - 1;
    }
    return state.report.specs[state.current];
}

void readJUnitTestCase(QXmlStreamReader &xml, ReportFileSpec &spec)
{
    const QString title = xml.attributes().value(QStringLiteral("name")).toString();
    bool failed = false;
    bool skipped = false;
    QString error;

    while (xml.readNextStartElement()) {
        const auto name = xml.name();
        if (name == QLatin1String("failure") || name == QLatin1String("error")) {
            if (!failed) {
                error = firstLine(xml.attributes().value(QStringLiteral("message")).toString());
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (error.isEmpty())
                    error = firstLine(text);
            } else {
                xml.skipCurrentElement();
            }
            failed = true;
        } else if (name == QLatin1String("skipped")) {
            skipped = true;
            xml.skipCurrentElement();
        } else {
            xml.skipCurrentElement();
        }
    }

    if (failed) {
        ++spec.totals.failing;
        spec.failures.append(FailedTest{spec.totals.spec, title, error});
    } else if (skipped) {
        ++spec.totals.pending;
    } else {
        ++spec.totals.passing;
    }
}

void readJUnitSuite(QXmlStreamReader &xml, JUnitState &state, const QString &path)
{
    const QString file = xml.attributes().value(QStringLiteral("file")).toString();
    if (!file.isEmpty()) {
        ReportFileSpec spec;
        spec.totals.spec = normalisedSpecPath(file);
        spec.totals.sourceFile = path;
        state.report.specs.append(spec);
        state.current = state.report.specs.size() - 1;
    }

    while (xml.readNextStartElement()) {
        if (xml.name() == QLatin1String("testcase"))
            readJUnitTestCase(xml, currentJUnitSpec(state, path));
        else if (xml.name() == QLatin1String("testsuite"))
            readJUnitSuite(xml, state, path);
        else
            xml.skipCurrentElement();
    }
}

void finishTotals(ReportSpec &totals)
{
    totals.tests = totals.passing + totals.failing + totals.pending + totals.skipped;
    totals.failed = totals.failing > 0;
}

} // namespace

ReportFile parseMochawesome(const QString &path, const QByteArray &data)
{
    ReportFile report;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        report.problem = QStringLiteral("%1: invalid JSON at offset %2 (%3); the file may still "
                                        "be being written")
                                 .arg(path)
                                 .arg(parseError.offset)
                                 .arg(parseError.errorString());
        return report;
    }

    const QJsonObject root = document.object();
    if (!root.contains(QStringLiteral("stats")) || !root.contains(QStringLiteral("results")))
        return report;

    report.kind = ReportKind::Mochawesome;
    const QJsonValue results = root.value(QStringLiteral("results"));
    if (!results.isArray()) {
        report.problem = QStringLiteral("%1: mochawesome report whose \"results\" is not an array")
                                 .arg(path);
        return report;
    }

    const QJsonArray resultArray = results.toArray();
    for (const QJsonValue &value : resultArray) {
        const QJsonObject suite = value.toObject();

        ReportFileSpec spec;
        spec.totals.spec = mochawesomeSpec(suite);
        spec.totals.sourceFile = path;

        SuiteCounts counts;
        countMochawesomeSuite(suite, spec.totals.spec, counts, spec.failures);
        spec.totals.passing = counts.passing;
        spec.totals.failing = counts.failing;
        spec.totals.pending = counts.pending;
        spec.totals.skipped = counts.skipped;
        finishTotals(spec.totals);
        report.specs.append(spec);
    }
    return report;
}

ReportFile parseJUnit(const QString &path, const QByteArray &data)
{
    JUnitState state;
    QXmlStreamReader xml(data);

    if (xml.readNextStartElement()) {
        const auto rootName = xml.name();
        if (rootName == QLatin1String("testsuites")) {
            state.report.kind = ReportKind::JUnit;
            while (xml.readNextStartElement()) {
                if (xml.name() == QLatin1String("testsuite"))
                    readJUnitSuite(xml, state, path);
                else
                    xml.skipCurrentElement();
            }
        } else if (rootName == QLatin1String("testsuite")) {
            state.report.kind = ReportKind::JUnit;
            readJUnitSuite(xml, state, path);
        } else {
            return ReportFile{};
        }
    }

    // Reading on to the end catches a file cut off after the root element.
    while (!xml.atEnd() && !xml.hasError())
        xml.readNext();

    if (xml.hasError()) {
        ReportFile report;
        report.kind = state.report.kind;
        report.problem = QStringLiteral("%1: invalid XML at line %2, column %3 (%4); the file may "
                                        "still be being written")
                                 .arg(path)
                                 .arg(xml.lineNumber())
                                 .arg(xml.columnNumber())
                                 .arg(xml.errorString());
        return report;
    }

    for (ReportFileSpec &spec : state.report.specs)
        finishTotals(spec.totals);
    return state.report;
}

ReportFile readReportFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ReportFile report;
        report.problem = QStringLiteral("%1: cannot be opened (%2)").arg(path, file.errorString());
        return report;
    }
    if (file.size() > s_maxReportBytes) {
        ReportFile report;
        report.problem =
                QStringLiteral("%1: %2 bytes is more than the maximum of %3 for one report")
                        .arg(path)
                        .arg(file.size())
                        .arg(s_maxReportBytes);
        return report;
    }

    const QByteArray data = file.readAll();
    if (data.trimmed().isEmpty()) {
        ReportFile report;
        report.problem =
                QStringLiteral("%1: the file is empty; it may still be being written").arg(path);
        return report;
    }

    if (path.endsWith(QLatin1String(".xml"), Qt::CaseInsensitive))
        return parseJUnit(path, data);
    return parseMochawesome(path, data);
}
