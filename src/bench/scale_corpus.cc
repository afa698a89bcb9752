#include "bench/scale_corpus.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "bench/cold_start.h"
#include "bench/sqlite_vec.h"
#include "engine/search_state.h"
#include "engram/engine.h"
#include "engram/ids.h"
#include "engram/store_files.h"
#include "engram/vector_index.h"

namespace engram::bench {
namespace {

constexpr std::size_t kK = 10;

double RecallAt10(const std::vector<std::int32_t>& truth, const std::vector<std::size_t>& rows) {
  std::unordered_set<std::int32_t> want(truth.begin(), truth.begin() + kK);
  std::size_t hits = 0;
  for (std::size_t r : rows) hits += want.count(static_cast<std::int32_t>(r));
  return static_cast<double>(hits) / kK;
}

double Mean(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return xs.empty() ? 0 : sum / static_cast<double>(xs.size());
}

Json ToJson(const LatencySummary& s) {
  return Json{
      {"p50_ms", s.p50_ms}, {"p99_ms", s.p99_ms}, {"mean_ms", s.mean_ms}, {"queries", s.count}};
}

double MiB(long kb) { return kb < 0 ? -1 : static_cast<double>(kb) / 1024.0; }

// Times `fn(i)` for the first `nq` of `total` queries after kWarmupQueries untimed
// calls. The warm-up queries come after the timed ones when there are any
// (the corpora ask for kWarmupQueries extra), so no timed query meets caches its
// own warm-up filled (BM25's in-memory lists); else the first ones repeat.
template <typename Fn>
Result<LatencySummary> TimeQueries(std::size_t nq, std::size_t total, const std::string& label,
                                   bool progress, Fn fn) {
  const bool extra = total >= nq + kWarmupQueries;
  const std::size_t warm_from = extra ? nq : 0,
                    warm_n = extra ? kWarmupQueries : std::min(kWarmupQueries, nq);
  for (std::size_t i = warm_from; i < warm_from + warm_n; ++i) ENGRAM_RETURN_IF_ERROR(fn(i));
  std::vector<double> ms;
  ms.reserve(nq);
  Progress bar(label, nq, progress);
  for (std::size_t i = 0; i < nq; ++i) {
    const auto t = Clock::now();
    ENGRAM_RETURN_IF_ERROR(fn(i));
    ms.push_back(MsSince(t));
    bar.Update(i + 1);
  }
  return Summarize(ms);
}

// Where the stores of one corpus live in options.work.
struct CorpusFiles {
  std::string db, index;
};

CorpusFiles FilesOf(const ScaleOptions& options, const CorpusSpec& spec) {
  const std::string db = options.work + "/" + spec.name + ".db";
  return {db, LessonIndexPath(db)};
}

// 1. Lessons (+ FTS5 text + stored embedding) into the scratch store;
// fills ids/row_of/metas.
Status BuildStore(const ScaleOptions& options, const CorpusSpec& spec, Engine& engine,
                  std::vector<std::string>& ids,
                  std::unordered_map<std::string, std::size_t>& row_of,
                  std::vector<ItemMeta>& metas, Json& report) {
  const Matrix& base = *spec.base;
  const std::string model = spec.embedder->model_id();
  Store& store = engine.store();
  metas.assign(base.rows, ItemMeta{});
  const auto t0 = Clock::now();
  const Timestamp now = engine.Now();
  Progress bar(spec.name + ": store lessons", base.rows, options.progress);
  constexpr std::size_t kBatch = 5000;
  for (std::size_t start = 0; start < base.rows; start += kBatch) {
    ENGRAM_RETURN_IF_ERROR(store.RunInTransaction([&]() -> Status {
      for (std::size_t i = start; i < std::min(base.rows, start + kBatch); ++i) {
        Lesson l;
        l.id = NewId(now);
        l.type = static_cast<LessonType>(i % 5);
        l.topic = spec.topic;
        l.title = spec.title(i);
        l.content = spec.content(i);
        l.confidence = 0.5 + 0.4 * static_cast<double>((i * 7919) % 100) / 100.0;
        l.created_at = l.updated_at = now;
        ENGRAM_RETURN_IF_ERROR(store.InsertLesson(l));
        auto row = base.Row(i);
        ENGRAM_RETURN_IF_ERROR(
            store.PutEmbedding({l.id, model, std::vector<float>(row.begin(), row.end()), now}));
        metas[i] = MetaOf(l);
        ids[i] = std::move(l.id);
        row_of.emplace(ids[i], i);
      }
      return Status::Ok();
    }));
    bar.Update(std::min(base.rows, start + kBatch));
  }
  std::error_code ec;
  report["store"] = Json{{"seconds", MsSince(t0) / 1000.0},
                         {"db_bytes", std::filesystem::file_size(FilesOf(options, spec).db, ec)},
                         {"what", "lesson row + FTS5 text + stored embedding per item"}};
  return Status::Ok();
}

// 2. HNSW build (AddBatch on `threads` threads), saved where the Engine loads it.
Result<std::unique_ptr<HnswIndex>> BuildIndex(const ScaleOptions& options, const CorpusSpec& spec,
                                              Store& store, const std::vector<std::string>& ids,
                                              const std::vector<ItemMeta>& metas, Json& report) {
  const Matrix& base = *spec.base;
  const std::string model = spec.embedder->model_id();
  const std::string index_path = FilesOf(options, spec).index;
  HnswOptions ho;
  ho.dimension = base.dim;
  ho.model_id = model;
  ho.initial_capacity = base.rows + base.rows / 8 + 64;
  if (options.ef_construction != 0) ho.ef_construction = options.ef_construction;
  const long rss0 = ProcKb("VmRSS");
  const auto t0 = Clock::now();
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<HnswIndex> index, HnswIndex::Create(ho));
  {
    Progress bar(spec.name + ": hnsw build", base.rows, options.progress);
    constexpr std::size_t kChunk = 20000;  // AddBatch per chunk, for the bar
    std::vector<ItemView> items;
    for (std::size_t start = 0; start < base.rows; start += kChunk) {
      items.clear();
      for (std::size_t i = start; i < std::min(base.rows, start + kChunk); ++i) {
        items.push_back({ids[i], base.Row(i), metas[i]});
      }
      ENGRAM_RETURN_IF_ERROR(index->AddBatch(items, options.threads));
      bar.Update(std::min(base.rows, start + kChunk));
    }
  }
  const double build_s = MsSince(t0) / 1000.0;
  const long rss1 = ProcKb("VmRSS");
  ENGRAM_ASSIGN_OR_RETURN(std::string fingerprint, LessonFingerprint(store, model));
  const auto t1 = Clock::now();
  ENGRAM_RETURN_IF_ERROR(index->Save(index_path, fingerprint));
  std::error_code ec;
  report["hnsw"] = Json{{"build_s", build_s},
                        {"threads", options.threads},
                        {"inserts_per_s", static_cast<double>(base.rows) / build_s},
                        {"M", ho.M},
                        {"ef_construction", ho.ef_construction},
                        {"save_s", MsSince(t1) / 1000.0},
                        {"index_bytes", std::filesystem::file_size(index_path, ec)},
                        {"rss_delta_mb", MiB(rss1 - rss0)}};
  return index;
}

// --reuse: maps the lessons of an earlier run back to their rows by
// (title, content); FailedPrecondition when the store holds other data.
Status MapStoredRows(Store& store, const std::string& db_path, const CorpusSpec& spec,
                     std::vector<std::string>& ids,
                     std::unordered_map<std::string, std::size_t>& row_of) {
  const Matrix& base = *spec.base;
  std::unordered_map<std::string, std::size_t> by_text;
  by_text.reserve(base.rows);
  for (std::size_t i = 0; i < base.rows; ++i)
    by_text.emplace(spec.title(i) + "\n" + spec.content(i), i);
  const std::string stale = "--reuse: '" + db_path + "' holds other lessons than " + spec.name +
                            " N=" + std::to_string(base.rows) + "; run without --reuse";
  std::size_t stored = 0;
  ENGRAM_RETURN_IF_ERROR(
      store.ForEachLesson([&](const Lesson& l, const std::vector<LessonVersion>&) -> Status {
        auto it = by_text.find(l.title + "\n" + l.content);
        if (++stored > base.rows || it == by_text.end() || !ids[it->second].empty()) {
          return Status::FailedPrecondition(stale);
        }
        ids[it->second] = l.id;
        row_of.emplace(l.id, it->second);
        return Status::Ok();
      }));
  if (stored != base.rows) return Status::FailedPrecondition(stale);
  return Status::Ok();
}

// --reuse without an HNSW file: the ItemMeta of each stored lesson, in row order.
Status StoredMetas(Store& store, const std::vector<std::string>& ids,
                   std::vector<ItemMeta>& metas) {
  constexpr std::size_t kBatch = 5000;
  metas.clear();
  metas.reserve(ids.size());
  for (std::size_t start = 0; start < ids.size(); start += kBatch) {
    const std::vector<std::string> batch(
        ids.begin() + static_cast<std::ptrdiff_t>(start),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + kBatch)));
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> lessons, store.GetLessons(batch));
    if (lessons.size() != batch.size()) {
      return Status::FailedPrecondition("--reuse: lessons missing from the store");
    }
    for (const Lesson& l : lessons) metas.push_back(MetaOf(l));
  }
  return Status::Ok();
}

}  // namespace

