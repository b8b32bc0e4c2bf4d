#include "shared/oneshotuploaddevice.h"
#include "shared/webhookposter.h"
#include "shared/webhookreply.h"
#include "shared/webhookurl.h"

#include "webhookdoubleprocess.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace std::chrono_literals;

namespace {

QStringList s_messages;
QtMessageHandler s_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    s_messages.append(QString::fromLatin1(context.category ? context.category : "default")
                      + QLatin1String(": ") + message);
    if (s_previousHandler)
        s_previousHandler(type, context, message);
}

// Short timings so every retry path finishes within seconds. Jitter is off
// so the number of attempts before a deadline is exact.
PostPolicy testPolicy()
{
    PostPolicy policy;
    policy.transferTimeout = 5000ms;
    policy.initialBackoff = 100ms;
    policy.maxBackoff = 400ms;
    policy.deadline = 10000ms;
    policy.jitter = 0.0;
    policy.maxRetryAfter = 5s;
    return policy;
}

QByteArray headerValue(const QJsonObject &record, const QString &name)
{
    for (const QJsonValue &field : record.value(QLatin1String("headers")).toArray()) {
        const QJsonObject object = field.toObject();
        if (object.value(QLatin1String("name")).toString().compare(name, Qt::CaseInsensitive) == 0)
            return object.value(QLatin1String("value")).toString().toLatin1();
    }
    return {};
}

bool hasHeader(const QJsonObject &record, const QString &name)
{
    for (const QJsonValue &field : record.value(QLatin1String("headers")).toArray()) {
        if (field.toObject()
                    .value(QLatin1String("name"))
                    .toString()
                    .compare(name, Qt::CaseInsensitive)
            == 0) {
            return true;
        }
    }
    return false;
}

} // namespace

class tst_WebhookPoster : public QObject
{
    Q_OBJECT

private:
    // Posts through \a poster and waits for the outcome.
    PostOutcome postAndWait(WebhookPoster &poster, const QUrl &url, const QString &text,
                            int timeoutMs = 20000);

private Q_SLOTS:
    void init();
    void cleanup();

    void postsOnceInOkMode();
    void requestFormat();
    void permanentErrorsFailAtOnce_data();
    void permanentErrorsFailAtOnce();
    void rateLimitedWaitsForRetryAfter_data();
    void rateLimitedWaitsForRetryAfter();
    void retryAfterBeyondDeadlineFails();
    void transientStatusesRetried_data();
    void transientStatusesRetried();
    void serverErrorOnSplitTextIsAmbiguous();
    void redirectsFailWithoutFollowing_data();
    void redirectsFailWithoutFollowing();
    void wrongBodiesFail_data();
    void wrongBodiesFail();
    void resetBeforeResponseIsAmbiguous();
    void resetMidResponseIsAmbiguous();
    void resetMidRequestPostsAtMostOnce();
    void hangIsAmbiguousAfterTimeout();
    void connectionRefusedRetriedUntilDeadline();
    void transientStatusStopsAtDeadline();
    void invalidUrlFailsUpFront_data();
    void invalidUrlFailsUpFront();
    void emptyTextFailsUpFront();
    void secondPostWhileBusyIgnored();
    void abortBeforeSendSendsNothing();
    void abortDuringBackoffStops();
    void redactionHidesHookId();
    void uploadDeviceRefusesRewind();
    void retryAfterParsing_data();
    void retryAfterParsing();
};

PostOutcome tst_WebhookPoster::postAndWait(WebhookPoster &poster, const QUrl &url,
                                           const QString &text, int timeoutMs)
{
    QSignalSpy finishedSpy(&poster, &WebhookPoster::finished);
    poster.post(url, QStringLiteral("atvm-runs"), text);
    if (!finishedSpy.wait(timeoutMs) || finishedSpy.size() != 1)
        return PostOutcome{PostOutcome::Result::Failed, -1, -1, QStringLiteral("no outcome")};
    return finishedSpy.first().first().value<PostOutcome>();
}

