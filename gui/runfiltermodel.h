#pragma once

#include "gui/runrow.h"

#include <QSortFilterProxyModel>

#include <optional>

/*! \brief Sorts the run table and filters it by display state, controller and text. */
class RunFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunFilterModel)

public:
    explicit RunFilterModel(QObject *parent = nullptr);

    /*! Shows only rows in \a state; nothing shows every state. */
    void setStateFilter(std::optional<DisplayState> state);

    /*! Shows only rows of the controller \a name; an empty name shows all. */
    void setControllerFilter(const QString &name);

    /*! Shows only rows whose build, controller, reason, spec or metadata contains \a text. */
    void setTextFilter(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    std::optional<DisplayState> m_state;
    QString m_controller;
    QString m_text;
};
