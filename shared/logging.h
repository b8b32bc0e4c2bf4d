#pragma once

#include <QLoggingCategory>

// One category per subsystem. Verbosity is set with QT_LOGGING_RULES, for
// example "atvm.*.debug=true" in the unit's environment.
Q_DECLARE_LOGGING_CATEGORY(lcWatcher)
Q_DECLARE_LOGGING_CATEGORY(lcRunLog)
Q_DECLARE_LOGGING_CATEGORY(lcReport)
Q_DECLARE_LOGGING_CATEGORY(lcWebhook)
Q_DECLARE_LOGGING_CATEGORY(lcState)
Q_DECLARE_LOGGING_CATEGORY(lcProcess)
