#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

/*!
    \brief One HTTP/1.1 request as it arrived: request line, header fields in
    wire order and the raw body.
*/
struct HttpRequest
{
    QByteArray method;
    QByteArray target;
    QByteArray path;
    QByteArray query;
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 contentLength = 0;

    /*! Returns the value of the first header field named \a name, compared case-insensitively. */
    QByteArray header(const QByteArray &name) const;
    bool hasHeader(const QByteArray &name) const;

    /*! Returns true when the client asked to close the connection after this request. */
    bool wantsClose() const;
};

/*!
    \brief An incremental HTTP/1.1 request parser for bodies with Content-Length.

    The parser is written by hand so the double can act at each stage of a
    request: after the head (to reset in the middle of a request) and after
    the body. Chunked request bodies are rejected as invalid.
*/
class HttpRequestParser
{
public:
    enum class Progress {
        NeedMoreData,
        HeadComplete, // returned once per request, before the body is read
        RequestComplete,
        Invalid,
    };

    static constexpr qsizetype MaxHeadSize = 64 * 1024;
    static constexpr qint64 MaxBodySize = 64 * 1024 * 1024;

    void append(const QByteArray &bytes);

    /*! Parses as far as the buffered bytes allow and returns how far it got. */
    Progress advance();

    /*! Returns the request parsed so far: its head after HeadComplete, all of it after RequestComplete. */
    const HttpRequest &request() const { return m_request; }

    /*! Returns the body bytes buffered so far, for a request that is cut off. */
    QByteArray partialBody() const;

    /*! Starts on the next request, keeping bytes that arrived after the previous one. */
    void startNextRequest();

    QString errorString() const { return m_errorString; }

private:
    enum class Stage { Head, Body, Done, Failed };

    bool parseHead(const QByteArray &head);

    QByteArray m_buffer;
    HttpRequest m_request;
    Stage m_stage = Stage::Head;
    QString m_errorString;
};
