#include "shared/cypresslogparser.h"

#include <QJsonArray>
#include <QRegularExpression>

#include "shared/logfollower.h"
#include "shared/logging.h"

namespace {

constexpr int stateFormatVersion = 1;
constexpr int allResultRows = 0b11111;

// Symbols of the (Run Finished) table and footer: ✔ ✖ on Linux and macOS,
// √ × on Windows, - for a canceled spec or run.
#define ATVM_SUMMARY_SYMBOL "([\\x{2714}\\x{2716}\\x{221A}\\x{00D7}-])"
#define ATVM_SUMMARY_COUNTS "\\s+(\\d+|-)\\s+(\\d+|-)\\s+(\\d+|-)\\s+(\\d+|-)\\s+(\\d+|-)"
#define ATVM_SUMMARY_DURATION "(\\d+:\\d{2}(?::\\d{2})?|\\d+ms)"

struct LinePatterns
{
    // docker compose prefixes every line with the service name and " | ".
    QRegularExpression dockerPrefix{QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*\\s+\\|(?: |$)")};
    // Colour codes whose ESC byte a CI log viewer or a copy and paste removed.
    QRegularExpression textColourCode{
            QStringLiteral("\\[(?:\\d{1,3}(?:;\\d{1,3})*)?[mGKJ]|\\[\\?\\d+[hl]")};

    QRegularExpression runStarting{QStringLiteral("^\\s*\\(Run Starting\\)$")};
    QRegularExpression runFinished{QStringLiteral("^\\s*\\(Run Finished\\)$")};
    QRegularExpression results{QStringLiteral("^\\s*\\(Results\\)$")};
    QRegularExpression running{QStringLiteral("^\\s*Running:\\s+(.+?)\\s+\\((\\d+) of (\\d+)\\)$")};
    // A spec name too long for its line continues after 12 spaces.
    QRegularExpression specNameContinuation{QStringLiteral("^ {12}(\\S.*)$")};

    QRegularExpression headerRow{
            QStringLiteral("^\\s*\\x{2502}\\s*(Cypress|Specs):\\s+(.*?)\\s*\\x{2502}?$")};
    QRegularExpression specsFound{QStringLiteral("^(\\d+) found\\b")};
    QRegularExpression boxBottom{QStringLiteral("^\\s*\\x{2514}")};
    QRegularExpression resultRow{QStringLiteral(
            "^\\s*\\x{2502}\\s*(Tests|Passing|Failing|Pending|Skipped):\\s+(\\d+)\\s*\\x{2502}?$")};
    QRegularExpression specRanRow{
            QStringLiteral("^\\s*\\x{2502}\\s*Spec Ran:\\s+(.*?)\\s*\\x{2502}?$")};

    QRegularExpression failingCount{QStringLiteral("^\\s+(\\d+) failing$")};
    // mocha's failure list: "  1) suite" at exactly two spaces.
    QRegularExpression failureHeader{QStringLiteral("^  (\\d+)\\) (.*)$")};

    QRegularExpression summaryRow{QStringLiteral(
            "^\\s*\\x{2502}\\s*" ATVM_SUMMARY_SYMBOL "\\s+(.+?)\\s+(" ATVM_SUMMARY_DURATION
            "|SKIPPED)" ATVM_SUMMARY_COUNTS "\\s*\\x{2502}?$")};
    QRegularExpression footer{QStringLiteral(
            "^\\s*" ATVM_SUMMARY_SYMBOL
            "\\s+(All specs passed!|(\\d+) of (\\d+) failed \\(\\d+%\\)|The run was canceled)"
            "\\s+" ATVM_SUMMARY_DURATION ATVM_SUMMARY_COUNTS "$")};

    QRegularExpression processCrashed{
            QStringLiteral("^We detected that the (.+?) process just crashed")};
    QRegularExpression processClosed{
            QStringLiteral("^We detected that the (.+?) process closed unexpectedly")};
};

#undef ATVM_SUMMARY_SYMBOL
#undef ATVM_SUMMARY_COUNTS
#undef ATVM_SUMMARY_DURATION

const LinePatterns &patterns()
{
    static const LinePatterns instance;
    return instance;
}

// Runner errors after which `cypress run` exits without a (Run Finished) table.
// The texts are from Cypress's packages/errors/src/errors.ts.
const QStringList &fatalErrorPrefixes()
{
    static const QStringList prefixes{
            QStringLiteral("Cypress failed to verify that your server is running."),
            QStringLiteral("Could not find a Cypress configuration file"),
            QStringLiteral("Your configFile is invalid:"),
            QStringLiteral("We stopped running your tests because your config file crashed."),
            QStringLiteral("The browser never connected. Something is wrong."),
            QStringLiteral("The automation client disconnected. Cannot continue running tests."),
            QStringLiteral("Can't run because you've entered an invalid browser name."),
    };
    return prefixes;
}

const QString noSpecsText = QStringLiteral("Can't run because no spec files were found.");
const QString searchedForText = QStringLiteral(" Searched for: ");

int countValue(const QString &field)
{
    return field == QLatin1String("-") ? 0 : field.toInt();
}

int leadingSpaces(const QString &line)
{
    int count = 0;
    while (count < line.size() && line.at(count) == QLatin1Char(' '))
        ++count;
    return count;
}

bool isFailedSymbol(const QString &symbol)
{
    return symbol == QStringLiteral("\u2716") || symbol == QStringLiteral("\u00D7");
}

} // namespace

void CypressLogParser::addLine(const QString &line)
{
    if (m_finished) {
        qCDebug(lcRunLog) << "Ignoring a run log line that arrived after the end of input.";
        return;
    }

    const QString text = normalizeLine(line);

    if (m_specNameWraps) {
        m_specNameWraps = false;
        const QRegularExpressionMatch match = patterns().specNameContinuation.match(text);
        if (match.hasMatch() && !match.capturedView(1).startsWith(QLatin1String("Estimated:"))) {
            m_specName += match.captured(1);
            m_summary.progress.currentSpec = m_specName;
            m_specNameWraps = true;
            return;
        }
    }

    if (handleStructuralLine(text))
        return;
    if (m_block != Block::None && handleBlockLine(text))
        return;
    handleFreeLine(text);
}

void CypressLogParser::finish()
{
    if (m_finished)
        return;

    if (m_cloudErrorPending && m_summary.fatalError.isEmpty()) {
        m_summary.fatalError =
                QStringLiteral("We encountered an unexpected error communicating with our servers")
                + (m_cloudErrorDetail.isEmpty() ? QStringLiteral(".")
                                                : QStringLiteral(": ") + m_cloudErrorDetail);
    }
    m_cloudErrorPending = false;

    endBlock();
    closeSpecWithoutResults();
    m_specNameWraps = false;
    m_finished = true;
}

QString CypressLogParser::normalizeLine(const QString &line)
{
    QString text = LogFollower::stripEscapeSequences(line);
    if (text.contains(QLatin1Char('[')))
        text.remove(patterns().textColourCode);

    while (!text.isEmpty() && text.back().isSpace())
        text.chop(1);

    const QRegularExpressionMatch prefix = patterns().dockerPrefix.match(text);
    if (prefix.hasMatch())
        text.remove(0, prefix.capturedLength());
    return text;
}

bool CypressLogParser::handleStructuralLine(const QString &line)
{
    const LinePatterns &p = patterns();

    if (p.runStarting.match(line).hasMatch()) {
        endBlock();
        startRun();
        return true;
    }

    const QRegularExpressionMatch running = p.running.match(line);
    if (running.hasMatch()) {
        endBlock();
        startSpec(running.captured(1), running.captured(3).toInt());
        return true;
    }

    if (p.results.match(line).hasMatch()) {
        endBlock();
        m_block = Block::ResultsBox;
        m_resultCounts.fill(0);
        m_resultRowsSeen = 0;
        m_resultSpecRan.clear();
        return true;
    }

    if (p.runFinished.match(line).hasMatch()) {
        endBlock();
        closeSpecWithoutResults();
        m_block = Block::SummaryTable;
        m_tableRows = 0;
        m_tableFailedRows = 0;
        return true;
    }
    return false;
}

bool CypressLogParser::handleBlockLine(const QString &line)
{
    switch (m_block) {
    case Block::None:
        return false;
    case Block::RunHeader:
        handleHeaderLine(line);
        return true;
    case Block::LoadError:
        handleLoadErrorLine(line);
        return true;
    case Block::FailureList:
        handleFailureListLine(line);
        return true;
    case Block::ResultsBox:
        handleResultsLine(line);
        return true;
    case Block::SummaryTable:
        handleSummaryLine(line);
        return true;
    case Block::NoSpecsGlob:
        return handleNoSpecsLine(line);
    case Block::CloudError:
        handleCloudErrorLine(line);
        return true;
    }
    return false;
}

void CypressLogParser::handleFreeLine(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return;

    if (m_specOpen && patterns().failingCount.match(line).hasMatch()) {
        m_block = Block::FailureList;
        m_nextFailureNumber = 1;
        m_failureOpen = false;
        return;
    }

    if (trimmed.startsWith(QLatin1String("Oops...we found an error preparing this test file"))) {
        m_block = Block::LoadError;
        m_loadErrorStage = 0;
        return;
    }

    if (trimmed
        == QLatin1String(
                "This spec and its tests were skipped because the run has been canceled.")) {
        skipCanceledSpec();
        return;
    }

    if (trimmed.startsWith(
                QLatin1String("Exiting with non-zero exit code because the run was canceled"))) {
        m_summary.canceled = true;
        return;
    }

    if (trimmed.startsWith(noSpecsText)) {
        m_summary.noSpecsFound = true;
        if (m_summary.fatalError.isEmpty())
            m_summary.fatalError = noSpecsText;
        if (m_summary.progress.specsTotal < 0)
            m_summary.progress.specsTotal = qMax(m_runBase.specsTotal, 0);
        m_block = Block::NoSpecsGlob;
        return;
    }

    if (trimmed.startsWith(QLatin1String(
                "We encountered an unexpected error communicating with our servers"))) {
        m_cloudErrorPending = true;
        m_cloudErrorDetail.clear();
        m_block = Block::CloudError;
        return;
    }

    handleBrowserLine(trimmed);
}

void CypressLogParser::handleBrowserLine(const QString &trimmed)
{
    const QRegularExpressionMatch crashed = patterns().processCrashed.match(trimmed);
    if (crashed.hasMatch()) {
        m_summary.crashDetected = true;
        addFailure(QStringLiteral("%1 process crashed").arg(crashed.captured(1)), trimmed);
        return;
    }

    const QRegularExpressionMatch closed = patterns().processClosed.match(trimmed);
    if (closed.hasMatch()) {
        m_summary.crashDetected = true;
        m_browserClosedLine = trimmed;
        addFailure(QStringLiteral("%1 process closed unexpectedly").arg(closed.captured(1)),
                   trimmed);
        return;
    }

    if (trimmed.startsWith(QLatin1String("We have failed the current spec and aborted the run"))) {
        if (m_summary.fatalError.isEmpty()) {
            m_summary.fatalError = m_browserClosedLine.isEmpty()
                    ? trimmed
                    : m_browserClosedLine + QLatin1Char(' ') + trimmed;
        }
        return;
    }

    for (const QString &prefix : fatalErrorPrefixes()) {
        if (trimmed.startsWith(prefix)) {
            if (m_summary.fatalError.isEmpty())
                m_summary.fatalError = trimmed;
            return;
        }
    }
}

void CypressLogParser::startRun()
{
    if (m_summary.runStarted) {
        qCInfo(lcRunLog) << "Another cypress run starts in the same log; its counts are added "
                            "to the earlier run's.";
        closeSpecWithoutResults();
        m_earlierRunFailed = m_earlierRunFailed || !m_summary.allSpecsPassed;
    }

    m_summary.runStarted = true;
    m_summary.runFinished = false;
    m_summary.allSpecsPassed = false;
    m_summary.footerDuration.clear();

    m_runBase = m_summary.progress;
    m_runBase.failures.clear();
    m_block = Block::RunHeader;
}

void CypressLogParser::startSpec(const QString &name, int specCount)
{
    closeSpecWithoutResults();

    m_specName = name;
    m_specOpen = true;
    m_specNameWraps = true;
    m_specFailureCount = 0;
    m_loadErrorStage = 0;
    m_summary.progress.currentSpec = name;

    if (m_summary.progress.specsTotal < 0)
        m_summary.progress.specsTotal = qMax(m_runBase.specsTotal, 0) + specCount;
}

void CypressLogParser::skipCanceledSpec()
{
    m_summary.canceled = true;
    if (!m_specOpen)
        return;

    m_specOpen = false;
    ++m_summary.progress.specsDone;
    m_summary.progress.currentSpec.clear();
}

void CypressLogParser::closeSpecWithoutResults()
{
    if (!m_specOpen)
        return;

    m_specOpen = false;
    m_summary.progress.currentSpec.clear();
    if (!m_summary.specsWithoutResults.contains(m_specName))
        m_summary.specsWithoutResults.append(m_specName);
    qCInfo(lcRunLog).noquote()
            << QStringLiteral("Spec \"%1\" started but printed no (Results) box.").arg(m_specName);
}

void CypressLogParser::endBlock()
{
    switch (m_block) {
    case Block::ResultsBox:
        commitResults();
        break;
    case Block::FailureList:
        flushFailure();
        break;
    case Block::LoadError:
        if (m_loadErrorStage < 2) {
            addFailure(QStringLiteral("spec failed to load"), QString());
            m_loadErrorStage = 2;
        }
        break;
    case Block::CloudError:
        // More run output follows, so Cypress recovered from the error.
        m_cloudErrorPending = false;
        break;
    case Block::None:
    case Block::RunHeader:
    case Block::SummaryTable:
    case Block::NoSpecsGlob:
        break;
    }
    m_block = Block::None;
}

void CypressLogParser::handleHeaderLine(const QString &line)
{
    if (patterns().boxBottom.match(line).hasMatch()) {
        m_block = Block::None;
        return;
    }

    const QRegularExpressionMatch row = patterns().headerRow.match(line);
    if (!row.hasMatch())
        return;

    const QString value = row.captured(2);
    if (row.capturedView(1) == QLatin1String("Cypress")) {
        m_summary.cypressVersion = value.section(QLatin1Char(' '), 0, 0);
        return;
    }

    const QRegularExpressionMatch found = patterns().specsFound.match(value);
    if (found.hasMatch())
        m_summary.progress.specsTotal = qMax(m_runBase.specsTotal, 0) + found.captured(1).toInt();
}

void CypressLogParser::handleLoadErrorLine(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (m_loadErrorStage == 0) {
        if (trimmed == QLatin1String("The error was:"))
            m_loadErrorStage = 1;
        return;
    }
    if (m_loadErrorStage == 1 && !trimmed.isEmpty()) {
        addFailure(QStringLiteral("spec failed to load"), trimmed);
        m_loadErrorStage = 2;
    }
}

void CypressLogParser::handleFailureListLine(const QString &line)
{
    const QRegularExpressionMatch header = patterns().failureHeader.match(line);
    if (header.hasMatch() && header.captured(1).toInt() == m_nextFailureNumber) {
        flushFailure();
        ++m_nextFailureNumber;
        m_failureOpen = true;
        m_failureTitleParts = QStringList{header.captured(2)};
        // mocha prints the title's second part at 7 spaces, each further part 2 deeper.
        m_failureIndent = 5;
        return;
    }

    const QString trimmed = line.trimmed();
    if (!m_failureOpen || trimmed.isEmpty())
        return;

    const int indent = leadingSpaces(line);
    if (indent >= 7 && indent > m_failureIndent) {
        m_failureTitleParts.append(trimmed);
        m_failureIndent = indent;
        return;
    }

    // The first line that is not part of the title is the error message, at 5 spaces.
    // A stack frame here means that the message was empty.
    const bool stackFrame = trimmed.startsWith(QLatin1String("at "));
    QString title = m_failureTitleParts.join(QLatin1Char(' '));
    if (title.endsWith(QLatin1Char(':')))
        title.chop(1);
    addFailure(title, stackFrame ? QString() : trimmed);
    m_failureOpen = false;
}

void CypressLogParser::flushFailure()
{
    if (!m_failureOpen)
        return;

    QString title = m_failureTitleParts.join(QLatin1Char(' '));
    if (title.endsWith(QLatin1Char(':')))
        title.chop(1);
    addFailure(title, QString());
    m_failureOpen = false;
}

void CypressLogParser::handleResultsLine(const QString &line)
{
    static const QStringList rowNames{
            QStringLiteral("Tests"),   QStringLiteral("Passing"), QStringLiteral("Failing"),
            QStringLiteral("Pending"), QStringLiteral("Skipped"),
    };

    const QRegularExpressionMatch row = patterns().resultRow.match(line);
    if (row.hasMatch()) {
        const auto index = rowNames.indexOf(row.captured(1));
        m_resultCounts.at(static_cast<size_t>(index)) = row.captured(2).toInt();
        m_resultRowsSeen |= 1 << index;
        return;
    }

    const QRegularExpressionMatch specRan = patterns().specRanRow.match(line);
    if (specRan.hasMatch()) {
        m_resultSpecRan = specRan.captured(1);
        return;
    }

    if (patterns().boxBottom.match(line).hasMatch())
        endBlock();
}

void CypressLogParser::commitResults()
{
    if (m_resultRowsSeen != allResultRows) {
        qCWarning(lcRunLog).noquote()
                << QStringLiteral("The (Results) box of spec \"%1\" ended before all its counts; "
                                  "it is not counted.")
                           .arg(m_specName);
        return;
    }

    if (!m_specOpen && m_specName.isEmpty())
        m_specName = m_resultSpecRan;

    RunProgress &progress = m_summary.progress;
    progress.tests += m_resultCounts[0];
    progress.passing += m_resultCounts[1];
    progress.failing += m_resultCounts[2];
    progress.pending += m_resultCounts[3];
    progress.skipped += m_resultCounts[4];
    ++progress.specsDone;

    const int failing = m_resultCounts[2];
    if (failing > 0) {
        ++progress.specsFailed;
        if (m_specFailureCount == 0) {
            addFailure(failing == 1 ? QStringLiteral("1 test failed; the log shows no details")
                                    : QStringLiteral("%1 tests failed; the log shows no details")
                                              .arg(failing),
                       QString());
        }
    }

    m_specOpen = false;
    progress.currentSpec.clear();
    m_resultRowsSeen = 0;
}

void CypressLogParser::handleSummaryLine(const QString &line)
{
    const QRegularExpressionMatch footer = patterns().footer.match(line);
    if (footer.hasMatch()) {
        handleFooter(footer.capturedTexts());
        m_block = Block::None;
        return;
    }

    const QRegularExpressionMatch row = patterns().summaryRow.match(line);
    if (row.hasMatch()) {
        ++m_tableRows;
        if (isFailedSymbol(row.captured(1)))
            ++m_tableFailedRows;
    }
}

void CypressLogParser::handleFooter(const QStringList &fields)
{
    // fields: 1 symbol, 2 phrase, 3 failed specs, 4 specs run, 5 duration, 6-10 counts.
    m_summary.runFinished = true;
    m_summary.footerDuration = fields.at(5);
    m_summary.progress.currentSpec.clear();

    const QString &phrase = fields.at(2);
    int runSpecsFailed = m_tableFailedRows;
    if (phrase == QLatin1String("All specs passed!")) {
        m_summary.allSpecsPassed = !m_earlierRunFailed;
        runSpecsFailed = 0;
    } else if (phrase == QLatin1String("The run was canceled")) {
        m_summary.canceled = true;
        m_summary.allSpecsPassed = false;
    } else {
        m_summary.allSpecsPassed = false;
        runSpecsFailed = fields.at(3).toInt();
    }

    RunProgress &progress = m_summary.progress;
    const auto crossCheck = [](const char *name, int *value, int expected) {
        if (*value == expected)
            return;
        qCWarning(lcRunLog).noquote()
                << QStringLiteral("The (Run Finished) table gives %1 = %2, the (Results) boxes "
                                  "added up to %3; using the table's value.")
                           .arg(QLatin1String(name))
                           .arg(expected)
                           .arg(*value);
        *value = expected;
    };

    crossCheck("tests", &progress.tests, m_runBase.tests + countValue(fields.at(6)));
    crossCheck("passing", &progress.passing, m_runBase.passing + countValue(fields.at(7)));
    crossCheck("failing", &progress.failing, m_runBase.failing + countValue(fields.at(8)));
    crossCheck("pending", &progress.pending, m_runBase.pending + countValue(fields.at(9)));
    crossCheck("skipped", &progress.skipped, m_runBase.skipped + countValue(fields.at(10)));
    crossCheck("failed specs", &progress.specsFailed, m_runBase.specsFailed + runSpecsFailed);

    const int specsRun = m_tableRows > 0 ? m_tableRows : fields.at(4).toInt();
    if (specsRun > 0)
        crossCheck("specs done", &progress.specsDone, m_runBase.specsDone + specsRun);
}

bool CypressLogParser::handleNoSpecsLine(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(QLatin1String("We searched for specs")))
        return true;

