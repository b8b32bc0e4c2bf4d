#pragma once

#include <QByteArray>
#include <QString>

struct HttpRequest;

/*! \brief Where the Mattermost router sends a request. */
struct WebhookRoute
{
    enum class Kind {
        Webhook, // POST <subpath>/hooks/<id> with an id of letters and digits
        WebAppPage, // GET or HEAD on any other path: the catch-all static route
        MethodNotAllowed, // any other method on any other path
        CleanPathRedirect, // 301 to the cleaned path
        SubpathRedirect, // 302 into the configured subpath
    };

    Kind kind = Kind::MethodNotAllowed;
    QString hookId;
    QByteArray location;
};

/*! Routes \a request like gorilla/mux in front of the webhook handler does. */
WebhookRoute routeWebhookRequest(const HttpRequest &request, const QString &subpath);

/*! Returns \a path cleaned like Go's path.Clean, keeping a trailing slash. */
QByteArray cleanUrlPath(const QByteArray &path);
