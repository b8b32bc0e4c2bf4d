#include "shared/logfollower.h"

#include <cerrno>
#include <cstring>

#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

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
    return position;
}

LogFollower::LogFollower(const QString &path) : m_path(path) { }

LogFollower::~LogFollower() = default;

void LogFollower::restore(const LogPosition &position)
{
    closeFile();
    m_restored = position;
    m_hasRestored = true;
    m_lineOffset = 0;
    m_readOffset = 0;
    m_partial.clear();
    m_droppedBytes = 0;
}

LogPosition LogFollower::position() const
{
    if (m_hasRestored)
        return m_restored;
    return LogPosition{m_lineOffset, m_device, m_inode};
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

    const auto device = static_cast<quint64>(status.st_dev);
    const auto inode = static_cast<quint64>(status.st_ino);
    if (m_file && (device != m_device || inode != m_inode)) {
        qCInfo(lcRunLog).noquote() << QStringLiteral("Run log \"%1\" was replaced (rotated or "
                                                     "re-created); reading the rest of the "
                                                     "old file, then the new file from the start.")
                                              .arg(m_path);
        readAvailable(&lines);
        // The writer has moved on to the new file, so the old file's unfinished line is final.
        lines += flushPartialLine();
        closeFile();
    }

    if (!m_file && !openCurrentFile(device, inode))
        return lines;

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

bool LogFollower::openCurrentFile(quint64 device, quint64 inode)
{
    auto file = std::make_unique<QFile>(m_path);
    if (!file->open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        setError(QStringLiteral("Cannot open run log \"%1\": %2. Check that the watcher's user "
                                "may read it.")
                         .arg(m_path, file->errorString()));
        return false;
    }

    // The file may have been replaced between stat() and open(): trust the descriptor.
    struct stat status;
    qint64 size = 0;
    if (::fstat(file->handle(), &status) == 0) {
        device = static_cast<quint64>(status.st_dev);
        inode = static_cast<quint64>(status.st_ino);
        size = static_cast<qint64>(status.st_size);
    }

    m_file = std::move(file);
    m_device = device;
    m_inode = inode;
    m_lineOffset = 0;
    m_readOffset = 0;
    m_partial.clear();
    m_droppedBytes = 0;

    if (!m_hasRestored)
        return true;

    m_hasRestored = false;
    const bool unknownFile = m_restored.device == 0 && m_restored.inode == 0;
    const bool sameFile = m_restored.device == device && m_restored.inode == inode;
    if (!unknownFile && !sameFile) {
        qCInfo(lcRunLog).noquote() << QStringLiteral("Run log \"%1\" is not the file the saved "
                                                     "position refers to (device %2, "
                                                     "inode %3); reading it from the start.")
                                              .arg(m_path)
                                              .arg(m_restored.device)
                                              .arg(m_restored.inode);
    } else if (m_restored.offset > size) {
        qCWarning(lcRunLog).noquote() << QStringLiteral("Run log \"%1\" has %2 bytes, fewer than "
                                                        "the saved offset %3 (truncated); "
                                                        "reading it from the start.")
                                                 .arg(m_path)
                                                 .arg(size)
                                                 .arg(m_restored.offset);
    } else {
        m_lineOffset = m_restored.offset;
        m_readOffset = m_restored.offset;
    }
    return true;
}

void LogFollower::closeFile()
{
    m_file.reset();
    m_device = 0;
    m_inode = 0;
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
        m_lineOffset = 0;
        m_readOffset = 0;
        m_partial.clear();
        m_droppedBytes = 0;
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
