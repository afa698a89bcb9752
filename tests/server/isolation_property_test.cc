// Project isolation, as a property (issue 19 §1): random writes across
// three projects and global (episodes with steps, lessons, feedback,
// candidates from episodes, diffs and transcripts, notes, contradictions,
// patterns and heuristics), then every read-only operation of the dispatch
// table called from each project: nothing of another project, ever. An
// item of project P carries P's name in its text, ids are collected per
// project, and a read's whole JSON output must hold neither another
// project's name nor one of its ids.
//
// Every read-only operation must have an argument builder below: adding a
// read-only operation without one fails KnownReadsCoverTheTable.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "with_engine.h"

namespace engram::server {
namespace {

const std::vector<std::string> kProjects = {"projalpha", "projbeta", "projgamma"};
const std::vector<std::string> kWords = {"deploy",  "cache",     "flaky", "jest",   "login",
                                         "timeout", "migration", "retry", "docker", "promise"};
// A query that matches every item by its shared words (a reader adds its own
// project's name; another project's name in a query could be echoed back).
const std::string kQuery = "deploy cache flaky jest login timeout migration retry docker promise";

// The arguments a read is called with from `project`: one call per entry.
using ArgBuilder = std::function<std::vector<Json>(const std::string& project)>;

class IsolationPropertyTest : public WithEngine<::testing::TestWithParam<unsigned>> {
 protected:
  Json Call(const std::string& op, const Json& args) {
    auto r = table_->Call(op, args);
    EXPECT_TRUE(r.ok()) << op << " " << args.dump() << ": " << r.status().ToString();
    return r.ok() ? *r : Json();
  }
  std::string Words(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += kWords[rng_() % kWords.size()] + " ";
    return s;
  }
  // "" = global.
  std::string AnyProject() {
    const std::size_t i = rng_() % (kProjects.size() + 1);
    return i < kProjects.size() ? kProjects[i] : std::string();
  }
  static std::string Marker(const std::string& project) {
    return project.empty() ? "sharedglobal" : project;
  }

  void WriteEpisode(const std::string& project) {
    Json ctx{{"language", "typescript"}, {"tags", {Marker(project)}}};
    if (!project.empty()) ctx["project"] = project;
    Json ep = Call("start_episode", {{"description", Words(3) + "in " + Marker(project)},
                                     {"task_type", "debugging"},
                                     {"context", ctx}});
    const std::string id = ep.value("id", "");
    ids_[project].insert(id);
    episodes_[project].push_back(id);
    const int steps = 2 + static_cast<int>(rng_() % 3);
    for (int i = 0; i < steps; ++i) {
      const bool fail = rng_() % 3 == 0;
      Call("log_step", {{"episode_id", id},
                        {"tool", i % 2 == 0 ? "bash" : "editor"},
                        {"action", (i % 2 == 0 ? "npm test " : "edit ") + Marker(project) + " " +
                                       kWords[rng_() % kWords.size()]},
                        {"status", fail ? "error" : "success"},
                        {"output", fail ? "Timeout in " + Marker(project) + ".spec.ts" : ""}});
    }
    if (rng_() % 2 == 0) {
      Call("complete_episode",
           {{"episode_id", id}, {"outcome", {{"kind", "success"}, {"verdict", Marker(project)}}}});
    } else {
      Call("complete_episode",
           {{"episode_id", id}, {"outcome", {{"kind", "failure"}, {"reason", Marker(project)}}}});
    }
  }

  void WriteLesson(const std::string& project) {
    const bool avoid = rng_() % 2 == 0;
    const std::string w = kWords[rng_() % kWords.size()];
    Json args{
        {"type", avoid ? "anti_pattern" : "best_practice"},
        {"topic", rng_() % 2 == 0 ? "testing" : "deploy"},
        {"title", std::string(avoid ? "Avoid " : "Use ") + w + " retries in " + Marker(project)},
        {"content", Words(6) + Marker(project) + " " + w + " retries"},
        {"tags", {Marker(project), w}}};
    if (!project.empty()) {
      args["scope"] = "project";
      args["project"] = project;
    }
    Json out = Call("add_lesson", args);
    const std::string id = out.value("id", "");
    ids_[project].insert(id);
    lessons_[project].push_back(id);
  }

  void WriteFeedback() {
    // A global lesson applied in some project's episode: the event names the episode.
    if (lessons_[""].empty()) return;
    const std::string project = AnyProject();
    if (episodes_[project].empty()) return;
    Call("lesson_feedback", {{"lesson_id", lessons_[""][rng_() % lessons_[""].size()]},
                             {"signal", "helped"},
                             {"episode_id", episodes_[project][rng_() % episodes_[project].size()]},
                             {"note", "applied in " + Marker(project)}});
  }

