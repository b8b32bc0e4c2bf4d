#include "shared/buildname.h"

namespace {

constexpr int s_maxBuildNameLength = 100;

bool isAsciiAlphanumeric(QChar c)
{
    return (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            || (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

bool isAllowedCharacter(QChar c)
{
    return isAsciiAlphanumeric(c) || c == QLatin1Char('.') || c == QLatin1Char('_')
            || c == QLatin1Char('-');
}

// Shows a character so that spaces, control and non-ASCII characters are
// visible in an error message.
QString describeCharacter(QChar c)
{
    if (c == QLatin1Char(' '))
        return QStringLiteral("a space");
    if (c.unicode() >= 0x21 && c.unicode() < 0x7f)
        return QStringLiteral("'%1'").arg(c);
    return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
}

QString ruleText()
{
    return QStringLiteral("Use 1 to %1 characters from A-Z, a-z, 0-9, '.', '_' and '-', starting "
                          "with a letter or digit and without \"..\", for example "
                          "\"e2e-redhat9.6-ubuntu24.04-w2k25-fc\".")
            .arg(s_maxBuildNameLength);
}

QString invalid(const QString &name, const QString &why)
{
    return QStringLiteral("Invalid build name \"%1\": %2. %3").arg(name, why, ruleText());
}

} // namespace

std::optional<QString> validateBuildName(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("Invalid build name \"\": the name is empty. %1").arg(ruleText());

    if (name.size() > s_maxBuildNameLength) {
        return invalid(name,
                       QStringLiteral("it has %1 characters, more than the maximum of %2")
                               .arg(name.size())
                               .arg(s_maxBuildNameLength));
    }

    if (!isAsciiAlphanumeric(name.front())) {
        return invalid(name,
                       QStringLiteral("it starts with %1 instead of a letter or digit")
                               .arg(describeCharacter(name.front())));
    }

    for (qsizetype i = 0; i < name.size(); ++i) {
        if (!isAllowedCharacter(name.at(i))) {
            return invalid(name,
                           QStringLiteral("it contains %1 at position %2")
                                   .arg(describeCharacter(name.at(i)))
                                   .arg(i + 1));
        }
    }

    if (name.contains(QLatin1String("..")))
        return invalid(name, QStringLiteral("it contains \"..\""));

    return std::nullopt;
}

QStringList transportTokens()
{
    return {
            QStringLiteral("fc"),   QStringLiteral("fcoe"),   QStringLiteral("iscsi"),
            QStringLiteral("nvme"), QStringLiteral("nvmeof"), QStringLiteral("nvmetcp"),
            QStringLiteral("nfs"),  QStringLiteral("smb"),    QStringLiteral("cifs"),
            QStringLiteral("rdma"), QStringLiteral("roce"),
    };
}

QStringList guestTokens(const QString &buildName)
{
    const QStringList parts = buildName.split(QLatin1Char('-'));
    const QStringList transports = transportTokens();

    QStringList guests;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString &part = parts.at(i);
        if (part.isEmpty())
            continue;

        bool digitsOnly = true;
        for (const QChar c : part)
            digitsOnly = digitsOnly && c.isDigit();
        if (digitsOnly)
            continue;

        if (transports.contains(part.toLower()))
            continue;

        guests.append(part);
    }
    return guests;
}
