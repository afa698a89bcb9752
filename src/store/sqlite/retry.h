// Bounded retry with backoff for SQLite contention (kBusy).
//
// RetryBusy(budget_ms, fn) calls fn until it returns something other than
// kBusy or the budget is spent, sleeping with capped exponential backoff and
// jitter between attempts (jitter keeps several processes from retrying in
// lock step). The last kBusy is returned with the budget in its message.
//
// Thread safety: stateless apart from a thread-local random generator.
#pragma once

#include <functional>
#include <string_view>

#include "engram/status.h"

namespace engram::sqlite {

Status RetryBusy(int budget_ms, std::string_view what, const std::function<Status()>& fn);

}  // namespace engram::sqlite