void tst_WebhookPoster::init()
{
    s_messages.clear();
    s_previousHandler = qInstallMessageHandler(captureMessage);
}

void tst_WebhookPoster::cleanup()
{
    qInstallMessageHandler(s_previousHandler);
    for (const QString &message : std::as_const(s_messages)) {
        QVERIFY2(!message.contains(QLatin1String(WebhookDoubleProcess::HookId)),
                 qPrintable(QStringLiteral("A log message contains the hook id: ") + message));
    }
}

void tst_WebhookPoster::postsOnceInOkMode()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("ok")}));
    WebhookPoster poster(testPolicy());
    QSignalSpy attemptSpy(&poster, &WebhookPoster::attemptStarting);

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Posted);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, 200);
    QCOMPARE(outcome.error, QString());
    QCOMPARE(attemptSpy.size(), 1);
    QCOMPARE(attemptSpy.first().first().toInt(), 1);
    QVERIFY(!poster.isPosting());

    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value(QLatin1String("wouldCreatePost")).toBool(), true);
    QCOMPARE(records.first().value(QLatin1String("postsCreated")).toInt(), 1);

    // The log names the attempt, never the hook id (checked in cleanup()).
    QVERIFY(!s_messages.filter(QStringLiteral("attempt 1")).isEmpty());
}

void tst_WebhookPoster::requestFormat()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({}));
    WebhookPoster poster(testPolicy());
    const QString text = QStringLiteral("Build e2e-1 **FAILED**: 3 of 120 specs \"failed\" \u2013 "
                                        "\u00c4rger \U0001F680\nsecond line");

    const PostOutcome outcome = postAndWait(poster, webhook.webhookUrl(), text);
    QCOMPARE(outcome.result, PostOutcome::Result::Posted);

    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 1);
    const QJsonObject record = records.first();
    QCOMPARE(record.value(QLatin1String("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(record.value(QLatin1String("path")).toString(),
             QStringLiteral("/hooks/") + QLatin1String(WebhookDoubleProcess::HookId));
    QCOMPARE(record.value(QLatin1String("query")).toString(), QString());
    QCOMPARE(headerValue(record, QStringLiteral("Content-Type")), QByteArray("application/json"));
    QCOMPARE(headerValue(record, QStringLiteral("Connection")).toLower(), QByteArray("close"));
    QVERIFY(!hasHeader(record, QStringLiteral("Authorization")));
    QVERIFY(!hasHeader(record, QStringLiteral("Cookie")));
    QVERIFY(!hasHeader(record, QStringLiteral("Transfer-Encoding")));

    const QByteArray body =
            QByteArray::fromBase64(record.value(QLatin1String("bodyBase64")).toString().toLatin1());
    QCOMPARE(body, WebhookPoster::requestBody(QStringLiteral("atvm-runs"), text));
    QVERIFY(!body.contains('\n')); // compact JSON: the newline in the text is escaped
    QCOMPARE(QString::fromUtf8(body).toUtf8(), body); // valid UTF-8
    const QJsonObject payload = QJsonDocument::fromJson(body).object();
    QCOMPARE(payload.size(), 2);
    QCOMPARE(payload.value(QLatin1String("channel")).toString(), QStringLiteral("atvm-runs"));
    QCOMPARE(payload.value(QLatin1String("text")).toString(), text);
    QCOMPARE(record.value(QLatin1String("text")).toString(), text);
    QCOMPARE(record.value(QLatin1String("channel")).toString(), QStringLiteral("atvm-runs"));
}

void tst_WebhookPoster::permanentErrorsFailAtOnce_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorId"); // empty when the body is not Mattermost JSON

    const QString current = QStringLiteral("current");
    const QString legacy = QStringLiteral("legacy");
    const auto row = [](const char *name, const QString &mode, const QString &flavor, int status,
                        const QString &errorId) {
        QTest::newRow(name) << QStringList{QStringLiteral("--mode"), mode,
                                           QStringLiteral("--flavor"), flavor}
                            << status << errorId;
    };
    const QString general = QStringLiteral("web.incoming_webhook.general.app_error");
    row("bad payload, current", QStringLiteral("bad_payload"), current, 400,
        QStringLiteral("web.incoming_webhook.decode.app_error"));
    row("bad payload, legacy", QStringLiteral("bad_payload"), legacy, 400,
        QStringLiteral("model.incoming_hook.parse_data.app_error"));
    row("no text, current", QStringLiteral("no_text"), current, 400, general);
    row("no text, legacy", QStringLiteral("no_text"), legacy, 400,
        QStringLiteral("web.incoming_webhook.text.app_error"));
    row("unknown hook, current", QStringLiteral("unknown_hook"), current, 400, general);
    row("unknown hook, legacy", QStringLiteral("unknown_hook"), legacy, 400,
        QStringLiteral("web.incoming_webhook.invalid.app_error"));
    row("channel not found, current", QStringLiteral("channel_not_found"), current, 404, general);
    row("channel not found, legacy", QStringLiteral("channel_not_found"), legacy, 404,
        QStringLiteral("web.incoming_webhook.channel.app_error"));
    row("channel locked, current", QStringLiteral("channel_locked"), current, 403, general);
    row("channel locked, legacy", QStringLiteral("channel_locked"), legacy, 403,
        QStringLiteral("web.incoming_webhook.channel_locked.app_error"));
    row("webhooks disabled, current", QStringLiteral("disabled"), current, 501, general);
    row("webhooks disabled, legacy", QStringLiteral("disabled"), legacy, 501,
        QStringLiteral("web.incoming_webhook.disabled.app_error"));
    row("body too large", QStringLiteral("too_large_413"), current, 413,
        QStringLiteral("api.context.request_body_too_large.app_error"));
    row("method not allowed", QStringLiteral("method_not_allowed"), current, 405, QString());
    row("use https", QStringLiteral("use_https"), current, 400, QString());
}