  void WriteCandidates(const std::string& project) {
    if (rng_() % 2 == 0) {
      const std::string m = Marker(project);
      const std::string diff = "--- a/src/" + m + ".ts\n+++ b/src/" + m + ".ts\n@@ -1,2 +1,2 @@\n" +
                               " function " + m + "Setup() {\n-  " + m +
                               "Client.connectOld(cfg);\n" + "+  " + m + "Client.connect(cfg);\n";
      Json args{{"diff", diff}, {"source", m + ".diff"}};
      if (!project.empty()) args["project"] = project;
      Call("propose_from_diff", args);
    } else {
      Json args{{"messages",
                 {{{"role", "user"},
                   {"content", "Always run the " + Marker(project) + " " + Words(2) +
                                   "suite before you deploy."}}}},
                {"source", Marker(project) + ".chat"}};
      if (!project.empty()) args["project"] = project;
      Call("propose_from_transcript", args);
    }
  }

  void WriteNote(const std::string& project) {
    Json args{{"thread", rng_() % 2 == 0 ? "shared-thread" : "thread-" + Marker(project)},
              {"text", Words(4) + "noted in " + Marker(project)},
              {"speaker", "agent"}};
    if (!project.empty()) args["project"] = project;
    Call("add_note", args);
    ++notes_[project];
  }

  void RandomWrites(int n) {
    for (int i = 0; i < n; ++i) {
      const std::string project = AnyProject();
      switch (rng_() % 6) {
        case 0:
        case 1:
          WriteEpisode(project);
          break;
        case 2:
          WriteLesson(project);
          break;
        case 3:
          WriteCandidates(project);
          break;
        case 4:
          WriteNote(project);
          break;
        default:
          WriteFeedback();
          break;
      }
    }
    // Writes that read everything: stored heuristics from every episode, a scan.
    Call("analyze_patterns", {{"min_support", 1}});
    Call("list_contradictions", {{"scan", true}, {"status", "all"}});
    Call("kv_put", {{"namespace", "agent"}, {"key", "cursor"}, {"value", 1}});
    CollectDerivedIds();
  }

  // Candidates and contradictions get their project from what they came from.
  void CollectDerivedIds() {
    Json candidates = Call("list_candidates", {{"limit", 10000}});
    for (const Json& c : candidates["candidates"]) {
      ids_[c.value("project", "")].insert(c.value("id", ""));
      all_candidates_.push_back(c.value("id", ""));
    }
    Json contradictions = Call("list_contradictions", {{"status", "all"}, {"limit", 10000}});
    for (const Json& c : contradictions["contradictions"]) {
      for (const std::string& p : kProjects) {
        if (ids_[p].count(c.value("lesson_a", "")) || ids_[p].count(c.value("lesson_b", ""))) {
          ids_[p].insert(c.value("id", ""));
        }
      }
    }
    Json patterns = Call("list_patterns", {{"limit", 10000}});
    for (const Json& p : patterns["patterns"]) all_patterns_.push_back(p.value("id", ""));
  }

  std::vector<std::string> AllIds(const std::map<std::string, std::vector<std::string>>& by) {
    std::vector<std::string> out;
    for (const auto& [p, ids] : by) out.insert(out.end(), ids.begin(), ids.end());
    return out;
  }

  // One call per id of every project (another project's must be not_found).
  std::vector<Json> PerId(const char* key, const std::vector<std::string>& ids,
                          const std::string& project, Json extra = Json::object()) {
    std::vector<Json> out;
    for (const std::string& id : ids) {
      Json a = extra;
      a[key] = id;
      a["project"] = project;
      out.push_back(std::move(a));
    }
    return out;
  }

