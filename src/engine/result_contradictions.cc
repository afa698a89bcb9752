// FlagResultContradictions (engine/result_contradictions.h).
#include "engine/result_contradictions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/similarity.h"
#include "learn/lesson_text.h"

namespace engram {
namespace {

struct Pair {
  std::size_t a = 0, b = 0;  // result indexes
  std::string reason;
  std::optional<std::string> winner;  // of a resolved contradiction
};

// Pairs the contradiction rule finds (learn/contradictions.h). Only lessons
// of one topic whose stances differ or that carry version tags can
// contradict, so the rule runs on those pairs only.
std::vector<Pair> RulePairs(const std::vector<LessonResult>& results,
                            const learn::ContradictionOptions& rule) {
  const std::size_t n = results.size();
  std::vector<std::string> topic(n);
  std::vector<int> stance(n);
  std::vector<bool> versioned(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Lesson& l = results[i].lesson;
    topic[i] = learn::NormalizeTopic(l.topic);
    stance[i] = learn::Stance(l.type, l.title, l.content);
    versioned[i] = !learn::VersionTags(l.tags).empty();
  }
  std::vector<Pair> out;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (topic[i] != topic[j]) continue;
      if (stance[i] * stance[j] >= 0 && !(versioned[i] && versioned[j])) continue;
      auto f = learn::DetectContradiction(results[i].lesson, results[j].lesson, std::nullopt, rule);
      if (f) out.push_back(Pair{i, j, f->reason, std::nullopt});
    }
  }
  return out;
}

struct Trust {
  double confidence = 0;
  std::int64_t positive = 0;
  Timestamp updated_at = 0;
};

}  // namespace