void tst_WebhookPoster::permanentErrorsFailAtOnce()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, status);
    QFETCH(QString, errorId);

    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start(arguments));
    WebhookPoster poster(testPolicy());

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run failed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Failed);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, status);
    QVERIFY2(outcome.error.contains(QStringLiteral("HTTP %1").arg(status)),
             qPrintable(outcome.error));
    QVERIFY2(!outcome.error.contains(QLatin1String(WebhookDoubleProcess::HookId)),
             qPrintable(outcome.error));
    if (errorId.isEmpty()) {
        QVERIFY2(!outcome.error.contains(QLatin1String("error id")), qPrintable(outcome.error));
    } else {
        QVERIFY2(outcome.error.contains(QStringLiteral("error id \"%1\"").arg(errorId)),
                 qPrintable(outcome.error));
        static const QRegularExpression requestId(
                QStringLiteral("request id \"[ybndrfg8ejkmcpqxot1uwisza345h769]{26}\""));
        QVERIFY2(requestId.match(outcome.error).hasMatch(), qPrintable(outcome.error));
    }
    QCOMPARE(webhook.records().size(), 1);
}

void tst_WebhookPoster::rateLimitedWaitsForRetryAfter_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<std::chrono::seconds>("maxRetryAfter");
    QTest::addColumn<qint64>("minimumWaitMs");

    QTest::newRow("retry-after 1 s")
            << QStringList{QStringLiteral("--retry-after"), QStringLiteral("1")}
            << std::chrono::seconds(5) << qint64(1000);
    QTest::newRow("lower-case header name")
            << QStringList{QStringLiteral("--retry-after"), QStringLiteral("1"),
                           QStringLiteral("--lower-case-headers")}
            << std::chrono::seconds(5) << qint64(1000);
    QTest::newRow("retry-after 60 s capped to 1 s")
            << QStringList{QStringLiteral("--retry-after"), QStringLiteral("60")}
            << std::chrono::seconds(1) << qint64(1000);
}

