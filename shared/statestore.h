#pragma once

#include "shared/watcherstate.h"

#include <QLockFile>
#include <QString>

#include <memory>
#include <optional>

/*!
    \brief The state folder of one build: `<state root>/<build name>/`.

    Writes are atomic and durable: each file is written to a temporary file,
    flushed to disk, renamed over the old one, and the folder itself is then
    flushed, so a crash or power loss leaves either the old or the new
    content. docs/state-format.md lists the files.
*/
class StateStore
{
public:
    StateStore(const QString &stateRoot, const QString &buildName);
    ~StateStore();

    QString folder() const { return m_folder; }
    QString stateFile() const;
    QString messageFile() const;
    QString cancelMarkerFile() const;

    /*! Creates the folder. Returns an error naming the path, or nothing on success. */
    std::optional<QString> ensureFolder() const;

    /*!
        Takes the build's lock so no second watcher runs for it. Returns an
        error that names the holder when another living process has it.
    */
    std::optional<QString> lock();

    /*! Reads state.json. Returns nothing when it does not exist. Otherwise \a error describes why it cannot be read. */
    std::optional<WatcherState> load(QString *error) const;

    /*! Writes state.json atomically. Returns an error naming the file, or nothing on success. */
    std::optional<QString> save(const WatcherState &state) const;

    /*! Writes message.md atomically. */
    std::optional<QString> saveMessage(const QString &markdown) const;

    bool isCancelRequested() const;

private:
    std::optional<QString> writeAtomically(const QString &path, const QByteArray &content) const;

    QString m_folder;
    std::unique_ptr<QLockFile> m_lock;
};
