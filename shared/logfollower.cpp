#include "shared/logfollower.h"

#include <cerrno>
#include <cstring>

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shared/logging.h"

namespace {

constexpr qint64 readChunkBytes = 64 * 1024;
constexpr char16_t escapeCharacter = 0x1b;

QString systemErrorText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Returns how many bytes of a UTF-8 string cut at an arbitrary byte can be kept
// without leaving an incomplete character at its end.
qsizetype completeUtf8Prefix(const QByteArray &bytes)
{
    qsizetype start = bytes.size();
    int continuationBytes = 0;
    while (start > 0 && continuationBytes < 4
           && (static_cast<uchar>(bytes.at(start - 1)) & 0xC0) == 0x80) {
        --start;
        ++continuationBytes;
    }
    if (start == 0)
        return bytes.size();

    const auto lead = static_cast<uchar>(bytes.at(start - 1));
    int expectedLength = 1;
    if ((lead & 0xE0) == 0xC0)
        expectedLength = 2;
    else if ((lead & 0xF0) == 0xE0)
        expectedLength = 3;
    else if ((lead & 0xF8) == 0xF0)
        expectedLength = 4;
    else
        return bytes.size(); // ASCII or an invalid lead byte: nothing to repair

    if (continuationBytes + 1 < expectedLength)
        return start - 1;
    return bytes.size();
}

QByteArray sha1Of(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha1);
}

// Returns what a non-regular file is, for error messages.
QString fileTypeName(mode_t mode)
{
    if (S_ISDIR(mode))
        return QStringLiteral("a directory");
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device");
    return QStringLiteral("of file type %1").arg(mode & S_IFMT, 0, 8);
}

QString notRegularFileMessage(const QString &path, mode_t mode)
{
    return QStringLiteral("Run log \"%1\" is not a regular file (it is %2); point --run-log at "
                          "the run's log file.")
            .arg(path, fileTypeName(mode));
}

bool isInRange(QChar character, char16_t first, char16_t last)
{
    return character.unicode() >= first && character.unicode() <= last;
}

} // namespace

QJsonObject LogPosition::toJson() const
{
    return QJsonObject{
            {QStringLiteral("offset"), offset},
            {QStringLiteral("device"), QString::number(device)},
            {QStringLiteral("inode"), QString::number(inode)},
            {QStringLiteral("head_length"), headLength},
            {QStringLiteral("head_sha1"), QString::fromLatin1(headSha1.toHex())},
    };
}

LogPosition LogPosition::fromJson(const QJsonObject &object)
{
    const auto readUnsigned = [&object](const QString &key) -> quint64 {
        const QJsonValue value = object.value(key);
        if (value.isString())
            return value.toString().toULongLong();
        return static_cast<quint64>(value.toDouble());
    };

    LogPosition position;
    position.offset = static_cast<qint64>(object.value(QStringLiteral("offset")).toDouble());
    position.device = readUnsigned(QStringLiteral("device"));
    position.inode = readUnsigned(QStringLiteral("inode"));

    // A watcher older than the fingerprint wrote neither key.
    const QJsonValue lengthValue = object.value(QStringLiteral("head_length"));
    const QString sha1Text = object.value(QStringLiteral("head_sha1")).toString();
    if (lengthValue.isUndefined() && sha1Text.isEmpty())
        return position;

    const auto headLength = static_cast<qint64>(lengthValue.toDouble(-1));
    const QByteArray headSha1 = QByteArray::fromHex(sha1Text.toLatin1());
    const bool noFingerprint = headLength == 0 && sha1Text.isEmpty();
    const bool validFingerprint = headLength > 0 && headLength <= LogFollower::headBytes
            && headLength <= position.offset && headSha1.size() == 20
            && QString::fromLatin1(headSha1.toHex()) == sha1Text.toLower();
    if (validFingerprint) {
        position.headLength = headLength;
        position.headSha1 = headSha1;
    } else if (!noFingerprint) {
        qCWarning(lcRunLog).noquote()
                << QStringLiteral("Saved run log position has an invalid head fingerprint "
                                  "(head_length %1, head_sha1 \"%2\", offset %3); ignoring it "
                                  "and checking the file by device and inode only.")
                           .arg(lengthValue.toVariant().toString(), sha1Text)
                           .arg(position.offset);
    }
    return position;
}

