#pragma once

#include <QString>

#include <atomic>
#include <thread>

/*!
    \brief A FIFO that records whether the code under test opened it for reading.

    A helper thread keeps trying open(O_WRONLY | O_NONBLOCK), which succeeds only
    while a reader has the FIFO open or is blocked in open(). The thread closes
    its end at once, so a reader sees end of file and the test does not hang.
*/
class FifoTrap
{
public:
    explicit FifoTrap(const QString &path);
    ~FifoTrap();

    FifoTrap(const FifoTrap &) = delete;
    FifoTrap &operator=(const FifoTrap &) = delete;

    bool isValid() const { return m_valid; }
    QString path() const { return m_path; }

    /*! Returns how often a reader was found holding the FIFO open. */
    int readerCount() const { return m_readerCount.load(); }

private:
    QString m_path;
    bool m_valid = false;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_readerCount{0};
    std::thread m_thread;
};