void tst_WebhookPoster::rateLimitedWaitsForRetryAfter()
{
    QFETCH(QStringList, arguments);
    QFETCH(std::chrono::seconds, maxRetryAfter);
    QFETCH(qint64, minimumWaitMs);

    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start(
            QStringList{QStringLiteral("--sequence"), QStringLiteral("rate_limited,ok")}
            + arguments));
    PostPolicy policy = testPolicy();
    policy.maxRetryAfter = maxRetryAfter;
    WebhookPoster poster(policy);

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Posted);
    QCOMPARE(outcome.attempts, 2);
    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).value(QLatin1String("status")).toInt(), 429);
    QCOMPARE(records.at(1).value(QLatin1String("status")).toInt(), 200);
    // Measured by the double between the two requests it received. The test
    // policy's backoff is 100 ms, so a wait of a second or more comes from Retry-After.
    const qint64 waitMs = records.at(1).value(QLatin1String("receivedAtMs")).toInteger()
            - records.at(0).value(QLatin1String("receivedAtMs")).toInteger();
    QVERIFY2(waitMs >= minimumWaitMs, qPrintable(QStringLiteral("waited %1 ms").arg(waitMs)));
}

void tst_WebhookPoster::retryAfterBeyondDeadlineFails()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("rate_limited"),
                           QStringLiteral("--retry-after"), QStringLiteral("30")}));
    PostPolicy policy = testPolicy();
    policy.maxRetryAfter = 300s;
    policy.deadline = 2000ms;
    WebhookPoster poster(policy);

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Failed);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, 429);
    QVERIFY2(outcome.error.contains(QLatin1String("deadline")), qPrintable(outcome.error));
    QCOMPARE(webhook.records().size(), 1);
}

void tst_WebhookPoster::transientStatusesRetried_data()
{
    QTest::addColumn<QString>("sequence");
    QTest::addColumn<int>("attempts");

    QTest::newRow("503, 503, ok") << QStringLiteral("proxy_503,proxy_503,ok") << 3;
    QTest::newRow("502 then ok") << QStringLiteral("proxy_502,ok") << 2;
    QTest::newRow("504 then ok") << QStringLiteral("proxy_504,ok") << 2;
    QTest::newRow("500 then ok") << QStringLiteral("server_error,ok") << 2;
    QTest::newRow("hardened 500 then ok") << QStringLiteral("hardened_500,ok") << 2;
    QTest::newRow("legacy 500 then ok") << QStringLiteral("server_error,ok") << 2;
    QTest::newRow("429 without wait then ok") << QStringLiteral("rate_limited,ok") << 2;
}

void tst_WebhookPoster::transientStatusesRetried()
{
    QFETCH(QString, sequence);
    QFETCH(int, attempts);

    WebhookDoubleProcess webhook;
    QStringList arguments{QStringLiteral("--sequence"), sequence};
    if (QByteArray(QTest::currentDataTag()).startsWith("legacy"))
        arguments << QStringLiteral("--flavor") << QStringLiteral("legacy");
    if (QByteArray(QTest::currentDataTag()).startsWith("429"))
        arguments << QStringLiteral("--retry-after") << QStringLiteral("0");
    QVERIFY(webhook.start(arguments));
    WebhookPoster poster(testPolicy());
    QSignalSpy attemptSpy(&poster, &WebhookPoster::attemptStarting);

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Posted);
    QCOMPARE(outcome.attempts, attempts);
    QCOMPARE(outcome.httpStatus, 200);
    QCOMPARE(attemptSpy.size(), attempts);
    QCOMPARE(attemptSpy.last().first().toInt(), attempts);
    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), attempts);
    int posts = 0;
    for (const QJsonObject &record : records)
        posts += record.value(QLatin1String("wouldCreatePost")).toBool() ? 1 : 0;
    QCOMPARE(posts, 1);
}