LogFollower::LogFollower(const QString &path) : m_path(path) { }

LogFollower::~LogFollower() = default;

void LogFollower::restore(const LogPosition &position)
{
    closeFile();
    resetToStart();
    m_restored = position;
    m_hasRestored = true;
}

LogPosition LogFollower::position() const
{
    if (m_hasRestored)
        return m_restored;

    LogPosition current{m_lineOffset, m_device, m_inode};
    current.headLength = qMin(qint64(m_head.size()), m_lineOffset);
    if (current.headLength > 0)
        current.headSha1 = sha1Of(m_head.left(current.headLength));
    return current;
}

QStringList LogFollower::readNewLines()
{
    QStringList lines;
    m_hasUnreadBytes = false;

    struct stat status;
    if (::stat(QFile::encodeName(m_path).constData(), &status) != 0) {
        const int error = errno;
        if (error != ENOENT && error != ENOTDIR) {
            setError(QStringLiteral("Cannot check run log \"%1\": %2. Check that the folder is "
                                    "readable by the watcher's user.")
                             .arg(m_path, systemErrorText(error)));
            return lines;
        }

        if (!m_missingLogged) {
            qCInfo(lcRunLog).noquote()
                    << QStringLiteral("Run log \"%1\" does not exist; waiting for it.").arg(m_path);
            m_missingLogged = true;
        }
        m_errorString.clear();

        // The file was renamed or deleted: the writer may still append to the
        // file we have open, so keep reading it until a new file appears.
        if (m_file)
            readAvailable(&lines);
        return lines;
    }
    m_missingLogged = false;

    if (!S_ISREG(status.st_mode)) {
        // Opening a FIFO would block until a writer appears, and opening a
        // device can have side effects, so only regular files are opened.
        if (m_file) {
            readAvailable(&lines);
            lines += flushPartialLine();
            closeFile();
            resetToStart();
        }
        setError(notRegularFileMessage(m_path, status.st_mode));
        return lines;
    }

    const auto device = static_cast<quint64>(status.st_dev);
    const auto inode = static_cast<quint64>(status.st_ino);
    if (m_file && (device != m_device || inode != m_inode))
        switchToReplacement(&lines);
    else if (!m_file)
        openCurrentFile();

    if (m_file)
        readAvailable(&lines);
    return lines;
}

QStringList LogFollower::flushPartialLine()
{
    QStringList lines;
    if (!m_partial.isEmpty() || m_droppedBytes > 0)
        completeLine(&lines);
    m_lineOffset = m_readOffset;
    return lines;
}

bool LogFollower::exists() const
{
    return QFileInfo::exists(m_path);
}

QString LogFollower::stripEscapeSequences(const QString &line)
{
    if (!line.contains(QChar(escapeCharacter)))
        return line;

    QString result;
    result.reserve(line.size());
    const qsizetype size = line.size();
    qsizetype i = 0;
    while (i < size) {
        if (line.at(i) != QChar(escapeCharacter)) {
            result.append(line.at(i));
            ++i;
            continue;
        }
        if (i + 1 >= size)
            break;

        const QChar kind = line.at(i + 1);
        qsizetype next = i + 2;
        if (kind == QLatin1Char('[')) {
            // CSI: parameter bytes, intermediate bytes, one final byte.
            while (next < size && isInRange(line.at(next), 0x30, 0x3F))
                ++next;
            while (next < size && isInRange(line.at(next), 0x20, 0x2F))
                ++next;
            if (next < size && isInRange(line.at(next), 0x40, 0x7E))
                ++next;
        } else if (kind == QLatin1Char(']')) {
            // OSC: ends with BEL or with ESC '\'.
            while (next < size) {
                if (line.at(next) == QChar(0x07)) {
                    ++next;
                    break;
                }
                if (line.at(next) == QChar(escapeCharacter) && next + 1 < size
                    && line.at(next + 1) == QLatin1Char('\\')) {
                    next += 2;
                    break;
                }
                ++next;
            }
        } else if (isInRange(kind, 0x28, 0x2B)) {
            // Character set designation: ESC ( B and the like.
            next = qMin(size, i + 3);
        }
        i = next;
    }
    return result;
}

