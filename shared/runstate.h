#pragma once

#include <QString>

#include <optional>

/*!
    \brief The state of one watched run: WATCHING while it goes on, then one
    terminal state. docs/run-states.md gives the rules that choose it.
*/
enum class RunState {
    Watching,
    Completed,
    Failed,
    Cancelled,
    Terminated,
    Hung,
    Unknown,
};

/*! Returns the upper-case name used in state.json, for example "COMPLETED". */
QString runStateName(RunState state);

/*! Parses an upper-case state name; returns nothing for any other text. */
std::optional<RunState> runStateFromName(const QString &name);

/*! Returns true for every state but WATCHING. */
bool isTerminal(RunState state);

/*! Returns true for the states that are posted to Mattermost: COMPLETED and FAILED. */
bool isPosted(RunState state);
