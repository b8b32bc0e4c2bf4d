#include "cypresslogsample.h"

#include <QByteArrayList>

namespace {

constexpr int shapeCount = 8;
constexpr int boxWidth = 96;

const QByteArray green = QByteArrayLiteral("\x1b[32m");
const QByteArray red = QByteArrayLiteral("\x1b[31m");
const QByteArray cyan = QByteArrayLiteral("\x1b[36m");
const QByteArray grey = QByteArrayLiteral("\x1b[90m");
const QByteArray yellow = QByteArrayLiteral("\x1b[33m");
const QByteArray reset = QByteArrayLiteral("\x1b[39m");

const QByteArrayList testTitles = {
        "opens the migration wizard",
        "selects the source guest from the inventory",
        "maps the source network to the target bridge",
        "starts the initial disk sync",
        "waits for the delta sync to settle",
        "cuts over the guest and powers it on",
        "checks the guest agent heartbeat",
        "verifies the kernel version on the target",
        "checks that the source guest is powered off",
        "removes the migration job",
};

QByteArray repeated(const char *utf8Character, int count)
{
    QByteArray result;
    for (int i = 0; i < count; ++i)
        result += utf8Character;
    return result;
}

QByteArray boxLine(const QByteArray &text)
{
    return "  \xe2\x94\x82 " + text.leftJustified(boxWidth - 2) + " \xe2\x94\x82\n";
}

QByteArray boxTop()
{
    return "  \xe2\x94\x8c" + repeated("\xe2\x94\x80", boxWidth) + "\xe2\x94\x90\n";
}

QByteArray boxBottom()
{
    return "  \xe2\x94\x94" + repeated("\xe2\x94\x80", boxWidth) + "\xe2\x94\x98\n";
}

QByteArray passedLine(const QByteArray &title, int milliseconds)
{
    return "  " + green + "  \xe2\x9c\x93" + reset + grey + " " + title + reset + yellow + " ("
            + QByteArray::number(milliseconds) + "ms)" + reset + "\n";
}

// A plugin such as cypress-terminal-report prints the commands of each test.
QByteArray commandLog(int index, int count)
{
    QByteArray result;
    for (int i = 0; i < count; ++i) {
        result += "        cy:command \xe2\x9c\x94  get\t[data-test=migration-row-"
                + QByteArray::number(index) + "-" + QByteArray::number(i) + "]\n";
        if (i % 4 == 0) {
            result += "          cy:xhr \xe2\x9c\x94  GET /api/v2/migrations/"
                    + QByteArray::number(index * 100 + i) + "/status\n";
            result += "                   Status: 200 - {\"state\":\"Migrating\",\"progress\":"
                    + QByteArray::number((i * 7) % 100) + "}\n";
        }
    }
    return result;
}

QByteArray consoleNoise(int index)
{
    QByteArray result;
    for (int i = 0; i < 6; ++i) {
        result += "[" + QByteArray::number(4100 + index % 900) + ":0" + QByteArray::number(i)
                + "12/093015.482:ERROR:gpu_init.cc(523)] Passthrough is not supported, GL is "
                  "disabled, ANGLE is\n";
    }
    result += "DevTools listening on ws://127.0.0.1:" + QByteArray::number(40000 + index % 20000)
            + "/devtools/browser/3f1c2a9e-7b1d-4d0e-9f3a-5c2b8e7d6a10\n";
    return result;
}

QByteArray failureDetail(int number, const QByteArray &suite, const QByteArray &title,
                         const QByteArray &specPath, int lineNumber)
{
    QByteArray result = "  " + QByteArray::number(number) + ") " + suite + "\n";
    result += "       " + title + ":\n";
    result += red
            + "     AssertionError: Timed out retrying after 60000ms: expected 'Migrating' to "
              "equal 'Completed'"
            + reset + "\n";
    result += "      at Context.eval (webpack://cdc-e2e/./cypress/e2e/" + specPath + ":"
            + QByteArray::number(lineNumber) + ":41)\n";
    result += "      at getRet (https://atvm-console.test/__cypress/runner/cypress_runner.js:"
              "118567:16)\n";
    result += "      at tryCatcher (https://atvm-console.test/__cypress/runner/"
              "cypress_runner.js:1807:23)\n\n";
    return result;
}

} // namespace

CypressLogSample::CypressLogSample(int specCount) : m_specCount(qMax(1, specCount)) { }

