// Engine: the episode calls (start, log a step, complete, read, list, delete).
#include <algorithm>
#include <string>
#include <utility>

#include "core/redact_records.h"
#include "core/validate.h"
#include "engine/internal.h"
#include "engram/candidate_queue.h"
#include "engram/engine.h"
#include "engram/ids.h"
#include "engram/pattern_learning.h"
#include "engram/reward.h"

namespace engram {

Result<Episode> Engine::StartEpisode(const StartEpisodeRequest& request) {
  ENGRAM_RETURN_IF_ERROR(ValidateStartEpisode(request, options_.limits));
  ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> tags,
                          NormalizeTags(request.context.tags, options_.limits));
  const Timestamp now = Now();
  Episode episode;
  episode.id = NewId(now);
  episode.task_type = request.task_type;
  episode.description = request.description;
  episode.context = request.context;
  episode.context.tags = std::move(tags);
  episode.metadata = request.metadata;
  episode.started_at = now;
  // Redacted here too (RedactingStore redacts the write) so the episode
  // returned is the episode stored.
  if (options_.redact_secrets) RedactRecord(episode);
  ENGRAM_RETURN_IF_ERROR(store_->CreateEpisode(episode));
  return episode;
}

Result<Step> Engine::LogStep(const std::string& episode_id, const StepInput& input) {
  ENGRAM_RETURN_IF_ERROR(ValidateStepInput(input, options_.limits));
  Step step;
  step.tool = input.tool;
  step.action = input.action;
  step.parameters = input.parameters;
  step.result = input.result;
  step.latency_ms = input.latency_ms;
  step.tokens = input.tokens;
  step.observation = input.observation;
  step.timestamp = input.timestamp.value_or(Now());
  if (options_.redact_secrets) RedactRecord(step);  // as stored, as above
  ENGRAM_ASSIGN_OR_RETURN(
      step.number, store_->AppendStep(episode_id, step, options_.limits.max_steps_per_episode));
  return step;
}

Result<Episode> Engine::CompleteEpisode(const std::string& episode_id, const Outcome& outcome) {
  ENGRAM_RETURN_IF_ERROR(ValidateOutcome(outcome, options_.limits));
  ENGRAM_ASSIGN_OR_RETURN(Episode episode, store_->GetEpisode(episode_id));
  if (episode.completed()) {
    return Status::FailedPrecondition("episode '" + episode_id + "' is already completed");
  }
  episode.outcome = outcome;
  if (options_.redact_secrets) RedactRecord(*episode.outcome);  // reflected on
  // A clock that moved backwards must not give a negative duration.
  episode.ended_at = std::max(Now(), episode.started_at);
  episode.reward = ComputeReward(episode, options_.reward);
  episode.reflection = Reflect(episode);
  // Patterns are mined and recorded in the completion's transaction, before
  // any gate (docs/LEARNING.md, "Patterns and heuristics").
  ENGRAM_RETURN_IF_ERROR(store_->RunInTransaction([&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(store_->CompleteEpisode(episode_id, *episode.outcome, *episode.reward,
                                                   *episode.reflection, *episode.ended_at));
    return RecordEpisodePatterns(*store_, episode, *episode.ended_at);
  }));
  // The candidate gate runs after reward and reflection are stored, so it
  // can pass; it only queues candidates (docs/LEARNING.md, "Gated
  // candidates"). The completion is committed: a failed proposal must not
  // turn it into an error, so its status is dropped here.
  if (store_->candidates() != nullptr) (void)candidates().ProposeFromEpisode(episode);
  return episode;
}

Result<Episode> Engine::GetEpisode(const std::string& episode_id) {
  return store_->GetEpisode(episode_id);
}

Result<std::vector<EpisodeSummary>> Engine::ListEpisodes(const EpisodeFilter& filter) {
  ENGRAM_RETURN_IF_ERROR(
      engine_internal::ValidatePage(filter.limit, filter.offset, "episode list"));
  return store_->ListEpisodes(filter);
}

Status Engine::DeleteEpisode(const std::string& episode_id) {
  return store_->DeleteEpisode(episode_id);
}

}  // namespace engram
