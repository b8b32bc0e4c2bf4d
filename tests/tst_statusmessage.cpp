#include "shared/statusmessage.h"

#include <QRegularExpression>
#include <QTest>

class TestStatusMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fieldsPresent();
    void stateSymbols_data();
    void stateSymbols();
    void unknownKernelAndTotal();
    void failuresCapped();
    void lengthLimitWithHugeInput();
    void injectionNeutralised_data();
    void injectionNeutralised();
    void backticksInCode_data();
    void backticksInCode();
    void escapeMarkdownText_data();
    void escapeMarkdownText();
};

namespace {

StatusMessageInput sampleInput()
{
    StatusMessageInput input;
    input.buildName = QStringLiteral("e2e-redhat9.6-ubuntu24.04-w2k25-fc");
    input.state = RunState::Failed;
    input.reason = QStringLiteral("Cypress exited with status 2 after 42 of 42 specs");
    input.metadata.templateName = QStringLiteral("cdc-nightly");
    input.metadata.configFamily = QStringLiteral("dual-site");
    input.metadata.migrationStyle = QStringLiteral("live");
    input.metadata.integrationPlugin = QStringLiteral("vsphere");
    input.metadata.scopeDescription = QStringLiteral("Full regression");
    input.guests = {
            {QStringLiteral("redhat9.6"), QStringLiteral("5.14.0-570.22.1.el9_6.x86_64")},
            {QStringLiteral("ubuntu24.04"), QStringLiteral("6.8.0-51-generic")},
            {QStringLiteral("w2k25"), std::nullopt},
    };
    input.progress.specsTotal = 42;
    input.progress.specsDone = 42;
    input.progress.specsFailed = 2;
    input.progress.tests = 311;
    input.progress.passing = 301;
    input.progress.failing = 3;
    input.progress.pending = 4;
    input.progress.skipped = 3;
    input.progress.failures = {
            {QStringLiteral("migration/cutover.cy.js"), QStringLiteral("reaches cut-over"),
             QStringLiteral("AssertionError: expected Syncing")},
            {QStringLiteral("settings/ldap.cy.js"), QStringLiteral("imports users"),
             QStringLiteral("CypressError: task failed")},
    };
    input.duration = QStringLiteral("3h 12m");
    input.logPath = QStringLiteral("/root/cdc-e2e-cyp-12.17.4/logs/e2e.log");
    input.host = QStringLiteral("atvm-runner-02");
    return input;
}

// Returns true when \a text contains \a needle at a position not preceded by a backslash.
bool containsUnescaped(const QString &text, const QString &needle)
{
    qsizetype from = 0;
    while ((from = text.indexOf(needle, from)) >= 0) {
        if (from == 0 || text.at(from - 1) != QLatin1Char('\\'))
            return true;
        ++from;
    }
    return false;
}

} // namespace

void TestStatusMessage::fieldsPresent()
{
    const QString message = buildStatusMessage(sampleInput());

    QVERIFY2(message.startsWith(
                     QStringLiteral("#### \u274C FAILED: `e2e-redhat9.6-ubuntu24.04-w2k25-fc`")),
             qPrintable(message));
    const QStringList expectedLines{
            QStringLiteral("Cypress exited with status 2 after 42 of 42 specs"),
            QStringLiteral("**Template:** cdc-nightly"),
            QStringLiteral("**Config family:** dual-site"),
            QStringLiteral("**Migration style:** live"),
            QStringLiteral("**Integration plugin:** vsphere"),
            QStringLiteral("**Scope:** Full regression"),
            QStringLiteral("| Guest | Kernel |"),
            QStringLiteral("| redhat9.6 | 5.14.0-570.22.1.el9\\_6.x86\\_64 |"),
            QStringLiteral("| ubuntu24.04 | 6.8.0-51-generic |"),
            QStringLiteral("| w2k25 | unknown |"),
            QStringLiteral("**Tests:** 311 \u00B7 **Passing:** 301 \u00B7 **Failing:** 3 \u00B7 "
                           "**Pending:** 4 \u00B7 **Skipped:** 3"),
            QStringLiteral("**Specs:** 42 of 42 done, 2 failed"),
            QStringLiteral("**Duration:** 3h 12m"),
            QStringLiteral("**Failed specs**"),
            QStringLiteral("- `migration/cutover.cy.js`"),
            QStringLiteral("- `settings/ldap.cy.js`"),
            QStringLiteral("**Failed tests**"),
            QStringLiteral("- `migration/cutover.cy.js` reaches cut-over: AssertionError: "
                           "expected Syncing"),
            QStringLiteral("**Log:** `atvm-runner-02:/root/cdc-e2e-cyp-12.17.4/logs/e2e.log`"),
    };
    const QStringList lines = message.split(QLatin1Char('\n'));
    for (const QString &expected : expectedLines)
        QVERIFY2(lines.contains(expected),
                 qPrintable(QStringLiteral("missing line: ") + expected + QStringLiteral("\nin:\n")
                            + message));

    QVERIFY(message.endsWith(expectedLines.last()));
    QVERIFY(!message.contains(QLatin1String("more_")));
}