Result<Json> ExactTruth(const ScaleOptions& options, CorpusSpec& spec) {
  const Matrix& base = *spec.base;
  const Matrix& queries = *spec.queries;
  std::unique_ptr<VectorIndex> exact = NewExactIndex(base.dim);
  {
    Progress bar(spec.name + ": exact index", base.rows, options.progress);
    for (std::size_t i = 0; i < base.rows; ++i) {
      ENGRAM_RETURN_IF_ERROR(exact->Add(std::to_string(i), base.Row(i), ItemMeta{}));
      if (i % 10000 == 9999) bar.Update(i + 1);
    }
  }
  const bool given = !spec.truth.empty();
  const std::size_t nq = given ? std::min(options.exact_queries, queries.rows) : queries.rows;
  std::vector<std::vector<std::int32_t>> found(nq);
  ENGRAM_ASSIGN_OR_RETURN(LatencySummary lat,
                          TimeQueries(nq, nq, spec.name + ": exact scan", options.progress,
                                      [&](std::size_t i) -> Status {
                                        ENGRAM_ASSIGN_OR_RETURN(auto hits,
                                                                exact->Search(queries.Row(i), kK));
                                        found[i].clear();
                                        for (const SearchHit& h : hits)
                                          found[i].push_back(std::stoi(h.id));
                                        return Status::Ok();
                                      }));
  Json out{{"latency", ToJson(lat)}, {"truth", given ? "given (gt.i32)" : "exact scan"}};
  if (given) {
    double agree = 0;
    for (std::size_t i = 0; i < nq; ++i) {
      std::vector<std::size_t> rows(found[i].begin(), found[i].end());
      agree += RecallAt10(spec.truth[i], rows);
    }
    out["agreement_with_given_truth"] = nq ? agree / static_cast<double>(nq) : 0.0;
  } else {
    spec.truth = std::move(found);
  }
  return out;
}

