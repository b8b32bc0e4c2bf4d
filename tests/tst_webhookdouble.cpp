#include "webhookdoubleprocess.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

namespace {

/*! \brief One raw HTTP response as read from the socket. */
struct RawResponse
{
    QByteArray statusLine;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray bytes;

    int status() const { return statusLine.split(' ').value(1).toInt(); }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &field : headers) {
            if (field.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &field : headers) {
            if (field.first.compare(name, Qt::CaseInsensitive) == 0)
                return field.second;
        }
        return {};
    }
};

// Sends \a request and reads until the double closes the connection.
RawResponse exchange(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    RawResponse response;
    if (!socket.waitForConnected(5000))
        return response;
    socket.write(request);
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
        response.bytes += socket.readAll();
    response.bytes += socket.readAll();

    const qsizetype headEnd = response.bytes.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return response;
    const QList<QByteArray> lines = response.bytes.left(headEnd).split('\n');
    response.statusLine = lines.first().trimmed();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        response.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    response.body = response.bytes.mid(headEnd + 4);
    return response;
}

QByteArray postRequest(const QByteArray &path, const QByteArray &body,
                       const QByteArray &contentType = "application/json")
{
    QByteArray request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!contentType.isEmpty())
        request += "Content-Type: " + contentType + "\r\n";
    return request + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray hookPath(const char *hookId = WebhookDoubleProcess::HookId)
{
    return QByteArray("/hooks/") + hookId;
}

const QRegularExpression &mattermostIdPattern()
{
    static const QRegularExpression pattern(
            QStringLiteral("^[ybndrfg8ejkmcpqxot1uwisza345h769]{26}$"));
    return pattern;
}

} // namespace

class tst_WebhookDouble : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void okResponseHeaders();
    void errorBodiesByteExact_data();
    void errorBodiesByteExact();
    void routing_data();
    void routing();
    void bodyOverCapClosesConnection();
    void rateLimitedResponse();
    void proxyErrorIsHtml();
    void resetBeforeResponseRecordsPost();
    void sequenceLastModeRepeats();
    void followedRedirectTurnsPostIntoGet();
    void exitsAfterPosts();
    void invalidOptionsRejected_data();
    void invalidOptionsRejected();
};

void tst_WebhookDouble::okResponseHeaders()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({}));

    const RawResponse response =
            exchange(webhook.port(), postRequest(hookPath(), R"({"text":"hi"})"));

    QCOMPARE(response.statusLine, QByteArray("HTTP/1.1 200 OK"));
    QCOMPARE(response.body, QByteArray("ok"));
    QCOMPARE(response.header("Content-Type"), QByteArray("text/plain"));
    QCOMPARE(response.header("Content-Length"), QByteArray("2"));
    QCOMPARE(response.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(response.header("Referrer-Policy"), QByteArray("no-referrer"));
    QCOMPARE(response.header("Vary"), QByteArray("Accept-Encoding"));
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    QVERIFY(response.hasHeader("Permissions-Policy"));
    QVERIFY(response.hasHeader("Date"));
    QVERIFY(response.header("X-Version-Id").startsWith("11.6.0."));
    QVERIFY2(mattermostIdPattern()
                     .match(QString::fromLatin1(response.header("X-Request-Id")))
                     .hasMatch(),
             response.header("X-Request-Id").constData());
}

