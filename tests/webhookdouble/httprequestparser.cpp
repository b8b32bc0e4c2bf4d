#include "httprequestparser.h"

#include <QByteArrayView>

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &field : headers) {
        if (field.first.compare(name, Qt::CaseInsensitive) == 0)
            return field.second;
    }
    return {};
}

bool HttpRequest::hasHeader(const QByteArray &name) const
{
    for (const auto &field : headers) {
        if (field.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool HttpRequest::wantsClose() const
{
    const QByteArray connection = header("Connection").trimmed().toLower();
    if (version == "HTTP/1.0")
        return connection != "keep-alive";
    return connection.split(',').contains("close");
}

void HttpRequestParser::append(const QByteArray &bytes)
{
    m_buffer.append(bytes);
}

HttpRequestParser::Progress HttpRequestParser::advance()
{
    if (m_stage == Stage::Failed)
        return Progress::Invalid;
    if (m_stage == Stage::Done)
        return Progress::RequestComplete;

    if (m_stage == Stage::Head) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > MaxHeadSize) {
                m_errorString =
                        QStringLiteral("request head is larger than %1 bytes").arg(MaxHeadSize);
                m_stage = Stage::Failed;
                return Progress::Invalid;
            }
            return Progress::NeedMoreData;
        }
        const QByteArray head = m_buffer.left(end);
        m_buffer.remove(0, end + 4);
        if (!parseHead(head)) {
            m_stage = Stage::Failed;
            return Progress::Invalid;
        }
        m_stage = Stage::Body;
        return Progress::HeadComplete;
    }

    if (m_buffer.size() < m_request.contentLength)
        return Progress::NeedMoreData;

    m_request.body = m_buffer.left(m_request.contentLength);
    m_buffer.remove(0, m_request.contentLength);
    m_stage = Stage::Done;
    return Progress::RequestComplete;
}

QByteArray HttpRequestParser::partialBody() const
{
    if (m_stage != Stage::Body)
        return m_request.body;
    return m_buffer.left(m_request.contentLength);
}

void HttpRequestParser::startNextRequest()
{
    m_request = {};
    m_stage = Stage::Head;
    m_errorString.clear();
}

bool HttpRequestParser::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine.at(0).isEmpty() || requestLine.at(1).isEmpty()) {
        m_errorString = QStringLiteral("malformed request line \"%1\"")
                                .arg(QString::fromLatin1(lines.first().trimmed()));
        return false;
    }
    m_request.method = requestLine.at(0);
    m_request.target = requestLine.at(1);
    m_request.version = requestLine.at(2);
    if (m_request.version != "HTTP/1.1" && m_request.version != "HTTP/1.0") {
        m_errorString = QStringLiteral("unsupported HTTP version \"%1\"")
                                .arg(QString::fromLatin1(m_request.version));
        return false;
    }

    const qsizetype queryStart = m_request.target.indexOf('?');
    m_request.path = queryStart < 0 ? m_request.target : m_request.target.left(queryStart);
    m_request.query = queryStart < 0 ? QByteArray() : m_request.target.mid(queryStart + 1);

    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.at(0) == ' ' || line.at(0) == '\t') {
            m_errorString =
                    QStringLiteral("malformed header line \"%1\"").arg(QString::fromLatin1(line));
            return false;
        }
        m_request.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }

    if (m_request.hasHeader("Transfer-Encoding")) {
        m_errorString = QStringLiteral("chunked request bodies are not supported by this double");
        return false;
    }
    if (m_request.hasHeader("Content-Length")) {
        bool ok = false;
        const QByteArray value = m_request.header("Content-Length");
        m_request.contentLength = value.toLongLong(&ok);
        if (!ok || m_request.contentLength < 0 || m_request.contentLength > MaxBodySize) {
            m_errorString =
                    QStringLiteral("invalid Content-Length \"%1\"").arg(QString::fromLatin1(value));
            return false;
        }
    }
    return true;
}
