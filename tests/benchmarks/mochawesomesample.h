#pragma once

#include <QByteArray>

/*!
    Returns a mochawesome JSON report (mochawesome 7 layout) of one spec with
    eight tests, for benchmarks. Spec \a index names the spec file; one test
    fails when \a index is a multiple of five. \a revision goes into the
    report's end time, so two revisions of a report differ in content and size
    only slightly, as a rewritten report does.
*/
QByteArray mochawesomeReport(int index, int revision = 0);
