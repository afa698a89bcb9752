#include "bench/locomo.h"

#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "engram/store.h"

namespace engram::bench {
namespace {

using Clock = std::chrono::steady_clock;

bool ParseInt(std::string_view s, int& out) {
  if (s.empty() || s.size() > 6) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

std::vector<std::string> ParseEvidence(std::string_view ev) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i] != 'D' || (i > 0 && std::isalnum(static_cast<unsigned char>(ev[i - 1])))) continue;
    std::size_t j = i + 1, a = j;
    while (j < ev.size() && std::isdigit(static_cast<unsigned char>(ev[j]))) ++j;
    if (j == a || j >= ev.size() || ev[j] != ':') continue;
    std::size_t b = ++j;
    while (j < ev.size() && std::isdigit(static_cast<unsigned char>(ev[j]))) ++j;
    if (j == b) continue;
    if (j < ev.size() && ev[j] == ':') continue;  // "D1:2:3" is malformed
    int session = 0, turn = 0;
    if (!ParseInt(ev.substr(a, b - 1 - a), session) || !ParseInt(ev.substr(b, j - b), turn)) {
      continue;
    }
    out.push_back("D" + std::to_string(session) + ":" + std::to_string(turn));
    i = j - 1;
  }
  return out;
}

Timestamp ParseLocomoDate(std::string_view date) {
  // "1:56 pm on 8 May, 2023"
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  int hour = 0, minute = 0, day = 0, year = 0;
  char ampm[3] = {0}, month[16] = {0};
  std::string s(date);
  if (std::sscanf(s.c_str(), "%d:%d %2s on %d %15[A-Za-z], %d", &hour, &minute, ampm, &day, month,
                  &year) != 6) {
    return 0;
  }
  int mon = -1;
  for (int m = 0; m < 12; ++m) {
    if (strncasecmp(month, kMonths[m], 3) == 0) mon = m;
  }
  if (mon < 0 || hour < 1 || hour > 12 || minute < 0 || minute > 59) return 0;
  bool pm = ampm[0] == 'p' || ampm[0] == 'P';
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon;
  tm.tm_mday = day;
  tm.tm_hour = hour % 12 + (pm ? 12 : 0);
  tm.tm_min = minute;
  return static_cast<Timestamp>(timegm(&tm)) * 1000;
}

