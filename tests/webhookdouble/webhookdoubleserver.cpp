#include "webhookdoubleserver.h"

#include "doubleconnection.h"
#include "httprequestparser.h"
#include "webhookpayload.h"
#include "webhookroute.h"

#include <QDateTime>
#include <QHostAddress>
#include <QTimer>

#include <optional>

namespace {

// Mattermost splits a longer text into several posts of this many code points.
constexpr qsizetype MaxPostCodePoints = 16383;

} // namespace

/*! \brief What the double does with one complete request. */
struct ResponsePlan
{
    enum class Action {
        Respond,
        RespondAfterDelay,
        StallBody,
        Reset,
        PartialResponse,
        Hang,
        RespondThenIdleClose,
    };

    Action action = Action::Respond;
    HttpResponse response;
    bool wouldCreatePost = false;
    int postsCreated = 0;
    std::optional<WebhookPayload> payload;
};

WebhookDoubleServer::WebhookDoubleServer(DoubleOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_responses(m_options.flavor, m_options.retryAfterSeconds), m_recorder(m_options.recordFile)
{
    connect(&m_server, &QTcpServer::newConnection, this, &WebhookDoubleServer::handleNewConnection);
}

bool WebhookDoubleServer::listen(QString *errorString)
{
    if (m_server.listen(QHostAddress::LocalHost, m_options.port))
        return true;
    *errorString = QStringLiteral("Failed to listen on 127.0.0.1 port %1: %2")
                           .arg(m_options.port)
                           .arg(m_server.errorString());
    return false;
}

quint16 WebhookDoubleServer::serverPort() const
{
    return m_server.serverPort();
}

void WebhookDoubleServer::handleNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        auto *connection = new DoubleConnection(socket, ++m_connectionCount);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, connection, [this, connection] {
            connection->parser.append(connection->socket()->readAll());
            if (connection->idleTimer.isActive())
                connection->idleTimer.start();
            processInput(connection);
        });
        connect(&connection->idleTimer, &QTimer::timeout, connection, [connection] {
            if (connection->isOpen())
                connection->socket()->disconnectFromHost();
        });
    }
}

void WebhookDoubleServer::processInput(DoubleConnection *connection)
{
    while (connection->isOpen() && !connection->busy) {
        switch (connection->parser.advance()) {
        case HttpRequestParser::Progress::NeedMoreData:
            return;
        case HttpRequestParser::Progress::Invalid: {
            qWarning("Rejected a malformed request on connection %d: %s", connection->number,
                     qPrintable(connection->parser.errorString()));
            connection->socket()->write(m_responses.malformedRequest().serialize(
                    false, m_options.lowerCaseHeaderNames));
            connection->socket()->disconnectFromHost();
            return;
        }
        case HttpRequestParser::Progress::HeadComplete:
            handleRequestHead(connection);
            break;
        case HttpRequestParser::Progress::RequestComplete: {
            const HttpRequest request = connection->parser.request();
            connection->parser.startNextRequest();
            handleRequest(connection, request);
            break;
        }
        }
    }
}

void WebhookDoubleServer::handleRequestHead(DoubleConnection *connection)
{
    const int index = std::min<int>(m_requestCount, m_options.modes.size() - 1);
    connection->sequence = ++m_requestCount;
    connection->mode = m_options.modes.at(index);
    if (connection->mode != WebhookMode::ResetMidRequest)
        return;

    HttpRequest request = connection->parser.request();
    request.body = connection->parser.partialBody();
    RecordedRequest record;
    record.sequence = connection->sequence;
    record.connection = connection->number;
    record.receivedAt = QDateTime::currentDateTimeUtc();
    record.mode = webhookModeName(connection->mode);
    record.complete = false;
    record.outcome = QStringLiteral("reset");
    m_recorder.append(record, request, nullptr);
    qInfo("Request %d: %s %s, reset before the body was read", record.sequence,
          request.method.constData(), request.path.constData());
    connection->reset();
}

