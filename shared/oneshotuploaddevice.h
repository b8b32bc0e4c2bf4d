#pragma once

#include <QByteArray>
#include <QIODevice>

/*!
    \brief A read-only device over a byte array that cannot be rewound once
    it has been read.

    Qt's HTTP/1.1 code sends a request again by itself when the server closes
    the connection before responding (seen with Qt 6.4), and it
    rewinds the upload device to do so. For a webhook that can post the
    message twice. Used as a POST body, this device turns such a resend into
    QNetworkReply::ContentReSendError instead.
*/
class OneShotUploadDevice final : public QIODevice
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OneShotUploadDevice)

public:
    explicit OneShotUploadDevice(QByteArray data, QObject *parent = nullptr);

    qint64 size() const override;
    bool seek(qint64 position) override;
    bool reset() override;

    /*! Returns true once a rewind was refused, that is once Qt tried to send the body again. */
    bool wasRewindRefused() const { return m_rewindRefused; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    QByteArray m_data;
    qint64 m_bytesRead = 0;
    bool m_rewindRefused = false;
};
