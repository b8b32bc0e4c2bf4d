#include "gui/historychart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

HistoryChart::HistoryChart(QWidget *parent) : QWidget(parent)
{
    m_view = new QChartView(this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);
    m_emptyLabel = new QLabel(tr("No finished runs of this template or build yet."), this);
    m_emptyLabel->setAlignment(Qt::AlignCenter);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addWidget(m_emptyLabel);
    setHistory(QString(), {});
}

QChart *HistoryChart::chart() const
{
    return m_view->chart();
}

void HistoryChart::setHistory(const QString &title, const QList<RunHistoryPoint> &points)
{
    m_pointCount = int(points.size());
    m_view->setVisible(!points.isEmpty());
    m_emptyLabel->setVisible(points.isEmpty());

    auto *chart = new QChart;
    // QChart renders its title as rich text; the template name comes from a state file.
    chart->setTitle(title.toHtmlEscaped());
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));

    auto *durations = new QBarSet(tr("Duration (min)"));
    durations->setColor(QColor(0x1f, 0x6f, 0xc5));
    auto *failing = new QLineSeries;
    failing->setName(tr("Failing tests"));
    failing->setColor(QColor(0xc6, 0x28, 0x28));
    failing->setPointsVisible(true);

    QStringList categories;
    double maxMinutes = 1;
    int maxFailing = 1;
    for (int i = 0; i < points.size(); ++i) {
        const RunHistoryPoint &point = points.at(i);
        const double minutes = point.durationSeconds / 60.0;
        durations->append(minutes);
        failing->append(i, point.failing);
        maxMinutes = qMax(maxMinutes, minutes);
        maxFailing = qMax(maxFailing, point.failing);
        // Categories must be unique: a second run on the same day gets a suffix.
        const QString day = point.startedAt.toLocalTime().toString(QStringLiteral("MM-dd"));
        QString category = day;
        for (int n = 2; categories.contains(category); ++n)
            category = day + QStringLiteral(" #%1").arg(n);
        categories.append(category);
    }

    auto *bars = new QBarSeries;
    bars->append(durations);
    chart->addSeries(bars);
    chart->addSeries(failing);

    auto *axisX = new QBarCategoryAxis;
    axisX->append(categories);
    QFont labelFont = axisX->labelsFont();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.8);
    axisX->setLabelsFont(labelFont);
    chart->addAxis(axisX, Qt::AlignBottom);
    bars->attachAxis(axisX);
    failing->attachAxis(axisX);

    auto *axisMinutes = new QValueAxis;
    axisMinutes->setRange(0, maxMinutes * 1.1);
    axisMinutes->setTitleText(tr("minutes"));
    axisMinutes->setLabelFormat(QStringLiteral("%.0f"));
    axisMinutes->applyNiceNumbers();
    chart->addAxis(axisMinutes, Qt::AlignLeft);
    bars->attachAxis(axisMinutes);

    auto *axisFailing = new QValueAxis;
    axisFailing->setRange(0, maxFailing + 1);
    axisFailing->setTitleText(tr("failing"));
    axisFailing->setLabelFormat(QStringLiteral("%d"));
    axisFailing->applyNiceNumbers();
    chart->addAxis(axisFailing, Qt::AlignRight);
    failing->attachAxis(axisFailing);

    QChart *old = m_view->chart();
    m_view->setChart(chart);
    delete old;
}