void tst_WebhookPoster::serverErrorOnSplitTextIsAmbiguous()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("server_error")}));
    WebhookPoster poster(testPolicy());
    // One code point more than fits in one post: Mattermost would make two posts.
    const QString text = QString(16383, QLatin1Char('a')) + QStringLiteral("\U0001F680");

    const PostOutcome outcome = postAndWait(poster, webhook.webhookUrl(), text);

    QCOMPARE(outcome.result, PostOutcome::Result::Ambiguous);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, 500);
    QCOMPARE(webhook.records().size(), 1);
}

void tst_WebhookPoster::redirectsFailWithoutFollowing_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("status");

    QTest::newRow("301") << QStringLiteral("redirect_301") << 301;
    QTest::newRow("302") << QStringLiteral("redirect_302") << 302;
    QTest::newRow("307") << QStringLiteral("redirect_307") << 307;
    QTest::newRow("308") << QStringLiteral("redirect_308") << 308;
}

void tst_WebhookPoster::redirectsFailWithoutFollowing()
{
    QFETCH(QString, mode);
    QFETCH(int, status);

    WebhookDoubleProcess webhook;
    // After the redirect the double responds ok, so a followed redirect would post.
    QVERIFY(webhook.start({QStringLiteral("--sequence"), mode + QStringLiteral(",ok")}));
    WebhookPoster poster(testPolicy());

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Failed);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, status);
    // The Location is the same webhook URL, so it is shown redacted.
    const QString location =
            QStringLiteral("http://127.0.0.1:%1/hooks/<redacted>").arg(webhook.port());
    QVERIFY2(outcome.error.contains(location), qPrintable(outcome.error));
    QVERIFY2(!outcome.error.contains(QLatin1String(WebhookDoubleProcess::HookId)),
             qPrintable(outcome.error));

    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value(QLatin1String("method")).toString(), QStringLiteral("POST"));
}

void tst_WebhookPoster::wrongBodiesFail_data()
{
    QTest::addColumn<QString>("mode");

    QTest::newRow("web app page") << QStringLiteral("get_html");
    QTest::newRow("captive portal") << QStringLiteral("ok_wrong_body");
}

void tst_WebhookPoster::wrongBodiesFail()
{
    QFETCH(QString, mode);

    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), mode}));
    WebhookPoster poster(testPolicy());

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Failed);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, 200);
    QVERIFY2(outcome.error.contains(QLatin1String("instead of \"ok\"")), qPrintable(outcome.error));
    QCOMPARE(webhook.records().size(), 1);
}

void tst_WebhookPoster::resetBeforeResponseIsAmbiguous()
{
    WebhookDoubleProcess webhook;
    // The double responds ok to a second request, so a silent resend would show as a second record.
    QVERIFY(webhook.start(
            {QStringLiteral("--sequence"), QStringLiteral("reset_before_response,ok")}));
    WebhookPoster poster(testPolicy());

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Ambiguous);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, 0);
    QVERIFY(!outcome.error.isEmpty());
    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value(QLatin1String("wouldCreatePost")).toBool(), true);
}

void tst_WebhookPoster::resetMidResponseIsAmbiguous()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--sequence"), QStringLiteral("reset_mid_response,ok")}));
    WebhookPoster poster(testPolicy());

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Ambiguous);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(webhook.records().size(), 1);
}

void tst_WebhookPoster::resetMidRequestPostsAtMostOnce()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--sequence"), QStringLiteral("reset_mid_request,ok")}));
    WebhookPoster poster(testPolicy());

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    // Whether the body had left before the reset depends on socket timing:
    // either the poster saw it leave (Ambiguous, one request) or it retried.
    const QList<QJsonObject> records = webhook.records();
    QVERIFY(!records.isEmpty());
    QCOMPARE(records.first().value(QLatin1String("complete")).toBool(), false);
    QCOMPARE(records.size(), outcome.attempts);
    if (outcome.result == PostOutcome::Result::Ambiguous) {
        QCOMPARE(outcome.attempts, 1);
    } else {
        QCOMPARE(outcome.result, PostOutcome::Result::Posted);
        QCOMPARE(outcome.attempts, 2);
    }
    int posts = 0;
    for (const QJsonObject &record : records)
        posts += record.value(QLatin1String("wouldCreatePost")).toBool() ? 1 : 0;
    QVERIFY(posts <= 1);
}

