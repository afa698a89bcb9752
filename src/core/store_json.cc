// JSON forms of the listing and statistics types (EpisodeSummary in
// episode.h, StoreStats in store_stats.h). Output only: these are views,
// never read back. Optional fields are omitted when unset.
#include "engram/episode.h"
#include "engram/store_stats.h"

namespace engram {

Json ToJson(const EpisodeSummary& s) {
  Json j{{"id", s.id},
         {"task_type", ToString(s.task_type)},
         {"description", s.description},
         {"context", ToJson(s.context)},
         {"step_count", s.step_count},
         {"started_at", s.started_at}};
  if (s.outcome_kind) j["outcome_kind"] = *s.outcome_kind;
  if (s.reward_total) j["reward_total"] = *s.reward_total;
  if (s.ended_at) j["ended_at"] = *s.ended_at;
  return j;
}

Json ToJson(const StoreStats& s) {
  return Json{{"path", s.path},
              {"schema_version", s.schema_version},
              {"file_bytes", s.file_bytes},
              {"episodes", s.episodes},
              {"completed_episodes", s.completed_episodes},
              {"steps", s.steps},
              {"lessons", s.lessons},
              {"deprecated_lessons", s.deprecated_lessons},
              {"lesson_versions", s.lesson_versions},
              {"embeddings", s.embeddings},
              {"kv_entries", s.kv_entries},
              {"journal_mode", s.journal_mode},
              {"page_checksums", s.page_checksums}};
}

}  // namespace engram