    if (!trimmed.startsWith(QLatin1String("> "))) {
        m_block = Block::None;
        return false;
    }

    const QString glob = trimmed.mid(2);
    if (m_summary.fatalError.startsWith(noSpecsText)) {
        m_summary.fatalError += m_summary.fatalError.contains(searchedForText)
                ? QStringLiteral(", ") + glob
                : searchedForText + glob;
    }
    return true;
}

void CypressLogParser::handleCloudErrorLine(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.startsWith(QLatin1String("We will retry"))) {
        m_cloudErrorPending = false;
        m_block = Block::None;
        return;
    }
    if (!trimmed.isEmpty() && m_cloudErrorDetail.isEmpty())
        m_cloudErrorDetail = trimmed;
}

void CypressLogParser::addFailure(const QString &title, const QString &error)
{
    m_summary.progress.failures.append(FailedTest{m_specName, title, error});
    ++m_specFailureCount;
}

QJsonObject CypressLogParser::saveState() const
{
    QJsonArray resultCounts;
    for (const int count : m_resultCounts)
        resultCounts.append(count);

    return QJsonObject{
            {QStringLiteral("format_version"), stateFormatVersion},
            {QStringLiteral("summary"), m_summary.toJson()},
            {QStringLiteral("block"), static_cast<int>(m_block)},
            {QStringLiteral("finished"), m_finished},
            {QStringLiteral("spec_name"), m_specName},
            {QStringLiteral("spec_open"), m_specOpen},
            {QStringLiteral("spec_name_wraps"), m_specNameWraps},
            {QStringLiteral("spec_failure_count"), m_specFailureCount},
            {QStringLiteral("run_base"), m_runBase.toJson()},
            {QStringLiteral("earlier_run_failed"), m_earlierRunFailed},
            {QStringLiteral("load_error_stage"), m_loadErrorStage},
            {QStringLiteral("next_failure_number"), m_nextFailureNumber},
            {QStringLiteral("failure_open"), m_failureOpen},
            {QStringLiteral("failure_title_parts"),
             QJsonArray::fromStringList(m_failureTitleParts)},
            {QStringLiteral("failure_indent"), m_failureIndent},
            {QStringLiteral("result_counts"), resultCounts},
            {QStringLiteral("result_rows_seen"), m_resultRowsSeen},
            {QStringLiteral("result_spec_ran"), m_resultSpecRan},
            {QStringLiteral("table_rows"), m_tableRows},
            {QStringLiteral("table_failed_rows"), m_tableFailedRows},
            {QStringLiteral("cloud_error_pending"), m_cloudErrorPending},
            {QStringLiteral("cloud_error_detail"), m_cloudErrorDetail},
            {QStringLiteral("browser_closed_line"), m_browserClosedLine},
    };
}

