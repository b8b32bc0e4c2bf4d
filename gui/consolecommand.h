#pragma once

#include <QStringList>

/*!
    Runs the console mode: "atvm-watcher-dashboard --console COMMAND ...".
    Needs only a QCoreApplication, so it works without a display. Returns the
    process exit code: 0 on success, 1 when the command failed, 64 on a bad
    command line.
*/
int runConsole(const QStringList &arguments);