void TestStatusMessage::stateSymbols_data()
{
    QTest::addColumn<RunState>("state");
    QTest::addColumn<QString>("heading");

    QTest::newRow("completed") << RunState::Completed << QStringLiteral("#### \u2705 COMPLETED: ");
    QTest::newRow("failed") << RunState::Failed << QStringLiteral("#### \u274C FAILED: ");
    QTest::newRow("hung") << RunState::Hung << QStringLiteral("#### \u26A0\uFE0F HUNG: ");
}

void TestStatusMessage::stateSymbols()
{
    QFETCH(RunState, state);
    QFETCH(QString, heading);

    StatusMessageInput input = sampleInput();
    input.state = state;
    QVERIFY(buildStatusMessage(input).startsWith(heading));
}

void TestStatusMessage::unknownKernelAndTotal()
{
    StatusMessageInput input = sampleInput();
    input.guests = {{QStringLiteral("rocky9.5"), QString()}};
    input.progress.specsTotal = -1;
    input.progress.specsDone = 3;
    input.metadata.templateName.clear();

    const QStringList lines = buildStatusMessage(input).split(QLatin1Char('\n'));
    QVERIFY(lines.contains(QStringLiteral("| rocky9.5 | unknown |")));
    QVERIFY(lines.contains(QStringLiteral("**Specs:** 3 of unknown done, 2 failed")));
    QVERIFY(lines.contains(QStringLiteral("**Template:** _not set_")));
}

void TestStatusMessage::failuresCapped()
{
    StatusMessageInput input = sampleInput();
    input.progress.failures.clear();
    for (int i = 1; i <= 25; ++i) {
        input.progress.failures.append({QStringLiteral("spec-%1.cy.js").arg(i),
                                        QStringLiteral("test %1").arg(i),
                                        QStringLiteral("Error %1").arg(i)});
    }
    input.progress.specsFailed = 25;
    for (int i = 0; i < 13; ++i)
        input.guests.append({QStringLiteral("guest%1").arg(i), std::nullopt});

    const QString message = buildStatusMessage(input);
    const QStringList lines = message.split(QLatin1Char('\n'));

    QVERIFY(lines.contains(QStringLiteral("- `spec-10.cy.js`")));
    QVERIFY(!lines.contains(QStringLiteral("- `spec-11.cy.js`")));
    QVERIFY(lines.contains(QStringLiteral("- `spec-10.cy.js` test 10: Error 10")));
    QVERIFY(!message.contains(QLatin1String("test 11")));
    QCOMPARE(message.count(QStringLiteral("- _and 15 more_")), 2);
    QVERIFY(lines.contains(QStringLiteral("| _and 6 more_ | |")));
    QVERIFY(message.size() <= maxStatusMessageLength);
}

void TestStatusMessage::lengthLimitWithHugeInput()
{
    StatusMessageInput input = sampleInput();
    const QString huge = QString(50000, QLatin1Char('*'));
    input.reason = huge;
    input.metadata.scopeDescription = huge;
    input.metadata.templateName = huge;
    input.logPath = QStringLiteral("/var/log/") + QString(20000, QLatin1Char('x'));
    input.guests.clear();
    for (int i = 0; i < 60; ++i)
        input.guests.append({QStringLiteral("g%1").arg(i), QString(5000, QLatin1Char('.'))});
    input.progress.failures.clear();
    for (int i = 0; i < 10000; ++i)
        input.progress.failures.append({huge.left(900) + QString::number(i), huge, huge});
    input.progress.specsFailed = 10000;

    const QString message = buildStatusMessage(input);
    QVERIFY2(message.size() <= maxStatusMessageLength, qPrintable(QString::number(message.size())));
    QVERIFY(message.startsWith(QStringLiteral("#### \u274C FAILED: ")));
    // The log line survives the cut, shortened but still a code span.
    const QString lastLine = message.section(QLatin1Char('\n'), -1);
    QVERIFY2(lastLine.startsWith(QStringLiteral("**Log:** `atvm-runner-02:/var/log/xxx")),
             qPrintable(lastLine));
    QVERIFY(lastLine.endsWith(QStringLiteral("\u2026`")));
    QVERIFY(message.contains(QStringLiteral("message shortened to 4000 characters")));
}

void TestStatusMessage::injectionNeutralised_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("forbidden");

    QTest::newRow("channel mention")
            << QStringLiteral("ping @channel now") << QStringLiteral("@channel");
    QTest::newRow("here mention") << QStringLiteral("@here") << QStringLiteral("@here");
    QTest::newRow("all mention") << QStringLiteral("cc @all") << QStringLiteral("@all");
    QTest::newRow("user mention") << QStringLiteral("blame @alice") << QStringLiteral("@alice");
    QTest::newRow("html tag") << QStringLiteral("<b>bold</b>") << QStringLiteral("<b>");
    QTest::newRow("strong") << QStringLiteral("**x**") << QStringLiteral("**x**");
    QTest::newRow("link") << QStringLiteral("[link](http://x)") << QStringLiteral("[link](");
    QTest::newRow("autolink") << QStringLiteral("see http://x") << QStringLiteral("http://");
    QTest::newRow("backticks") << QStringLiteral("`rm -rf /`") << QStringLiteral("`rm");
    QTest::newRow("new line heading") << QStringLiteral("x\n# Heading") << QStringLiteral("\n# ");
    QTest::newRow("table pipe") << QStringLiteral("a | b") << QStringLiteral(" | b");
    QTest::newRow("html entity") << QStringLiteral("&lt;b&gt;") << QStringLiteral("&lt;b");
}

