#pragma once

#include "shared/runhistory.h"

#include <QWidget>

class QChart;
class QChartView;
class QLabel;

/*!
    \brief A chart of the last runs of the same template or build: duration in
    minutes as bars and failing tests as a line, the selected run last.
*/
class HistoryChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryChart)

public:
    explicit HistoryChart(QWidget *parent = nullptr);

    /*! Shows \a points (oldest first); \a title names the template or build they share. */
    void setHistory(const QString &title, const QList<RunHistoryPoint> &points);

    int pointCount() const { return m_pointCount; }
    QChart *chart() const;

private:
    QChartView *m_view = nullptr;
    QLabel *m_emptyLabel = nullptr;
    int m_pointCount = 0;
};
