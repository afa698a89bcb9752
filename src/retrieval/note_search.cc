#include "retrieval/note_search.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "retrieval/fusion.h"

namespace engram::retrieval {
namespace {

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string NoteEmbeddingText(const Note& note) {
  return note.speaker.empty() ? note.text : note.speaker + ": " + note.text;
}

std::vector<int> SessionsOf(const std::vector<Note>& notes, std::int64_t session_gap_ms) {
  std::vector<int> out(notes.size(), 0);
  std::unordered_map<std::string, int> named;
  int next = 0;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const Json& m = notes[i].metadata;
    if (m.is_object() && m.contains("session") && !m["session"].is_null()) {
      auto [it, added] = named.emplace(m["session"].dump(), next);
      if (added) ++next;
      out[i] = it->second;
      continue;
    }
    bool new_session = i == 0 || notes[i].timestamp - notes[i - 1].timestamp >= session_gap_ms ||
                       notes[i].timestamp < notes[i - 1].timestamp;
    out[i] = new_session ? next++ : out[i - 1];
  }
  return out;
}

std::vector<double> SmoothScores(const std::vector<double>& base,
                                 const std::vector<int>& session_of, const NoteSearchOptions& o) {
  const std::size_t n = base.size();
  std::vector<double> out(base);
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= 1) out[i] += o.neighbour1 * base[i - 1];
    if (i + 1 < n) out[i] += o.neighbour1 * base[i + 1];
    if (i >= 2) out[i] += o.neighbour2 * base[i - 2];
    if (i + 2 < n) out[i] += o.neighbour2 * base[i + 2];
  }
  if (o.session_weight != 0 && session_of.size() == n) {
    std::unordered_map<int, double> best;
    for (std::size_t i = 0; i < n; ++i) {
      auto [it, added] = best.emplace(session_of[i], base[i]);
      if (!added) it->second = std::max(it->second, base[i]);
    }
    for (std::size_t i = 0; i < n; ++i) out[i] += o.session_weight * best[session_of[i]];
  }
  return out;
}

Result<std::unique_ptr<ThreadSearcher>> ThreadSearcher::Open(FullTextIndex& fts,
                                                             EmbeddingCache* cache,
                                                             const Embedder* embedder,
                                                             const std::string& thread,
                                                             NoteSearchOptions options) {
  std::unique_ptr<ThreadSearcher> s(new ThreadSearcher());
  s->fts_ = &fts;
  s->embedder_ = embedder;
  s->thread_ = thread;
  s->options_ = options;
  ENGRAM_ASSIGN_OR_RETURN(s->notes_, fts.ThreadNotes(thread));
  s->session_of_ = SessionsOf(s->notes_, options.session_gap_ms);
  if (!embedder) return s;
  s->vectors_.resize(s->notes_.size());
  std::vector<std::string> todo;
  std::vector<std::size_t> todo_index;
  for (std::size_t i = 0; i < s->notes_.size(); ++i) {
    std::string text = NoteEmbeddingText(s->notes_[i]);
    if (cache) {
      ENGRAM_ASSIGN_OR_RETURN(auto hit, cache->GetCached(embedder->model_id(), text));
      if (hit && static_cast<int>(hit->size()) == embedder->dimension()) {
        s->vectors_[i] = std::move(*hit);
        continue;
      }
    }
    todo.push_back(std::move(text));
    todo_index.push_back(i);
  }
  constexpr std::size_t kBatch = 64;
  for (std::size_t b = 0; b < todo.size(); b += kBatch) {
    std::size_t e = std::min(todo.size(), b + kBatch);
    ENGRAM_ASSIGN_OR_RETURN(auto vecs, embedder->EmbedBatch(std::span(todo).subspan(b, e - b)));
    for (std::size_t j = b; j < e; ++j) {
      if (cache) {
        ENGRAM_RETURN_IF_ERROR(
            cache->PutCached(embedder->model_id(), todo[j], vecs[j - b], NowMs()));
      }
      s->vectors_[todo_index[j]] = std::move(vecs[j - b]);
    }
  }
  return s;
}

Result<std::vector<ScoredNote>> ThreadSearcher::Search(const std::string& query, int k) const {
  const std::size_t n = notes_.size();
  std::vector<ScoredNote> scored(n);
  std::unordered_map<std::int64_t, std::size_t> by_id;
  for (std::size_t i = 0; i < n; ++i) {
    scored[i].index = i;
    by_id[notes_[i].id] = i;
  }
  if (n == 0) return scored;
  ENGRAM_ASSIGN_OR_RETURN(
      std::vector<NoteHit> hits,
      fts_->SearchNoteText(thread_, query, static_cast<int>(std::min<std::size_t>(n, 10000))));
  std::vector<double> lexical(n, 0.0), dense;
  for (const NoteHit& h : hits) {
    auto it = by_id.find(h.note_id);
    if (it != by_id.end()) lexical[it->second] = scored[it->second].bm25 = h.bm25;
  }
  std::vector<double> base = lexical;
  if (embedder_) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<float> q, embedder_->Embed(query));
    dense.resize(n);
    for (std::size_t i = 0; i < n; ++i) dense[i] = scored[i].dense = Dot(vectors_[i], q);
    base = Fuse(lexical, dense, options_.dense_weight);
  }
  std::vector<double> smooth = SmoothScores(base, session_of_, options_);
  for (std::size_t i = 0; i < n; ++i) {
    scored[i].base = base[i];
    scored[i].score = smooth[i];
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const ScoredNote& a, const ScoredNote& b) { return a.score > b.score; });
  if (k > 0 && static_cast<std::size_t>(k) < scored.size()) scored.resize(k);
  return scored;
}

}  // namespace engram::retrieval
