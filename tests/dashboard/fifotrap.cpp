#include "fifotrap.h"

#include <QFile>

#include <chrono>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

FifoTrap::FifoTrap(const QString &path) : m_path(path)
{
    const QByteArray nativePath = QFile::encodeName(path);
    m_valid = mkfifo(nativePath.constData(), 0600) == 0;
    if (!m_valid)
        return;
    m_thread = std::thread([this, nativePath] {
        while (!m_stop.load()) {
            const int fd = ::open(nativePath.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0) {
                ++m_readerCount;
                ::close(fd);
            }
            // A reader blocked in open() stays blocked until the next attempt.
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
}

FifoTrap::~FifoTrap()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}
