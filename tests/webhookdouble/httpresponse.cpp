#include "httpresponse.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &field : headers) {
        if (field.first.compare(name, Qt::CaseInsensitive) == 0)
            return field.second;
    }
    return {};
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &field : headers) {
        if (field.first.compare(name, Qt::CaseInsensitive) == 0) {
            field.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray HttpResponse::serialize(bool headRequest, bool lowerCaseNames) const
{
    QList<QPair<QByteArray, QByteArray>> fields = headers;
    std::stable_sort(fields.begin(), fields.end(),
                     [](const auto &left, const auto &right) { return left.first < right.first; });
    if (closeConnection)
        fields.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString date =
            QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    fields.append(qMakePair(QByteArray("Date"), date.toLatin1()));
    fields.append(qMakePair(QByteArray("Content-Length"), QByteArray::number(body.size())));

    QByteArray bytes =
            "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &field : fields) {
        bytes += lowerCaseNames ? field.first.toLower() : field.first;
        bytes += ": " + field.second + "\r\n";
    }
    bytes += "\r\n";
    if (!headRequest)
        bytes += body;
    return bytes;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Request Entity Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Unknown";
    }
}