void tst_WebhookPoster::hangIsAmbiguousAfterTimeout()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--sequence"), QStringLiteral("hang,ok")}));
    PostPolicy policy = testPolicy();
    policy.transferTimeout = 500ms;
    WebhookPoster poster(policy);

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Ambiguous);
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, 0);
    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value(QLatin1String("outcome")).toString(),
             QStringLiteral("no-response"));
}

void tst_WebhookPoster::connectionRefusedRetriedUntilDeadline()
{
    // A port that was free a moment ago: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();

    PostPolicy policy = testPolicy();
    policy.initialBackoff = 200ms;
    policy.maxBackoff = 200ms;
    policy.deadline = 1000ms;
    WebhookPoster poster(policy);
    QSignalSpy attemptSpy(&poster, &WebhookPoster::attemptStarting);
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/hooks/%2")
                           .arg(closedPort)
                           .arg(QLatin1String(WebhookDoubleProcess::HookId)));

    const PostOutcome outcome = postAndWait(poster, url, QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Failed);
    QCOMPARE(outcome.httpStatus, 0);
    // Waits of exactly 200 ms inside a 1000 ms deadline allow at most 5 retries.
    QVERIFY2(outcome.attempts >= 2, qPrintable(QString::number(outcome.attempts)));
    QVERIFY2(outcome.attempts <= 6, qPrintable(QString::number(outcome.attempts)));
    QCOMPARE(attemptSpy.size(), outcome.attempts);
    QVERIFY2(outcome.error.contains(QLatin1String("deadline")), qPrintable(outcome.error));
    QVERIFY2(!outcome.error.contains(QLatin1String(WebhookDoubleProcess::HookId)),
             qPrintable(outcome.error));
}

void tst_WebhookPoster::transientStatusStopsAtDeadline()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("proxy_503")}));
    PostPolicy policy = testPolicy();
    policy.initialBackoff = 200ms;
    policy.maxBackoff = 200ms;
    policy.deadline = 1000ms;
    WebhookPoster poster(policy);

    const PostOutcome outcome =
            postAndWait(poster, webhook.webhookUrl(), QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Failed);
    QCOMPARE(outcome.httpStatus, 503);
    QVERIFY2(outcome.attempts >= 2, qPrintable(QString::number(outcome.attempts)));
    QVERIFY2(outcome.attempts <= 6, qPrintable(QString::number(outcome.attempts)));
    QVERIFY2(outcome.error.contains(QLatin1String("deadline")), qPrintable(outcome.error));
    QCOMPARE(webhook.records().size(), outcome.attempts);
}

void tst_WebhookPoster::invalidUrlFailsUpFront_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("expected");

    const QString id = QLatin1String(WebhookDoubleProcess::HookId);
    QTest::newRow("empty") << QUrl() << QStringLiteral("missing");
    QTest::newRow("ftp scheme") << QUrl(QStringLiteral("ftp://127.0.0.1/hooks/") + id)
                                << QStringLiteral("scheme \"ftp\"");
    QTest::newRow("no scheme") << QUrl(QStringLiteral("127.0.0.1/hooks/") + id)
                               << QStringLiteral("scheme");
    QTest::newRow("no host") << QUrl(QStringLiteral("http:///hooks/") + id)
                             << QStringLiteral("no host");
    QTest::newRow("no path") << QUrl(QStringLiteral("http://127.0.0.1:1/"))
                             << QStringLiteral("no hook id");
    QTest::newRow("hooks without id") << QUrl(QStringLiteral("http://127.0.0.1:1/hooks/"))
                                      << QStringLiteral("does not end in /hooks/");
    QTest::newRow("id not under hooks") << QUrl(QStringLiteral("http://127.0.0.1:1/x/") + id)
                                        << QStringLiteral("does not end in /hooks/");
    QTest::newRow("extra segment")
            << QUrl(QStringLiteral("http://127.0.0.1:1/hooks/") + id + QStringLiteral("/extra"))
            << QStringLiteral("does not end in /hooks/");
    QTest::newRow("space in id") << QUrl(QStringLiteral("http://127.0.0.1:1/hooks/%20"))
                                 << QStringLiteral("does not end in /hooks/");
}