int CypressLogSample::specCountForSize(qint64 bytes)
{
    // Sizes one cycle of the eight shapes, with about 120 bytes per spec for
    // its row in the final table. The count is an estimate: a log comes out
    // within a few percent of the requested size.
    qint64 cycleBytes = 0;
    CypressLogSample sample(shapeCount);
    for (int i = 0; i < shapeCount; ++i)
        cycleBytes += sample.spec(i).size() + 120;
    return static_cast<int>(qMax<qint64>(1, bytes * shapeCount / cycleBytes));
}

CypressLogSample::SpecTotals CypressLogSample::totalsOf(int index)
{
    switch (index % shapeCount) {
    case 2:
        return SpecTotals{4, 3, 1, 0};
    case 4:
        return SpecTotals{5, 3, 0, 2};
    case 5:
        return SpecTotals{10, 10, 0, 0};
    case 7:
        return SpecTotals{6, 4, 2, 0};
    default:
        return SpecTotals{3, 3, 0, 0};
    }
}

QByteArray CypressLogSample::specFileName(int index) const
{
    static const QByteArrayList kinds = {"source-inventory",
                                         "linux-guest-migration",
                                         "windows-guest-migration",
                                         "network-mapping",
                                         "rollback",
                                         "post-migration-checks",
                                         "storage-mapping",
                                         "bulk-migration"};
    return QByteArray::number(index + 1).rightJustified(5, '0') + "-" + kinds.at(index % shapeCount)
            + ".cy.js";
}

QByteArray CypressLogSample::header() const
{
    QByteArray result = "\n" + QByteArray(100, '=') + "\n\n  (Run Starting)\n\n" + boxTop();
    result += boxLine("Cypress:        12.17.4");
    result += boxLine("Browser:        Electron 106 (headless)");
    result += boxLine("Node Version:   v18.20.4 (/usr/bin/node)");
    result += boxLine("Specs:          " + QByteArray::number(m_specCount) + " found ("
                      + specFileName(0) + ", " + specFileName(1) + ", ...)");
    result += boxLine("Searched:       cypress/e2e/atvm/**/*.cy.js");
    result += boxLine("Experiments:    experimentalMemoryManagement=true");
    result += boxBottom() + "\n";
    return result;
}

QByteArray CypressLogSample::spec(int index) const
{
    const SpecTotals totals = totalsOf(index);
    const QByteArray fileName = specFileName(index);
    const QByteArray specPath = "atvm/" + fileName;
    const QByteArray suite = "ATVM migration " + QByteArray::number(index + 1);
    const int shape = index % shapeCount;

    QByteArray result = "\n" + repeated("\xe2\x94\x80", 100) + "\n" + QByteArray(100, ' ') + "\n";
    result += "  Running:  " + specPath.leftJustified(78) + "(" + QByteArray::number(index + 1)
            + " of " + QByteArray::number(m_specCount) + ")\n\n";
    if (shape == 1)
        result += consoleNoise(index);
    result += "\n  " + suite + "\n";

    QByteArray failures;
    int failureNumber = 0;
    int titleIndex = 0;
    for (int i = 0; i < totals.passing; ++i) {
        const QByteArray &title = testTitles.at(titleIndex++ % testTitles.size());
        if (shape == 3 && i == 1) {
            result += "    " + yellow + "(Attempt 1 of 3) " + title + reset + "\n";
        }
        result += passedLine(title, 800 + (index * 37 + i * 1013) % 60000);
        if (shape == 0 || shape == 6)
            result += commandLog(index, 12);
    }
    for (int i = 0; i < totals.failing; ++i) {
        const QByteArray &title = testTitles.at(titleIndex++ % testTitles.size());
        ++failureNumber;
        result +=
                "  " + red + "  " + QByteArray::number(failureNumber) + ") " + title + reset + "\n";
        failures += failureDetail(failureNumber, suite, title, specPath, 40 + 12 * i);
    }
    for (int i = 0; i < totals.pending; ++i) {
        const QByteArray &title = testTitles.at(titleIndex++ % testTitles.size());
        result += "  " + cyan + "  - " + title + reset + "\n";
    }

    result += "\n\n  " + green + QByteArray::number(totals.passing) + " passing" + reset + grey
            + " (1m)" + reset + "\n";
    if (totals.pending > 0)
        result += "  " + cyan + QByteArray::number(totals.pending) + " pending" + reset + "\n";
    if (totals.failing > 0) {
        result += "  " + red + QByteArray::number(totals.failing) + " failing" + reset + "\n\n";
        result += failures;
    }

    result += "\n\n  (Results)\n\n" + boxTop();
    result += boxLine("Tests:        " + QByteArray::number(totals.tests));
    result += boxLine("Passing:      " + QByteArray::number(totals.passing));
    result += boxLine("Failing:      " + QByteArray::number(totals.failing));
    result += boxLine("Pending:      " + QByteArray::number(totals.pending));
    result += boxLine("Skipped:      0");
    result += boxLine("Screenshots:  " + QByteArray::number(totals.failing));
    result += boxLine("Video:        false");
    result += boxLine("Duration:     1 minute, 8 seconds");
    result += boxLine("Spec Ran:     " + fileName);
    result += boxBottom();
    if (totals.failing > 0) {
        result += "\n  (Screenshots)\n\n  -  /root/cdc-e2e-cyp-12.17.4/cypress/screenshots/"
                + fileName + "/" + suite + " -- failed (failed).png (1280x720)\n";
    }
    return result;
}

