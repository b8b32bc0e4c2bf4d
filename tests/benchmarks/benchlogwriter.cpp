// atvm-bench-logwriter: plays the part of a Cypress run for
// scripts/run-benchmarks.sh. It writes its PID file, appends a run log of a
// given size at a given rate, optionally stays alive, and exits 0.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <cstdio>

#include "cypresslogsample.h"

namespace {

constexpr qint64 mebibyte = 1024 * 1024;
constexpr int tickMilliseconds = 100;

int fail(const QString &message)
{
    std::fprintf(stderr, "atvm-bench-logwriter: %s\n", qPrintable(message));
    return 64;
}

std::optional<double> parseNumber(const QString &text)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("Appends a made-up Cypress 12.17.4 run log to a file, for benchmarks of "
                           "atvm-run-watcher."));
    parser.addHelpOption();
    const QCommandLineOption logOption(QStringLiteral("log"),
                                       QStringLiteral("Run log to append to (required)."),
                                       QStringLiteral("file"));
    const QCommandLineOption pidOption(QStringLiteral("pid-file"),
                                       QStringLiteral("Write this process's PID here first."),
                                       QStringLiteral("file"));
    const QCommandLineOption sizeOption(QStringLiteral("size-mib"),
                                        QStringLiteral("Approximate log size in MiB (default 1)."),
                                        QStringLiteral("MiB"), QStringLiteral("1"));
    const QCommandLineOption rateOption(
            QStringLiteral("rate"),
            QStringLiteral("Write speed in MiB per second; 0 writes everything at once "
                           "(default 0)."),
            QStringLiteral("MiB/s"), QStringLiteral("0"));
    const QCommandLineOption unfinishedOption(
            QStringLiteral("unfinished"),
            QStringLiteral("Leave out the (Run Finished) table, as in a run still going."));
    const QCommandLineOption holdOption(
            QStringLiteral("hold"),
            QStringLiteral("Stay alive this many seconds after writing (default 0)."),
            QStringLiteral("seconds"), QStringLiteral("0"));
    parser.addOptions({logOption, pidOption, sizeOption, rateOption, unfinishedOption, holdOption});
    parser.process(app);

    if (!parser.isSet(logOption))
        return fail(QStringLiteral("missing --log FILE. Run with --help."));
    const std::optional<double> sizeMib = parseNumber(parser.value(sizeOption));
    if (!sizeMib || *sizeMib <= 0)
        return fail(QStringLiteral("invalid --size-mib \"%1\"; give a positive number of MiB.")
                            .arg(parser.value(sizeOption)));
    const std::optional<double> rate = parseNumber(parser.value(rateOption));
    if (!rate)
        return fail(QStringLiteral("invalid --rate \"%1\"; give MiB per second, or 0.")
                            .arg(parser.value(rateOption)));
    const std::optional<double> hold = parseNumber(parser.value(holdOption));
    if (!hold)
        return fail(QStringLiteral("invalid --hold \"%1\"; give seconds.")
                            .arg(parser.value(holdOption)));

    if (parser.isSet(pidOption)) {
        QFile pidFile(parser.value(pidOption));
        if (!pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(QStringLiteral("cannot write PID file \"%1\": %2")
                                .arg(pidFile.fileName(), pidFile.errorString()));
        pidFile.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n');
    }

    QFile log(parser.value(logOption));
    if (!log.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return fail(QStringLiteral("cannot open log \"%1\": %2")
                            .arg(log.fileName(), log.errorString()));

    const CypressLogSample sample(
            CypressLogSample::specCountForSize(static_cast<qint64>(*sizeMib * mebibyte)));
    const qint64 bytesPerTick =
            *rate > 0 ? static_cast<qint64>(*rate * mebibyte * tickMilliseconds / 1000) : 0;

    QByteArray pending = sample.header();
    for (int spec = 0; spec <= sample.specCount(); ++spec) {
        if (spec < sample.specCount())
            pending += sample.spec(spec);
        else if (!parser.isSet(unfinishedOption))
            pending += sample.footer();

        const bool last = spec == sample.specCount();
        if (!last && (bytesPerTick == 0 || pending.size() < bytesPerTick))
            continue;
        if (log.write(pending) != pending.size())
            return fail(QStringLiteral("cannot write log \"%1\": %2")
                                .arg(log.fileName(), log.errorString()));
        pending.clear();
        if (bytesPerTick > 0 && !last)
            QThread::msleep(tickMilliseconds);
    }
    log.close();

    const QDeadlineTimer holdDeadline(static_cast<qint64>(*hold * 1000));
    while (!holdDeadline.hasExpired())
        QThread::msleep(tickMilliseconds);
    return 0;
}
