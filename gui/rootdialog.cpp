#include "gui/rootdialog.h"

#include "gui/plaintext.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>

RootDialog::RootDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Add state root"));

    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(QStringLiteral("/var/lib/atvm-run-watcher"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path =
                QFileDialog::getExistingDirectory(this, tr("State root"), m_path->text());
        if (!path.isEmpty())
            m_path->setText(path);
    });
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path);
    pathRow->addWidget(browse);

    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("controller name, for example ctl1"));
    m_command = new QLineEdit(this);
    m_command->setPlaceholderText(QStringLiteral(
            "ssh ctl1 sudo /opt/atvm-watcher-service/libexec/start-atvm-run-watcher.sh"));

    auto *hint = new QLabel(tr("The state root is a local folder or an sshfs mount of the "
                               "controller's /var/lib/atvm-run-watcher. Without a start command, "
                               "Start writes a request into the root and the controller's "
                               "atvm-run-watcher-requests.path unit starts the watcher."),
                            this);
    hint->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Folder:"), pathRow);
    form->addRow(tr("Controller name:"), m_name);
    form->addRow(tr("Start command (optional):"), m_command);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        QString error;
        if (!root(&error)) {
            showPlainWarning(this, windowTitle(), error);
            return;
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

std::optional<StateRootConfig> RootDialog::root(QString *error) const
{
    StateRootConfig config;
    config.path = QDir::cleanPath(m_path->text().trimmed());
    config.controllerName = m_name->text().trimmed();
    // The command is split like a shell would split words, but it is never run by a shell.
    config.startCommand = QProcess::splitCommand(m_command->text());

    if (m_path->text().trimmed().isEmpty()) {
        *error = tr("The folder is empty; enter the state root, for example "
                    "/var/lib/atvm-run-watcher or the folder where it is mounted.");
        return std::nullopt;
    }
    if (!QDir(config.path).isAbsolute()) {
        *error = tr("The folder \"%1\" is not an absolute path.").arg(config.path);
        return std::nullopt;
    }
    return config;
}
