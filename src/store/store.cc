// Default implementations of optional Store methods (include/engram/store.h).
#include <map>
#include <utility>

#include "engram/store.h"

namespace engram {

Result<std::vector<Lesson>> Store::GetLessons(const std::vector<std::string>& lesson_ids) {
  std::vector<Lesson> out;
  out.reserve(lesson_ids.size());
  for (const std::string& id : lesson_ids) {
    Result<Lesson> l = GetLesson(id);
    if (l.ok()) {
      out.push_back(std::move(*l));
    } else if (!l.status().IsNotFound()) {
      return l.status();
    }
  }
  return out;
}

Result<std::vector<LessonKeyCount>> Store::CountLessonKeys() {
  std::map<std::pair<std::string, std::vector<std::string>>, std::int64_t> counts;
  LessonFilter filter;
  filter.scope = LessonScope::kGlobal;
  filter.limit = 10000;
  for (filter.offset = 0;; filter.offset += filter.limit) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> page, ListLessons(filter));
    for (const Lesson& l : page) ++counts[{l.topic, l.tags}];
    if (static_cast<int>(page.size()) < filter.limit) break;
  }
  std::vector<LessonKeyCount> out;
  out.reserve(counts.size());
  for (auto& [key, n] : counts) out.push_back({key.first, key.second, n});
  return out;
}

Status Store::RecordLessonUses(const std::vector<LessonUse>& /*uses*/) {
  return Status::FailedPrecondition("this store does not record lesson uses");
}

Result<LessonChangeMark> Store::LessonChangeMarkNow() {
  return Status::FailedPrecondition("this store keeps no lesson change log");
}

Result<LessonChanges> Store::LessonChangesSince(std::int64_t /*since*/, int /*limit*/) {
  return Status::FailedPrecondition("this store keeps no lesson change log");
}

Result<PageWarmStats> Store::WarmPages(const PageWarmOptions& options) {
  if (options.max_bytes < 0) return Status::InvalidArgument("max_bytes must be >= 0");
  return PageWarmStats{};
}

}  // namespace engram
