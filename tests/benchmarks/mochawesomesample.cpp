#include "mochawesomesample.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace {

constexpr int testsPerReport = 8;

QString testUuid(int index, int test)
{
    // Deterministic ids keep two runs of a benchmark byte-identical.
    return QStringLiteral("5b1e%1-7c2d-4e8f-9a0b-%2")
            .arg(index, 4, 10, QLatin1Char('0'))
            .arg(test, 12, 10, QLatin1Char('0'));
}

QJsonObject testObject(int index, int test, bool failed)
{
    const QString title =
            QStringLiteral("checks migration step %1 of guest %2").arg(test).arg(index);
    const QString code =
            QStringLiteral(
                    "cy.get('[data-test=migration-row-%1]').should('be.visible');\n"
                    "cy.get('[data-test=migration-row-%1] [data-test=state]', { timeout: 60000 })\n"
                    "  .should('have.text', 'Completed');\n"
                    "cy.request('GET', `/api/v2/migrations/%1/status`).its('body.state')\n"
                    "  .should('eq', 'Completed');")
                    .arg(index * 100 + test);

    QJsonObject error;
    if (failed) {
        error = QJsonObject{
                {QStringLiteral("message"),
                 QStringLiteral("AssertionError: Timed out retrying after 60000ms: expected "
                                "'Migrating' to equal 'Completed'")},
                {QStringLiteral("estack"),
                 QStringLiteral("AssertionError: Timed out retrying after 60000ms: expected "
                                "'Migrating' to equal 'Completed'\n    at Context.eval "
                                "(webpack://cdc-e2e/./cypress/e2e/atvm/migration.cy.js:88:41)")},
                {QStringLiteral("diff"), QStringLiteral("- 'Migrating'\n+ 'Completed'\n")},
        };
    }

    return QJsonObject{
            {QStringLiteral("title"), title},
            {QStringLiteral("fullTitle"),
             QString(QStringLiteral("ATVM migration %1 ").arg(index) + title)},
            {QStringLiteral("timedOut"), QJsonValue::Null},
            {QStringLiteral("duration"), 1800 + (index * 131 + test * 977) % 60000},
            {QStringLiteral("state"), failed ? QStringLiteral("failed") : QStringLiteral("passed")},
            {QStringLiteral("speed"), QStringLiteral("slow")},
            {QStringLiteral("pass"), !failed},
            {QStringLiteral("fail"), failed},
            {QStringLiteral("pending"), false},
            {QStringLiteral("context"), QJsonValue::Null},
            {QStringLiteral("code"), code},
            {QStringLiteral("err"), error},
            {QStringLiteral("uuid"), testUuid(index, test)},
            {QStringLiteral("parentUUID"), testUuid(index, 0)},
            {QStringLiteral("isHook"), false},
            {QStringLiteral("skipped"), false},
    };
}

} // namespace

QByteArray mochawesomeReport(int index, int revision)
{
    const bool hasFailure = index % 5 == 0;
    const QString specPath = QStringLiteral("cypress/e2e/atvm/%1-migration.cy.js")
                                     .arg(index, 5, 10, QLatin1Char('0'));

    QJsonArray tests;
    QJsonArray passes;
    QJsonArray failures;
    for (int test = 1; test <= testsPerReport; ++test) {
        const bool failed = hasFailure && test == testsPerReport;
        tests.append(testObject(index, test, failed));
        (failed ? failures : passes).append(testUuid(index, test));
    }

    const QJsonObject suite{
            {QStringLiteral("uuid"), testUuid(index, 0)},
            {QStringLiteral("title"), QStringLiteral("ATVM migration %1").arg(index)},
            {QStringLiteral("fullFile"), QString()},
            {QStringLiteral("file"), QString()},
            {QStringLiteral("beforeHooks"), QJsonArray()},
            {QStringLiteral("afterHooks"), QJsonArray()},
            {QStringLiteral("tests"), tests},
            {QStringLiteral("suites"), QJsonArray()},
            {QStringLiteral("passes"), passes},
            {QStringLiteral("failures"), failures},
            {QStringLiteral("pending"), QJsonArray()},
            {QStringLiteral("skipped"), QJsonArray()},
            {QStringLiteral("duration"), 61234},
            {QStringLiteral("root"), false},
            {QStringLiteral("rootEmpty"), false},
            {QStringLiteral("_timeout"), 2000},
    };
    const QJsonObject result{
            {QStringLiteral("uuid"), testUuid(index, 99)},
            {QStringLiteral("title"), QString()},
            {QStringLiteral("fullFile"), specPath},
            {QStringLiteral("file"), specPath},
            {QStringLiteral("beforeHooks"), QJsonArray()},
            {QStringLiteral("afterHooks"), QJsonArray()},
            {QStringLiteral("tests"), QJsonArray()},
            {QStringLiteral("suites"), QJsonArray{suite}},
            {QStringLiteral("passes"), QJsonArray()},
            {QStringLiteral("failures"), QJsonArray()},
            {QStringLiteral("pending"), QJsonArray()},
            {QStringLiteral("skipped"), QJsonArray()},
            {QStringLiteral("duration"), 0},
            {QStringLiteral("root"), true},
            {QStringLiteral("rootEmpty"), true},
            {QStringLiteral("_timeout"), 2000},
    };
    const int failing = hasFailure ? 1 : 0;
    const QJsonObject stats{
            {QStringLiteral("suites"), 1},
            {QStringLiteral("tests"), testsPerReport},
            {QStringLiteral("passes"), testsPerReport - failing},
            {QStringLiteral("pending"), 0},
            {QStringLiteral("failures"), failing},
            {QStringLiteral("start"), QStringLiteral("2025-03-14T09:30:15.482Z")},
            {QStringLiteral("end"),
             QStringLiteral("2025-03-14T09:31:%1.000Z")
                     .arg(16 + revision % 40, 2, 10, QLatin1Char('0'))},
            {QStringLiteral("duration"), 61234 + revision},
            {QStringLiteral("testsRegistered"), testsPerReport},
            {QStringLiteral("passPercent"), (testsPerReport - failing) * 100.0 / testsPerReport},
            {QStringLiteral("pendingPercent"), 0},
            {QStringLiteral("other"), 0},
            {QStringLiteral("hasOther"), false},
            {QStringLiteral("skipped"), 0},
            {QStringLiteral("hasSkipped"), false},
    };
    const QJsonObject report{
            {QStringLiteral("stats"), stats},
            {QStringLiteral("results"), QJsonArray{result}},
            {QStringLiteral("meta"),
             QJsonObject{{QStringLiteral("mocha"),
                          QJsonObject{{QStringLiteral("version"), QStringLiteral("7.0.1")}}},
                         {QStringLiteral("mochawesome"),
                          QJsonObject{{QStringLiteral("version"), QStringLiteral("7.1.3")}}}}},
    };
    return QJsonDocument(report).toJson(QJsonDocument::Indented);
}
