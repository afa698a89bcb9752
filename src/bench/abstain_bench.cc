// `engram-bench abstain` (bench/abstain_bench.h).
#include "bench/abstain_bench.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "bench/locomo.h"

namespace engram::bench {
namespace {

// Each non-empty line of `path` as a JSON object.
Result<std::vector<Json>> ReadJsonLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path);
  std::vector<Json> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ENGRAM_ASSIGN_OR_RETURN(Json j, ParseJson(line, path + ":" + std::to_string(n)));
    if (!j.is_object())
      return Status::InvalidArgument(path + ":" + std::to_string(n) + ": not an object");
    out.push_back(std::move(j));
  }
  return out;
}

Result<std::string> Field(const Json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Status::InvalidArgument(where + ": missing string field '" + key + "'");
  }
  return it->get<std::string>();
}

}  // namespace

Result<AbstainData> LoadAbstainData(const std::string& dir, const std::string& prefix,
                                    const std::string& locomo, int ood_questions) {
  if (ood_questions < 0) return Status::InvalidArgument("--ood must be >= 0");
  AbstainData d;
  const std::string lessons_path = dir + "/" + prefix + "-lessons.jsonl";
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Json> lessons, ReadJsonLines(lessons_path));
  for (std::size_t i = 0; i < lessons.size(); ++i) {
    const std::string where = lessons_path + ":" + std::to_string(i + 1);
    AbstainLesson l;
    ENGRAM_ASSIGN_OR_RETURN(l.id, Field(lessons[i], "id", where));
    ENGRAM_ASSIGN_OR_RETURN(l.title, Field(lessons[i], "title", where));
    ENGRAM_ASSIGN_OR_RETURN(l.content, Field(lessons[i], "content", where));
    l.topic = lessons[i].value("topic", "general");
    d.lessons.push_back(std::move(l));
  }
  const std::string queries_path = dir + "/" + prefix + "-queries.jsonl";
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Json> queries, ReadJsonLines(queries_path));
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const std::string where = queries_path + ":" + std::to_string(i + 1);
    AbstainQuery q;
    ENGRAM_ASSIGN_OR_RETURN(q.query, Field(queries[i], "query", where));
    ENGRAM_ASSIGN_OR_RETURN(q.expected, Field(queries[i], "expected", where));
    d.queries.push_back(std::move(q));
  }
  if (d.lessons.empty() || d.queries.empty()) {
    return Status::InvalidArgument("no lessons or no queries under " + dir + " for " + prefix);
  }
  if (ood_questions > 0) {
    ENGRAM_ASSIGN_OR_RETURN(auto conversations, LoadLocomo(locomo));
    for (const auto& c : conversations) {
      for (const auto& q : c.questions) {
        if (static_cast<int>(d.ood.size()) == ood_questions) break;
        d.ood.push_back(q.question);
      }
    }
  }
  return d;
}

Result<std::map<std::string, std::string>> AddDataLessons(Engine& engine, const AbstainData& data,
                                                          std::vector<Lesson>* stored) {
  std::map<std::string, std::string> data_id;  // stored id -> the data's id
  for (const AbstainLesson& l : data.lessons) {
    NewLesson n;
    n.title = l.title;
    n.content = l.content;
    n.topic = l.topic;
    n.on_duplicate = DuplicatePolicy::kAllow;
    ENGRAM_ASSIGN_OR_RETURN(Lesson s, engine.AddLesson(n));
    data_id[s.id] = l.id;
    if (stored != nullptr) stored->push_back(std::move(s));
  }
  return data_id;
}

Result<SituationMap> LoadSituations(const std::string& dir, const std::string& prefix) {
  const std::string path = dir + "/" + prefix + "-situations.jsonl";
  SituationMap out;
  Result<std::vector<Json>> lines = ReadJsonLines(path);
  if (!lines.ok()) {
    if (lines.status().code() == ErrorCode::kNotFound) return out;
    return lines.status();
  }
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const std::string where = path + ":" + std::to_string(i + 1);
    ENGRAM_ASSIGN_OR_RETURN(std::string id, Field((*lines)[i], "id", where));
    ENGRAM_ASSIGN_OR_RETURN(std::string situation, Field((*lines)[i], "situation", where));
    out[id].push_back(std::move(situation));
  }
  return out;
}

