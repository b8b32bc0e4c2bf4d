#pragma once

#include "webhookmode.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/*! \brief The command-line settings of mattermost-webhook-double. */
struct DoubleOptions
{
    static constexpr char DefaultHookId[] = "pz4c8uqw3jb7tq1eyxgsnm6k5r";
    static constexpr qint64 DefaultBodyCap = 300000 + 512;

    quint16 port = 0;
    QString portFile;
    QStringList hookIds;
    QList<WebhookMode> modes{WebhookMode::Ok}; // one per request; the last one repeats
    WebhookFlavor flavor = WebhookFlavor::Current;
    int retryAfterSeconds = 1;
    QString location; // empty: the request's own URL on this server
    QString recordFile;
    QString subpath; // for example "/mattermost"; empty for none
    qint64 bodyCap = DefaultBodyCap;
    int delayMs = 2000;
    int idleCloseMs = 1000;
    int exitAfterPosts = 0; // 0: run until SIGTERM or SIGINT
    bool lowerCaseHeaderNames = false;
};

struct DoubleOptionsResult
{
    std::optional<DoubleOptions> options;
    QString error; // set when options is empty and the command line was invalid
    bool helpShown = false; // --help or --list-modes was handled
};

/*! Parses the command line \a arguments, printing help and the mode list when asked. */
DoubleOptionsResult parseDoubleOptions(const QStringList &arguments);
