#include "webhookpayload.h"

#include "httprequestparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

#include <optional>

namespace {

// Parses a Content-Type value like Go's mime.ParseMediaType, leniently: a
// "type/subtype" token pair and optional "; name=value" parameters.
std::optional<QString> parseMediaType(const QByteArray &value)
{
    static const QRegularExpression mediaType(
            QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    static const QRegularExpression parameter(
            QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+=(\"[^\"]*\"|[^\\s\";]+)$"));

    const QList<QByteArray> parts = value.split(';');
    const QString type = QString::fromLatin1(parts.first().trimmed());
    if (!mediaType.match(type).hasMatch())
        return std::nullopt;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString trimmed = QString::fromLatin1(parts.at(i).trimmed());
        if (trimmed.isEmpty() && i == parts.size() - 1)
            break;
        if (!parameter.match(trimmed).hasMatch())
            return std::nullopt;
    }
    return type.toLower();
}

// Escapes raw newlines and tabs inside JSON strings. Mattermost retries a
// failed decode after doing the same for the text fields of a payload.
QByteArray escapeControlCharacters(const QByteArray &json)
{
    QByteArray result;
    result.reserve(json.size());
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString && !escaped && c == '\n') {
            result.append("\\n");
            continue;
        }
        if (inString && !escaped && c == '\t') {
            result.append("\\t");
            continue;
        }
        if (inString && !escaped && c == '\\') {
            escaped = true;
            result.append(c);
            continue;
        }
        if (!escaped && c == '"')
            inString = !inString;
        escaped = false;
        result.append(c);
    }
    return result;
}

// Parses the first JSON value of \a json, ignoring what follows it, as Go's
// json.Decoder does.
std::optional<QJsonDocument> parseFirstJsonValue(const QByteArray &json)
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error == QJsonParseError::GarbageAtEnd)
        document = QJsonDocument::fromJson(json.left(error.offset), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    return document;
}

// Looks a key up the way encoding/json does: the exact name first, then any
// case-insensitive match.
QJsonValue lookUp(const QJsonObject &object, const QString &key)
{
    if (object.contains(key))
        return object.value(key);
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key().compare(key, Qt::CaseInsensitive) == 0)
            return it.value();
    }
    return QJsonValue(QJsonValue::Undefined);
}

bool decodeJson(const QByteArray &json, WebhookPayload &payload)
{
    std::optional<QJsonDocument> document = parseFirstJsonValue(json);
    if (!document)
        document = parseFirstJsonValue(escapeControlCharacters(json));
    if (!document)
        return false;

    // The literal null decodes into an empty request.
    if (document->isNull())
        return true;
    if (!document->isObject())
        return false;

    const QJsonObject object = document->object();
    const auto isStringOrAbsent = [](const QJsonValue &value) {
        return value.isUndefined() || value.isNull() || value.isString();
    };
    const QJsonValue text = lookUp(object, QStringLiteral("text"));
    const QJsonValue channel = lookUp(object, QStringLiteral("channel"));
    const QJsonValue attachments = lookUp(object, QStringLiteral("attachments"));
    const QJsonValue props = lookUp(object, QStringLiteral("props"));
    for (const QString &key : {QStringLiteral("username"), QStringLiteral("icon_url"),
                               QStringLiteral("icon_emoji"), QStringLiteral("type")}) {
        if (!isStringOrAbsent(lookUp(object, key)))
            return false;
    }
    if (!isStringOrAbsent(text) || !isStringOrAbsent(channel))
        return false;
    if (!attachments.isUndefined() && !attachments.isNull() && !attachments.isArray())
        return false;
    if (!props.isUndefined() && !props.isNull() && !props.isObject())
        return false;

    payload.hasText = text.isString();
    payload.text = text.toString();
    payload.hasChannel = channel.isString();
    payload.channel = channel.toString();
    for (const QJsonValue &attachment : attachments.toArray()) {
        if (attachment.isObject())
            ++payload.attachmentCount;
        else if (!attachment.isNull())
            return false;
    }
    return true;
}

} // namespace

WebhookPayload decodeWebhookPayload(const HttpRequest &request)
{
    WebhookPayload payload;

    if (request.hasHeader("Content-Type")) {
        const std::optional<QString> mediaType = parseMediaType(request.header("Content-Type"));
        if (!mediaType) {
            payload.error = WebhookPayload::Error::MediaType;
            return payload;
        }
        payload.mediaType = *mediaType;
    }

    QByteArray json = request.body;
    if (payload.mediaType == QLatin1String("application/x-www-form-urlencoded")) {
        payload.isForm = true;
        QByteArray form = request.body;
        form.replace('+', ' ');
        const QUrlQuery query(QString::fromUtf8(form));
        json = query.queryItemValue(QStringLiteral("payload"), QUrl::FullyDecoded).toUtf8();
    } else if (payload.mediaType == QLatin1String("multipart/form-data")) {
        // NOTE: the double does not parse multipart bodies and rejects them as undecodable,
        // which a real server does only for unknown form keys.
        payload.error = WebhookPayload::Error::Decode;
        return payload;
    }

    if (!decodeJson(json, payload)) {
        payload.error = WebhookPayload::Error::Decode;
        return payload;
    }
    if (payload.text.isEmpty() && payload.attachmentCount == 0)
        payload.error = WebhookPayload::Error::NoText;
    return payload;
}

qsizetype codePointCount(const QString &text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}
