// LessonDecay (include/engram/lesson_decay.h).
#include "engram/lesson_decay.h"

#include <cstdio>

#include "core/similarity.h"
#include "engine/internal.h"
#include "learn/decay.h"

namespace engram {
namespace {}  // namespace

Json ToJson(const DecayReport& r) {
  Json changes = Json::array();
  for (const DecayChange& c : r.changes) {
    changes.push_back(Json{{"lesson_id", c.lesson_id},
                           {"title", c.title},
                           {"action", c.action},
                           {"before", c.before},
                           {"after", c.after},
                           {"months_unused", c.months_unused},
                           {"reason", c.reason}});
  }
  return Json{{"dry_run", r.dry_run},
              {"scanned", r.scanned},
              {"changed", r.changes.size()},
              {"changes", std::move(changes)}};
}

Result<DecayReport> LessonDecay::Run(const DecayRunOptions& o) {
  if (!(o.rate_per_month > 0 && o.rate_per_month <= 1)) {
    return Status::InvalidArgument("decay rate must be in (0, 1], got " +
                                   Fixed(o.rate_per_month, 3));
  }
  if (o.hard_decay && !(*o.hard_decay >= 0 && *o.hard_decay <= 1)) {
    return Status::InvalidArgument("hard decay factor must be in [0, 1], got " +
                                   Fixed(*o.hard_decay, 3));
  }
  if (!o.framework.empty() && o.major <= 0) {
    return Status::InvalidArgument("--framework needs --major, a positive major version");
  }
  if (o.framework.empty() && o.hard_decay) {
    return Status::InvalidArgument("hard decay applies to a framework change: give --framework");
  }
  Store& store = store_;
  const Timestamp now = clock_.NowMs();
  learn::DecayOptions decay{o.rate_per_month, 30};
  DecayReport report;
  report.dry_run = o.dry_run;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> lessons,
                          engine_internal::ListAllLessons(store, LessonFilter{}));
  report.scanned = static_cast<int>(lessons.size());
  for (const Lesson& l : lessons) {
    DecayChange c;
    c.lesson_id = l.id;
    c.title = l.title;
    c.before = l.confidence;
    c.months_unused = learn::MonthsUnused(l, now, decay);
    Lesson next = l;
    auto old_tag =
        o.framework.empty() ? std::nullopt : learn::OlderMajorTag(l, o.framework, o.major);
    if (old_tag) {
      const std::string tag = old_tag->framework + ":" + std::to_string(old_tag->major);
      if (o.hard_decay) {
        c.action = "hard_decay";
        next.confidence = l.confidence * *o.hard_decay;
        c.reason = "framework " + o.framework + " major " + std::to_string(o.major) +
                   ": lesson tagged " + tag + ", confidence x " + Fixed(*o.hard_decay, 2);
      } else {
        c.action = "deprecate";
        next.deprecated = true;
        c.reason = "framework " + o.framework + " major " + std::to_string(o.major) +
                   " supersedes lessons tagged " + tag;
      }
    } else {
      next.confidence = learn::DecayedConfidence(l, now, decay);
      if (l.confidence - next.confidence < o.min_change) continue;
      c.action = "decay";
      c.reason = "decay: " + Fixed(o.rate_per_month, 2) + " ^ " + Fixed(c.months_unused, 2) +
                 " months unused";
    }
    c.after = next.confidence;
    if (!o.dry_run) {
      next.version = l.version + 1;
      next.updated_at = now;
      Status st = store.UpdateLesson(
          next, c.reason + " (" + Fixed(c.before, 3) + " -> " + Fixed(c.after, 3) + ")");
      if (st.code() == ErrorCode::kFailedPrecondition) {
        c.action = "skipped";  // updated concurrently: its new version is left alone
        c.after = c.before;
        c.reason += "; skipped: the lesson changed meanwhile";
      } else if (!st.ok()) {
        return st;
      }
    }
    report.changes.push_back(std::move(c));
  }
  return report;
}

}  // namespace engram
