#pragma once

#include <QByteArray>
#include <QString>

struct HttpRequest;

/*!
    \brief What the Mattermost handler makes of a request body, checked in
    the server's order: media type, decoding, then the text.
*/
struct WebhookPayload
{
    enum class Error {
        None,
        MediaType, // the Content-Type header cannot be parsed
        Decode, // the body is not a JSON object of the expected shape
        NoText, // no text and no attachment
    };

    Error error = Error::None;
    QString mediaType; // lower case without parameters; empty without a usable Content-Type
    bool hasText = false;
    bool hasChannel = false;
    QString text;
    QString channel;
    int attachmentCount = 0;
    bool isForm = false;
};

/*! Decodes \a request the way the webhook handler does and reports the first error. */
WebhookPayload decodeWebhookPayload(const HttpRequest &request);

/*! Returns the number of Unicode code points in \a text (Go's rune count). */
qsizetype codePointCount(const QString &text);