bool CypressLogParser::restoreState(const QJsonObject &state)
{
    const int version = state.value(QStringLiteral("format_version")).toInt(-1);
    if (version != stateFormatVersion || !state.value(QStringLiteral("summary")).isObject()) {
        qCWarning(lcRunLog).noquote()
                << QStringLiteral("Cannot restore the log parser state: format_version is %1, "
                                  "expected %2 with a \"summary\" object. The log is parsed "
                                  "again from the start.")
                           .arg(version)
                           .arg(stateFormatVersion);
        return false;
    }

    const int block = state.value(QStringLiteral("block")).toInt();
    if (block < static_cast<int>(Block::None) || block > static_cast<int>(Block::CloudError)) {
        qCWarning(lcRunLog).noquote()
                << QStringLiteral("Cannot restore the log parser state: block %1 is not a "
                                  "known parser block. The log is parsed again from the start.")
                           .arg(block);
        return false;
    }

    const auto value = [&state](const char *key) {
        return state.value(QLatin1String(key));
    };

    m_summary = CypressLogSummary::fromJson(value("summary").toObject());
    m_block = static_cast<Block>(block);
    m_finished = value("finished").toBool();
    m_specName = value("spec_name").toString();
    m_specOpen = value("spec_open").toBool();
    m_specNameWraps = value("spec_name_wraps").toBool();
    m_specFailureCount = value("spec_failure_count").toInt();
    m_runBase = RunProgress::fromJson(value("run_base").toObject());
    m_earlierRunFailed = value("earlier_run_failed").toBool();
    m_loadErrorStage = value("load_error_stage").toInt();
    m_nextFailureNumber = value("next_failure_number").toInt(1);
    m_failureOpen = value("failure_open").toBool();
    m_failureTitleParts.clear();
    for (const QJsonValue &part : value("failure_title_parts").toArray())
        m_failureTitleParts.append(part.toString());
    m_failureIndent = value("failure_indent").toInt();

    const QJsonArray resultCounts = value("result_counts").toArray();
    for (size_t i = 0; i < m_resultCounts.size(); ++i)
        m_resultCounts.at(i) = resultCounts.at(static_cast<qsizetype>(i)).toInt();
    m_resultRowsSeen = value("result_rows_seen").toInt();
    m_resultSpecRan = value("result_spec_ran").toString();
    m_tableRows = value("table_rows").toInt();
    m_tableFailedRows = value("table_failed_rows").toInt();
    m_cloudErrorPending = value("cloud_error_pending").toBool();
    m_cloudErrorDetail = value("cloud_error_detail").toString();
    m_browserClosedLine = value("browser_closed_line").toString();
    return true;
}
