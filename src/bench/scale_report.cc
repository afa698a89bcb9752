// FormatScaleReport: the human-readable tables of `engram-bench scale`.
#include <cstdio>
#include <sstream>
#include <string>

#include "bench/scale_bench.h"

namespace engram::bench {
namespace {

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

double Num(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

std::string Lat(const Json& lat) {
  return Fmt("%.3f", Num(lat, "p50_ms")) + " | " + Fmt("%.3f", Num(lat, "p99_ms")) + " | " +
         std::to_string(lat.value("queries", 0));
}

void Part(std::ostringstream& os, const std::string& name, const Json& p) {
  os << "\n## " << name << ": " << p.value("n", 0) << " x " << p.value("dim", 0) << " ("
     << p.value("model_id", "") << ")\n";
  if (p.contains("vectors")) os << "vectors: " << p["vectors"].get<std::string>() << "\n";
  os << "texts: " << p.value("texts", "") << "\n";
  if (p.contains("embedding")) os << "embedding: " << p["embedding"].dump() << "\n";
  const Json& h = p["hnsw"];
  if (h.contains("reused")) {
    os << "store and hnsw index reused (--reuse): " << h["reused"].get<std::string>()
       << "; process RSS " << Fmt("%.0f", Num(p, "rss_mb")) << " MB\n\n";
  } else {
    if (p["store"].contains("reused")) {
      os << "store reused (--reuse): " << p["store"]["reused"].get<std::string>()
         << "; hnsw build ";
    } else {
      os << "store: " << Fmt("%.1f", Num(p["store"], "seconds")) << " s ("
         << Fmt("%.0f", Num(p["store"], "db_bytes") / 1e6) << " MB); hnsw build ";
    }
    os << Fmt("%.1f", Num(h, "build_s")) << " s on " << h.value("threads", 0) << " threads (M "
       << h.value("M", 0) << ", ef_construction " << h.value("ef_construction", 0) << ", "
       << Fmt("%.0f", Num(h, "inserts_per_s")) << "/s), index "
       << Fmt("%.1f", Num(h, "index_bytes") / 1e6) << " MB, RSS +"
       << Fmt("%.0f", Num(h, "rss_delta_mb")) << " MB; process RSS "
       << Fmt("%.0f", Num(p, "rss_mb")) << " MB, peak " << Fmt("%.0f", Num(p, "peak_rss_mb"))
       << " MB\n\n";
  }
  if (p["store"].contains("optimize_fulltext_s")) {
    os << "full-text segments merged (Store::OptimizeFullText) in "
       << Fmt("%.2f", Num(p["store"], "optimize_fulltext_s")) << " s\n\n";
  }
  os << "| path | p50 ms | p99 ms | queries | recall@10 |\n|---|---|---|---|---|\n";
  os << "| exact scan (ExactIndex) | " << Lat(p["exact"]["latency"]) << " | 1 |\n";
  for (const Json& s : h["search"]) {
    os << "| hnsw ef=" << s.value("ef", 0) << " | " << Lat(s["latency"]) << " | "
       << Fmt("%.4f", Num(s, "recall_at_10")) << " |\n";
  }
  os << "| bm25 (FTS5, 60 hits) | " << Lat(p["bm25"]) << " | |\n";
  if (p.contains("retrieval_cold")) {
    os << "| retrieval, cold lists: SearchLessons, vector given | " << Lat(p["retrieval_cold"])
       << " | |\n";
  }
  os << "| retrieval after Engine::Warm: SearchLessons, vector given | " << Lat(p["retrieval"])
     << " | " << Fmt("%.4f", Num(h, "engine_call_recall_at_10")) << " (ANN call: ef "
     << h.value("engine_call_ef", 0) << ", k 60) |\n";
  if (p["retrieval"].contains("lesson_uses")) {
    os << "| (use recording " << (p.value("record_uses", true) ? "on" : "off") << ": "
       << p["retrieval"]["lesson_uses"].value("written", 0)
       << " uses written during the run) | | | |\n";
  }
  if (p.contains("embed_query")) {
    os << "| embed query (USE Lite) | " << Lat(p["embed_query"]) << " | |\n";
    os << "| end to end: SearchLessons + embed | " << Lat(p["end_to_end"]) << " | |\n";
  }
  if (p.contains("engine_warm_up")) {
    const Json& w = p["engine_warm_up"];
    os << "\nEngine::Warm " << Fmt("%.2f", Num(w, "seconds")) << " s (index "
       << (w.value("vector_index_loaded", false) ? "loaded" : "not loaded") << ", "
       << w.value("lesson_words", 0) << " words, " << w.value("lesson_postings", 0) << " postings, "
       << Fmt("%.0f", Num(w, "page_mb")) << " MB of store pages read, RSS +"
       << Fmt("%.0f", Num(w, "rss_mb")) << " MB; "
       << (w.value("files_dropped_from_page_cache", false) ? "store and index files dropped"
                                                           : "files NOT dropped")
       << " from the OS page cache before)\n";
  }
  if (p.contains("cold_start")) {
    const Json& c = p["cold_start"];
    os << "\nCold start (a server's Engine, files dropped from the page cache): first answer "
       << Fmt("%.0f", Num(c, "first_answer_ms")) << " ms after open (" << c.value("first_mode", "")
       << "; open " << Fmt("%.0f", Num(c, "open_ms")) << " ms), full hybrid after "
       << Fmt("%.0f", Num(c, "full_hybrid_ms")) << " ms (" << c.value("index_items", 0)
       << " lessons, " << c.value("rebuilds", 0) << " rebuilds)\n";
  }
  const Json& sv = p["sqlite_vec"];
  if (sv.contains("latency")) {
    os << "| sqlite-vec vec0 exact | " << Lat(sv["latency"]) << " | "
       << Fmt("%.4f", Num(sv, "recall_at_10")) << " |\n";
    os << "\nsqlite-vec: " << sv.value("version", "") << ", build "
       << Fmt("%.1f", Num(sv, "build_s")) << " s, " << Fmt("%.0f", Num(sv, "db_bytes") / 1e6)
       << " MB\n";
  } else {
    os << "\nsqlite-vec SKIPPED: " << sv.value("skipped", "") << "\n";
  }
  os << "ratios (p50):";
  for (const auto& [k, v] : p["ratios"].items())
    os << " " << k << "=" << Fmt("%.1f", v.get<double>());
  os << "\n";
}

}  // namespace

std::string FormatScaleReport(const Json& report) {
  std::ostringstream os;
  const Json& m = report["machine"];
  os << "# engram-bench scale (" << m.value("started_at", "") << ", " << m.value("cores", 0)
     << " cores, load " << m.value("loadavg_at_start", "") << " -> "
     << m.value("loadavg_at_end", "") << ")\n";
  if (report.contains("real")) Part(os, "real", report["real"]);
  if (report.contains("synthetic")) Part(os, "synthetic", report["synthetic"]);
  return os.str();
}

}  // namespace engram::bench