  // The read-only operations and how each is called from a project. Every
  // read-only operation of the table must be here (KnownReadsCoverTheTable).
  std::map<std::string, ArgBuilder> Reads() {
    auto one = [](Json a) { return std::vector<Json>{std::move(a)}; };
    return {
        {"search_lessons",
         [=](const std::string& p) {
           return one({{"query", kQuery + " " + p},
                       {"project", p},
                       {"limit", 100},
                       {"include_deprecated", true}});
         }},
        {"retrieve_context",
         [=](const std::string& p) {
           return one({{"description", kQuery + " " + p},
                       {"context", {{"project", p}, {"language", "typescript"}}},
                       {"episode_limit", 50},
                       {"lesson_limit", 50}});
         }},
        {"query_memory",
         [=](const std::string& p) {
           return one({{"query", kQuery + " " + p}, {"project", p}, {"limit", 50}});
         }},
        {"search_notes",
         [=](const std::string& p) {
           return one({{"query", kQuery + " " + p}, {"project", p}, {"limit", 1000}});
         }},
        {"list_lessons",
         [=](const std::string& p) {
           return one({{"project", p}, {"limit", 10000}, {"include_deprecated", true}});
         }},
        {"get_lesson",
         [=, this](const std::string& p) { return PerId("lesson_id", AllIds(lessons_), p); }},
        {"lesson_history",
         [=, this](const std::string& p) { return PerId("lesson_id", AllIds(lessons_), p); }},
        {"list_lesson_feedback",
         [=, this](const std::string& p) {
           return PerId("lesson_id", AllIds(lessons_), p, {{"limit", 10000}});
         }},
        {"list_episodes",
         [=](const std::string& p) {
           return one({{"project", p}, {"limit", 10000}});
         }},
        {"get_episode",
         [=, this](const std::string& p) { return PerId("episode_id", AllIds(episodes_), p); }},
        {"list_candidates",
         [=](const std::string& p) {
           return one({{"project", p}, {"limit", 10000}});
         }},
        {"get_candidate",
         [=, this](const std::string& p) { return PerId("candidate_id", all_candidates_, p); }},
        {"list_patterns",
         [=](const std::string& p) {
           return one({{"project", p}, {"limit", 10000}});
         }},
        {"get_pattern",
         [=, this](const std::string& p) { return PerId("pattern_id", all_patterns_, p); }},
        {"list_heuristics",
         [=](const std::string& p) {
           return one({{"project", p}, {"limit", 10000}});
         }},
        {"list_clusters",
         [=](const std::string& p) {
           return one({{"project", p}, {"include_deprecated", true}, {"min_similarity", -1.0}});
         }},
        {"audit",
         [=](const std::string& p) {
           return one({{"project", p}, {"top", 1000}});
         }},
        {"list_profiles", [=](const std::string&) { return one(Json::object()); }},
        // kv is the agent's own state, keyed by namespace, not project data.
        {"kv_get",
         [=](const std::string&) {
           return one({{"namespace", "agent"}, {"key", "cursor"}});
         }},
        {"kv_list",
         [=](const std::string&) {
           return one({{"namespace", "agent"}});
         }},
        {"health_check", [=](const std::string&) { return one(Json::object()); }},
        {"get_metrics", [=](const std::string&) { return one(Json::object()); }},
        {"verify_store", [=](const std::string&) { return one(Json::object()); }},
    };
  }

  // Operations that may write but also read project data when given a
  // project (analyze_patterns learns for the answer only; list_contradictions
  // without scan is a read).
  std::map<std::string, ArgBuilder> ReadsWithWrites() {
    auto one = [](Json a) { return std::vector<Json>{std::move(a)}; };
    return {
        {"analyze_patterns",
         [=](const std::string& p) {
           return one({{"project", p}, {"min_support", 1}, {"limit", 1000}});
         }},
        {"list_contradictions",
         [=](const std::string& p) {
           return one({{"project", p}, {"status", "all"}, {"limit", 10000}});
         }},
    };
  }

  // The whole output holds nothing of a project other than `reader`.
  void ExpectNothingOfAnotherProject(const std::string& op, const Json& args,
                                     const std::string& reader, const std::string& text) {
    for (const std::string& other : kProjects) {
      if (other == reader) continue;
      EXPECT_EQ(text.find(other), std::string::npos)
          << op << " from " << reader << " shows " << other << "'s text; args " << args.dump()
          << "\n"
          << text.substr(0, 2000);
      for (const std::string& id : ids_[other]) {
        EXPECT_EQ(text.find(id), std::string::npos)
            << op << " from " << reader << " shows " << other << "'s id " << id;
      }
    }
  }

  // Runs every call of `reads` from `reader`; returns op -> its outputs joined.
  std::map<std::string, std::string> RunReads(const std::map<std::string, ArgBuilder>& reads,
                                              const std::string& reader) {
    std::map<std::string, std::string> seen;
    for (const auto& [op, build] : reads) {
      for (const Json& args : build(reader)) {
        auto r = table_->Call(op, args);
        if (!r.ok()) {
          // Reads by id: another project's item is not_found, as an unknown id.
          EXPECT_TRUE(r.status().IsNotFound())
              << op << " " << args.dump() << ": " << r.status().ToString();
          continue;
        }
        const std::string text = r->dump();
        ExpectNothingOfAnotherProject(op, args, reader, text);
        seen[op] += text;
      }
    }
    return seen;
  }

