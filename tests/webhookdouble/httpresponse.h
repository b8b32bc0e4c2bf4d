#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

/*!
    \brief One HTTP/1.1 response, written the way Go's net/http writes it:
    handler header fields sorted by name, then Connection, Date and
    Content-Length.
*/
struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool closeConnection = false;

    QByteArray header(const QByteArray &name) const;
    void setHeader(const QByteArray &name, const QByteArray &value);

    /*!
        Returns the bytes on the wire. A response to HEAD has no body. With
        \a lowerCaseNames the header names are sent in lower case, to check
        that clients compare them case-insensitively.
    */
    QByteArray serialize(bool headRequest, bool lowerCaseNames) const;
};

/*! Returns the standard reason phrase for \a status, for example "Bad Request" for 400. */
QByteArray reasonPhrase(int status);
