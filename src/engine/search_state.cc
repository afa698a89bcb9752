#include "engine/search_state.h"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <vector>

#include "retrieval/fusion.h"

namespace engram {

std::string LessonEmbeddingText(const Lesson& l) {
  return l.title + "\n" + l.content + "\n" + l.topic;
}

Result<Embedding> EmbedLesson(const Embedder& embedder, const Lesson& lesson, Timestamp now) {
  ENGRAM_ASSIGN_OR_RETURN(std::vector<float> v, embedder.Embed(LessonEmbeddingText(lesson)));
  return Embedding{lesson.id, embedder.model_id(), std::move(v), now};
}

Result<LessonCounts> CountLessons(Store& store) {
  ENGRAM_ASSIGN_OR_RETURN(StoreStats stats, store.Stats());
  LessonFilter newest;
  newest.include_deprecated = true;
  newest.limit = 1;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> top, store.ListLessons(newest));
  return LessonCounts{stats.lessons, top.empty() ? 0 : top.front().updated_at};
}

Result<LessonCounts> LessonCountCache::Get(Store& store) {
  ENGRAM_ASSIGN_OR_RETURN(std::string token, store.ChangeToken());
  {
    std::lock_guard lock(mu_);
    if (!token.empty() && token == token_) return counts_;
  }
  // Read after the token: a write in between changes the token again, so
  // the next call recounts rather than trusting these counts for too long.
  ENGRAM_ASSIGN_OR_RETURN(LessonCounts counts, CountLessons(store));
  std::lock_guard lock(mu_);
  token_ = std::move(token);
  counts_ = counts;
  return counts;
}

std::string FingerprintOf(const std::string& model_id, const LessonCounts& counts) {
  return model_id + "|" + std::to_string(counts.lessons) + "|" + std::to_string(counts.max_updated);
}

std::string FingerprintOf(const std::string& model_id, const LessonChangeMark& mark) {
  return model_id + "|log:" + mark.lineage + ":" + std::to_string(mark.seq) + "|" +
         std::to_string(mark.lessons);
}

std::optional<LessonChangeMark> ParseLogFingerprint(std::string_view fp,
                                                    const std::string& model_id) {
  const std::string prefix = model_id + "|log:";
  if (fp.substr(0, prefix.size()) != prefix) return std::nullopt;
  fp.remove_prefix(prefix.size());
  const std::size_t colon = fp.find(':');
  const std::size_t bar = fp.find('|');
  if (colon == std::string_view::npos || bar == std::string_view::npos || bar < colon) {
    return std::nullopt;
  }
  LessonChangeMark mark;
  mark.lineage = std::string(fp.substr(0, colon));
  const auto number = [](std::string_view text, std::int64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && out >= 0;
  };
  if (mark.lineage.empty() || !number(fp.substr(colon + 1, bar - colon - 1), mark.seq) ||
      !number(fp.substr(bar + 1), mark.lessons)) {
    return std::nullopt;
  }
  return mark;
}

Result<StoreFingerprint> ReadStoreFingerprint(Store& store, const std::string& model_id,
                                              LessonCountCache* cache) {
  Result<LessonChangeMark> mark = store.LessonChangeMarkNow();
  if (mark.ok()) return StoreFingerprint{FingerprintOf(model_id, *mark), *mark, {}};
  if (mark.status().code() != ErrorCode::kFailedPrecondition) return mark.status();
  // No change log: counts and the latest update time.
  ENGRAM_ASSIGN_OR_RETURN(LessonCounts counts, cache ? cache->Get(store) : CountLessons(store));
  return StoreFingerprint{FingerprintOf(model_id, counts), std::nullopt, counts};
}

Result<std::string> LessonFingerprint(Store& store, const std::string& model_id,
                                      LessonCountCache* cache) {
  ENGRAM_ASSIGN_OR_RETURN(StoreFingerprint fp, ReadStoreFingerprint(store, model_id, cache));
  return std::move(fp.text);
}

std::size_t EngineEfSearch(std::size_t items) {
  if (items <= 200'000) return 64;
  if (items <= 2'000'000) return 128;
  return 256;
}

std::vector<ScoreExplanation> RelevanceExplanations(const std::vector<double>& bm25,
                                                    const std::vector<double>& cosine,
                                                    bool semantic, double dense_weight,
                                                    const std::string& mode,
                                                    const std::string& note) {
  const std::vector<double> lex = retrieval::MaxNorm(bm25);
  const std::vector<double> sem = semantic ? retrieval::MinMax(cosine) : std::vector<double>();
  const double w = semantic ? dense_weight : 0.0;
  std::vector<ScoreExplanation> out(bm25.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    ScoreExplanation& e = out[i];
    e.mode = mode;
    e.note = note;
    e.bm25 = bm25[i];
    e.lexical = lex[i];
    e.cosine = cosine[i];
    e.semantic = sem.empty() ? 0 : sem[i];
    e.relevance = (1 - w) * e.lexical + w * e.semantic;
  }
  return out;
}

}  // namespace engram