std::unique_ptr<QFile> LogFollower::openRegularFile()
{
    // O_NONBLOCK makes opening a FIFO return at once instead of waiting for a
    // writer, and the fstat() below rejects it. That closes the race with a
    // non-regular file put at the path after readNewLines() checked it.
    const int fd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        setError(QStringLiteral("Cannot open run log \"%1\": %2. Check that the watcher's user "
                                "may read it.")
                         .arg(m_path, systemErrorText(errno)));
        return nullptr;
    }

    struct stat status;
    if (::fstat(fd, &status) != 0) {
        setError(QStringLiteral("Cannot check run log \"%1\": %2.")
                         .arg(m_path, systemErrorText(errno)));
        ::close(fd);
        return nullptr;
    }
    if (!S_ISREG(status.st_mode)) {
        setError(notRegularFileMessage(m_path, status.st_mode));
        ::close(fd);
        return nullptr;
    }

    auto file = std::make_unique<QFile>(m_path);
    if (!file->open(fd, QIODevice::ReadOnly | QIODevice::Unbuffered,
                    QFileDevice::AutoCloseHandle)) {
        setError(QStringLiteral("Cannot open run log \"%1\": %2. Check that the watcher's user "
                                "may read it.")
                         .arg(m_path, file->errorString()));
        ::close(fd);
        return nullptr;
    }
    return file;
}

void LogFollower::openCurrentFile()
{
    std::unique_ptr<QFile> file = openRegularFile();
    if (!file)
        return;

    qint64 offset = 0;
    if (m_hasRestored) {
        m_hasRestored = false;
        offset = resumeOffset(m_restored, *file);
    }
    adoptFile(std::move(file), offset);
}

void LogFollower::adoptFile(std::unique_ptr<QFile> file, qint64 offset)
{
    m_file = std::move(file);
    m_device = 0;
    m_inode = 0;
    struct stat status;
    if (::fstat(m_file->handle(), &status) == 0) {
        m_device = static_cast<quint64>(status.st_dev);
        m_inode = static_cast<quint64>(status.st_ino);
    }

    resetToStart();
    if (offset <= 0)
        return;

    m_lineOffset = offset;
    m_readOffset = offset;
    // resumeOffset() checked these bytes against the fingerprint when there was one.
    const std::optional<QByteArray> head = readHead(*m_file, qMin(offset, headBytes));
    if (head && head->size() == qMin(offset, headBytes))
        m_head = *head;
}