void WebhookDoubleServer::handleRequest(DoubleConnection *connection, const HttpRequest &request)
{
    ResponsePlan plan = planResponse(connection->mode, request);
    if (request.wantsClose())
        plan.response.closeConnection = true;

    RecordedRequest record;
    record.sequence = connection->sequence;
    record.connection = connection->number;
    record.receivedAt = QDateTime::currentDateTimeUtc();
    record.mode = webhookModeName(connection->mode);
    record.wouldCreatePost = plan.wouldCreatePost;
    record.postsCreated = plan.postsCreated;
    switch (plan.action) {
    case ResponsePlan::Action::Reset:
        record.outcome = QStringLiteral("reset");
        break;
    case ResponsePlan::Action::Hang:
        record.outcome = QStringLiteral("no-response");
        break;
    case ResponsePlan::Action::PartialResponse:
        record.status = plan.response.status;
        record.outcome = QStringLiteral("partial-response");
        break;
    default:
        record.status = plan.response.status;
        record.outcome = QStringLiteral("responded");
        break;
    }
    m_recorder.append(record, request, plan.payload ? &*plan.payload : nullptr);
    qInfo("Request %d: %s %s in mode %s: %s %d%s", record.sequence, request.method.constData(),
          request.path.constData(), qPrintable(record.mode), qPrintable(record.outcome),
          record.status, plan.wouldCreatePost ? ", posted" : "");

    if (plan.wouldCreatePost)
        ++m_postCount;
    if (plan.wouldCreatePost && m_options.exitAfterPosts > 0
        && m_postCount >= m_options.exitAfterPosts) {
        connection->exitPending = true;
    }
    execute(connection, plan, request.method == "HEAD");
}

ResponsePlan WebhookDoubleServer::planResponse(WebhookMode mode, const HttpRequest &request) const
{
    const WebhookRoute route = routeWebhookRequest(request, m_options.subpath);
    const bool getOrHead = request.method == "GET" || request.method == "HEAD";

    ResponsePlan plan;
    if (route.kind == WebhookRoute::Kind::Webhook) {
        plan = planHandlerResponse(mode, request, route.hookId);
        if (isHandlerMode(mode))
            return plan;
    } else if (isHandlerMode(mode)) {
        switch (route.kind) {
        case WebhookRoute::Kind::WebAppPage:
            plan.response = m_responses.webAppPage();
            break;
        case WebhookRoute::Kind::CleanPathRedirect:
            plan.response = m_responses.redirect(301, route.location, getOrHead);
            break;
        case WebhookRoute::Kind::SubpathRedirect:
            plan.response = m_responses.redirect(302, route.location, getOrHead);
            break;
        default:
            plan.response = m_responses.methodNotAllowed();
            break;
        }
        return plan;
    }

    // Proxy and connection modes act on any request. A reset or a hang after the
    // whole request arrived keeps what the handler would have done: the post
    // exists, only the response is lost.
    const bool handlerWouldPost = plan.wouldCreatePost;
    const int handlerPosts = plan.postsCreated;
    const HttpResponse handlerResponse = plan.response;
    plan.wouldCreatePost = false;
    plan.postsCreated = 0;

    const QByteArray location =
            m_options.location.isEmpty() ? defaultLocation(request) : m_options.location.toUtf8();
    switch (mode) {
    case WebhookMode::TooLarge413:
        plan.response = m_responses.tooLarge();
        break;
    case WebhookMode::RateLimited:
        plan.response = m_responses.rateLimited();
        break;
    case WebhookMode::MethodNotAllowed:
        plan.response = m_responses.methodNotAllowed();
        break;
    case WebhookMode::Redirect301:
        plan.response = m_responses.redirect(301, location, getOrHead);
        break;
    case WebhookMode::Redirect302:
        plan.response = m_responses.redirect(302, location, getOrHead);
        break;
    case WebhookMode::Redirect307:
        plan.response = m_responses.redirect(307, location, getOrHead);
        break;
    case WebhookMode::Redirect308:
        plan.response = m_responses.redirect(308, location, getOrHead);
        break;
    case WebhookMode::GetHtml:
        plan.response = m_responses.webAppPage();
        break;
    case WebhookMode::UseHttps:
        plan.response = m_responses.useHttps();
        break;
    case WebhookMode::Proxy502:
        plan.response = m_responses.proxyError(502);
        break;
    case WebhookMode::Proxy503:
        plan.response = m_responses.proxyError(503);
        break;
    case WebhookMode::Proxy504:
        plan.response = m_responses.proxyError(504);
        break;
    case WebhookMode::OkWrongBody:
        plan.response = m_responses.captivePortal();
        break;
    case WebhookMode::ResetBeforeResponse:
        plan.action = ResponsePlan::Action::Reset;
        plan.wouldCreatePost = handlerWouldPost;
        plan.postsCreated = handlerPosts;
        break;
    case WebhookMode::Hang:
        plan.action = ResponsePlan::Action::Hang;
        plan.wouldCreatePost = handlerWouldPost;
        plan.postsCreated = handlerPosts;
        break;
    case WebhookMode::ResetMidResponse:
        plan.action = ResponsePlan::Action::PartialResponse;
        plan.response = route.kind == WebhookRoute::Kind::Webhook ? handlerResponse
                                                                  : m_responses.webAppPage();
        plan.wouldCreatePost = handlerWouldPost;
        plan.postsCreated = handlerPosts;
        break;
    default:
        break;
    }
    return plan;
}

