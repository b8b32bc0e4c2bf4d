#include "requestrecorder.h"

#include "httprequestparser.h"
#include "webhookpayload.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

RequestRecorder::RequestRecorder(QString path) : m_path(std::move(path)) { }

bool RequestRecorder::append(const RecordedRequest &record, const HttpRequest &request,
                             const WebhookPayload *payload) const
{
    if (m_path.isEmpty())
        return true;

    QJsonArray headers;
    for (const auto &field : request.headers) {
        headers.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(field.first)},
                                   {QStringLiteral("value"), QString::fromLatin1(field.second)}});
    }

    QJsonObject object{
            {QStringLiteral("sequence"), record.sequence},
            {QStringLiteral("connection"), record.connection},
            {QStringLiteral("receivedAt"), record.receivedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("receivedAtMs"), record.receivedAt.toMSecsSinceEpoch()},
            {QStringLiteral("mode"), record.mode},
            {QStringLiteral("method"), QString::fromLatin1(request.method)},
            {QStringLiteral("target"), QString::fromLatin1(request.target)},
            {QStringLiteral("path"), QString::fromLatin1(request.path)},
            {QStringLiteral("query"), QString::fromLatin1(request.query)},
            {QStringLiteral("version"), QString::fromLatin1(request.version)},
            {QStringLiteral("headers"), headers},
            {QStringLiteral("body"), QString::fromUtf8(request.body)},
            {QStringLiteral("bodyBase64"), QString::fromLatin1(request.body.toBase64())},
            {QStringLiteral("bodySize"), request.body.size()},
            {QStringLiteral("complete"), record.complete},
            {QStringLiteral("status"), record.status},
            {QStringLiteral("outcome"), record.outcome},
            {QStringLiteral("wouldCreatePost"), record.wouldCreatePost},
            {QStringLiteral("postsCreated"), record.postsCreated},
    };
    if (payload) {
        object.insert(QStringLiteral("mediaType"), payload->mediaType);
        object.insert(QStringLiteral("channel"),
                      payload->hasChannel ? QJsonValue(payload->channel) : QJsonValue());
        object.insert(QStringLiteral("text"),
                      payload->hasText ? QJsonValue(payload->text) : QJsonValue());
    }

    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        qWarning("Failed to open the record file \"%s\": %s", qPrintable(m_path),
                 qPrintable(file.errorString()));
        return false;
    }
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    if (file.write(line) != line.size()) {
        qWarning("Failed to write to the record file \"%s\": %s", qPrintable(m_path),
                 qPrintable(file.errorString()));
        return false;
    }
    return true;
}