void tst_WebhookPoster::invalidUrlFailsUpFront()
{
    QFETCH(QUrl, url);
    QFETCH(QString, expected);

    WebhookPoster poster(testPolicy());
    QSignalSpy attemptSpy(&poster, &WebhookPoster::attemptStarting);

    const PostOutcome outcome = postAndWait(poster, url, QStringLiteral("Run passed"));

    QCOMPARE(outcome.result, PostOutcome::Result::Failed);
    QCOMPARE(outcome.attempts, 0);
    QCOMPARE(outcome.httpStatus, 0);
    QCOMPARE(attemptSpy.size(), 0);
    QVERIFY2(outcome.error.contains(expected), qPrintable(outcome.error));
    QVERIFY2(outcome.error.contains(QLatin1String("https://chat.example.com/hooks/<hook id>")),
             qPrintable(outcome.error));
    QVERIFY2(!outcome.error.contains(QLatin1String(WebhookDoubleProcess::HookId)),
             qPrintable(outcome.error));
}

void tst_WebhookPoster::emptyTextFailsUpFront()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({}));
    WebhookPoster poster(testPolicy());

    const PostOutcome outcome = postAndWait(poster, webhook.webhookUrl(), QStringLiteral("  \n"));

    QCOMPARE(outcome.result, PostOutcome::Result::Failed);
    QCOMPARE(outcome.attempts, 0);
    QVERIFY2(outcome.error.contains(QLatin1String("empty")), qPrintable(outcome.error));
    QCOMPARE(webhook.records().size(), 0);
}

void tst_WebhookPoster::secondPostWhileBusyIgnored()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("ok_slow"),
                           QStringLiteral("--delay-ms"), QStringLiteral("300")}));
    WebhookPoster poster(testPolicy());
    QSignalSpy finishedSpy(&poster, &WebhookPoster::finished);

    poster.post(webhook.webhookUrl(), QString(), QStringLiteral("first"));
    QVERIFY(poster.isPosting());
    poster.post(webhook.webhookUrl(), QString(), QStringLiteral("second"));
    QVERIFY(finishedSpy.wait(10000));

    QCOMPARE(finishedSpy.first().first().value<PostOutcome>().result, PostOutcome::Result::Posted);
    const QList<QJsonObject> records = webhook.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value(QLatin1String("text")).toString(), QStringLiteral("first"));
    // Without a channel the key is left out and the hook's own channel is used.
    QVERIFY(records.first().value(QLatin1String("channel")).isNull());
}

void tst_WebhookPoster::redactionHidesHookId()
{
    const QString id = QLatin1String(WebhookDoubleProcess::HookId);
    const QUrl url(
            QStringLiteral("https://user:secret@chat.example.com/team/hooks/%1?x=1").arg(id));

    QCOMPARE(redactedWebhookUrl(url),
             QStringLiteral("https://chat.example.com/team/hooks/<redacted>"));
    const QString qtError = QStringLiteral("Error transferring %1 - server replied: Bad Request")
                                    .arg(url.toString());
    const QString redacted = redactWebhookSecret(qtError, url);
    QVERIFY2(!redacted.contains(id), qPrintable(redacted));
    QVERIFY2(!redacted.contains(QLatin1String("secret")), qPrintable(redacted));
    QVERIFY2(redacted.contains(QLatin1String("chat.example.com")), qPrintable(redacted));
    const QString message =
            QStringLiteral("Failed to handle the payload for incoming webhook %1.").arg(id);
    QCOMPARE(redactWebhookSecret(message, url),
             QStringLiteral("Failed to handle the payload for incoming webhook <redacted>."));
}