ResponsePlan WebhookDoubleServer::planHandlerResponse(WebhookMode mode, const HttpRequest &request,
                                                      const QString &hookId) const
{
    ResponsePlan plan;
    plan.payload = decodeWebhookPayload(request);
    const WebhookPayload &payload = *plan.payload;
    const QString &mediaType = payload.mediaType;

    switch (mode) {
    case WebhookMode::BadPayload:
        plan.response = m_responses.decodeError(hookId, mediaType);
        return plan;
    case WebhookMode::NoText:
        plan.response = m_responses.noText(hookId, mediaType);
        return plan;
    case WebhookMode::UnknownHook:
        plan.response = m_responses.invalidHook(hookId, mediaType);
        return plan;
    case WebhookMode::ChannelNotFound:
        plan.response = m_responses.channelNotFound(hookId, mediaType);
        return plan;
    case WebhookMode::ChannelLocked:
        plan.response = m_responses.channelLocked(hookId, mediaType);
        return plan;
    case WebhookMode::Disabled:
        plan.response = m_responses.disabled(hookId, mediaType);
        return plan;
    case WebhookMode::ServerError:
        plan.response = m_responses.serverError(hookId, mediaType);
        return plan;
    case WebhookMode::Hardened500:
        plan.response = m_responses.hardened500();
        return plan;
    default:
        break;
    }

    // The handler's own checks, in the order Mattermost makes them.
    if (request.body.size() > m_options.bodyCap) {
        // A form body over the cap is a 413 in current versions; a JSON body is cut
        // at the cap and then fails to decode. Either way the server closes the
        // connection.
        plan.response = payload.isForm && m_options.flavor == WebhookFlavor::Current
                ? m_responses.tooLarge()
                : m_responses.decodeError(hookId, mediaType);
        plan.response.closeConnection = true;
    } else if (payload.error == WebhookPayload::Error::MediaType) {
        plan.response = m_responses.mediaTypeError(hookId);
    } else if (payload.error == WebhookPayload::Error::Decode) {
        plan.response = m_responses.decodeError(hookId, mediaType);
    } else if (payload.error == WebhookPayload::Error::NoText) {
        plan.response = m_responses.noText(hookId, mediaType);
    } else if (!m_options.hookIds.contains(hookId)) {
        plan.response = m_responses.invalidHook(hookId, mediaType);
    } else {
        plan.response = mode == WebhookMode::RateHeadersOk ? m_responses.okWithRateHeaders()
                                                           : m_responses.ok();
        plan.wouldCreatePost = true;
        const qsizetype codePoints = codePointCount(payload.text);
        plan.postsCreated = static_cast<int>(
                std::max<qsizetype>(1, (codePoints + MaxPostCodePoints - 1) / MaxPostCodePoints));
    }

    if (mode == WebhookMode::OkSlow)
        plan.action = ResponsePlan::Action::RespondAfterDelay;
    else if (mode == WebhookMode::OkStalledBody)
        plan.action = ResponsePlan::Action::StallBody;
    else if (mode == WebhookMode::IdleClose)
        plan.action = ResponsePlan::Action::RespondThenIdleClose;
    return plan;
}

