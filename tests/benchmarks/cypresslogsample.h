#pragma once

#include <QByteArray>

/*!
    \brief Writes the stdout of one made-up `cypress run` (Cypress 12.17.4) with
    any number of specs, for benchmarks.

    The specs cycle through eight shapes seen in ATVM runs: all passing, one
    failing test with a stack trace, a retried test, pending tests, command log
    lines of a terminal reporter plugin and browser console noise. Colours are
    written as escape sequences, as `cypress run` prints them to a pipe with
    FORCE_COLOR set. Every spec is deterministic, so the totals of a log are
    known: see expectedTests() and expectedFailing().
*/
class CypressLogSample
{
public:
    explicit CypressLogSample(int specCount);

    /*! Returns the number of specs that make a log of about \a bytes bytes. */
    static int specCountForSize(qint64 bytes);

    int specCount() const { return m_specCount; }

    /*! Returns the "(Run Starting)" box. */
    QByteArray header() const;

    /*! Returns the output of spec \a index (0-based), from its "Running:" line
        to the bottom of its "(Results)" box. */
    QByteArray spec(int index) const;

    /*! Returns the "(Run Finished)" table with one row per spec and its footer. */
    QByteArray footer() const;

    /*! Returns header(), every spec() and footer() in one array. */
    QByteArray wholeLog() const;

    int expectedTests() const;
    int expectedPassing() const;
    int expectedFailing() const;
    int expectedPending() const;
    int expectedFailedSpecs() const;

private:
    struct SpecTotals
    {
        int tests = 0;
        int passing = 0;
        int failing = 0;
        int pending = 0;
    };

    static SpecTotals totalsOf(int index);
    QByteArray specFileName(int index) const;

    int m_specCount = 0;
};