void tst_WebhookDouble::errorBodiesByteExact_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("flavor");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body"); // <R> stands for the request id, <H> for the hook id

    const QByteArray general =
            R"({"id":"web.incoming_webhook.general.app_error","message":"Failed to handle the payload of media type application/json for incoming webhook <H>.","detailed_error":"","request_id":"<R>","status_code":)";
    const auto legacy = [](const char *id, const char *message, int status) -> QByteArray {
        return QByteArray(R"({"id":")") + id + R"(","message":")" + message
                + R"(","detailed_error":"","request_id":"<R>","status_code":)"
                + QByteArray::number(status) + '}';
    };
    const QString current = QStringLiteral("current");
    const QString old = QStringLiteral("legacy");

    QTest::newRow("bad payload, current")
            << QStringLiteral("bad_payload") << current << 400
            << QByteArray(
                       R"({"id":"web.incoming_webhook.decode.app_error","message":"Failed to decode the payload of media type application/json for incoming webhook <H>.","detailed_error":"","request_id":"<R>","status_code":400})");
    QTest::newRow("bad payload, legacy") << QStringLiteral("bad_payload") << old << 400
                                         << legacy("model.incoming_hook.parse_data.app_error",
                                                   "Unable to parse incoming data.", 400);
    QTest::newRow("no text, current")
            << QStringLiteral("no_text") << current << 400 << general + "400}";
    QTest::newRow("no text, legacy")
            << QStringLiteral("no_text") << old << 400
            << legacy("web.incoming_webhook.text.app_error", "No text specified.", 400);
    QTest::newRow("unknown hook, current")
            << QStringLiteral("unknown_hook") << current << 400 << general + "400}";
    QTest::newRow("unknown hook, legacy")
            << QStringLiteral("unknown_hook") << old << 400
            << legacy("web.incoming_webhook.invalid.app_error", "Invalid webhook.", 400);
    QTest::newRow("channel not found, current")
            << QStringLiteral("channel_not_found") << current << 404 << general + "404}";
    QTest::newRow("channel not found, legacy")
            << QStringLiteral("channel_not_found") << old << 404
            << legacy("web.incoming_webhook.channel.app_error", "Couldn't find the channel.", 404);
    QTest::newRow("channel locked, current")
            << QStringLiteral("channel_locked") << current << 403 << general + "403}";
    QTest::newRow("channel locked, legacy")
            << QStringLiteral("channel_locked") << old << 403
            << legacy("web.incoming_webhook.channel_locked.app_error",
                      "This webhook is not permitted to post to the requested channel.", 403);
    QTest::newRow("disabled, current")
            << QStringLiteral("disabled") << current << 501 << general + "501}";
    QTest::newRow("disabled, legacy")
            << QStringLiteral("disabled") << old << 501
            << legacy("web.incoming_webhook.disabled.app_error",
                      "Incoming webhooks have been disabled by the system admin.", 501);
    QTest::newRow("server error, current")
            << QStringLiteral("server_error") << current << 500 << general + "500}";
    QTest::newRow("server error, legacy")
            << QStringLiteral("server_error") << old << 500
            << legacy("api.post.create_webhook_post.creating.app_error", "Error creating post.",
                      500);
    QTest::newRow("hardened 500") << QStringLiteral("hardened_500") << current << 500
                                  << legacy("", "Internal Server Error", 500);
    QTest::newRow("too large") << QStringLiteral("too_large_413") << old << 413
                               << legacy("api.context.request_body_too_large.app_error",
                                         "Unable to process request. Request body too large.", 413);
}

void tst_WebhookDouble::errorBodiesByteExact()
{
    QFETCH(QString, mode);
    QFETCH(QString, flavor);
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), mode, QStringLiteral("--flavor"), flavor}));

    const RawResponse response =
            exchange(webhook.port(), postRequest(hookPath(), R"({"text":"hi"})"));

    QCOMPARE(response.status(), status);
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    const QByteArray requestId = response.header("X-Request-Id");
    QVERIFY(mattermostIdPattern().match(QString::fromLatin1(requestId)).hasMatch());
    QByteArray expected = body;
    expected.replace("<R>", requestId).replace("<H>", WebhookDoubleProcess::HookId);
    QCOMPARE(response.body, expected);
    QCOMPARE(response.header("Content-Length"), QByteArray::number(expected.size()));
}