void WebhookDoubleServer::execute(DoubleConnection *connection, const ResponsePlan &plan,
                                  bool headRequest)
{
    QTcpSocket *socket = connection->socket();
    const QByteArray bytes = plan.response.serialize(headRequest, m_options.lowerCaseHeaderNames);
    const bool close = plan.response.closeConnection;

    switch (plan.action) {
    case ResponsePlan::Action::Respond:
        socket->write(bytes);
        finishResponse(connection, close);
        return;
    case ResponsePlan::Action::RespondThenIdleClose:
        socket->write(bytes);
        if (!close)
            connection->idleTimer.start(m_options.idleCloseMs);
        finishResponse(connection, close);
        return;
    case ResponsePlan::Action::RespondAfterDelay:
        connection->busy = true;
        QTimer::singleShot(m_options.delayMs, connection, [this, connection, bytes, close] {
            connection->busy = false;
            if (!connection->isOpen())
                return;
            connection->socket()->write(bytes);
            finishResponse(connection, close);
        });
        return;
    case ResponsePlan::Action::StallBody: {
        const qsizetype headEnd = bytes.indexOf("\r\n\r\n") + 4;
        socket->write(bytes.left(headEnd));
        connection->busy = true;
        QTimer::singleShot(m_options.delayMs, connection,
                           [this, connection, bytes, headEnd, close] {
                               connection->busy = false;
                               if (!connection->isOpen())
                                   return;
                               connection->socket()->write(bytes.mid(headEnd));
                               finishResponse(connection, close);
                           });
        return;
    }
    case ResponsePlan::Action::PartialResponse: {
        // The status line and the first 12 bytes of the header fields.
        const qsizetype cut = bytes.indexOf("\r\n") + 2 + 12;
        socket->write(bytes.left(cut));
        socket->disconnectFromHost();
        exitWhenFlushed(connection);
        return;
    }
    case ResponsePlan::Action::Reset:
        if (connection->exitPending)
            QMetaObject::invokeMethod(this, &WebhookDoubleServer::exitRequested,
                                      Qt::QueuedConnection);
        connection->reset();
        return;
    case ResponsePlan::Action::Hang:
        connection->busy = true;
        exitWhenFlushed(connection);
        return;
    }
}

void WebhookDoubleServer::finishResponse(DoubleConnection *connection, bool closeConnection)
{
    if (closeConnection)
        connection->socket()->disconnectFromHost();
    exitWhenFlushed(connection);
    if (!closeConnection)
        processInput(connection);
}

void WebhookDoubleServer::exitWhenFlushed(DoubleConnection *connection)
{
    if (!connection->exitPending)
        return;
    QTcpSocket *socket = connection->socket();
    if (!socket || socket->bytesToWrite() == 0) {
        QMetaObject::invokeMethod(this, &WebhookDoubleServer::exitRequested, Qt::QueuedConnection);
        return;
    }
    const auto exitIfFlushed = [this, socket] {
        if (socket->bytesToWrite() == 0 || socket->state() != QAbstractSocket::ConnectedState)
            Q_EMIT exitRequested();
    };
    connect(socket, &QTcpSocket::bytesWritten, this, exitIfFlushed);
    connect(socket, &QTcpSocket::disconnected, this, exitIfFlushed);
}

QByteArray WebhookDoubleServer::defaultLocation(const HttpRequest &request) const
{
    return "http://127.0.0.1:" + QByteArray::number(m_server.serverPort()) + request.target;
}
