#include "shared/oneshotuploaddevice.h"

#include <cstring>

OneShotUploadDevice::OneShotUploadDevice(QByteArray data, QObject *parent)
    : QIODevice(parent), m_data(std::move(data))
{
    open(QIODevice::ReadOnly);
}

qint64 OneShotUploadDevice::size() const
{
    return m_data.size();
}

bool OneShotUploadDevice::seek(qint64 position)
{
    if (position < m_bytesRead) {
        m_rewindRefused = true;
        return false;
    }
    return QIODevice::seek(position);
}

bool OneShotUploadDevice::reset()
{
    return seek(0);
}

qint64 OneShotUploadDevice::readData(char *data, qint64 maxSize)
{
    const qint64 position = pos();
    const qint64 count = std::min(maxSize, m_data.size() - position);
    if (count <= 0)
        return 0;
    std::memcpy(data, m_data.constData() + position, static_cast<size_t>(count));
    m_bytesRead = std::max(m_bytesRead, position + count);
    return count;
}

qint64 OneShotUploadDevice::writeData(const char *, qint64)
{
    return -1;
}
