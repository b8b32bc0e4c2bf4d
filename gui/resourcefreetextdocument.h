#pragma once

#include <QTextDocument>

/*!
    \brief A text document that loads no resource: no image, style sheet or
    file that its HTML or markdown names.

    Markdown from a state folder may reference any path, and a FIFO or a
    device there would block or exhaust the UI thread. Qt 6.4 reads an image
    from disk itself (QTextImageHandler) when the resource it requests is
    empty, so an image request gets a blank placeholder instead.
*/
class ResourceFreeTextDocument final : public QTextDocument
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResourceFreeTextDocument)

public:
    explicit ResourceFreeTextDocument(QObject *parent = nullptr);

protected:
    QVariant loadResource(int type, const QUrl &name) override;
};
