// Context advice (context_advice.h): what_worked per episode, heuristics,
// warnings and summary of a retrieve_context answer.
#include "engine/context_advice.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "core/step_analysis.h"
#include "engram/pattern_learning.h"
#include "learn/what_worked.h"

namespace engram {
namespace {

constexpr int kHeuristicsRead = 1000;  // stored heuristics considered (the store keeps <= 100)

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The request's value of a heuristic condition field, lower-cased; "" when
// not given (or not a known field).
std::string RequestValue(const ContextRequest& r, const std::string& key) {
  if (key == "task_type") return r.task_type ? std::string(ToString(*r.task_type)) : "";
  if (key == "language") return Lower(r.context.language);
  if (key == "framework") return Lower(r.context.framework);
  if (key == "domain") return Lower(r.context.domain);
  return "";
}

bool IsAvoid(const Heuristic& h) {
  if (h.evidence.is_object() && h.evidence.contains("polarity") &&
      h.evidence["polarity"].is_string()) {
    return h.evidence["polarity"].get<std::string>() == "avoid";
  }
  return h.action.rfind("avoid", 0) == 0;
}

std::vector<std::string> EvidenceIds(const Heuristic& h) {
  std::vector<std::string> ids;
  if (!h.evidence.is_object() || !h.evidence.contains("with")) return ids;
  const Json& with = h.evidence["with"];
  if (!with.is_object() || !with.contains("episode_ids") || !with["episode_ids"].is_array()) {
    return ids;
  }
  for (const Json& id : with["episode_ids"]) {
    if (id.is_string()) ids.push_back(id.get<std::string>());
  }
  return ids;
}

bool Worked(const EpisodeResult& e) {
  return e.outcome_kind && (*e.outcome_kind == "success" || *e.outcome_kind == "partial");
}

bool FailedOutright(const EpisodeResult& e) {
  return e.outcome_kind && (*e.outcome_kind == "failure" || *e.outcome_kind == "abstained");
}

}  // namespace

std::vector<ContextHeuristic> MatchHeuristics(const std::vector<Heuristic>& heuristics,
                                              const ContextRequest& request,
                                              const std::vector<std::string>& episode_ids,
                                              std::vector<ContextHeuristic>& avoid) {
  std::vector<ContextHeuristic> out;
  for (const Heuristic& h : heuristics) {
    if (!h.condition.is_object() || h.condition.empty()) continue;
    bool contradicts = false, all_given = true;
    for (const auto& [key, value] : h.condition.items()) {
      const std::string want = RequestValue(request, key);
      if (want.empty()) {
        all_given = false;
      } else if (!value.is_string() || Lower(value.get<std::string>()) != want) {
        contradicts = true;
      }
    }
    if (contradicts) continue;
    ContextHeuristic c;
    if (all_given && request.context.project.empty()) c.matched_by.emplace_back("context");
    const std::vector<std::string> evidence = EvidenceIds(h);
    for (const std::string& id : episode_ids) {
      if (std::find(evidence.begin(), evidence.end(), id) != evidence.end()) {
        c.episode_ids.push_back(id);
      }
    }
    if (!c.episode_ids.empty()) c.matched_by.emplace_back("episodes");
    if (c.matched_by.empty()) continue;
    c.id = h.id;
    c.action = h.action;
    c.description = h.description;
    c.confidence = h.confidence;
    c.effectiveness = h.effectiveness;
    (IsAvoid(h) ? avoid : out).push_back(std::move(c));
  }
  auto by_effectiveness = [](const ContextHeuristic& a, const ContextHeuristic& b) {
    return a.effectiveness > b.effectiveness;
  };
  std::stable_sort(out.begin(), out.end(), by_effectiveness);
  std::stable_sort(avoid.begin(), avoid.end(), by_effectiveness);
  return out;
}

std::vector<ContextWarning> CollectWarnings(const ContextResponse& response,
                                            const std::vector<ContextHeuristic>& avoid,
                                            const ContextAdviceOptions& options) {
  std::vector<ContextWarning> out;
  std::set<std::string> texts;
  auto add = [&](std::string kind, const std::string& id, std::string text) {
    if (static_cast<int>(out.size()) >= options.max_warnings) return;
    if (!texts.insert(text).second) return;
    out.push_back(ContextWarning{std::move(kind), id, std::move(text)});
  };
  for (const ContextHeuristic& h : avoid) add("avoid_heuristic", h.id, h.description);
  for (const LessonResult& r : response.lessons) {
    const LessonType t = r.lesson.type;
    if (t != LessonType::kAntiPattern && t != LessonType::kGotcha) continue;
    add(std::string(ToString(t)), r.lesson.id,
        Shorten(r.lesson.title, 100) + ": " + Shorten(r.lesson.content, 160));
  }
  for (const EpisodeResult& e : response.episodes) {
    if (!FailedOutright(e)) continue;
    std::string why;
    if (e.reflection && !e.reflection->failures.empty()) why = ": " + e.reflection->failures[0];
    add("failed_episode", e.id,
        "A similar task " +
            (*e.outcome_kind == "abstained" ? std::string("was abandoned")
                                            : std::string("failed")) +
            " (" + Shorten(e.description, 100) + ")" + Shorten(why, 160));
  }
  for (const EpisodeResult& e : response.episodes) {
    for (const std::string& u : e.what_worked.unresolved) {
      add("unresolved_error", e.id, u + " and was never fixed in that episode");
    }
  }
  for (const EpisodeResult& e : response.episodes) {
    for (const WorkedRecovery& r : e.what_worked.recovery) {
      if (r.tried.empty()) continue;
      add("did_not_help", e.id, learn::JoinTexts(r.tried, "; ") + " did not fix: " + r.failed);
    }
  }
  return out;
}

std::string ContextSummary(const ContextResponse& response, const ContextAdviceOptions& options) {
  std::vector<std::string> lines;
  for (const EpisodeResult& e : response.episodes) {
    const std::string head =
        "- \"" + Shorten(e.description, 80) + "\" (" + e.outcome_kind.value_or("open") + "): ";
    if (!e.what_worked.recovery.empty()) {
      for (const WorkedRecovery& r : e.what_worked.recovery) lines.push_back(head + r.text);
    } else if (Worked(e) && !e.what_worked.approach.empty()) {
      lines.push_back(head + "approach: " + learn::JoinTexts(e.what_worked.approach, " -> "));
    } else if (FailedOutright(e) && e.reflection && !e.reflection->failures.empty()) {
      lines.push_back(head + e.reflection->failures[0]);
    }
  }
  if (!lines.empty()) lines.insert(lines.begin(), "What fixed similar tasks:");
  for (const ContextHeuristic& h : response.heuristics) lines.push_back("Apply: " + h.description);
  for (const ContextWarning& w : response.warnings) lines.push_back("Avoid: " + w.text);
  std::string out;
  for (const std::string& line : lines) {
    if (out.size() + line.size() + 1 > options.max_summary_bytes) break;
    out += line + "\n";
  }
  return out;
}

Status AddContextAdvice(Engine& engine, const ContextRequest& request, ContextResponse& response,
                        const ContextAdviceOptions& options) {
  std::vector<std::string> ids;
  for (EpisodeResult& e : response.episodes) {
    Result<Episode> episode = engine.GetEpisode(e.id);
    if (episode.status().IsNotFound()) continue;  // deleted meanwhile
    ENGRAM_RETURN_IF_ERROR(episode.status());
    e.what_worked = learn::ExtractWhatWorked(*episode);
    ids.push_back(e.id);
  }
  std::vector<ContextHeuristic> avoid;
  if (engine.store().patterns() != nullptr) {
    PatternLearning learning = engine.patterns();
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Heuristic> stored,
                            learning.ListHeuristics(kHeuristicsRead));
    response.heuristics = MatchHeuristics(stored, request, ids, avoid);
    if (static_cast<int>(response.heuristics.size()) > options.max_heuristics) {
      response.heuristics.resize(static_cast<std::size_t>(std::max(0, options.max_heuristics)));
    }
  }
  response.warnings = CollectWarnings(response, avoid, options);
  response.summary = ContextSummary(response, options);
  return Status::Ok();
}

}  // namespace engram