  std::mt19937 rng_{GetParam()};
  std::map<std::string, std::set<std::string>> ids_;  // project ("" = global) -> ids
  std::map<std::string, std::vector<std::string>> episodes_, lessons_;
  std::vector<std::string> all_candidates_, all_patterns_;
  std::map<std::string, int> notes_;
};

TEST_P(IsolationPropertyTest, NoReadShowsAnotherProjectsItems) {
  RandomWrites(80);
  for (const std::string& reader : kProjects) {
    SCOPED_TRACE("reader " + reader);
    std::map<std::string, std::string> seen = RunReads(Reads(), reader);
    for (auto& [op, text] : RunReads(ReadsWithWrites(), reader)) seen[op] += text;
    // Not vacuous: the reader's own items come back.
    std::vector<std::string> own;
    if (!lessons_[reader].empty()) own = {"list_lessons", "search_lessons", "get_lesson"};
    if (!episodes_[reader].empty()) {
      // (Not list_patterns: patterns name actions by meaning, so the
      // project's name written into an action does not survive; its
      // output is still checked for other projects' items above.)
      for (const char* op :
           {"list_episodes", "retrieve_context", "get_episode", "list_candidates"}) {
        own.emplace_back(op);
      }
    }
    if (notes_[reader] > 0) own.emplace_back("search_notes");
    for (const std::string& op : own) {
      EXPECT_NE(seen[op].find(reader), std::string::npos) << op << " shows nothing of " << reader;
    }
  }
  // And the check can fail: without a project, the listings show every project.
  const std::string lessons = Call("list_lessons", {{"limit", 10000}}).dump();
  const std::string episodes = Call("list_episodes", {{"limit", 10000}}).dump();
  for (const std::string& p : kProjects) {
    if (!lessons_[p].empty()) {
      EXPECT_NE(lessons.find(p), std::string::npos) << p;
    }
    if (!episodes_[p].empty()) {
      EXPECT_NE(episodes.find(p), std::string::npos) << p;
    }
  }
}

// No project given: the recall operations show global items only.
TEST_P(IsolationPropertyTest, WithoutAProjectRecallShowsGlobalItemsOnly) {
  RandomWrites(60);
  for (const auto& [op, args] : std::vector<std::pair<std::string, Json>>{
           {"search_lessons", {{"query", kQuery}, {"limit", 100}}},
           {"retrieve_context",
            {{"description", kQuery}, {"episode_limit", 50}, {"lesson_limit", 50}}},
           {"query_memory", {{"query", kQuery}, {"limit", 50}}},
           {"search_notes", {{"query", kQuery}, {"limit", 1000}}}}) {
    const std::string text = Call(op, args).dump();
    for (const std::string& p : kProjects) {
      EXPECT_EQ(text.find(p), std::string::npos) << op << " without a project shows " << p;
    }
    const bool wrote_global = op == "search_notes" ? notes_[""] > 0 : !lessons_[""].empty();
    if (wrote_global) {
      EXPECT_NE(text.find("sharedglobal"), std::string::npos) << op << " shows no global item";
    }
  }
  // include_other_projects opens the episodes up, explicitly.
  Json all = Call("retrieve_context", {{"description", kQuery},
                                       {"context", {{"project", "projalpha"}}},
                                       {"episode_limit", 50},
                                       {"include_other_projects", true}});
  std::set<std::string> projects;
  for (const Json& e : all["episodes"]) projects.insert(e["context"].value("project", ""));
  EXPECT_GT(projects.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, IsolationPropertyTest, ::testing::Values(1u, 2u, 3u));

// Adding a read-only operation without an argument builder above fails here.
class IsolationCoverageTest : public IsolationPropertyTest {};

TEST_P(IsolationCoverageTest, KnownReadsCoverTheTable) {
  std::map<std::string, ArgBuilder> reads = Reads();
  std::set<std::string> read_only;
  for (const Operation& op : table_->operations()) {
    if (!op.read_only) continue;
    read_only.insert(op.name);
    EXPECT_TRUE(reads.count(op.name))
        << "read-only operation '" << op.name
        << "' is not covered by the isolation property test: add an argument builder to "
           "Reads() in tests/server/isolation_property_test.cc";
  }
  for (const auto& [name, build] : reads) {
    EXPECT_TRUE(read_only.count(name)) << "'" << name << "' is not a read-only operation";
  }
  for (const auto& [name, build] : ReadsWithWrites()) {
    const Operation* op = table_->Find(name);
    ASSERT_NE(op, nullptr) << name;
    EXPECT_TRUE(op->input_schema["properties"].contains("project")) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Once, IsolationCoverageTest, ::testing::Values(1u));

}  // namespace
}  // namespace engram::server