Result<Json> RunCorpus(const ScaleOptions& options, CorpusSpec& spec, Json exact) {
  const Matrix& base = *spec.base;
  const Matrix& queries = *spec.queries;
  const std::size_t nq = std::min(options.queries, queries.rows);
  const std::size_t total = queries.rows;  // the warm-up queries follow the timed ones
  Json report{{"n", base.rows}, {"dim", base.dim}, {"queries", nq}, {"exact", std::move(exact)}};
  const std::string model = spec.embedder->model_id();
  report["model_id"] = model;

  const auto [db_path, index_path] = FilesOf(options, spec);
  std::error_code ec;
  // --reuse keeps the store; its HNSW file too when present, otherwise the
  // index is rebuilt (and timed) from the stored lessons.
  const bool reuse = options.reuse && std::filesystem::exists(db_path, ec);
  const bool reuse_index = reuse && std::filesystem::exists(index_path, ec);
  if (!reuse) {
    for (const std::string& f : StoreFilePaths(db_path)) std::filesystem::remove(f, ec);
  }
  EngineOptions eo;
  eo.embedder = spec.embedder;
  eo.lesson_index_path = index_path;
  eo.overlap_search = options.overlap_search;
  report["overlap_search"] = options.overlap_search;
  eo.lesson_uses.record = options.record_uses;
  if (options.use_flush_items > 0) eo.lesson_uses.flush_items = options.use_flush_items;
  report["record_uses"] = options.record_uses;
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::OpenSqlite(db_path, eo));
  std::vector<std::string> ids(base.rows);
  std::unordered_map<std::string, std::size_t> row_of;
  row_of.reserve(base.rows);
  std::unique_ptr<HnswIndex> index;
  if (reuse) {
    ENGRAM_RETURN_IF_ERROR(MapStoredRows(engine->store(), db_path, spec, ids, row_of));
    report["store"] = Json{{"reused", db_path}};
  }
  if (reuse_index) {
    HnswOptions ho;
    ho.dimension = base.dim;
    ho.model_id = model;
    ENGRAM_ASSIGN_OR_RETURN(index, HnswIndex::Load(index_path, ho));
    report["hnsw"] = Json{{"reused", index_path}};
  } else {
    std::vector<ItemMeta> metas;
    ENGRAM_RETURN_IF_ERROR(reuse ? StoredMetas(engine->store(), ids, metas)
                                 : BuildStore(options, spec, *engine, ids, row_of, metas, report));
    ENGRAM_ASSIGN_OR_RETURN(index, BuildIndex(options, spec, engine->store(), ids, metas, report));
  }
  {
    // As after a bulk import: the full-text segments merged into one (a
    // no-op on a reused store already merged).
    const auto t0 = Clock::now();
    ENGRAM_RETURN_IF_ERROR(engine->store().OptimizeFullText());
    report["store"]["optimize_fulltext_s"] = MsSince(t0) / 1000.0;
  }
  {
    // 3. HNSW alone at each ef, k = 10, recall against exact.
    Json sweep = Json::array();
    for (std::size_t ef : options.efs) {
      index->SetEfSearch(ef);
      std::vector<double> recall(total);
      ENGRAM_ASSIGN_OR_RETURN(LatencySummary lat,
                              TimeQueries(nq, total, spec.name + ": hnsw ef=" + std::to_string(ef),
                                          options.progress, [&](std::size_t i) -> Status {
                                            ENGRAM_ASSIGN_OR_RETURN(
                                                auto hits, index->Search(queries.Row(i), kK));
                                            std::vector<std::size_t> rows;
                                            rows.reserve(hits.size());
                                            for (const SearchHit& h : hits)
                                              rows.push_back(row_of.at(h.id));
                                            recall[i] = RecallAt10(spec.truth[i], rows);
                                            return Status::Ok();
                                          }));
      recall.resize(nq);
      sweep.push_back(Json{{"ef", ef}, {"latency", ToJson(lat)}, {"recall_at_10", Mean(recall)}});
    }
    report["hnsw"]["search"] = std::move(sweep);
    // The Engine's own ANN call: ef EngineEfSearch(n), k = 60 candidates
    // for limit 10; recall@10 = share of the exact top 10 among them.
    index->SetEfSearch(EngineEfSearch(base.rows));
    double cand_recall = 0;
    for (std::size_t i = 0; i < nq; ++i) {
      ENGRAM_ASSIGN_OR_RETURN(auto hits, index->Search(queries.Row(i), 60));
      std::vector<std::size_t> rows;
      rows.reserve(hits.size());
      for (const SearchHit& h : hits) rows.push_back(row_of.at(h.id));
      cand_recall += RecallAt10(spec.truth[i], rows);
    }
    report["hnsw"]["engine_call_recall_at_10"] = cand_recall / static_cast<double>(nq);
    report["hnsw"]["engine_call_ef"] = EngineEfSearch(base.rows);
  }

  // 4. BM25 alone, 60 candidates as the Engine asks for, on a connection of
  // its own: its in-memory postings fill as this stream of queries goes,
  // and the Engine's connection below starts as cold.
  {
    SqliteOptions own;
    own.path = db_path;
    ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Store> bm25_store, OpenSqliteStore(own));
    FullTextIndex* fts = bm25_store->fulltext();
    ENGRAM_ASSIGN_OR_RETURN(
        LatencySummary bm25,
        TimeQueries(
            nq, total, spec.name + ": bm25", options.progress, [&](std::size_t i) -> Status {
              return fts->SearchText(TextCorpus::kLessons, spec.query_texts[i], 60).status();
            }));
    report["bm25"] = ToJson(bm25);
  }

  // 5. Engine::SearchLessons with the query vector given: ANN + BM25 + fusion
  // + ranking + MMR, first on a cold Engine (the first call loads the saved
  // index; each word's postings load on first use), then on a new Engine
  // after Engine::Warm, as the servers run it at start-up.
  std::vector<double> candidates(total);
  auto search = [&](std::size_t i, double* cand_out) -> Status {
    SearchRequest r;
    r.min_relevance = 0.0;  // every result: ranking and latency
    r.query = spec.query_texts[i];
    r.limit = 10;
    ENGRAM_ASSIGN_OR_RETURN(SearchResponse resp, engine->SearchLessons(r));
    if (cand_out) *cand_out = resp.candidates;
    return Status::Ok();
  };
  {
    const long rss0 = ProcKb("VmRSS");
    const auto t0 = Clock::now();
    ENGRAM_RETURN_IF_ERROR(search(total - 1, nullptr));  // a warm-up query when there are any
    report["engine_first_query_ms"] = MsSince(t0);
    report["engine_index_rss_mb"] = MiB(ProcKb("VmRSS") - rss0);
  }
  const std::size_t inner_before = spec.embedder->inner_calls();
  ENGRAM_ASSIGN_OR_RETURN(
      LatencySummary cold,
      TimeQueries(nq, total, spec.name + ": engine search, cold lists", options.progress,
                  [&](std::size_t i) { return search(i, nullptr); }));
  report["retrieval_cold"] = ToJson(cold);
  report["retrieval_cold"]["what"] =
      "as retrieval, on an Engine whose BM25 postings load as the queries first use them";
  // The store and index files leave the OS page cache first, as after a
  // reboot: the cold pass above read the very pages these queries read.
  engine.reset();
  const auto drop_files = [files =
                               std::vector<std::string>{db_path, db_path + "-wal", index_path}] {
    bool all = true;
    for (const std::string& f : files) {
      if (std::error_code ec; std::filesystem::exists(f, ec)) all = DropFromPageCache(f) && all;
    }
    return all;
  };
  bool dropped = drop_files();
  // Cold start as a server meets it (cold_start.h), then the files dropped again.
  ColdStartOptions cold_opts{db_path, eo, spec.query_texts[total - 1], 3600};
  ENGRAM_ASSIGN_OR_RETURN(report["cold_start"], MeasureColdStart(cold_opts));
  dropped = drop_files() && dropped;
  ENGRAM_ASSIGN_OR_RETURN(engine, Engine::OpenSqlite(db_path, eo));
  {
    const long rss0 = ProcKb("VmRSS");
    ENGRAM_ASSIGN_OR_RETURN(WarmStats warm, engine->Warm());
    report["engine_warm_up"] = Json{{"seconds", warm.seconds},
                                    {"vector_index_loaded", warm.vector_index_loaded},
                                    {"lesson_words", warm.lessons.words},
                                    {"lesson_postings", warm.lessons.postings},
                                    {"page_mb", MiB(warm.pages.bytes / 1024)},
                                    {"files_dropped_from_page_cache", dropped},
                                    {"rss_mb", MiB(ProcKb("VmRSS") - rss0)}};
  }
  ENGRAM_ASSIGN_OR_RETURN(LatencySummary retrieval,
                          TimeQueries(nq, total, spec.name + ": engine search", options.progress,
                                      [&](std::size_t i) { return search(i, &candidates[i]); }));
  if (spec.embedder->inner_calls() != inner_before) {
    return Status::Internal("the Engine embedded texts during the retrieval-only timing");
  }
  report["retrieval"] = ToJson(retrieval);
  report["retrieval"]["what"] =
      "Engine::SearchLessons after Engine::Warm, query vector given: ANN + BM25 + fusion + "
      "ranking + MMR, limit 10";
  candidates.resize(nq);
  report["retrieval"]["mean_candidates"] = Mean(candidates);
  {
    // What use recording wrote meanwhile (docs/RETRIEVAL.md, "Use recording").
    const LessonUseStats u = engine->lesson_use_stats();
    report["retrieval"]["lesson_uses"] =
        Json{{"written", u.written}, {"pending", u.pending}, {"failed_writes", u.failed_writes}};
  }

  // 6. End to end: the model embeds the query inside SearchLessons.
  if (spec.end_to_end) {
    spec.embedder->set_enabled(false);
    ENGRAM_ASSIGN_OR_RETURN(
        LatencySummary embed,
        TimeQueries(nq, total, spec.name + ": embed query", options.progress, [&](std::size_t i) {
          return spec.embedder->Embed(spec.query_texts[i]).status();
        }));
    ENGRAM_ASSIGN_OR_RETURN(LatencySummary e2e,
                            TimeQueries(nq, total, spec.name + ": end to end", options.progress,
                                        [&](std::size_t i) { return search(i, nullptr); }));
    spec.embedder->set_enabled(true);
    report["embed_query"] = ToJson(embed);
    report["end_to_end"] = ToJson(e2e);
  }
  engine.reset();
  report["rss_mb"] = MiB(ProcKb("VmRSS"));
  report["peak_rss_mb"] = MiB(ProcKb("VmHWM"));

  // 7. sqlite-vec exact KNN on the same vectors.
  SqliteVecOptions so;
  so.extension_path = options.sqlite_vec;
  so.db_path = options.work + "/" + spec.name + "-sqlite-vec.db";
  so.queries = std::min(options.sqlite_vec_queries, nq);
  so.progress = options.progress;
  ENGRAM_ASSIGN_OR_RETURN(SqliteVecRun sv, RunSqliteVec(so, base, queries, spec.truth));
  if (sv.ran) {
    report["sqlite_vec"] = Json{{"version", sv.version},
                                {"build_s", sv.build_s},
                                {"db_bytes", sv.file_bytes},
                                {"latency", ToJson(sv.latency)},
                                {"recall_at_10", sv.recall_at_10}};
  } else {
    report["sqlite_vec"] = Json{{"skipped", sv.skipped}};
  }
  return report;
}

}  // namespace engram::bench
