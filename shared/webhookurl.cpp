#include "shared/webhookurl.h"

#include <QRegularExpression>

namespace {

const QLatin1String RedactedId("<redacted>");

// The hook id: the last non-empty path segment.
QString hookIdOf(const QUrl &webhook)
{
    const QStringList segments =
            webhook.path(QUrl::FullyEncoded).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    return segments.isEmpty() ? QString() : segments.last();
}

} // namespace

QString redactedWebhookUrl(const QUrl &webhook)
{
    QUrl safe = webhook.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    QString path = safe.path(QUrl::FullyEncoded);
    const QString hookId = hookIdOf(webhook);
    if (!hookId.isEmpty()) {
        const qsizetype position = path.lastIndexOf(hookId);
        path.replace(position, hookId.size(), RedactedId);
    }
    QString text = safe.adjusted(QUrl::RemovePath).toString();
    return text + path;
}

QString redactWebhookSecret(QString text, const QUrl &webhook)
{
    const QString redacted = redactedWebhookUrl(webhook);
    const QString forms[] = {
            webhook.toString(),
            webhook.toString(QUrl::FullyEncoded),
            webhook.toDisplayString(),
            webhook.adjusted(QUrl::RemoveUserInfo).toString(),
    };
    for (const QString &form : forms) {
        if (!form.isEmpty())
            text.replace(form, redacted);
    }

    // Hook ids also appear on their own, for example in Mattermost error messages.
    const QString hookId = hookIdOf(webhook);
    if (!hookId.isEmpty()) {
        text.replace(hookId, RedactedId);
        const QString decoded = QUrl::fromPercentEncoding(hookId.toLatin1());
        if (!decoded.isEmpty())
            text.replace(decoded, RedactedId);
    }
    const QString password = webhook.password();
    if (!password.isEmpty())
        text.replace(password, RedactedId);
    return text;
}

std::optional<QString> webhookUrlError(const QUrl &webhook)
{
    const QString shown = QStringLiteral("\"%1\"").arg(redactedWebhookUrl(webhook));
    const QString fix =
            QStringLiteral("Use the full incoming webhook URL from Mattermost, for example "
                           "https://chat.example.com/hooks/<hook id>.");

    if (webhook.isEmpty())
        return QStringLiteral("The webhook URL is missing. %1").arg(fix);
    if (!webhook.isValid()) {
        // QUrl's own error string quotes the input, so it is not shown.
        return QStringLiteral("The webhook URL %1 is not a valid URL. %2").arg(shown, fix);
    }
    const QString scheme = webhook.scheme();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https")) {
        return QStringLiteral("The webhook URL %1 has the scheme \"%2\"; only http and https are "
                              "supported. %3")
                .arg(shown, scheme, fix);
    }
    if (webhook.host().isEmpty())
        return QStringLiteral("The webhook URL %1 has no host name. %2").arg(shown, fix);
    if (hookIdOf(webhook).isEmpty())
        return QStringLiteral("The webhook URL %1 has no hook id in its path. %2").arg(shown, fix);

    // Mattermost routes only ".../hooks/<id>" with an id of letters and digits;
    // anything else would be rejected only after the whole run.
    static const QRegularExpression hookPath(QStringLiteral("^(/[^/]+)*/hooks/[A-Za-z0-9]+$"));
    if (!hookPath.match(webhook.path(QUrl::FullyEncoded)).hasMatch()) {
        // Where the id is in such a path is unknown, so no part of the path is shown.
        const QString server = webhook.adjusted(QUrl::RemovePath | QUrl::RemoveUserInfo
                                                | QUrl::RemoveQuery | QUrl::RemoveFragment)
                                       .toString();
        return QStringLiteral("The webhook URL \"%1/…\" does not end in /hooks/ and a hook id "
                              "of letters and digits. %2")
                .arg(server, fix);
    }
    return std::nullopt;
}