qint64 LogFollower::resumeOffset(const LogPosition &reference, const QFile &file)
{
    if (reference.offset <= 0)
        return 0;

    struct stat status;
    if (::fstat(file.handle(), &status) != 0) {
        setError(QStringLiteral("Cannot check run log \"%1\": %2.")
                         .arg(m_path, systemErrorText(errno)));
        return 0;
    }
    const auto device = static_cast<quint64>(status.st_dev);
    const auto inode = static_cast<quint64>(status.st_ino);
    const auto size = static_cast<qint64>(status.st_size);
    const bool unknownFile = reference.device == 0 && reference.inode == 0;
    const bool sameFile = unknownFile || (reference.device == device && reference.inode == inode);
    const QString anotherFileMessage =
            QStringLiteral("Run log \"%1\" is another file than the one read up to offset %2 "
                           "(device %3, inode %4 then; device %5, inode %6 now); reading it "
                           "from the start.")
                    .arg(m_path)
                    .arg(reference.offset)
                    .arg(reference.device)
                    .arg(reference.inode)
                    .arg(device)
                    .arg(inode);

    if (size < reference.offset) {
        if (sameFile) {
            qCWarning(lcRunLog).noquote()
                    << QStringLiteral("Run log \"%1\" has %2 bytes, fewer than the saved offset "
                                      "%3 (truncated); reading it from the start.")
                               .arg(m_path)
                               .arg(size)
                               .arg(reference.offset);
        } else {
            qCInfo(lcRunLog).noquote() << anotherFileMessage;
        }
        return 0;
    }

    if (reference.headLength <= 0) {
        // No fingerprint (a position saved by an older watcher): only the
        // device and inode tell whether this is the same file.
        if (!sameFile) {
            qCInfo(lcRunLog).noquote() << anotherFileMessage;
            return 0;
        }
        return reference.offset;
    }

    const std::optional<QByteArray> head = readHead(file, reference.headLength);
    if (!head)
        return 0;
    if (head->size() != reference.headLength || sha1Of(*head) != reference.headSha1) {
        if (sameFile) {
            qCWarning(lcRunLog).noquote()
                    << QStringLiteral("Run log \"%1\" was rewritten: its first %2 bytes differ "
                                      "from the saved fingerprint; reading it from the start.")
                               .arg(m_path)
                               .arg(reference.headLength);
        } else {
            qCInfo(lcRunLog).noquote() << anotherFileMessage;
        }
        return 0;
    }

    if (!sameFile) {
        // NOTE: only the first headBytes bytes are compared. A new file that
        // starts like the old one (a rerun printing the same banner) and has
        // already grown past the offset is taken for a copy, and its first
        // reference.offset bytes are skipped.
        qCInfo(lcRunLog).noquote()
                << QStringLiteral("Run log \"%1\" was replaced by a copy (same first %2 bytes, "
                                  "%3 bytes long); continuing at offset %4.")
                           .arg(m_path)
                           .arg(reference.headLength)
                           .arg(size)
                           .arg(reference.offset);
    }
    return reference.offset;
}

void LogFollower::switchToReplacement(QStringList *lines)
{
    qCInfo(lcRunLog).noquote() << QStringLiteral("Run log \"%1\" was replaced (rotated, "
                                                 "re-created or rewritten through a copy); "
                                                 "reading the rest of the old file first.")
                                          .arg(m_path);
    readAvailable(lines);

    const LogPosition previous = position();
    std::unique_ptr<QFile> file = openRegularFile();
    const qint64 offset = file ? resumeOffset(previous, *file) : 0;

    // Unless the new file is a copy that contains the old file's unfinished
    // line, the writer has moved on and that line is final.
    if (offset == 0)
        *lines += flushPartialLine();
    closeFile();
    resetToStart();

    if (file)
        adoptFile(std::move(file), offset);
}

void LogFollower::closeFile()
{
    m_file.reset();
    m_device = 0;
    m_inode = 0;
}

void LogFollower::resetToStart()
{
    m_lineOffset = 0;
    m_readOffset = 0;
    m_partial.clear();
    m_droppedBytes = 0;
    m_head.clear();
}

std::optional<QByteArray> LogFollower::readHead(const QFile &file, qint64 length)
{
    // pread() leaves the file position of the sequential reads alone.
    QByteArray head(length, Qt::Uninitialized);
    qint64 filled = 0;
    while (filled < length) {
        const ssize_t count = ::pread(file.handle(), head.data() + filled,
                                      static_cast<size_t>(length - filled), filled);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            setError(QStringLiteral("Cannot read the first %1 bytes of run log \"%2\": %3.")
                             .arg(length)
                             .arg(m_path, systemErrorText(errno)));
            return std::nullopt;
        }
        if (count == 0)
            break;
        filled += count;
    }
    head.truncate(filled);
    return head;
}

