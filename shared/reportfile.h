#pragma once

#include "shared/runprogress.h"

#include <QList>
#include <QString>

/*!
    \brief Totals of one spec as one reporter artifact describes them.

    Counts follow Cypress's (Results) box: tests = passing + failing +
    pending + skipped. spec is the spec path with '/' separators as the
    report gives it (for example "cypress/e2e/login.cy.js"); it is empty when
    the report names no spec. sourceFile is the report file it came from.
*/
struct ReportSpec
{
    QString spec;
    QString sourceFile;
    int tests = 0;
    int passing = 0;
    int failing = 0;
    int pending = 0;
    int skipped = 0;
    bool failed = false;
};

/*! \brief One spec read from a report file, with its failed tests and hooks. */
struct ReportFileSpec
{
    ReportSpec totals;
    QList<FailedTest> failures;
};

enum class ReportKind {
    NotAReport, // a JSON or XML file of another kind, ignored
    Mochawesome,
    JUnit,
};

/*!
    \brief The content of one reporter artifact.

    problem is set, and specs empty, when the file could not be read: it is
    unreadable, half-written or not valid JSON/XML. The text starts with the
    path and says why.
*/
struct ReportFile
{
    ReportKind kind = ReportKind::NotAReport;
    QList<ReportFileSpec> specs;
    QString problem;
};

/*!
    \brief Reads a mochawesome JSON report (one object with "stats" and "results").

    Every entry of "results" is one spec, named by its "file", else its
    "fullFile", else the first nested suite's. Tests count by "state"
    ("passed", "failed"), then "pending", then "skipped"; a test with none of
    them never ran and counts as skipped. A failed hook (in "beforeHooks" or
    "afterHooks") counts as one failing test, as Cypress counts a failed
    "before all" hook: when its suite has skipped tests, the failure takes the
    place of one of them, so "tests" does not grow. A failed hook whose error
    is also the error of a failed test of the same suite is counted once.
*/
ReportFile parseMochawesome(const QString &path, const QByteArray &data);

/*!
    \brief Reads a JUnit XML report as mocha-junit-reporter writes it.

    A <testsuite> with a "file" attribute (Cypress's "Root Suite") starts a
    spec; the suites after it belong to that spec. Each <testcase> is one
    test: with <failure> or <error> it is failing (failed hooks appear here
    under the hook's title), with <skipped/> it is pending, because
    mocha-junit-reporter writes pending tests that way; otherwise it is
    passing. Tests that Cypress skipped after a failure are absent from JUnit
    reports, so skipped is always 0.
*/
ReportFile parseJUnit(const QString &path, const QByteArray &data);

/*! Reads the file at \a path and parses it by its suffix (.json or .xml). */
ReportFile readReportFile(const QString &path);
