// Auditor (include/engram/audit.h): one pass over the lessons, feedback
// counts per lesson when the store keeps feedback, then the lists.
#include "engram/audit.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "core/similarity.h"
#include "engram/contradictions.h"
#include "engram/embedder.h"
#include "engram/store.h"
#include "learn/dedupe.h"
#include "learn/lesson_text.h"

namespace engram {
namespace {

constexpr double kDayMs = 24.0 * 3600 * 1000;

constexpr std::size_t kMaxTopicLessons = 500;  // lessons per topic compared pairwise
constexpr int kMaxContradictions = 10000;

double R4(double x) { return std::round(x * 10000) / 10000; }

Status Validate(const AuditOptions& o) {
  if (o.top < 1 || o.top > 1000) return Status::InvalidArgument("audit top must be in 1..1000");
  if (o.low_confidence < 0 || o.low_confidence > 1) {
    return Status::InvalidArgument("audit low_confidence must be in [0, 1]");
  }
  if (o.stale_days < 1) return Status::InvalidArgument("audit stale_days must be >= 1");
  if (o.thin_topic_lessons < 0) {
    return Status::InvalidArgument("audit thin_topic_lessons must be >= 0");
  }
  if (o.weak_topic_confidence < 0 || o.weak_topic_confidence > 1) {
    return Status::InvalidArgument("audit weak_topic_confidence must be in [0, 1]");
  }
  return Status::Ok();
}

Json LessonJson(const AuditLesson& l) {
  return Json{{"id", l.id},
              {"title", l.title},
              {"topic", l.topic},
              {"confidence", R4(l.confidence)},
              {"project", l.project.empty() ? Json(nullptr) : Json(l.project)},
              {"last_used_at", l.last_used_at ? Json(*l.last_used_at) : Json(nullptr)},
              {"retrievals", l.retrievals},
              {"uses", l.uses},
              {"positive", l.positive},
              {"negative", l.negative},
              {"days_idle", R4(l.days_idle)}};
}

Json LessonsJson(const std::vector<AuditLesson>& v) {
  Json out = Json::array();
  for (const AuditLesson& l : v) out.push_back(LessonJson(l));
  return out;
}

template <typename T, typename Less>
void TopN(std::vector<T>& v, std::size_t n, Less less) {
  std::stable_sort(v.begin(), v.end(), less);
  if (v.size() > n) v.resize(n);
}

}  // namespace

// Pairs of live lessons of one topic that the dedupe rule calls duplicates
// (learn::CheckDuplicate with the stored embeddings' cosine when the Engine
// has an embedder), best score first.
Status Auditor::FindDuplicates(const std::vector<Lesson>& live, std::size_t top,
                               AuditSection& out) {
  std::map<std::string, std::vector<const Lesson*>> by_topic;
  for (const Lesson& l : live) by_topic[learn::NormalizeTopic(l.topic)].push_back(&l);
  const Embedder* embedder = embedder_;
  std::map<std::string, std::vector<float>> vectors;
  auto vector_of = [&](const Lesson& l) -> const std::vector<float>* {
    if (!embedder) return nullptr;
    auto it = vectors.find(l.id);
    if (it == vectors.end()) {
      auto e = store_.GetEmbedding(l.id, embedder->model_id());
      it = vectors.emplace(l.id, e.ok() ? e->vector : std::vector<float>()).first;
    }
    return it->second.empty() ? nullptr : &it->second;
  };
  std::vector<std::pair<double, Json>> pairs;  // (score, item)
  for (const auto& [topic, group] : by_topic) {
    if (group.size() > kMaxTopicLessons) {  // bounded work per topic, said so
      out.note += (out.note.empty() ? "not compared (more than " +
                                          std::to_string(kMaxTopicLessons) + " lessons): "
                                    : ", ") +
                  topic;
      continue;
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      for (std::size_t j = i + 1; j < group.size(); ++j) {
        const Lesson& a = *group[i];
        const Lesson& b = *group[j];
        std::optional<double> cosine;
        const auto* va = vector_of(a);
        const auto* vb = vector_of(b);
        if (va && vb) cosine = CosineSimilarity(*va, *vb);
        learn::DuplicateCheck d = learn::CheckDuplicate(a, b, cosine);
        if (!d.duplicate) continue;
        Json item{{"lesson_a", std::min(a.id, b.id)},
                  {"lesson_b", std::max(a.id, b.id)},
                  {"overlap", R4(d.overlap)},
                  {"cosine", d.cosine ? Json(R4(*d.cosine)) : Json(nullptr)},
                  {"score", R4(d.score)},
                  {"reason", d.reason}};
        pairs.emplace_back(d.score, std::move(item));
      }
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  if (pairs.size() > top) pairs.resize(top);
  for (auto& p : pairs) out.items.push_back(std::move(p.second));
  return Status::Ok();
}

Result<AuditReport> Auditor::Run(const AuditOptions& options) {
  ENGRAM_RETURN_IF_ERROR(Validate(options));
  AuditReport r;
  r.options = options;
  r.generated_at = clock_.NowMs();
  FeedbackStore* feedback = store_.feedback();
  r.feedback_available = feedback != nullptr;
  std::vector<AuditLesson> all;
  std::vector<Lesson> live;
  std::set<std::string> in_scope;
  std::map<std::string, AuditTopic> topics;
  LessonFilter filter;
  filter.project = options.project;
  filter.include_deprecated = true;
  filter.limit = 10000;
  for (int offset = 0;; offset += filter.limit) {
    filter.offset = offset;
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> page, store_.ListLessons(filter));
    for (const Lesson& l : page) {
      if (l.deprecated) {
        ++r.deprecated;
        continue;
      }
      ++r.lessons;
      if (l.scope == LessonScope::kProject) {
        ++r.per_project[l.project];
      } else {
        ++r.global;
      }
      AuditLesson a;
      a.id = l.id;
      a.title = l.title;
      a.topic = l.topic;
      a.confidence = l.confidence;
      if (l.scope == LessonScope::kProject) a.project = l.project;
      a.last_used_at = l.last_used_at;
      a.retrievals = l.use_count;
      a.updated_at = l.updated_at;
      a.days_idle =
          std::max(0.0, double(r.generated_at - l.last_used_at.value_or(l.updated_at)) / kDayMs);
      if (feedback) {
        ENGRAM_ASSIGN_OR_RETURN(FeedbackCounts c,
                                feedback->CountFeedback(FeedbackTarget::kLesson, l.id));
        a.uses = c.helped + c.no_effect + c.hindered;
        a.positive = c.helped + c.accepted + c.tests_passed;
        a.negative = c.hindered + c.rejected + c.harmful;
      }
      in_scope.insert(l.id);
      live.push_back(l);
      AuditTopic& t = topics[l.topic];
      t.topic = l.topic;
      ++t.lessons;
      t.mean_confidence += l.confidence;
      all.push_back(std::move(a));
    }
    if (page.size() < static_cast<std::size_t>(filter.limit)) break;
  }
  const auto top = static_cast<std::size_t>(options.top);
  for (const AuditLesson& a : all) {
    if (a.retrievals > 0 || a.uses > 0 || a.last_used_at) r.most_used.push_back(a);
    if (a.confidence < options.low_confidence) r.low_confidence.push_back(a);
    if (a.days_idle >= options.stale_days) r.stale.push_back(a);
  }
  TopN(r.most_used, top, [](const AuditLesson& a, const AuditLesson& b) {
    if (a.retrievals != b.retrievals) return a.retrievals > b.retrievals;
    if (a.uses != b.uses) return a.uses > b.uses;
    return a.last_used_at.value_or(0) > b.last_used_at.value_or(0);
  });
  TopN(r.low_confidence, top,
       [](const AuditLesson& a, const AuditLesson& b) { return a.confidence < b.confidence; });
  TopN(r.stale, top,
       [](const AuditLesson& a, const AuditLesson& b) { return a.days_idle > b.days_idle; });
  for (auto& [name, t] : topics) {
    t.mean_confidence /= t.lessons;
    if (t.lessons <= options.thin_topic_lessons) t.reasons.emplace_back("thin");
    if (t.mean_confidence < options.weak_topic_confidence) t.reasons.emplace_back("weak");
    if (!t.reasons.empty()) r.weak_topics.push_back(t);
  }
  TopN(r.weak_topics, top, [](const AuditTopic& a, const AuditTopic& b) {
    if (a.reasons.size() != b.reasons.size()) return a.reasons.size() > b.reasons.size();
    if (a.lessons != b.lessons) return a.lessons < b.lessons;
    return a.mean_confidence < b.mean_confidence;
  });
  if (ContradictionStore* cs = store_.contradictions()) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Contradiction> open,
                            cs->ListContradictions(ContradictionStatus::kOpen, kMaxContradictions));
    for (const Contradiction& c : open) {
      if (!in_scope.count(c.lesson_a) || !in_scope.count(c.lesson_b)) continue;
      if (r.open_contradictions.items.size() >= top) break;
      r.open_contradictions.items.push_back(ToJson(c));
    }
  } else {
    r.open_contradictions.available = false;
    r.open_contradictions.note = "this store keeps no contradictions";
  }
  ENGRAM_RETURN_IF_ERROR(FindDuplicates(live, top, r.duplicate_candidates));
  return r;
}