Result<std::vector<LocomoConversation>> ParseLocomo(const Json& data) {
  if (!data.is_array()) return Status::InvalidArgument("LoCoMo data must be a JSON list");
  std::vector<LocomoConversation> out;
  for (const Json& item : data) {
    if (!item.is_object() || !item.contains("conversation") || !item["conversation"].is_object()) {
      return Status::InvalidArgument("LoCoMo item without a conversation object");
    }
    LocomoConversation c;
    c.sample_id = item.value("sample_id", "conv-" + std::to_string(out.size()));
    const Json& conv = item["conversation"];
    std::vector<int> sessions;
    for (const auto& [key, value] : conv.items()) {
      int n = 0;
      if (key.rfind("session_", 0) == 0 && ParseInt(std::string_view(key).substr(8), n) &&
          value.is_array()) {
        sessions.push_back(n);
      }
    }
    std::sort(sessions.begin(), sessions.end());
    for (int n : sessions) {
      std::string key = "session_" + std::to_string(n);
      Timestamp ts = 0;
      if (conv.contains(key + "_date_time") && conv[key + "_date_time"].is_string()) {
        ts = ParseLocomoDate(conv[key + "_date_time"].get<std::string>());
      }
      for (const Json& t : conv[key]) {
        if (!t.is_object()) continue;
        LocomoTurn turn;
        turn.dia_id = t.value("dia_id", "");
        turn.speaker = t.value("speaker", "");
        turn.text = t.value("text", "");
        if (t.contains("blip_caption") && t["blip_caption"].is_string()) {
          turn.caption = t["blip_caption"].get<std::string>();
        }
        turn.session = n;
        turn.timestamp = ts;
        if (turn.dia_id.empty()) continue;
        c.turns.push_back(std::move(turn));
      }
    }
    if (item.contains("qa") && item["qa"].is_array()) {
      for (const Json& q : item["qa"]) {
        if (!q.is_object()) continue;
        LocomoQuestion lq;
        lq.question = q.value("question", "");
        lq.category = q.value("category", 0);
        if (q.contains("evidence") && q["evidence"].is_array()) {
          for (const Json& e : q["evidence"]) {
            if (!e.is_string()) continue;
            for (std::string& id : ParseEvidence(e.get<std::string>())) {
              lq.evidence.push_back(std::move(id));
            }
          }
        }
        c.questions.push_back(std::move(lq));
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<LocomoConversation>> LoadLocomo(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("LoCoMo data '" + path + "' cannot be read");
  Json data = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (data.is_discarded()) return Status::InvalidArgument("LoCoMo data '" + path + "' is not JSON");
  return ParseLocomo(data);
}

Result<LocomoReport> RunLocomo(const std::vector<LocomoConversation>& data,
                               const LocomoOptions& options, const Embedder* embedder) {
  namespace fs = std::filesystem;
  LocomoReport r;
  r.mode = embedder ? "hybrid" : "bm25";
  r.ks = options.ks;
  r.overall.recall.assign(r.ks.size(), 0.0);
  std::error_code ec;
  fs::path dir =
      options.work_dir.empty() ? fs::temp_directory_path(ec) : fs::path(options.work_dir);
  dir /= "engram-locomo-" + std::to_string(::getpid());
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create '" + dir.string() + "': " + ec.message());
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(p, e);
    }
  } cleanup{dir};
  std::vector<double> latencies;
  double load_ms = 0;
  for (std::size_t ci = 0; ci < data.size(); ++ci) {
    const LocomoConversation& conv = data[ci];
    SqliteOptions so;
    so.path = (dir / ("conv-" + std::to_string(ci) + ".db")).string();
    so.synchronous_full = false;
    ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(so));
    FullTextIndex* fts = store->fulltext();
    if (!fts) return Status::Internal("the SQLite store has no full-text index");
    auto t0 = Clock::now();
    std::vector<Note> notes;
    std::unordered_map<std::string, std::size_t> position_of;
    for (const LocomoTurn& t : conv.turns) {
      Note n;
      n.thread = conv.sample_id;
      n.position = static_cast<std::int64_t>(notes.size());
      n.speaker = t.speaker;
      n.text = t.caption.empty() ? t.text : t.text + " [image: " + t.caption + "]";
      n.timestamp = t.timestamp;
      n.metadata = Json{{"dia_id", t.dia_id}, {"session", t.session}};
      position_of.emplace(t.dia_id, notes.size());
      notes.push_back(std::move(n));
    }
    if (notes.empty()) continue;
    ENGRAM_RETURN_IF_ERROR(fts->AddNotes(notes).status());
    ENGRAM_ASSIGN_OR_RETURN(
        auto searcher, retrieval::ThreadSearcher::Open(*fts, store->embedding_cache(), embedder,
                                                       conv.sample_id, options.search));
    load_ms += Ms(Clock::now() - t0);
    ++r.conversations;
    r.turns += static_cast<int>(notes.size());
    int max_k = *std::max_element(r.ks.begin(), r.ks.end());
    for (const LocomoQuestion& q : conv.questions) {
      std::set<std::size_t> evidence;
      for (const std::string& id : q.evidence) {
        auto it = position_of.find(id);
        if (it != position_of.end()) evidence.insert(it->second);
      }
      if (evidence.empty()) {
        ++r.skipped;
        continue;
      }
      auto q0 = Clock::now();
      ENGRAM_ASSIGN_OR_RETURN(std::vector<retrieval::ScoredNote> ranked,
                              searcher->Search(q.question, max_k));
      latencies.push_back(Ms(Clock::now() - q0));
      RecallRow& cat = r.by_category[q.category];
      if (cat.recall.empty()) cat.recall.assign(r.ks.size(), 0.0);
      ++cat.questions;
      ++r.overall.questions;
      for (std::size_t ki = 0; ki < r.ks.size(); ++ki) {
        std::size_t found = 0;
        for (std::size_t j = 0; j < ranked.size() && j < static_cast<std::size_t>(r.ks[ki]); ++j) {
          found += evidence.count(ranked[j].index);
        }
        double recall = double(found) / double(evidence.size());
        cat.recall[ki] += recall;
        r.overall.recall[ki] += recall;
      }
    }
  }
  auto finish = [](RecallRow& row) {
    for (double& x : row.recall) x = row.questions ? 100.0 * x / row.questions : 0.0;
  };
  finish(r.overall);
  for (auto& [c, row] : r.by_category) finish(row);
  if (!latencies.empty()) {
    double sum = 0;
    for (double x : latencies) sum += x;
    r.mean_query_ms = sum / latencies.size();
    std::sort(latencies.begin(), latencies.end());
    r.p95_query_ms = latencies[std::min(latencies.size() - 1, latencies.size() * 95 / 100)];
  }
  r.load_seconds = load_ms / 1000.0;
  return r;
}

Json ToJson(const LocomoReport& r) {
  auto row = [&](const RecallRow& x) {
    Json recall = Json::object();
    for (std::size_t i = 0; i < r.ks.size(); ++i) {
      recall[std::to_string(r.ks[i])] = std::round(x.recall[i] * 10) / 10;
    }
    return Json{{"questions", x.questions}, {"recall", recall}};
  };
  Json cats = Json::object();
  for (const auto& [c, x] : r.by_category) cats[std::to_string(c)] = row(x);
  return Json{{"mode", r.mode},
              {"k", r.ks},
              {"conversations", r.conversations},
              {"turns", r.turns},
              {"skipped_questions", r.skipped},
              {"overall", row(r.overall)},
              {"by_category", cats},
              {"mean_query_ms", std::round(r.mean_query_ms * 100) / 100},
              {"p95_query_ms", std::round(r.p95_query_ms * 100) / 100},
              {"load_seconds", std::round(r.load_seconds * 100) / 100}};
}

std::string FormatReport(const LocomoReport& r) {
  std::ostringstream os;
  char buf[64];
  os << "LoCoMo turn recall@k (" << r.mode << "), " << r.conversations << " conversations, "
     << r.turns << " turns, " << r.overall.questions << " questions (" << r.skipped
     << " skipped: no known evidence)\n\n| questions |";
  for (int k : r.ks) os << " @" << k << " |";
  os << " n |\n|---|";
  for (std::size_t i = 0; i <= r.ks.size(); ++i) os << "---|";
  os << "\n";
  auto line = [&](const std::string& name, const RecallRow& row) {
    os << "| " << name << " |";
    for (double x : row.recall) {
      std::snprintf(buf, sizeof buf, " %.1f |", x);
      os << buf;
    }
    os << " " << row.questions << " |\n";
  };
  line("all", r.overall);
  for (const auto& [c, row] : r.by_category) line("category " + std::to_string(c), row);
  std::snprintf(buf, sizeof buf, "%.2f ms mean, %.2f ms p95", r.mean_query_ms, r.p95_query_ms);
  os << "\nquery latency: " << buf;
  std::snprintf(buf, sizeof buf, "%.1f s", r.load_seconds);
  os << "; loading" << (r.mode == "hybrid" ? " and embedding" : "") << " the turns: " << buf
     << "\n";
  return os.str();
}

}  // namespace engram::bench
