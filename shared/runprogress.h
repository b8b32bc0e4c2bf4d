#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

/*! \brief One failed test, hook or spec, as shown in the status message. */
struct FailedTest
{
    QString spec;  // spec file name, for example "login.cy.js"
    QString title; // full test title, or a description such as "spec failed to load"
    QString error; // first line of the error message, may be empty

    bool operator==(const FailedTest &other) const
    {
        return spec == other.spec && title == other.title && error == other.error;
    }
};

/*!
    \brief Totals of a run so far, from the log, the reporter artifacts or both.

    Counts follow Cypress's (Results) box: tests, passing, failing, pending,
    skipped. specsTotal is -1 until the run announced how many specs it found.
*/
struct RunProgress
{
    int specsTotal = -1;
    int specsDone = 0;
    int specsFailed = 0;
    QString currentSpec;

    int tests = 0;
    int passing = 0;
    int failing = 0;
    int pending = 0;
    int skipped = 0;

    QList<FailedTest> failures;

    /*! Returns the "progress" object of state.json (docs/state-format.md). */
    QJsonObject toJson() const;
    static RunProgress fromJson(const QJsonObject &object);

    bool operator==(const RunProgress &other) const;
};
