#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>

#include "shared/cypresslogsummary.h"

/*!
    \brief Reads the stdout of `cypress run` (Cypress 10 to 15) one line at a time.

    Feed every line of the run log in order with addLine(), then call finish()
    once the writing process is gone. summary() is current after every line.

    Lines may still carry ANSI escape sequences, colour codes whose ESC byte
    was lost (such as "[90m"), a trailing carriage return, trimmed trailing
    spaces and `docker compose` prefixes ("cypress-1  | "). Output of other
    tools before and after the run is ignored. See
    docs/cypress-log-parsing.md for what is read and what is tolerated.

    saveState() captures the parser's whole state, so a parser restored with
    restoreState() and fed the rest of the log from the matching log offset
    ends with the same summary as one that read the whole log.
*/
class CypressLogParser
{
public:
    CypressLogParser() = default;

    /*! Parses one line, without its line break. Lines after finish() are ignored. */
    void addLine(const QString &line);

    /*!
        Ends the input: a complete (Results) box still open is counted, a spec
        still running is added to specsWithoutResults, a pending Cloud API error
        becomes the fatal error. Call once the writing process is gone.
    */
    void finish();

    const CypressLogSummary &summary() const { return m_summary; }

    /*! Returns the full parser state as a JSON object for restoreState(). */
    QJsonObject saveState() const;

    /*!
        Replaces the parser state with one saved by saveState(). Returns false
        and keeps the current state if state is not such an object (missing or
        newer "format_version").
    */
    bool restoreState(const QJsonObject &state);

private:
    enum class Block {
        None,
        RunHeader, // inside the (Run Starting) box
        LoadError, // after "Oops...we found an error preparing this test file:"
        FailureList, // after mocha's "N failing" line
        ResultsBox, // after (Results)
        SummaryTable, // after (Run Finished), up to the footer line
        NoSpecsGlob, // after "Can't run because no spec files were found."
        CloudError, // after "We encountered an unexpected error communicating..."
    };

    static QString normalizeLine(const QString &line);

    bool handleStructuralLine(const QString &line);
    bool handleBlockLine(const QString &line);
    void handleFreeLine(const QString &line);
    void handleBrowserLine(const QString &trimmed);

    void startRun();
    void startSpec(const QString &name, int specCount);
    void skipCanceledSpec();
    void closeSpecWithoutResults();
    void endBlock();

    void handleHeaderLine(const QString &line);
    void handleLoadErrorLine(const QString &line);
    void handleFailureListLine(const QString &line);
    void handleResultsLine(const QString &line);
    void handleSummaryLine(const QString &line);
    void handleFooter(const QStringList &fields);
    bool handleNoSpecsLine(const QString &line);
    void handleCloudErrorLine(const QString &line);

    void commitResults();
    void flushFailure();
    void addFailure(const QString &title, const QString &error);

    CypressLogSummary m_summary;
    Block m_block = Block::None;
    bool m_finished = false;

    // The spec whose "Running:" line came last.
    QString m_specName;
    bool m_specOpen = false; // started, no (Results) box yet
    bool m_specNameWraps = false; // the next line may continue the spec name
    int m_specFailureCount = 0; // failures recorded for this spec

    // Counts of the current run only, taken when it started, for the footer cross-check.
    RunProgress m_runBase;
    bool m_earlierRunFailed = false;

    int m_loadErrorStage = 0; // 0: before "The error was:", 1: waiting for it, 2: recorded

    int m_nextFailureNumber = 1;
    bool m_failureOpen = false;
    QStringList m_failureTitleParts;
    int m_failureIndent = 0;

    std::array<int, 5> m_resultCounts{}; // Tests, Passing, Failing, Pending, Skipped
    int m_resultRowsSeen = 0; // bit per entry of m_resultCounts
    QString m_resultSpecRan;

    int m_tableRows = 0;
    int m_tableFailedRows = 0;

    bool m_cloudErrorPending = false;
    QString m_cloudErrorDetail;
    QString m_browserClosedLine;
};