void tst_WebhookDouble::routing_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("bodyStart");

    const QByteArray json = R"({"text":"hi"})";
    QTest::newRow("GET on the hook is the web app page")
            << QByteArray("GET " + hookPath() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            << 200 << QByteArray("text/html; charset=utf-8") << QByteArray("<!doctype html>");
    QTest::newRow("PUT on the hook is 405")
            << QByteArray("PUT " + hookPath()
                          + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                            "Content-Length: 0\r\n\r\n")
            << 405 << QByteArray() << QByteArray();
    QTest::newRow("id with a dash is 405")
            << postRequest("/hooks/abc-def", json) << 405 << QByteArray() << QByteArray();
    QTest::newRow("trailing slash is 405")
            << postRequest(hookPath() + '/', json) << 405 << QByteArray() << QByteArray();
    QTest::newRow("empty id is 405")
            << postRequest("/hooks/", json) << 405 << QByteArray() << QByteArray();
    QTest::newRow("unclean path is 301")
            << postRequest("//hooks/abc", json) << 301 << QByteArray() << QByteArray();
    QTest::newRow("unknown hook is 400")
            << postRequest("/hooks/unknownhook1", json) << 400 << QByteArray("application/json")
            << QByteArray(R"({"id":"web.incoming_webhook.general.app_error")");
    QTest::newRow("empty text is 400")
            << postRequest(hookPath(), R"({"text":""})") << 400 << QByteArray("application/json")
            << QByteArray(R"({"id":"web.incoming_webhook.general.app_error")");
    QTest::newRow("invalid JSON is 400")
            << postRequest(hookPath(), R"({"text":)") << 400 << QByteArray("application/json")
            << QByteArray(R"({"id":"web.incoming_webhook.decode.app_error")");
    QTest::newRow("JSON array is 400")
            << postRequest(hookPath(), R"([{"text":"hi"}])") << 400
            << QByteArray("application/json")
            << QByteArray(R"({"id":"web.incoming_webhook.decode.app_error")");
    QTest::newRow("unparsable content type is 400")
            << postRequest(hookPath(), json, "application/x-www-form-urlencoded wrongtext") << 400
            << QByteArray("application/json")
            << QByteArray(R"({"id":"web.incoming_webhook.media_type.app_error")");
    QTest::newRow("no content type is JSON") << postRequest(hookPath(), json, QByteArray()) << 200
                                             << QByteArray("text/plain") << QByteArray("ok");
    QTest::newRow("form payload is accepted")
            << postRequest(hookPath(), "payload=%7B%22text%22%3A%22hi%22%7D",
                           "application/x-www-form-urlencoded")
            << 200 << QByteArray("text/plain") << QByteArray("ok");
    QTest::newRow("raw newline in text is accepted")
            << postRequest(hookPath(), "{\"text\":\"line one\nline two\"}") << 200
            << QByteArray("text/plain") << QByteArray("ok");
    QTest::newRow("attachment without text is accepted")
            << postRequest(hookPath(), R"({"attachments":[{"text":"a"}]})") << 200
            << QByteArray("text/plain") << QByteArray("ok");
}

void tst_WebhookDouble::routing()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, bodyStart);

    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({}));

    const RawResponse response = exchange(webhook.port(), request);

    QCOMPARE(response.status(), status);
    QCOMPARE(response.header("Content-Type"), contentType);
    QVERIFY2(response.body.startsWith(bodyStart), response.body.constData());
    if (bodyStart.isEmpty())
        QCOMPARE(response.body, QByteArray());
    if (status == 405)
        QVERIFY(!response.hasHeader("X-Request-Id"));

    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value(QLatin1String("wouldCreatePost")).toBool(),
             status == 200 && request.startsWith("POST"));
}

void tst_WebhookDouble::bodyOverCapClosesConnection()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--body-cap"), QStringLiteral("100")}));
    const QByteArray body = R"({"text":")" + QByteArray(200, 'x') + R"("})";

    const RawResponse response = exchange(webhook.port(), postRequest(hookPath(), body));

    QCOMPARE(response.status(), 400);
    QCOMPARE(response.header("Connection"), QByteArray("close"));
    QVERIFY(response.body.startsWith(R"({"id":"web.incoming_webhook.decode.app_error")"));
    QCOMPARE(webhook.records().first().value(QLatin1String("wouldCreatePost")).toBool(), false);
}

void tst_WebhookDouble::rateLimitedResponse()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("rate_limited"),
                           QStringLiteral("--retry-after"), QStringLiteral("7")}));

    const RawResponse response =
            exchange(webhook.port(), postRequest(hookPath(), R"({"text":"hi"})"));

    QCOMPARE(response.statusLine, QByteArray("HTTP/1.1 429 Too Many Requests"));
    QCOMPARE(response.body, QByteArray("limit exceeded\n"));
    QCOMPARE(response.header("Content-Type"), QByteArray("text/plain; charset=utf-8"));
    QCOMPARE(response.header("Retry-After"), QByteArray("7"));
    QCOMPARE(response.header("X-Ratelimit-Reset"), QByteArray("7"));
    QCOMPARE(response.header("X-Ratelimit-Limit"), QByteArray("101"));
    QCOMPARE(response.header("X-Ratelimit-Remaining"), QByteArray("0"));
    QVERIFY(!response.hasHeader("X-Request-Id"));
}

