// Engine::RetrieveContext: past episodes relevant to a new task plus
// relevant lessons (docs/RETRIEVAL.md). Episode candidates: BM25 over
// description + reflection, plus (with an embedder) the most recent
// completed episodes ranked by cosine of the description embedding, cached
// in the EmbeddingCache. Score = relevance * (1 + reward_weight * reward)
// + context_weight * matched context fields / 5.
#include <algorithm>
#include <cmath>
#include <map>

#include "engine/context_advice.h"
#include "engine/relevance.h"
#include "engine/search_state.h"
#include "engram/engine.h"
#include "engram/project_scope.h"

namespace engram {
namespace {

constexpr int kEpisodeCandidates = 50;
constexpr int kRecentEpisodes = 200;
constexpr double kDenseWeight = 0.4;
constexpr double kRewardWeight = 0.5;
constexpr double kContextWeight = 0.3;

std::string EpisodeEmbeddingText(const EpisodeSummary& e) { return e.description; }

std::vector<std::string> Matched(const TaskContext& want, std::optional<TaskType> type,
                                 const EpisodeSummary& e) {
  std::vector<std::string> out;
  auto eq = [](const std::string& a, const std::string& b) { return !a.empty() && a == b; };
  if (eq(want.language, e.context.language)) out.push_back("language");
  if (eq(want.framework, e.context.framework)) out.push_back("framework");
  if (eq(want.domain, e.context.domain)) out.push_back("domain");
  if (eq(want.project, e.context.project)) out.push_back("project");
  if (type && *type == e.task_type) out.push_back("task_type");
  return out;
}

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

}  // namespace

Result<ContextResponse> Engine::RetrieveContext(const ContextRequest& request) {
  if (request.description.empty()) return Status::InvalidArgument("task description is empty");
  if (request.episode_limit < 1 || request.episode_limit > 50 || request.lesson_limit < 0 ||
      request.lesson_limit > 50) {
    return Status::InvalidArgument("episode_limit must be in 1..50 and lesson_limit in 0..50");
  }
  if (request.only_domain && request.only_domain->size() > limits().max_short_text_bytes) {
    return Status::InvalidArgument("domain filter is longer than the name limit");
  }
  FullTextIndex* fts = store_->fulltext();
  if (!fts) return Status::FailedPrecondition("this store has no full-text index");
  ContextResponse resp;
  // A server's search does not wait for the embedding model to load
  // (LessonIndexOptions::background): episodes are then found by BM25 alone.
  const Embedder* vectors = embedder();
  if (vectors && options_.lesson_index.background && !search_->model_ready) {
    vectors = nullptr;
    resp.note = "the embedding model is loading in the background; episodes come from BM25 alone";
  } else if (!vectors) {
    resp.note = Bm25OnlyNote();
  }
  ENGRAM_ASSIGN_OR_RETURN(resp.min_relevance,
                          ResolveMinRelevance(request.min_relevance, vectors != nullptr));
  resp.mode = vectors ? "hybrid" : "bm25";

  std::map<std::string, std::pair<double, double>> cand;  // id -> (bm25, cosine)
  ENGRAM_ASSIGN_OR_RETURN(
      std::vector<TextHit> hits,
      fts->SearchText(TextCorpus::kEpisodes, request.description, kEpisodeCandidates));
  for (const TextHit& h : hits) cand[h.id].first = h.bm25;
  std::map<std::string, EpisodeSummary> summaries;
  EpisodeFilter recent;
  recent.completed = true;
  recent.limit = kRecentEpisodes;
  if (!request.include_other_projects) recent.visible_to = request.context.project;
  recent.task_type = request.only_task_type;
  recent.domain = request.only_domain;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<EpisodeSummary> latest, store_->ListEpisodes(recent));
  for (auto& s : latest) summaries.emplace(s.id, s);
  if (vectors != nullptr) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<float> q, vectors->Embed(request.description));
    EmbeddingCache* cache = store_->embedding_cache();
    for (const auto& [id, s] : summaries) {
      std::string text = EpisodeEmbeddingText(s);
      std::optional<std::vector<float>> v;
      if (cache) {
        ENGRAM_ASSIGN_OR_RETURN(v, cache->GetCached(vectors->model_id(), text));
      }
      if (!v) {
        ENGRAM_ASSIGN_OR_RETURN(v, vectors->Embed(text));
        if (cache) {
          ENGRAM_RETURN_IF_ERROR(cache->PutCached(vectors->model_id(), text, *v, Now()));
        }
      }
      cand[id].second = Dot(*v, q);
    }
  }
  // Episodes: load what BM25 found beyond the recent ones.
  std::vector<EpisodeResult> results;
  std::vector<double> bm25, cosine;
  for (const auto& [id, s] : cand) {
    EpisodeResult r;
    auto it = summaries.find(id);
    auto ep = store_->GetEpisode(id);
    if (!ep.ok()) {
      if (ep.status().IsNotFound()) continue;
      return ep.status();
    }
    if (!request.include_other_projects &&
        !VisibleToProject(ep->context.project, request.context.project)) {
      continue;  // another project's episode (docs/RETRIEVAL.md, "Projects")
    }
    if ((request.only_task_type && ep->task_type != *request.only_task_type) ||
        (request.only_domain && ep->context.domain != *request.only_domain)) {
      continue;  // filtered out (query_memory's task_type / domain)
    }
    r.id = id;
    r.task_type = ep->task_type;
    r.description = ep->description;
    r.context = ep->context;
    r.reflection = ep->reflection;
    if (ep->reward) r.reward_total = ep->reward->total;
    if (it != summaries.end())
      r.outcome_kind = it->second.outcome_kind;
    else if (ep->completed())
      r.outcome_kind = std::string(OutcomeKind(*ep->outcome));
    EpisodeSummary probe;
    probe.task_type = ep->task_type;
    probe.context = ep->context;
    r.matched_context = Matched(request.context, request.task_type, probe);
    results.push_back(std::move(r));
    bm25.push_back(s.first);
    cosine.push_back(s.second);
  }
  std::vector<ScoreExplanation> relevance =
      RelevanceExplanations(bm25, cosine, vectors != nullptr, kDenseWeight, resp.mode, resp.note);
  for (std::size_t i = 0; i < results.size(); ++i) {
    results[i].explanation = std::move(relevance[i]);
    ScoreExplanation& e = results[i].explanation;
    double reward = std::clamp(results[i].reward_total.value_or(0.0), -1.0, 1.0);
    double overlap = results[i].matched_context.size() / 5.0;
    e.boost = e.relevance * kRewardWeight * reward + kContextWeight * overlap;
    e.score = e.relevance + e.boost;
    results[i].score = e.score;
  }
  std::stable_sort(
      results.begin(), results.end(),
      [](const EpisodeResult& a, const EpisodeResult& b) { return a.score > b.score; });
  // Only episodes the task text or embedding actually relates to.
  std::erase_if(results, [&](const EpisodeResult& r) { return r.explanation.relevance <= 0; });
  ENGRAM_ASSIGN_OR_RETURN(resp.episode_near_miss,
                          DropIrrelevantEpisodes(*fts, request.description, vectors != nullptr,
                                                 resp.min_relevance, results));
  if (results.size() > static_cast<std::size_t>(request.episode_limit)) {
    results.resize(request.episode_limit);
  }
  resp.episodes = std::move(results);

  if (request.lesson_limit > 0) {
    SearchRequest lr;
    lr.query = request.description;
    for (const std::string* s :
         {&request.context.language, &request.context.framework, &request.context.domain}) {
      if (!s->empty()) lr.query += " " + *s;
    }
    if (!request.context.project.empty()) lr.project = request.context.project;
    lr.limit = request.lesson_limit;
    lr.token_budget = request.token_budget;
    lr.profile = request.profile;
    lr.min_relevance = resp.min_relevance;
    ENGRAM_ASSIGN_OR_RETURN(SearchResponse lessons, SearchLessons(lr));
    resp.lessons = std::move(lessons.results);
    resp.lesson_near_miss = std::move(lessons.near_miss);
  }
  ENGRAM_RETURN_IF_ERROR(AddContextAdvice(*this, request, resp));
  resp.no_relevant_memory = resp.episodes.empty() && resp.lessons.empty();
  return resp;
}

}  // namespace engram