void TestStatusMessage::injectionNeutralised()
{
    QFETCH(QString, value);
    QFETCH(QString, forbidden);

    StatusMessageInput input = sampleInput();
    input.reason = value;
    input.metadata.templateName = value;
    input.metadata.configFamily = value;
    input.metadata.migrationStyle = value;
    input.metadata.integrationPlugin = value;
    input.metadata.scopeDescription = value;
    input.duration = value;
    input.guests = {{value, value}};
    input.progress.failures = {{QString(), value, value}};

    const QString message = buildStatusMessage(input);
    QVERIFY2(!containsUnescaped(message, forbidden), qPrintable(message));
    // The fixed parts of the message still carry their formatting.
    QVERIFY(message.contains(QLatin1String("**Template:** ")));
}

void TestStatusMessage::backticksInCode_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain path") << QStringLiteral("/root/logs/run.log")
                                << QStringLiteral("`/root/logs/run.log`");
    QTest::newRow("one backtick") << QStringLiteral("/tmp/a`b.log")
                                  << QStringLiteral("``/tmp/a`b.log``");
    QTest::newRow("double backtick") << QStringLiteral("a``b") << QStringLiteral("```a``b```");
    QTest::newRow("edge backtick") << QStringLiteral("`x") << QStringLiteral("`` `x ``");
    QTest::newRow("mention in path")
            << QStringLiteral("/srv/@here/run.log") << QStringLiteral("`/srv/@\u200Dhere/run.log`");
    QTest::newRow("line break") << QStringLiteral("a\nb") << QStringLiteral("`a b`");
}

void TestStatusMessage::backticksInCode()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);

    QCOMPARE(markdownCode(value), expected);

    StatusMessageInput input = sampleInput();
    input.host.clear();
    input.logPath = value;
    const QString message = buildStatusMessage(input);
    QVERIFY2(message.endsWith(QStringLiteral("**Log:** ") + expected), qPrintable(message));
}

void TestStatusMessage::escapeMarkdownText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QStringLiteral("plain words 42") << QStringLiteral("plain words 42");
    QTest::newRow("emphasis") << QStringLiteral("**x** _y_ ~~z~~")
                              << QStringLiteral("\\*\\*x\\*\\* \\_y\\_ \\~\\~z\\~\\~");
    QTest::newRow("link") << QStringLiteral("[link](http://x)")
                          << QStringLiteral("\\[link\\](http&#58;//x)");
    QTest::newRow("html") << QStringLiteral("<b>&") << QStringLiteral("&lt;b>&amp;");
    QTest::newRow("mentions") << QStringLiteral("@channel @here @all a@b @ x")
                              << QStringLiteral("@\u200Dchannel @\u200Dhere @\u200Dall "
                                                "a@\u200Db @ x");
    QTest::newRow("backslash") << QStringLiteral("C:\\temp") << QStringLiteral("C&#58;&#92;temp");
    QTest::newRow("latex and emoji")
            << QStringLiteral("$x$ :smile:") << QStringLiteral("&#36;x&#36; &#58;smile:");
    QTest::newRow("line breaks") << QStringLiteral("a\r\nb\tc") << QStringLiteral("a  b c");
    QTest::newRow("heading and list")
            << QStringLiteral("# h - i + j 1. k > q") << QStringLiteral("\\# h - i + j 1. k > q");
    QTest::newRow("ordered list at start")
            << QStringLiteral("12. step") << QStringLiteral("12\\. step");
    QTest::newRow("hashtag") << QStringLiteral("see #atvm and # 2")
                             << QStringLiteral("see \\#atvm and # 2");
    QTest::newRow("www link") << QStringLiteral("see www.example.com")
                              << QStringLiteral("see www\\.example.com");
    QTest::newRow("readable punctuation") << QStringLiteral("cmc-e2e (gold), 1 of 4: done.")
                                          << QStringLiteral("cmc-e2e (gold), 1 of 4: done.");
    QTest::newRow("table and code") << QStringLiteral("a|b `c`") << QStringLiteral("a\\|b \\`c\\`");
    QTest::newRow("non-ASCII kept") << QStringLiteral("r\u00E9sum\u00E9 \u2713")
                                    << QStringLiteral("r\u00E9sum\u00E9 \u2713");
}

void TestStatusMessage::escapeMarkdownText()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);

    QCOMPARE(::escapeMarkdownText(text), expected);
}

QTEST_GUILESS_MAIN(TestStatusMessage)
#include "tst_statusmessage.moc"
