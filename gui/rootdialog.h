#pragma once

#include "shared/stateroots.h"

#include <QDialog>

class QLineEdit;

/*! \brief Asks for a state root: its folder, the controller's display name and an optional start command. */
class RootDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RootDialog)

public:
    explicit RootDialog(QWidget *parent = nullptr);

    /*! Returns the root entered, or an error text in \a error when the input is invalid. */
    std::optional<StateRootConfig> root(QString *error) const;

private:
    QLineEdit *m_path = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_command = nullptr;
};
