// The dispatch table: every operation is callable, its real output matches
// its published output schema, and input is validated against the input
// schema before any handler runs.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <set>

#include "engram/engine.h"
#include "server/json_schema.h"
#include "server/operation.h"
#include "with_engine.h"

namespace engram::server {
namespace {

class OperationTableTest : public WithEngine<::testing::Test> {
 protected:
  // Calls `name`, requires success and checks the output schema.
  Json CallOk(const std::string& name, const Json& args) {
    Result<Json> r = table_->Call(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    if (!r.ok()) return nullptr;
    const Operation* op = table_->Find(name);
    Status st = ValidateJson(op->output_schema, *r, name + ".output");
    EXPECT_TRUE(st.ok()) << st.message() << "\n" << r->dump(2);
    called_.insert(op->name);
    return *r;
  }

  std::set<std::string> called_;
};

TEST_F(OperationTableTest, EveryOperationRoundTripsThroughItsSchemas) {
  Json ep = CallOk("start_episode", {{"description", "Add a CSV export"},
                                     {"task_type", "code_generation"},
                                     {"context", {{"language", "go"}, {"project", "p1"}}}});
  const std::string id = ep["id"];
  CallOk("log_step", {{"episode_id", id},
                      {"tool", "bash"},
                      {"action", "go test ./..."},
                      {"status", "error"},
                      {"output", "undefined: csv"},
                      {"latency_ms", 1200}});
  CallOk("log_step", {{"episode_id", id}, {"tool", "editor"}, {"action", "import encoding/csv"}});
  Json done =
      CallOk("complete_episode",
             {{"episode_id", id},
              {"outcome", {{"kind", "partial"}, {"completed", {"export"}}, {"failed", {"docs"}}}}});
  EXPECT_TRUE(done.contains("reward"));
  EXPECT_TRUE(done.contains("reflection"));
  CallOk("get_episode", {{"episode_id", id}});
  EXPECT_EQ(CallOk("list_episodes", {{"project", "p1"}})["count"], 1);

  Json lesson = CallOk("add_lesson", {{"type", "anti_pattern"},
                                      {"topic", "go"},
                                      {"title", "Don't ignore errors"},
                                      {"content", "Check every err."},
                                      {"tags", {"errors"}}});
  const std::string lid = lesson["id"];
  CallOk("get_lesson", {{"lesson_id", lid}});
  CallOk("update_lesson", {{"lesson_id", lid}, {"confidence", 0.8}});
  CallOk("lesson_history", {{"lesson_id", lid}});
  CallOk("list_lessons", {{"tags", {"errors"}}});
  Json batch = CallOk("add_lessons", {{"lessons",
                                       {{{"id", "batch-1"},
                                         {"content", "Close rows in a defer after db.Query."},
                                         {"metadata", {{"topic", "db"}, {"ticket", "GO-7"}}}}}}});
  ASSERT_EQ(batch["count"], 1);
  EXPECT_EQ(batch["lessons"][0]["id"], "batch-1");
  EXPECT_EQ(batch["lessons"][0]["metadata"], (Json{{"ticket", "GO-7"}}));
  CallOk("delete_lesson", {{"lesson_id", "batch-1"}});
  Json found = CallOk("search_lessons", {{"query", "ignore errors"}, {"token_budget", 100}});
  ASSERT_EQ(found["results"].size(), 1u);
  EXPECT_EQ(found["mode"], "bm25");  // no embedder configured, and it says so
  EXPECT_TRUE(found["results"][0]["explanation"].contains("note"));
  // One common word: dropped under the default threshold, named as the near miss.
  Json none = CallOk("search_lessons", {{"query", "errors in volcano eruptions"}});
  EXPECT_EQ(none["no_relevant_memory"], true) << none.dump();
  EXPECT_TRUE(none["results"].empty());
  EXPECT_TRUE(none.contains("near_miss"));
  // Threshold 0: the one lesson shares only its topic with the task.
  // The episode is p1's: a context without a project does not show it.
  Json context = CallOk("retrieve_context", {{"description", "CSV export in go"},
                                             {"context", {{"language", "go"}, {"project", "p1"}}},
                                             {"min_relevance", 0}});
  ASSERT_EQ(context["episodes"].size(), 1u);
  EXPECT_EQ(context["episodes"][0]["matched_context"], Json::array({"language", "project"}));
  EXPECT_EQ(context["lessons"].size(), 1u);  // topic "go" matches the language
  // What worked (schema-checked): the unfixed test run and the anti-pattern lesson warn.
  EXPECT_EQ(context["episodes"][0]["what_worked"]["unresolved"],
            Json::array({"bash: go test ./... failed: undefined: csv"}));
  ASSERT_EQ(context["warnings"].size(), 2u) << context.dump();
  EXPECT_EQ(context["warnings"][0]["kind"], "anti_pattern");
  EXPECT_EQ(context["warnings"][1]["kind"], "unresolved_error");
  CallOk("query_memory", {{"query", "errors"}});
  CallOk("add_note", {{"thread", "chat"}, {"text", "We deploy with blue-green"}});
  CallOk("add_note", {{"thread", "chat"}, {"speaker", "bob"}, {"text", "ok"}});
  Json notes = CallOk("search_notes", {{"query", "deploy"}, {"thread", "chat"}});
  ASSERT_GE(notes["results"].size(), 1u);
  EXPECT_EQ(notes["results"][0]["note"]["text"], "We deploy with blue-green");
  CallOk("deprecate_lesson", {{"lesson_id", lid}, {"reason", "superseded"}});
  CallOk("delete_lesson", {{"lesson_id", lid}});

  CallOk("kv_put", {{"namespace", "a"}, {"key", "k"}, {"value", {1, 2}}, {"ttl_seconds", 60}});
  CallOk("kv_get", {{"namespace", "a"}, {"key", "k"}});
  CallOk("kv_list", {{"namespace", "a"}});
  CallOk("kv_delete", {{"namespace", "a"}, {"key", "k"}});

  CallOk("health_check", Json::object());
  EXPECT_EQ(CallOk("get_metrics", Json::object())["warm_up"]["state"], "not_run");
  // After a warm-up the metrics carry its figures (schema-checked).
  ASSERT_TRUE(engine_->Warm().ok());
  Json warmed = CallOk("get_metrics", Json::object())["warm_up"];
  EXPECT_EQ(warmed["state"], "done") << warmed.dump();
  EXPECT_TRUE(warmed.contains("seconds") && warmed.contains("lesson_words")) << warmed.dump();
  EXPECT_GT(warmed.value("page_bytes", 0), 0) << warmed.dump();
  CallOk("verify_store", Json::object());
  CallOk("delete_episode", {{"episode_id", id}});

  // Learning insights (docs/LEARNING.md).
  Json local = CallOk("add_lesson", {{"topic", "go"},
                                     {"title", "Wrap errors"},
                                     {"content", "Wrap errors with %w."},
                                     {"scope", "project"},
                                     {"project", "p1"},
                                     {"confidence", 0.2}});
  Json clusters = CallOk("list_clusters", Json::object());
  EXPECT_EQ(clusters["vectors"], "text");
  EXPECT_EQ(clusters["clusters"].size(), 1u);
  EXPECT_EQ(clusters["clusters"][0]["flags"], Json::array({"single_low_confidence"}));
  Json profiles = CallOk("list_profiles", Json::object());
  EXPECT_EQ(profiles["profiles"][0]["name"], "default");
  Json strict = CallOk(
      "search_lessons",
      {{"query", "wrap errors"}, {"project", "p1"}, {"profile", "strict"}, {"expand", false}});
  EXPECT_EQ(strict["profile"]["name"], "strict");
  EXPECT_EQ(strict["expansion"]["enabled"], false);
  Json promoted = CallOk("promote_lesson", {{"lesson_id", local["id"]}, {"reason", "general"}});
  EXPECT_EQ(promoted["scope"], "global");
  Json audit = CallOk("audit", Json::object());
  EXPECT_EQ(audit["counts"]["global"], 1);
  EXPECT_EQ(audit["low_confidence"].size(), 1u);

  // Patterns and heuristics (docs/LEARNING.md).
  Json pe = CallOk("start_episode", {{"description", "Fix a test"}, {"task_type", "debugging"}});
  for (const char* action : {"npm test -- a.ts", "npm test -- a.ts"}) {
    CallOk("log_step", {{"episode_id", pe["id"]}, {"tool", "bash"}, {"action", action}});
  }
  CallOk("complete_episode", {{"episode_id", pe["id"]}, {"outcome", {{"kind", "success"}}}});
  Json analysis = CallOk("analyze_patterns", {{"min_support", 1}, {"task_type", "debugging"}});
  ASSERT_GE(analysis["patterns"].size(), 1u);
  Json patterns = CallOk("list_patterns", {{"kind", "sequence"}});
  ASSERT_EQ(patterns["count"], 1);
  const std::string pid = patterns["patterns"][0]["id"];
  EXPECT_EQ(CallOk("get_pattern", {{"pattern_id", pid}})["episode_ids"].size(), 1u);
  Json applied = CallOk("pattern_feedback", {{"id", pid}, {"signal", "helped"}});
  EXPECT_GT(applied["effectiveness_after"], applied["effectiveness_before"]);
  CallOk("list_heuristics", Json::object());

  // Gated candidates: propose, review, decide.
  Json proposed = CallOk("propose_from_diff",
                         {{"diff",
                           "--- a/src/App.tsx\n+++ b/src/App.tsx\n@@ -1 +1 @@\n-  useEffect(() => "
                           "store.getState())\n+  useStore(selector)\n"},
                          {"source", "pr-1"}});
  ASSERT_EQ(proposed["count"], 1);
  EXPECT_EQ(proposed["candidates"][0]["created"], true);
  const std::string cid = proposed["candidates"][0]["id"];
  Json said =
      CallOk("propose_from_transcript",
             {{"messages", {{{"role", "user"}, {"content", "Never commit generated files."}}}}});
  ASSERT_EQ(said["count"], 1);
  EXPECT_GE(CallOk("list_candidates", {{"status", "pending"}})["count"], 2);
  CallOk("get_candidate", {{"candidate_id", cid}});
  CallOk("edit_candidate", {{"candidate_id", cid}, {"topic", "react"}});
  Json approved = CallOk("approve_candidate", {{"candidate_id", cid}, {"note", "ok"}});
  EXPECT_EQ(approved["candidate"]["lesson_id"], approved["lesson"]["id"]);
  CallOk("reject_candidate", {{"candidate_id", said["candidates"][0]["id"]}, {"note", "no"}});

  // Lesson feedback, dedupe at write time, contradictions (docs/LEARNING.md).
  const Json rebase = {{"topic", "git"},
                       {"title", "Rebase feature branches before merging"},
                       {"content", "Rebase the feature branch on main before merging."}};
  Json fl = CallOk("add_lesson", rebase);
  Json fb = CallOk("lesson_feedback",
                   {{"lesson_id", fl["id"]}, {"signal", "helped"}, {"actor", "agent:test"}});
  EXPECT_GT(fb["event"]["after"], fb["event"]["before"]);
  EXPECT_EQ(CallOk("list_lesson_feedback", {{"lesson_id", fl["id"]}})["count"], 1);
  EXPECT_EQ(CallOk("add_lesson", rebase)["dedupe"]["merged"], true);
  CallOk("add_lesson", {{"type", "anti_pattern"},
                        {"topic", "git"},
                        {"title", "Rebasing feature branches before merging"},
                        {"content", "It rewrites history others pulled."}});
  Json conflicts = CallOk("list_contradictions", {{"scan", true}});
  ASSERT_EQ(conflicts["count"], 1);
  CallOk("resolve_contradiction",
         {{"contradiction_id", conflicts["contradictions"][0]["id"]}, {"keep", fl["id"]}});
  CallOk("add_lesson", {{"type", "heuristic"},
                        {"topic", "git"},
                        {"title", "Always squash commits before merging"},
                        {"content", "Squash them into one."}});
  CallOk("add_lesson", {{"type", "heuristic"},
                        {"topic", "git"},
                        {"title", "Never squash commits before merging"},
                        {"content", "Keep each of them."}});
  Json open = CallOk("list_contradictions", Json::object());
  ASSERT_EQ(open["count"], 1);
  CallOk("dismiss_contradiction", {{"contradiction_id", open["contradictions"][0]["id"]}});

  std::set<std::string> all;
  for (const Operation& op : table_->operations()) all.insert(op.name);
  EXPECT_EQ(called_, all) << "an operation is not covered by this test";
}

TEST_F(OperationTableTest, InputIsValidatedBeforeTheHandlerRuns) {
  Result<Json> r = table_->Call("start_episode", {{"description", "x"}, {"task_type", "cooking"}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_NE(r.status().message().find("arguments.task_type must be one of"), std::string::npos);
  auto listed = engine_->ListEpisodes(EpisodeFilter{});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty()) << "a rejected call stored something";
}

TEST_F(OperationTableTest, AliasesResolveToTheSameOperation) {
  EXPECT_EQ(table_->Find("create_episode"), table_->Find("start_episode"));
  EXPECT_EQ(table_->Find("add"), table_->Find("add_lesson"));
  EXPECT_EQ(table_->Find("nope"), nullptr);
  EXPECT_TRUE(table_->Call("nope", Json::object()).status().IsNotFound());
}

TEST_F(OperationTableTest, SchemasAreWellFormed) {
  std::set<std::string> names;
  for (const Operation& op : table_->operations()) {
    EXPECT_TRUE(names.insert(op.name).second) << "duplicate " << op.name;
    EXPECT_EQ(op.input_schema.value("type", ""), "object") << op.name;
    EXPECT_EQ(op.output_schema.value("type", ""), "object") << op.name;
    EXPECT_FALSE(op.description.empty()) << op.name;
    EXPECT_TRUE(op.handler) << op.name;
  }
}

}  // namespace
}  // namespace engram::server
