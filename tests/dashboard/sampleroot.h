#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

/*
    Helpers for the dashboard tests: a copy of the sample state root in
    testfiles/dashboard/sample-root and a writer for state.json files.
*/

/*! Returns the time the sample root's states were written for: 2026-12-04T15:00:00Z. */
QDateTime sampleNow();

/*! Copies the sample root into \a target (which must exist); returns false on a copy error. */
bool copySampleRoot(const QString &target);

/*! Returns a valid state.json for \a buildName in \a state, updated at \a updatedAt. */
QByteArray stateJson(const QString &buildName, const QString &state, const QDateTime &updatedAt);

/*! Writes \a bytes to \a path, creating its folder; returns false on error. */
bool writeFile(const QString &path, const QByteArray &bytes);