void tst_WebhookPoster::uploadDeviceRefusesRewind()
{
    OneShotUploadDevice device(QByteArray("abc"));

    QCOMPARE(device.size(), qint64(3));
    QVERIFY(device.reset()); // nothing read yet
    QVERIFY(!device.wasRewindRefused());
    QCOMPARE(device.read(2), QByteArray("ab"));
    QVERIFY(!device.reset());
    QVERIFY(!device.seek(1));
    QVERIFY(device.wasRewindRefused());
    QCOMPARE(device.read(5), QByteArray("c"));
}

void tst_WebhookPoster::retryAfterParsing_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("seconds"); // -1 for no value

    QTest::newRow("seconds") << QByteArray("2") << 2;
    QTest::newRow("padded seconds") << QByteArray(" 7 ") << 7;
    QTest::newRow("zero") << QByteArray("0") << 0;
    QTest::newRow("http date 90 s ahead") << QByteArray("Wed, 21 Oct 2015 07:29:30 GMT") << 90;
    QTest::newRow("http date in the past") << QByteArray("Wed, 21 Oct 2015 07:00:00 GMT") << 0;
    QTest::newRow("negative") << QByteArray("-5") << -1;
    QTest::newRow("empty") << QByteArray() << -1;
    QTest::newRow("garbage") << QByteArray("soon") << -1;
}

void tst_WebhookPoster::retryAfterParsing()
{
    QFETCH(QByteArray, value);
    QFETCH(int, seconds);

    const QDateTime now(QDate(2015, 10, 21), QTime(7, 28, 0), Qt::UTC);
    const std::optional<std::chrono::seconds> parsed = parseRetryAfter(value, now);
    if (seconds < 0) {
        QVERIFY(!parsed);
    } else {
        QVERIFY(parsed);
        QCOMPARE(parsed->count(), seconds);
    }
}

void tst_WebhookPoster::abortBeforeSendSendsNothing()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--mode"), QStringLiteral("ok")}));

    // The watcher aborts here when it cannot record the attempt first. The
    // request is never created, so the double cannot have received one.
    WebhookPoster poster(testPolicy());
    connect(&poster, &WebhookPoster::attemptStarting, &poster,
            [&poster] { poster.abort(QStringLiteral("state not recorded")); });
    const PostOutcome outcome = postAndWait(poster, webhook.webhookUrl(), QStringLiteral("text"));
    QCOMPARE(int(outcome.result), int(PostOutcome::Result::Failed));
    QCOMPARE(outcome.error, QStringLiteral("state not recorded"));
    QCOMPARE(webhook.records().size(), 0);
}

void tst_WebhookPoster::abortDuringBackoffStops()
{
    WebhookDoubleProcess webhook;
    QVERIFY(webhook.start({QStringLiteral("--sequence"), QStringLiteral("rate_limited,ok"),
                           QStringLiteral("--retry-after"), QStringLiteral("5")}));

    WebhookPoster poster(testPolicy());
    QSignalSpy rejected(&poster, &WebhookPoster::attemptRejected);
    QSignalSpy finished(&poster, &WebhookPoster::finished);
    poster.post(webhook.webhookUrl(), QStringLiteral("atvm-runs"), QStringLiteral("text"));
    QVERIFY(rejected.wait(10000));
    QCOMPARE(rejected.first().first().toInt(), 1);

    poster.abort(QStringLiteral("stop requested"));
    QVERIFY(finished.wait(2000));
    const PostOutcome outcome = finished.first().first().value<PostOutcome>();
    QCOMPARE(int(outcome.result), int(PostOutcome::Result::Failed));
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(webhook.records().size(), 1);
}

QTEST_GUILESS_MAIN(tst_WebhookPoster)
#include "tst_webhookposter.moc"
