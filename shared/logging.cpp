#include "shared/logging.h"

Q_LOGGING_CATEGORY(lcWatcher, "atvm.watcher", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRunLog, "atvm.runlog", QtInfoMsg)
Q_LOGGING_CATEGORY(lcReport, "atvm.report", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWebhook, "atvm.webhook", QtInfoMsg)
Q_LOGGING_CATEGORY(lcState, "atvm.state", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProcess, "atvm.process", QtInfoMsg)
