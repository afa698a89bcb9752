#include "learn/dedupe.h"

#include <algorithm>
#include <cstdio>

#include "learn/lesson_text.h"

namespace engram::learn {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

std::string DedupeText(const Lesson& l) { return l.title + "\n" + l.content; }

DuplicateCheck CheckDuplicate(const Lesson& a, const Lesson& b, std::optional<double> cosine,
                              const DedupeOptions& o) {
  DuplicateCheck c;
  c.cosine = cosine;
  c.overlap = Jaccard(ContentTokens(DedupeText(a)), ContentTokens(DedupeText(b)));
  c.score = cosine ? std::max(c.overlap, *cosine) : c.overlap;
  std::string measures = "token overlap " + Num(c.overlap);
  if (cosine) measures += ", cosine " + Num(*cosine);
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
    c.reason = measures + " >= " + Num(o.min_overlap);
  } else if (cosine && *cosine >= o.min_cosine && c.overlap >= o.min_overlap_with_cosine) {
    c.duplicate = true;
    c.reason = "cosine " + Num(*cosine) + " >= " + Num(o.min_cosine) + " and token overlap " +
               Num(c.overlap) + " >= " + Num(o.min_overlap_with_cosine);
  } else {
    c.reason = measures + " below the thresholds";
  }
  return c;
}

}  // namespace engram::learn
