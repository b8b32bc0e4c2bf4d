#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QFile;

/*!
    \brief Place in a run log up to which its lines were handed out.

    offset is the byte just past the last complete line returned. device and
    inode identify the file that offset belongs to, so a restarted reader can
    tell whether the file was replaced in the meantime; 0 means unknown.
    headLength and headSha1 fingerprint the start of that file, so a reader can
    tell a rewritten file from the same one and a copy of it from another file.
*/
struct LogPosition
{
    qint64 offset = 0;
    quint64 device = 0;
    quint64 inode = 0;

    /*! Bytes at the start of the file that headSha1 covers, at most
        LogFollower::headBytes and at most offset. 0 means no fingerprint. */
    qint64 headLength = 0;
    /*! SHA-1 of the first headLength bytes of the file (20 raw bytes). */
    // The "= {}" lets callers write LogPosition{offset, device, inode} without
    // GCC 12's -Wmissing-field-initializers, which -Werror turns into an error.
    QByteArray headSha1 = {};

    /*! Returns {"offset", "device", "inode", "head_length", "head_sha1"}; device
        and inode are written as strings because JSON numbers lose precision above
        2^53, and head_sha1 is hexadecimal. */
    QJsonObject toJson() const;

    /*! Reads an object written by toJson(). An object without the head keys (saved
        by an older watcher) gives no fingerprint. An invalid fingerprint is logged
        and dropped. */
    static LogPosition fromJson(const QJsonObject &object);

    bool operator==(const LogPosition &other) const
    {
        return offset == other.offset && device == other.device && inode == other.inode
                && headLength == other.headLength && headSha1 == other.headSha1;
    }
};

/*!
    \brief Reads a growing log file incrementally, one complete line at a time.

    Each readNewLines() call seeks to where the previous call stopped and reads
    only the bytes added since, so its cost grows with the new bytes and not
    with the file size. Lines are decoded as UTF-8 only once they are complete
    (invalid bytes become U+FFFD), and terminal escape sequences and a trailing
    carriage return are removed.

    A missing file gives no lines and one log message. A path that is not a
    regular file (directory, FIFO, socket, device) gives no lines and an error
    naming it; its content is never read.

    The follower keeps the first headBytes bytes it read (fewer while the file
    is shorter) and compares them on every read with the file's current start.
    A truncated file, or one whose start changed (rewritten in place), is read
    again from offset 0. When the file is replaced by another one, the follower
    reads the rest of the old file it still has open. A new file that starts
    with the same bytes and reaches the last complete line is a copy, made when
    an editor or tool rewrites the log through a temporary file. Reading goes
    on at that line of the copy. Any other new file is read from offset 0.

    A line longer than maxLineBytes is cut to that length and ends with a
    marker that counts the dropped bytes. The dropped bytes are never
    held in memory.

    Not thread-safe. Linux only: it identifies files by st_dev and st_ino.
*/
class LogFollower
{
public:
    static constexpr qint64 maxLineBytes = 64 * 1024;

    /*!
        Bytes one readNewLines() call reads at most, so a watcher started on a
        large existing log handles it in slices instead of holding all of it.
    */
    static constexpr qint64 maxBytesPerRead = 8 * 1024 * 1024;

    /*!
        Bytes at the start of the file kept as its fingerprint. Each read
        compares them with the file once, so a wake-up costs one pread() of at
        most this size beyond the new bytes.
    */
    static constexpr qint64 headBytes = 4096;

    explicit LogFollower(const QString &path);
    ~LogFollower();

    LogFollower(const LogFollower &) = delete;
    LogFollower &operator=(const LogFollower &) = delete;

    QString path() const { return m_path; }

    /*!
        Sets where the next read starts. Call it before the first read. The
        file is read from offset 0 instead when it is shorter than
        position.offset (truncated) or its start no longer matches the
        fingerprint (rewritten or replaced by another file). A file with another
        device or inode that passes both checks is a copy and is read from
        position.offset. A position without a fingerprint accepts only the same
        device and inode.
    */
    void restore(const LogPosition &position);

    /*! Returns the position just past the last complete line returned. */
    LogPosition position() const;

    /*!
        Reads the bytes added since the last call and returns the complete lines
        among them. An unfinished last line is kept and returned by a later call
        once its newline arrives, or by flushPartialLine().
    */
    QStringList readNewLines();

    /*! Returns true when the last readNewLines() stopped at maxBytesPerRead with bytes left. */
    bool hasUnreadBytes() const { return m_hasUnreadBytes; }

    /*!
        Returns the kept unfinished last line, if any, as a final line and
        advances position() past it. Call it once the writing process is gone.
    */
    QStringList flushPartialLine();

    /*! Returns whether a file exists at path() now. */
    bool exists() const;

    /*! Returns why the last read failed, naming the path; empty after a good
        read and while the file is simply missing. */
    QString errorString() const { return m_errorString; }

    /*! Returns the bytes read from files since construction, counting a file
        again when it is re-read after truncation or replacement. The reads that
        compare the file's start with the fingerprint are not counted. */
    qint64 totalBytesRead() const { return m_totalBytesRead; }

    /*! Returns line with ANSI/VT escape sequences (CSI, OSC, two-byte ESC
        sequences) removed. */
    static QString stripEscapeSequences(const QString &line);

private:
    std::unique_ptr<QFile> openRegularFile();
    void openCurrentFile();
    void adoptFile(std::unique_ptr<QFile> file, qint64 offset);
    qint64 resumeOffset(const LogPosition &reference, const QFile &file);
    void switchToReplacement(QStringList *lines);
    void closeFile();
    void resetToStart();
    std::optional<QByteArray> readHead(const QFile &file, qint64 length);
    void readAvailable(QStringList *lines);
    void appendBytes(const char *data, qint64 size, QStringList *lines);
    void completeLine(QStringList *lines);
    void setError(const QString &message);

    QString m_path;
    std::unique_ptr<QFile> m_file;
    quint64 m_device = 0;
    quint64 m_inode = 0;

    // Position restored from a saved state, used by the first open only.
    LogPosition m_restored;
    bool m_hasRestored = false;

    qint64 m_lineOffset = 0; // just past the last complete line returned
    qint64 m_readOffset = 0; // just past the last byte read (includes m_partial)
    QByteArray m_partial; // unfinished line, at most maxLineBytes
    qint64 m_droppedBytes = 0; // bytes of the unfinished line beyond maxLineBytes
    QByteArray m_head; // first min(headBytes, m_readOffset) bytes read from the file

    qint64 m_totalBytesRead = 0;
    QString m_errorString;
    bool m_missingLogged = false;
    bool m_hasUnreadBytes = false;
};