Status ApplySituations(Engine& engine, const std::map<std::string, std::string>& data_id,
                       const SituationMap& situations) {
  for (const auto& [stored, data] : data_id) {
    auto it = situations.find(data);
    if (it == situations.end()) continue;
    LessonPatch p;
    p.situations = it->second;
    ENGRAM_RETURN_IF_ERROR(engine.UpdateLesson(stored, p, "bench: situations").status());
  }
  return Status::Ok();
}

Result<AbstainReport> RunAbstain(Engine& engine, const AbstainData& data,
                                 const AbstainOptions& options) {
  ENGRAM_ASSIGN_OR_RETURN(auto data_id, AddDataLessons(engine, data, nullptr));
  ENGRAM_RETURN_IF_ERROR(ApplySituations(engine, data_id, options.situations));
  AbstainReport r;
  auto ask = [&](const std::string& query, int limit,
                 std::optional<double> min) -> Result<SearchResponse> {
    SearchRequest s;
    s.query = query;
    s.limit = limit;
    s.min_relevance = min;
    return engine.SearchLessons(s);
  };
  auto ranked = [&](const SearchResponse& resp) {
    std::vector<std::string> ids;
    for (const LessonResult& x : resp.results) ids.push_back(data_id[x.lesson.id]);
    return ids;
  };
  for (const AbstainQuery& q : data.queries) {
    ENGRAM_ASSIGN_OR_RETURN(SearchResponse all, ask(q.query, options.limit, 0.0));
    ENGRAM_ASSIGN_OR_RETURN(SearchResponse kept,
                            ask(q.query, options.limit, options.min_relevance));
    r.mode = kept.mode;
    r.min_relevance = kept.min_relevance;
    CountRank(r.without_threshold, ranked(all), q.expected);
    CountRank(r.with_threshold, ranked(kept), q.expected);
  }
  FinishFigures(r.without_threshold);
  FinishFigures(r.with_threshold);
  for (const std::string& q : data.ood) {
    ENGRAM_ASSIGN_OR_RETURN(SearchResponse resp, ask(q, options.ood_limit, options.min_relevance));
    ++r.ood_questions;
    if (resp.results.empty()) ++r.ood_abstained;
  }
  if (r.ood_questions > 0) r.ood_abstain_share = 100.0 * r.ood_abstained / r.ood_questions;
  return r;
}

Json ToJson(const AbstainReport& r) {
  return Json{{"mode", r.mode},
              {"min_relevance", r.min_relevance},
              {"in_domain", Json{{"without_threshold", FiguresJson(r.without_threshold)},
                                 {"with_threshold", FiguresJson(r.with_threshold)},
                                 {"r5_drop", r.without_threshold.r5 - r.with_threshold.r5}}},
              {"out_of_domain", Json{{"questions", r.ood_questions},
                                     {"abstained", r.ood_abstained},
                                     {"abstain_share", r.ood_abstain_share}}}};
}

std::string FormatReport(const AbstainReport& r) {
  std::ostringstream os;
  char line[256];
  std::snprintf(line, sizeof line, "mode %s, min_relevance %.3f\n", r.mode.c_str(),
                r.min_relevance);
  os << line;
  auto row = [&](const char* name, const RankFigures& f) {
    std::snprintf(line, sizeof line,
                  "in domain %-18s %d queries: R@1 %.1f R@5 %.1f MRR %.3f, empty %d\n", name,
                  f.queries, f.r1, f.r5, f.mrr, f.empty);
    os << line;
  };
  row("without threshold", r.without_threshold);
  row("with threshold", r.with_threshold);
  std::snprintf(line, sizeof line, "R@5 drop %.1f points\n",
                r.without_threshold.r5 - r.with_threshold.r5);
  os << line;
  std::snprintf(line, sizeof line,
                "out of domain: %d/%d questions answered with nothing (%.0f%%)\n", r.ood_abstained,
                r.ood_questions, r.ood_abstain_share);
  os << line;
  return os.str();
}

}  // namespace engram::bench