Status FlagResultContradictions(Store& store, std::vector<LessonResult>& results,
                                const ResultContradictionOptions& options) {
  if (!(options.demotion > 0 && options.demotion <= 1)) {
    return Status::InvalidArgument("contradiction demotion must be in (0, 1]");
  }
  if (results.size() < 2) return Status::Ok();
  std::map<std::string, std::size_t> index;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < results.size(); ++i) {
    index.emplace(results[i].lesson.id, i);
    ids.push_back(results[i].lesson.id);
  }

  // Recorded contradictions first: they decide (a dismissed one silences
  // the rule, a resolved one names the winner).
  std::map<std::pair<std::size_t, std::size_t>, Pair> pairs;
  if (ContradictionStore* cs = store.contradictions()) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Contradiction> recorded, cs->ContradictionsAmong(ids));
    for (const Contradiction& c : recorded) {
      auto ia = index.find(c.lesson_a), ib = index.find(c.lesson_b);
      if (ia == index.end() || ib == index.end()) continue;
      const auto key = std::minmax(ia->second, ib->second);
      Pair p{key.first, key.second, "recorded contradiction '" + c.id + "': " + c.reason,
             std::nullopt};
      if (c.status == ContradictionStatus::kDismissed) p.reason.clear();
      if (c.status == ContradictionStatus::kResolved) p.winner = c.winner;
      pairs[key] = std::move(p);
    }
  }
  for (Pair& p : RulePairs(results, options.rule)) {
    pairs.try_emplace({p.a, p.b}, std::move(p));
  }
  std::erase_if(pairs, [](const auto& kv) { return kv.second.reason.empty(); });
  if (pairs.empty()) return Status::Ok();

  // Trust of the flagged lessons.
  std::map<std::size_t, Trust> trust;
  FeedbackStore* feedback = store.feedback();
  for (const auto& [key, p] : pairs) {
    for (std::size_t i : {p.a, p.b}) {
      if (trust.count(i) != 0) continue;
      const Lesson& l = results[i].lesson;
      Trust t{l.confidence, 0, l.updated_at};
      if (feedback != nullptr) {
        ENGRAM_ASSIGN_OR_RETURN(FeedbackCounts c,
                                feedback->CountFeedback(FeedbackTarget::kLesson, l.id));
        t.positive = c.helped + c.accepted + c.tests_passed;
      }
      trust[i] = t;
    }
  }
  // Whether result i is trusted more than result j, and why.
  auto more_trusted = [&](const Pair& p, std::size_t i, std::size_t j, std::string* why) {
    const Lesson& li = results[i].lesson;
    const Lesson& lj = results[j].lesson;
    if (p.winner) {
      *why = "kept when the contradiction was resolved";
      return *p.winner == li.id;
    }
    const Trust &ti = trust[i], &tj = trust[j];
    if (std::fabs(ti.confidence - tj.confidence) > 1e-9) {
      *why = "confidence " + Fixed(std::max(ti.confidence, tj.confidence), 2) + " vs " +
             Fixed(std::min(ti.confidence, tj.confidence), 2);
      return ti.confidence > tj.confidence;
    }
    if (ti.positive != tj.positive) {
      *why = "positive feedback " + std::to_string(std::max(ti.positive, tj.positive)) + " vs " +
             std::to_string(std::min(ti.positive, tj.positive));
      return ti.positive > tj.positive;
    }
    if (ti.updated_at != tj.updated_at) {
      *why = "updated more recently";
      return ti.updated_at > tj.updated_at;
    }
    *why = "equal trust, the smaller id";
    return li.id < lj.id;
  };

  // Decide each pair; demote each loser once.
  struct Decided {
    std::size_t winner, loser;
    std::string reason, why;
  };
  std::vector<Decided> decided;
  std::vector<bool> demoted(results.size(), false);
  for (const auto& [key, p] : pairs) {
    std::string why;
    const bool a_wins = more_trusted(p, p.a, p.b, &why);
    decided.push_back({a_wins ? p.a : p.b, a_wins ? p.b : p.a, p.reason, why});
    const std::size_t loser = decided.back().loser;
    if (!demoted[loser]) {
      demoted[loser] = true;
      results[loser].explanation.contradiction_factor = options.demotion;
      results[loser].explanation.score *= options.demotion;
      results[loser].score = results[loser].explanation.score;
    }
  }

  // Losers below their winners: `order` holds result indexes, best first.
  // Trust is a strict order, so moving a loser just below its winner until
  // nothing moves ends (at most one pass per pair).
  std::vector<std::size_t> order(results.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto pos = [&](std::size_t r) {
    return static_cast<std::size_t>(std::find(order.begin(), order.end(), r) - order.begin());
  };
  for (std::size_t pass = 0; pass <= decided.size(); ++pass) {
    bool moved = false;
    for (const Decided& d : decided) {
      const std::size_t pl = pos(d.loser), pw = pos(d.winner);
      if (pl < pw) {
        order.erase(order.begin() + static_cast<std::ptrdiff_t>(pl));
        order.insert(order.begin() + static_cast<std::ptrdiff_t>(pw), d.loser);  // pw - 1 + 1
        moved = true;
      }
    }
    if (!moved) break;
  }

  // Flags and warnings, with the ranks before and after.
  for (const Decided& d : decided) {
    LessonResult& w = results[d.winner];
    LessonResult& l = results[d.loser];
    w.contradicts.push_back(l.lesson.id);
    l.contradicts.push_back(w.lesson.id);
    auto add = [](std::string& warning, const std::string& text) {
      if (!warning.empty()) warning += " ";
      warning += text;
    };
    add(w.warning, "Contradicts lesson '" + l.lesson.id + "' (\"" + l.lesson.title +
                       "\"): " + d.reason + ". This lesson is trusted more (" + d.why +
                       "); the other was demoted.");
    add(l.warning, "Contradicts lesson '" + w.lesson.id + "' (\"" + w.lesson.title +
                       "\"): " + d.reason + ". That lesson is trusted more (" + d.why +
                       "); this one was demoted: score x" + Fixed(options.demotion, 2) + ", rank " +
                       std::to_string(d.loser + 1) + " -> " + std::to_string(pos(d.loser) + 1) +
                       ".");
  }
  std::vector<LessonResult> reordered;
  reordered.reserve(results.size());
  for (std::size_t i : order) reordered.push_back(std::move(results[i]));
  results = std::move(reordered);
  return Status::Ok();
}

}  // namespace engram