Json ToJson(const AuditReport& r) {
  Json topics = Json::array();
  for (const AuditTopic& t : r.weak_topics) {
    topics.push_back(Json{{"topic", t.topic},
                          {"lessons", t.lessons},
                          {"mean_confidence", R4(t.mean_confidence)},
                          {"reasons", t.reasons}});
  }
  Json projects = Json::object();
  for (const auto& [p, n] : r.per_project) projects[p] = n;
  auto section = [](const AuditSection& s) {
    Json j{{"available", s.available}, {"items", s.items}};
    if (!s.note.empty()) j["note"] = s.note;
    return j;
  };
  return Json{{"generated_at", r.generated_at},
              {"thresholds",
               {{"top", r.options.top},
                {"low_confidence", r.options.low_confidence},
                {"stale_days", r.options.stale_days},
                {"thin_topic_lessons", r.options.thin_topic_lessons},
                {"weak_topic_confidence", r.options.weak_topic_confidence}}},
              {"counts",
               {{"lessons", r.lessons},
                {"deprecated", r.deprecated},
                {"global", r.global},
                {"per_project", projects}}},
              {"feedback_available", r.feedback_available},
              {"most_used", LessonsJson(r.most_used)},
              {"low_confidence", LessonsJson(r.low_confidence)},
              {"stale", LessonsJson(r.stale)},
              {"weak_topics", topics},
              {"open_contradictions", section(r.open_contradictions)},
              {"duplicate_candidates", section(r.duplicate_candidates)}};
}

}  // namespace engram
