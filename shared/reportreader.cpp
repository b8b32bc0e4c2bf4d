#include "shared/reportreader.h"

#include "shared/logging.h"

#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>

namespace {

struct Candidate
{
    const ReportFileSpec *spec = nullptr;
    ReportKind kind = ReportKind::NotAReport;
    QDateTime modified;
};

bool sameSpec(const QString &a, const QString &b)
{
    if (a.isEmpty() || b.isEmpty())
        return false;
    if (a == b)
        return true;
    if (a.size() > b.size())
        return a.endsWith(QLatin1Char('/') + b);
    return b.endsWith(QLatin1Char('/') + a);
}

// Returns true when candidate should replace current as the report of a spec.
bool isPreferred(const Candidate &candidate, const Candidate &current)
{
    if (candidate.kind != current.kind)
        return candidate.kind == ReportKind::Mochawesome;
    return candidate.modified > current.modified;
}

} // namespace

ReportReader::ReportReader(const QString &reportDir) : m_reportDir(reportDir) { }

ReportSummary ReportReader::scan()
{
    ReportSummary summary;
    QHash<QString, CachedFile> seen;

    QDirIterator it(m_reportDir, {QStringLiteral("*.json"), QStringLiteral("*.xml")},
                    QDir::Files | QDir::Readable | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();

        CachedFile cached = m_files.value(path);
        if (cached.size != info.size() || cached.modified != info.lastModified()) {
            cached.size = info.size();
            cached.modified = info.lastModified();
            cached.content = readReportFile(path);
            ++m_parsedFileCount;
            if (!cached.content.problem.isEmpty())
                qCWarning(lcReport).noquote() << "Failed to read report" << cached.content.problem;
            else if (cached.content.kind != ReportKind::NotAReport)
                qCDebug(lcReport) << "Read report" << path;
        }
        seen.insert(path, cached);
    }
    m_files = seen;

    // Choose one report per spec.
    QList<Candidate> chosen;
    for (auto file = m_files.cbegin(); file != m_files.cend(); ++file) {
        const CachedFile &cached = file.value();

        if (!cached.content.problem.isEmpty()) {
            ++summary.unreadableFiles;
            summary.problems.append(cached.content.problem);
        } else if (cached.content.kind == ReportKind::NotAReport) {
            continue;
        } else {
            ++summary.files;
        }
        if (!summary.lastChange.isValid() || cached.modified > summary.lastChange)
            summary.lastChange = cached.modified;

        for (const ReportFileSpec &spec : cached.content.specs) {
            const Candidate candidate{&spec, cached.content.kind, cached.modified};
            const auto match = std::find_if(chosen.begin(), chosen.end(), [&](const Candidate &c) {
                return sameSpec(c.spec->totals.spec, spec.totals.spec);
            });
            if (match == chosen.end())
                chosen.append(candidate);
            else if (isPreferred(candidate, *match))
                *match = candidate;
        }
    }

    std::sort(chosen.begin(), chosen.end(), [](const Candidate &a, const Candidate &b) {
        if (a.modified != b.modified)
            return a.modified < b.modified;
        if (a.spec->totals.spec != b.spec->totals.spec)
            return a.spec->totals.spec < b.spec->totals.spec;
        return a.spec->totals.sourceFile < b.spec->totals.sourceFile;
    });
    summary.problems.sort();

    for (const Candidate &candidate : std::as_const(chosen)) {
        const ReportSpec &totals = candidate.spec->totals;
        summary.specs.append(totals);
        summary.tests += totals.tests;
        summary.passing += totals.passing;
        summary.failing += totals.failing;
        summary.pending += totals.pending;
        summary.skipped += totals.skipped;
        summary.failures.append(candidate.spec->failures);
    }
    return summary;
}
