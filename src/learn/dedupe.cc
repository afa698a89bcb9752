#include "learn/dedupe.h"

#include <algorithm>
#include <cstdio>

#include "core/similarity.h"
#include "learn/lesson_text.h"

namespace engram::learn {
namespace {}  // namespace

std::string DedupeText(const Lesson& l) { return l.title + "\n" + l.content; }

DuplicateCheck CheckDuplicate(const Lesson& a, const Lesson& b, std::optional<double> cosine,
                              const DedupeOptions& o) {
  DuplicateCheck c;
  c.cosine = cosine;
  c.overlap = Jaccard(ContentTokens(DedupeText(a)), ContentTokens(DedupeText(b)));
  c.score = cosine ? std::max(c.overlap, *cosine) : c.overlap;
  std::string measures = "token overlap " + Fixed(c.overlap, 2);
  if (cosine) measures += ", cosine " + Fixed(*cosine, 2);
  if (a.scope != b.scope || (a.scope == LessonScope::kProject && a.project != b.project)) {
    c.reason = "different scope or project";  // a merge would move text across projects
    return c;
  }
  if (NormalizeTopic(a.topic) != NormalizeTopic(b.topic)) {
    c.reason = "different topics";
    return c;
  }
  if (Stance(a.type, a.title, a.content) * Stance(b.type, b.title, b.content) < 0) {
    c.reason = "opposite stance (" + measures + ")";
    return c;
  }
  if (c.overlap >= o.min_overlap) {
    c.duplicate = true;
    c.reason = measures + " >= " + Fixed(o.min_overlap, 2);
  } else if (cosine && *cosine >= o.min_cosine && c.overlap >= o.min_overlap_with_cosine) {
    c.duplicate = true;
    c.reason = "cosine " + Fixed(*cosine, 2) + " >= " + Fixed(o.min_cosine, 2) +
               " and token overlap " + Fixed(c.overlap, 2) +
               " >= " + Fixed(o.min_overlap_with_cosine, 2);
  } else {
    c.reason = measures + " below the thresholds";
  }
  return c;
}

}  // namespace engram::learn
