#include "learn/contradictions.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/similarity.h"
#include "learn/lesson_text.h"

namespace engram::learn {
namespace {

std::string StanceWord(int stance) { return stance > 0 ? "do" : "avoid"; }

// Up to 5 shared subject words, comma-separated.
std::string Shared(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::string out;
  int n = 0;
  for (const std::string& w : a) {
    if (b.count(w) == 0) continue;
    if (n++ == 5) break;
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

}  // namespace

std::optional<ContradictionFinding> DetectContradiction(const Lesson& a, const Lesson& b,
                                                        std::optional<double> cosine,
                                                        const ContradictionOptions& o) {
  if (a.id == b.id && !a.id.empty()) return std::nullopt;
  if (NormalizeTopic(a.topic) != NormalizeTopic(b.topic)) return std::nullopt;
  const std::set<std::string> ta = SubjectTokens(a.title), tb = SubjectTokens(b.title);
  const std::set<std::string> fa = SubjectTokens(a.title + "\n" + a.content);
  const std::set<std::string> fb = SubjectTokens(b.title + "\n" + b.content);
  const double s = std::max(Jaccard(ta, tb), Jaccard(fa, fb));
  const bool similar = s >= o.min_subject_overlap || (cosine && *cosine >= o.min_cosine &&
                                                      s >= o.min_subject_overlap_with_cosine);
  if (!similar) return std::nullopt;

  ContradictionFinding f;
  f.score = cosine ? std::max(s, *cosine) : s;
  std::string subject = "subject overlap " + Fixed(s, 2);
  if (cosine) subject += ", cosine " + Fixed(*cosine, 2);
  const std::string words = Shared(fa, fb);
  if (!words.empty()) subject += "; shared: " + words;

  const int sa = Stance(a.type, a.title, a.content);
  const int sb = Stance(b.type, b.title, b.content);
  if (sa * sb < 0) {
    f.reason = "opposite stance: " + std::string(ToString(a.type)) + " says " + StanceWord(sa) +
               ", " + std::string(ToString(b.type)) + " says " + StanceWord(sb) + " (" + subject +
               ")";
    return f;
  }
  for (const VersionTag& va : VersionTags(a.tags)) {
    for (const VersionTag& vb : VersionTags(b.tags)) {
      if (va.framework == vb.framework && va.major != vb.major) {
        f.reason = "version mismatch: " + va.framework + ":" + std::to_string(va.major) + " vs " +
                   vb.framework + ":" + std::to_string(vb.major) + " (" + subject + ")";
        return f;
      }
    }
  }
  return std::nullopt;
}

}  // namespace engram::learn
