#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "shared/runprogress.h"

/*!
    \brief What the stdout of `cypress run` showed so far.

    Filled by CypressLogParser. Every flag only records what Cypress printed;
    deciding the run's state from them is left to the caller. When one log
    contains several `cypress run` invocations, the counts add up over all of
    them. runFinished, allSpecsPassed and footerDuration describe the last run.
    canceled, noSpecsFound, crashDetected and fatalError stay set once seen.
*/
struct CypressLogSummary
{
    /*! "(Run Starting)" was seen. */
    bool runStarted = false;

    /*! The "(Run Finished)" table and its footer line were seen, for the last
        run that started. A later "(Run Starting)" resets it. */
    bool runFinished = false;

    /*! The footer printed "All specs passed!" (even with pending or skipped
        tests). With several runs in one log, every earlier run must have ended
        with that footer too. */
    bool allSpecsPassed = false;

    /*! Cypress printed that the run was canceled, in one of three lines: a spec
        "skipped because the run has been canceled", the footer "The run was
        canceled", or "Exiting with non-zero exit code because the run was
        canceled." */
    bool canceled = false;

    /*! Cypress printed "Can't run because no spec files were found." */
    bool noSpecsFound = false;

    /*! A runner error that stops the run, as one readable line, or empty. It is
        set when no spec files were found, when Cypress could not load its
        configuration file or reach the baseUrl server, and when the browser
        never connected or closed unexpectedly and Cypress aborted the run. A
        lost automation client sets it too. A Cloud API error ("We encountered an unexpected error
        communicating with our servers.") is set only by finish(), because
        Cypress prints the same text before it retries, and only if the run
        printed no further run output after it. */
    QString fatalError;

    /*! Cypress reported a crashed renderer or browser process ("We detected that
        the ... process just crashed" or "... process closed unexpectedly"). */
    bool crashDetected = false;

    /*! Cypress version from the "(Run Starting)" header, for example "13.6.0". */
    QString cypressVersion;

    /*! Duration from the footer line, as printed: "00:17", "1:02:03" or "952ms". */
    QString footerDuration;

    /*!
        Specs that printed "Running:" but never a "(Results)" box. A spec is
        added once it can no longer get one: when the next spec starts, when the
        run finishes, or on CypressLogParser::finish(). Specs skipped because
        the run was canceled are not listed.
    */
    QStringList specsWithoutResults;

    /*!
        Live progress. specsTotal comes from "Specs: N found" (0 when no specs
        were found), or from "(i of n)" if the header was missed. currentSpec is
        the spec between its "Running:" line and its "(Results)" box, empty
        otherwise. specsDone, specsFailed and the test totals are summed over
        the (Results) boxes, and a spec skipped by cancellation counts as done.
        Once the (Run Finished) footer arrives, its totals, its spec rows and
        its failed-spec count replace the sums where they differ. failures lists
        mocha's failure list, spec load errors and crashes; a failed spec with
        none of these gets one entry with the number of failed tests.
    */
    RunProgress progress;

    QJsonObject toJson() const;
    static CypressLogSummary fromJson(const QJsonObject &object);

    bool operator==(const CypressLogSummary &other) const;
    bool operator!=(const CypressLogSummary &other) const { return !(*this == other); }
};
