#include "shared/runstate.h"

#include <array>
#include <utility>

namespace {

constexpr std::array<std::pair<RunState, const char *>, 7> s_names{{
        {RunState::Watching, "WATCHING"},
        {RunState::Completed, "COMPLETED"},
        {RunState::Failed, "FAILED"},
        {RunState::Cancelled, "CANCELLED"},
        {RunState::Terminated, "TERMINATED"},
        {RunState::Hung, "HUNG"},
        {RunState::Unknown, "UNKNOWN"},
}};

} // namespace

QString runStateName(RunState state)
{
    for (const auto &[value, name] : s_names) {
        if (value == state)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("UNKNOWN");
}

std::optional<RunState> runStateFromName(const QString &name)
{
    for (const auto &[value, text] : s_names) {
        if (name == QLatin1String(text))
            return value;
    }
    return std::nullopt;
}

bool isTerminal(RunState state)
{
    return state != RunState::Watching;
}

bool isPosted(RunState state)
{
    return state == RunState::Completed || state == RunState::Failed;
}
