#pragma once

#include "shared/runcontrol.h"
#include "shared/stateroots.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

/*!
    \brief Asks for the build name, the state root and the metadata of a new
    watcher, validating the build name as the watcher does.
*/
class StartRunDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartRunDialog)

public:
    StartRunDialog(const QList<StateRootConfig> &roots, const QString &selectedRootPath,
                   QWidget *parent = nullptr);

    QString rootPath() const;
    StartRequest request() const;

    QLineEdit *buildNameEdit() const { return m_buildName; }
    QString validationMessage() const;
    bool isAcceptable() const;

private:
    void updateValidation();

    QComboBox *m_root = nullptr;
    QLineEdit *m_buildName = nullptr;
    QLineEdit *m_template = nullptr;
    QLineEdit *m_configFamily = nullptr;
    QLineEdit *m_migrationStyle = nullptr;
    QLineEdit *m_integrationPlugin = nullptr;
    QLineEdit *m_scopeDescription = nullptr;
    QLabel *m_validation = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
