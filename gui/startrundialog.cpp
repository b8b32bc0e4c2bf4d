#include "gui/startrundialog.h"

#include "shared/buildname.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

StartRunDialog::StartRunDialog(const QList<StateRootConfig> &roots, const QString &selectedRootPath,
                               QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Start watcher"));

    m_root = new QComboBox(this);
    for (const StateRootConfig &root : roots) {
        const QString how = root.startCommand.isEmpty()
                ? tr("start request")
                : tr("command %1").arg(root.startCommand.constFirst());
        m_root->addItem(QStringLiteral("%1 (%2, %3)").arg(root.displayName(), root.path, how),
                        root.path);
        if (root.path == selectedRootPath)
            m_root->setCurrentIndex(m_root->count() - 1);
    }

    m_buildName = new QLineEdit(this);
    m_buildName->setPlaceholderText(QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc"));
    m_template = new QLineEdit(this);
    m_configFamily = new QLineEdit(this);
    m_migrationStyle = new QLineEdit(this);
    m_integrationPlugin = new QLineEdit(this);
    m_scopeDescription = new QLineEdit(this);
    m_validation = new QLabel(this);
    m_validation->setWordWrap(true);
    m_validation->setTextFormat(Qt::PlainText);
    m_validation->setStyleSheet(QStringLiteral("color: #c62828"));

    auto *form = new QFormLayout;
    form->addRow(tr("Controller:"), m_root);
    form->addRow(tr("Build name (--build-name):"), m_buildName);
    form->addRow(tr("Template (--template):"), m_template);
    form->addRow(tr("Config family (--config-family):"), m_configFamily);
    form->addRow(tr("Migration style (--migration-style):"), m_migrationStyle);
    form->addRow(tr("Integration plugin (--integration-plugin):"), m_integrationPlugin);
    form->addRow(tr("Scope (--scope-description):"), m_scopeDescription);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Start"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_validation);
    layout->addWidget(m_buttons);

    connect(m_buildName, &QLineEdit::textChanged, this, &StartRunDialog::updateValidation);
    connect(m_root, &QComboBox::currentIndexChanged, this, &StartRunDialog::updateValidation);
    updateValidation();
}

QString StartRunDialog::rootPath() const
{
    return m_root->currentData().toString();
}

StartRequest StartRunDialog::request() const
{
    StartRequest request;
    request.buildName = m_buildName->text().trimmed();
    request.metadata.templateName = m_template->text().trimmed();
    request.metadata.configFamily = m_configFamily->text().trimmed();
    request.metadata.migrationStyle = m_migrationStyle->text().trimmed();
    request.metadata.integrationPlugin = m_integrationPlugin->text().trimmed();
    request.metadata.scopeDescription = m_scopeDescription->text().trimmed();
    return request;
}

QString StartRunDialog::validationMessage() const
{
    if (m_root->count() == 0)
        return tr("Add a state root first.");
    return validateBuildName(m_buildName->text().trimmed()).value_or(QString());
}

bool StartRunDialog::isAcceptable() const
{
    return validationMessage().isEmpty();
}

void StartRunDialog::updateValidation()
{
    // An empty field is not an error yet; the Start button stays disabled.
    const QString message = m_buildName->text().isEmpty() ? QString() : validationMessage();
    m_validation->setText(message);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(isAcceptable());
}