void LogFollower::readAvailable(QStringList *lines)
{
    struct stat status;
    if (::fstat(m_file->handle(), &status) != 0) {
        setError(QStringLiteral("Cannot check run log \"%1\": %2.")
                         .arg(m_path, systemErrorText(errno)));
        return;
    }

    const auto size = static_cast<qint64>(status.st_size);
    if (size < m_readOffset) {
        qCWarning(lcRunLog).noquote() << QStringLiteral("Run log \"%1\" shrank from %2 to %3 bytes "
                                                        "(truncated); reading it again from "
                                                        "the start.")
                                                 .arg(m_path)
                                                 .arg(m_readOffset)
                                                 .arg(size);
        resetToStart();
    } else if (!m_head.isEmpty()) {
        // A file truncated and written again up to or past m_readOffset
        // between two reads shows no shrinking, but its start changes.
        // NOTE: a rewrite that keeps the first headBytes bytes is not noticed.
        const std::optional<QByteArray> head = readHead(*m_file, m_head.size());
        if (!head)
            return;
        if (*head != m_head) {
            qCWarning(lcRunLog).noquote()
                    << QStringLiteral("Run log \"%1\" was rewritten: its first %2 bytes changed "
                                      "(now %3 bytes long); reading it again from the start.")
                               .arg(m_path)
                               .arg(m_head.size())
                               .arg(size);
            resetToStart();
        }
    }
    if (size == m_readOffset) {
        m_errorString.clear();
        return;
    }

    if (!m_file->seek(m_readOffset)) {
        setError(QStringLiteral("Cannot seek to offset %1 in run log \"%2\": %3.")
                         .arg(m_readOffset)
                         .arg(m_path, m_file->errorString()));
        return;
    }

    QByteArray chunk(readChunkBytes, Qt::Uninitialized);
    qint64 readThisCall = 0;
    for (;;) {
        if (readThisCall >= maxBytesPerRead) {
            m_hasUnreadBytes = true;
            break;
        }
        const qint64 count = m_file->read(chunk.data(), chunk.size());
        if (count < 0) {
            setError(QStringLiteral("Cannot read run log \"%1\" at offset %2: %3.")
                             .arg(m_path)
                             .arg(m_readOffset)
                             .arg(m_file->errorString()));
            return;
        }
        if (count == 0)
            break;

        if (m_readOffset == m_head.size() && m_readOffset < headBytes)
            m_head.append(chunk.constData(), qMin(count, headBytes - m_readOffset));
        m_readOffset += count;
        m_totalBytesRead += count;
        readThisCall += count;
        appendBytes(chunk.constData(), count, lines);
    }
    m_errorString.clear();
}

void LogFollower::appendBytes(const char *data, qint64 size, QStringList *lines)
{
    const char *cursor = data;
    const char *end = data + size;
    while (cursor < end) {
        const auto *newline = static_cast<const char *>(std::memchr(cursor, '\n', end - cursor));
        const char *pieceEnd = newline ? newline : end;
        const qint64 pieceSize = pieceEnd - cursor;

        // Keep at most maxLineBytes of a line and only count the rest.
        const qint64 room = maxLineBytes - m_partial.size();
        if (pieceSize <= room) {
            m_partial.append(cursor, pieceSize);
        } else {
            m_partial.append(cursor, room);
            m_droppedBytes += pieceSize - room;
        }

        if (!newline)
            break;

        completeLine(lines);
        m_lineOffset = m_readOffset - (end - (newline + 1));
        cursor = newline + 1;
    }
}

void LogFollower::completeLine(QStringList *lines)
{
    if (m_droppedBytes > 0)
        m_partial.truncate(completeUtf8Prefix(m_partial));

    QString line = stripEscapeSequences(QString::fromUtf8(m_partial));
    while (line.endsWith(QLatin1Char('\r')))
        line.chop(1);

    if (m_droppedBytes > 0) {
        const qint64 dropped = m_droppedBytes + (maxLineBytes - m_partial.size());
        qCWarning(lcRunLog).noquote()
                << QStringLiteral("Run log \"%1\": a line longer than %2 bytes was cut, %3 bytes "
                                  "dropped.")
                           .arg(m_path)
                           .arg(maxLineBytes)
                           .arg(dropped);
        line += QStringLiteral(" [line cut: %1 bytes dropped]").arg(dropped);
    }

    lines->append(line);
    m_partial.clear();
    m_droppedBytes = 0;
}

void LogFollower::setError(const QString &message)
{
    if (message != m_errorString)
        qCWarning(lcRunLog).noquote() << message;
    m_errorString = message;
}
