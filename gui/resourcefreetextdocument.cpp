#include "gui/resourcefreetextdocument.h"

#include <QImage>

ResourceFreeTextDocument::ResourceFreeTextDocument(QObject *parent) : QTextDocument(parent) { }

QVariant ResourceFreeTextDocument::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(name);
    if (type != QTextDocument::ImageResource)
        return QVariant();
    QImage placeholder(16, 16, QImage::Format_ARGB32);
    placeholder.fill(QColor(0xbd, 0xbd, 0xbd));
    return placeholder;
}
