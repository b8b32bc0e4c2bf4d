#include "shared/vminventory.h"

#include "shared/logging.h"

#include <QFile>
#include <QRegularExpression>

namespace {

// Markdown files are small; a larger file is most likely the wrong path.
constexpr qint64 s_maxInventoryBytes = 4 * 1024 * 1024;

bool isAsciiPunctuation(QChar c)
{
    return c.unicode() < 0x80 && QLatin1String("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").contains(c);
}

// Kernel cells that operators fill in when they do not know the kernel.
bool isUnknownKernel(const QString &kernel)
{
    static const QStringList placeholders{
            QStringLiteral("-"),   QStringLiteral("\u2014"),  QStringLiteral("?"),
            QStringLiteral("n/a"), QStringLiteral("unknown"), QStringLiteral("tbd"),
    };
    return kernel.isEmpty() || placeholders.contains(kernel.toLower());
}

QString normalisedHeader(const QString &cell)
{
    return cell.simplified().toLower();
}

// Removes one surrounding pair of backticks, as in `5.14.0-570.el9`.
QString stripCodeSpan(const QString &cell)
{
    if (cell.size() >= 2 && cell.startsWith(QLatin1Char('`')) && cell.endsWith(QLatin1Char('`')))
        return cell.mid(1, cell.size() - 2).trimmed();
    return cell;
}

/*
    Splits one table row into cells. A backslash escapes the next ASCII
    punctuation character (GFM), so "\|" is a literal pipe inside a cell.
    The optional leading and trailing pipes do not make empty cells.
*/
QStringList splitRow(const QString &line)
{
    QString row = line.trimmed();
    if (row.startsWith(QLatin1Char('|')))
        row.remove(0, 1);

    QStringList cells;
    QString cell;
    bool endsWithPipe = false;
    for (qsizetype i = 0; i < row.size(); ++i) {
        const QChar c = row.at(i);
        endsWithPipe = false;
        if (c == QLatin1Char('\\') && i + 1 < row.size() && isAsciiPunctuation(row.at(i + 1))) {
            cell.append(row.at(i + 1));
            ++i;
        } else if (c == QLatin1Char('|')) {
            cells.append(cell.trimmed());
            cell.clear();
            endsWithPipe = true;
        } else {
            cell.append(c);
        }
    }
    if (!endsWithPipe)
        cells.append(cell.trimmed());
    return cells;
}

bool isDelimiterRow(const QStringList &cells)
{
    static const QRegularExpression delimiter(QStringLiteral("^:?-+:?$"));
    if (cells.isEmpty())
        return false;
    for (const QString &cell : cells) {
        if (!delimiter.match(cell).hasMatch())
            return false;
    }
    return true;
}

bool isTableLine(const QString &line)
{
    return line.contains(QLatin1Char('|'));
}

} // namespace

VmInventoryLoad VmInventory::load(const QString &path)
{
    VmInventoryLoad result;

    QFile file(path);
    if (!file.exists()) {
        result.error = QStringLiteral("VM inventory \"%1\" not found; guest kernels show as "
                                      "unknown. Create it or pass --inventory.")
                               .arg(path);
        return result;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("Failed to read the VM inventory \"%1\": %2; guest kernels "
                                      "show as unknown.")
                               .arg(path, file.errorString());
        return result;
    }
    if (file.size() > s_maxInventoryBytes) {
        result.error = QStringLiteral("VM inventory \"%1\" is %2 bytes, more than the maximum of "
                                      "%3; check that --inventory names the markdown file.")
                               .arg(path)
                               .arg(file.size())
                               .arg(s_maxInventoryBytes);
        return result;
    }

    result.inventory = parse(QString::fromUtf8(file.readAll()));
    if (result.inventory.isEmpty()) {
        result.error = QStringLiteral("VM inventory \"%1\" has no table with \"Build token\" and "
                                      "\"Kernel\" columns; guest kernels show as unknown.")
                               .arg(path);
    }
    return result;
}

VmInventory VmInventory::parse(const QString &markdown)
{
    VmInventory inventory;
    const QStringList lines = markdown.split(QLatin1Char('\n'));

    bool inFence = false;
    qsizetype tokenColumn = -1;
    qsizetype kernelColumn = -1;
    bool inTable = false;

    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();

        if (line.startsWith(QLatin1String("```")) || line.startsWith(QLatin1String("~~~"))) {
            inFence = !inFence;
            inTable = false;
            continue;
        }
        if (inFence)
            continue;

        if (!isTableLine(line)) {
            inTable = false;
            continue;
        }

        if (inTable) {
            const QStringList cells = splitRow(line);
            if (tokenColumn < cells.size()) {
                const QString token = stripCodeSpan(cells.at(tokenColumn));
                const QString kernel = kernelColumn < cells.size()
                        ? stripCodeSpan(cells.at(kernelColumn))
                        : QString();
                inventory.addRow(token, kernel);
            }
            continue;
        }

        // A table starts with a header row directly followed by a delimiter row.
        if (i + 1 >= lines.size() || !isDelimiterRow(splitRow(lines.at(i + 1))))
            continue;

        const QStringList headers = splitRow(line);
        tokenColumn = -1;
        kernelColumn = -1;
        for (qsizetype column = 0; column < headers.size(); ++column) {
            const QString header = normalisedHeader(headers.at(column));
            if (header == QLatin1String("build token") && tokenColumn < 0)
                tokenColumn = column;
            else if (header == QLatin1String("kernel") && kernelColumn < 0)
                kernelColumn = column;
        }

        ++i; // the delimiter row
        inTable = tokenColumn >= 0 && kernelColumn >= 0;
        if (!inTable) {
            // Skip the body of a table this parser has no use for.
            while (i + 1 < lines.size() && isTableLine(lines.at(i + 1).trimmed()))
                ++i;
        }
    }
    return inventory;
}

void VmInventory::addRow(const QString &token, const QString &kernel)
{
    if (token.isEmpty() || isUnknownKernel(kernel))
        return;

    const QString key = token.toLower();
    if (m_kernelByLowerToken.contains(key)) {
        qCDebug(lcWatcher) << "VM inventory lists build token" << token
                           << "again; the first row is used.";
        return;
    }
    m_kernelByLowerToken.insert(key, kernel);
    m_tokens.append(token);
}

std::optional<QString> VmInventory::kernelFor(const QString &token) const
{
    const auto it = m_kernelByLowerToken.constFind(token.toLower());
    if (it == m_kernelByLowerToken.constEnd())
        return std::nullopt;
    return it.value();
}
