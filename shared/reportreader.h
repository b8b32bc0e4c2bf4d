#pragma once

#include "shared/reportfile.h"
#include "shared/runprogress.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

/*!
    \brief Totals over all reporter artifacts of a run.

    files counts the report files read (mochawesome or JUnit), and
    unreadableFiles the report-like files that could not be read; problems
    has one line per such file, starting with its path. A half-written file
    is a problem until it is complete, and never adds passing tests.
    lastChange is the newest modification time of any report file, invalid
    when there is none.
*/
struct ReportSummary
{
    int files = 0;
    int unreadableFiles = 0;
    QStringList problems;
    QList<ReportSpec> specs;

    int tests = 0;
    int passing = 0;
    int failing = 0;
    int pending = 0;
    int skipped = 0;
    QList<FailedTest> failures;

    QDateTime lastChange;
};

/*!
    \brief Reads the reporter folder of a run incrementally.

    scan() walks the folder and its subfolders for mochawesome JSON
    (\c{*.json} with "stats" and "results") and JUnit XML (\c{*.xml} whose
    root is <testsuites> or <testsuite>); other JSON and XML files are
    ignored. A file is parsed again only when its size or modification time
    changed since the last scan.

    One spec is counted once even when several files describe it. A
    mochawesome report is preferred over a JUnit one, because only mochawesome
    lists the tests that Cypress skipped; among reports of the same kind the
    newest file wins. Spec paths match when they are equal or one ends with
    "/" followed by the other, so an absolute "fullFile" matches a relative
    "file" attribute. Specs appear in the order their files were last
    modified.
*/
class ReportReader
{
public:
    explicit ReportReader(const QString &reportDir);

    QString reportDir() const { return m_reportDir; }

    ReportSummary scan();

    /*! Returns how many files scan() has parsed so far, for tests and debug logs. */
    int parsedFileCount() const { return m_parsedFileCount; }

private:
    struct CachedFile
    {
        qint64 size = -1;
        QDateTime modified;
        ReportFile content;
    };

    QString m_reportDir;
    QHash<QString, CachedFile> m_files;
    int m_parsedFileCount = 0;
};