QByteArray CypressLogSample::footer() const
{
    QByteArray result = "\n\n" + QByteArray(100, '=') + "\n\n  (Run Finished)\n\n\n";
    result += "       Spec                                              Tests  Passing  Failing  "
              "Pending  Skipped  \n";
    result += boxTop();
    for (int i = 0; i < m_specCount; ++i) {
        const SpecTotals totals = totalsOf(i);
        const QByteArray symbol = totals.failing > 0 ? "\xe2\x9c\x96" : "\xe2\x9c\x94";
        const auto cell = [](int value) {
            return value > 0 ? QByteArray::number(value) : QByteArray("-");
        };
        result += "  \xe2\x94\x82 " + symbol + "  " + specFileName(i).leftJustified(37)
                + QByteArray("01:08").rightJustified(11)
                + QByteArray::number(totals.tests).rightJustified(9)
                + cell(totals.passing).rightJustified(9) + cell(totals.failing).rightJustified(9)
                + cell(totals.pending).rightJustified(9) + QByteArray("-").rightJustified(9)
                + " \xe2\x94\x82\n";
    }
    result += boxBottom();

    const int failedSpecs = expectedFailedSpecs();
    const auto cell = [](int value) {
        return value > 0 ? QByteArray::number(value) : QByteArray("-");
    };
    const QByteArray totalsColumns = QByteArray::number(expectedTests()).rightJustified(9)
            + cell(expectedPassing()).rightJustified(9) + cell(expectedFailing()).rightJustified(9)
            + cell(expectedPending()).rightJustified(9) + QByteArray("-").rightJustified(9);
    if (failedSpecs > 0) {
        const int percent = (failedSpecs * 100 + m_specCount / 2) / m_specCount;
        result += "    \xe2\x9c\x96  "
                + QByteArray(QByteArray::number(failedSpecs) + " of "
                             + QByteArray::number(m_specCount) + " failed ("
                             + QByteArray::number(percent) + "%)")
                          .leftJustified(42)
                + "14:32:05" + totalsColumns + "  \n\n";
    } else {
        result += "    \xe2\x9c\x94  " + QByteArray("All specs passed!").leftJustified(42)
                + "14:32:05" + totalsColumns + "  \n\n";
    }
    return result;
}

QByteArray CypressLogSample::wholeLog() const
{
    QByteArray result = header();
    for (int i = 0; i < m_specCount; ++i)
        result += spec(i);
    result += footer();
    return result;
}

int CypressLogSample::expectedTests() const
{
    int sum = 0;
    for (int i = 0; i < m_specCount; ++i)
        sum += totalsOf(i).tests;
    return sum;
}

int CypressLogSample::expectedPassing() const
{
    int sum = 0;
    for (int i = 0; i < m_specCount; ++i)
        sum += totalsOf(i).passing;
    return sum;
}

int CypressLogSample::expectedFailing() const
{
    int sum = 0;
    for (int i = 0; i < m_specCount; ++i)
        sum += totalsOf(i).failing;
    return sum;
}

int CypressLogSample::expectedPending() const
{
    int sum = 0;
    for (int i = 0; i < m_specCount; ++i)
        sum += totalsOf(i).pending;
    return sum;
}

int CypressLogSample::expectedFailedSpecs() const
{
    int count = 0;
    for (int i = 0; i < m_specCount; ++i) {
        if (totalsOf(i).failing > 0)
            ++count;
    }
    return count;
}