void tst_WebhookDouble::proxyErrorIsHtml()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("proxy_502")}));

    const RawResponse response =
            exchange(webhook.port(), postRequest(hookPath(), R"({"text":"hi"})"));

    QCOMPARE(response.status(), 502);
    QCOMPARE(response.header("Content-Type"), QByteArray("text/html"));
    QVERIFY(response.body.contains("<title>502 Bad Gateway</title>"));
    QCOMPARE(webhook.records().first().value(QLatin1String("wouldCreatePost")).toBool(), false);
}

void tst_WebhookDouble::resetBeforeResponseRecordsPost()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("reset_before_response")}));

    const RawResponse response =
            exchange(webhook.port(), postRequest(hookPath(), R"({"text":"hi"})"));

    QCOMPARE(response.bytes, QByteArray());
    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value(QLatin1String("outcome")).toString(), QStringLiteral("reset"));
    QCOMPARE(records.first().value(QLatin1String("wouldCreatePost")).toBool(), true);
    QCOMPARE(records.first().value(QLatin1String("status")).toInt(), 0);
}

void tst_WebhookDouble::sequenceLastModeRepeats()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--sequence"), QStringLiteral("proxy_503,ok")}));

    QList<int> statuses;
    for (int i = 0; i < 3; ++i)
        statuses.append(
                exchange(webhook.port(), postRequest(hookPath(), R"({"text":"hi"})")).status());

    QCOMPARE(statuses, (QList<int>{503, 200, 200}));
    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 3);
    QCOMPARE(records.at(0).value(QLatin1String("sequence")).toInt(), 1);
    QCOMPARE(records.at(2).value(QLatin1String("sequence")).toInt(), 3);
    QCOMPARE(records.at(0).value(QLatin1String("mode")).toString(), QStringLiteral("proxy_503"));
}

void tst_WebhookDouble::followedRedirectTurnsPostIntoGet()
{
    // Why the poster refuses redirects: Qt's default policy turns the POST
    // into a GET after a 301, which gets 200 with the web app page.
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--sequence"), QStringLiteral("redirect_301,ok")}));
    QNetworkAccessManager manager;
    QNetworkRequest request(webhook.webhookUrl());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));

    QNetworkReply *reply = manager.post(request, QByteArray(R"({"text":"hi"})"));
    QSignalSpy finishedSpy(reply, &QNetworkReply::finished);
    QVERIFY(finishedSpy.wait(10000));

    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().startsWith("<!doctype html>"));
    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(1).value(QLatin1String("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(records.at(1).value(QLatin1String("wouldCreatePost")).toBool(), false);
    delete reply;
}

void tst_WebhookDouble::exitsAfterPosts()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--exit-after-posts"), QStringLiteral("1")}));

    const RawResponse response =
            exchange(webhook.port(), postRequest(hookPath(), R"({"text":"hi"})"));

    QCOMPARE(response.body, QByteArray("ok"));
    QVERIFY(webhook.process().waitForFinished(10000));
    QCOMPARE(webhook.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(webhook.process().exitCode(), 0);
}

void tst_WebhookDouble::invalidOptionsRejected_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");

    QTest::newRow("unknown mode") << QStringList{QStringLiteral("--mode"), QStringLiteral("okay")}
                                  << QByteArray("unknown mode \"okay\"");
    QTest::newRow("bad flavor") << QStringList{QStringLiteral("--flavor"), QStringLiteral("new")}
                                << QByteArray("invalid --flavor \"new\"");
    QTest::newRow("bad hook id") << QStringList{QStringLiteral("--hook-id"), QStringLiteral("a-b")}
                                 << QByteArray("invalid --hook-id \"a-b\"");
    QTest::newRow("bad port") << QStringList{QStringLiteral("--port"), QStringLiteral("70000")}
                              << QByteArray("invalid --port \"70000\"");
}

void tst_WebhookDouble::invalidOptionsRejected()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);

    QProcess process;
    process.start(QStringLiteral(ATVM_WEBHOOK_DOUBLE), arguments);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 64);
    const QByteArray error = process.readAllStandardError();
    QVERIFY2(error.contains(message), error.constData());
}

QTEST_GUILESS_MAIN(tst_WebhookDouble)
#include "tst_webhookdouble.moc"
