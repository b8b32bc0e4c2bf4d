#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

struct VmInventoryLoad;

/*!
    \brief The build-token-to-kernel map from the operators' VM inventory.

    The inventory is GitHub-flavoured markdown with any number of tables.
    A table counts when its header row has a "Build token" and a "Kernel"
    column (names compared case-insensitively, inner whitespace collapsed);
    the other columns, their order, alignment rows, padding spaces and
    escaped pipes (\c{\|}) do not matter. Tables without both columns and
    fenced code blocks are skipped. An empty kernel cell, or "-", "—",
    "?", "n/a", "unknown" or "tbd", means the kernel is unknown and the row is
    ignored. When a token appears in more than one row with a kernel, the
    first wins, so an "active" table above a "retired" one takes precedence.
*/
class VmInventory
{
public:
    /*! Reads the inventory at \a path; a missing or unreadable file gives an error. */
    static VmInventoryLoad load(const QString &path);

    /*! Parses inventory markdown. Text without a usable table gives an empty inventory. */
    static VmInventory parse(const QString &markdown);

    /*! Returns the kernel of the guest \a token (case-insensitive), or nothing when unknown. */
    std::optional<QString> kernelFor(const QString &token) const;

    /*! Returns the build tokens with a kernel, in the order they appear in the file. */
    QStringList tokens() const { return m_tokens; }

    bool isEmpty() const { return m_tokens.isEmpty(); }

private:
    void addRow(const QString &token, const QString &kernel);

    QStringList m_tokens;
    QHash<QString, QString> m_kernelByLowerToken;
};

/*!
    \brief The result of VmInventory::load().

    On failure, error names the path and the problem, and inventory is empty,
    so every guest shows as unknown and the status message is still posted.
*/
struct VmInventoryLoad
{
    VmInventory inventory;
    QString error;

    bool isValid() const { return error.isEmpty(); }
};
