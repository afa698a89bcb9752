#include "engine/internal.h"

#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace engram::engine_internal {

Status ValidatePage(int limit, int offset, std::string_view what) {
  constexpr int kMaxLimit = 10000;
  if (limit < 1 || limit > kMaxLimit) {
    return Status::InvalidArgument(std::string(what) + ": limit must be in 1.." +
                                   std::to_string(kMaxLimit) + ", got " + std::to_string(limit));
  }
  if (offset < 0) {
    return Status::InvalidArgument(std::string(what) + ": offset must be >= 0, got " +
                                   std::to_string(offset));
  }
  return Status::Ok();
}

Result<std::vector<Lesson>> ListAllLessons(Store& store, LessonFilter filter) {
  std::vector<Lesson> all;
  filter.limit = 10000;
  for (filter.offset = 0;; filter.offset += filter.limit) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> page, store.ListLessons(filter));
    const bool last = static_cast<int>(page.size()) < filter.limit;
    for (Lesson& l : page) all.push_back(std::move(l));
    if (last) return all;
  }
}

Status ValidateReason(std::string_view reason, const Limits& limits) {
  if (reason.size() > limits.max_title_bytes) {
    return Status::InvalidArgument("reason is " + std::to_string(reason.size()) +
                                   " bytes, over the limit of " +
                                   std::to_string(limits.max_title_bytes));
  }
  return Status::Ok();
}

}  // namespace engram::engine_internal
