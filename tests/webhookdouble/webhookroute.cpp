#include "webhookroute.h"

#include "httprequestparser.h"

#include <QList>
#include <QRegularExpression>

QByteArray cleanUrlPath(const QByteArray &path)
{
    if (path.isEmpty())
        return "/";

    QList<QByteArray> segments;
    for (const QByteArray &segment : path.split('/')) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!segments.isEmpty())
                segments.removeLast();
            continue;
        }
        segments.append(segment);
    }

    QByteArray cleaned = '/' + segments.join('/');
    if (path.endsWith('/') && cleaned != "/")
        cleaned += '/';
    return cleaned;
}

WebhookRoute routeWebhookRequest(const HttpRequest &request, const QString &subpath)
{
    WebhookRoute route;
    const bool getOrHead = request.method == "GET" || request.method == "HEAD";

    const QByteArray cleaned = cleanUrlPath(request.path);
    if (cleaned != request.path) {
        route.kind = WebhookRoute::Kind::CleanPathRedirect;
        route.location = request.query.isEmpty() ? cleaned : cleaned + '?' + request.query;
        return route;
    }

    QByteArray path = request.path;
    const QByteArray prefix = subpath.toUtf8();
    if (!prefix.isEmpty()) {
        if (path != prefix && !path.startsWith(QByteArray(prefix + '/'))) {
            route.kind = WebhookRoute::Kind::SubpathRedirect;
            route.location = prefix + request.target;
            return route;
        }
        path = path.mid(prefix.size());
    }

    static const QRegularExpression hookIdPattern(QStringLiteral("^[A-Za-z0-9]+$"));
    if (request.method == "POST" && path.startsWith("/hooks/")) {
        const QString hookId = QString::fromLatin1(path.mid(7));
        if (hookIdPattern.match(hookId).hasMatch()) {
            route.kind = WebhookRoute::Kind::Webhook;
            route.hookId = hookId;
            return route;
        }
    }

    route.kind = getOrHead ? WebhookRoute::Kind::WebAppPage : WebhookRoute::Kind::MethodNotAllowed;
    return route;
}
