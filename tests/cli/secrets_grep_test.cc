// No secret reaches disk (docs/ARCHITECTURE.md, "Secret redaction"): every
// secret form of secrets_test_data.h is written through every write
// operation of the dispatch table (every string field, JSON key and value
// of its arguments), through `db import` of a JSON Lines export and through
// the Chroma import, in-process and with the real binary; then the raw
// database file, its WAL and a fresh export are grepped for the secrets'
// distinctive parts, as written and lower-cased.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.h"
#include "engram/chroma_import.h"
#include "engram/embedder.h"
#include "engram/engine.h"
#include "engram/export.h"
#include "secrets_test_data.h"
#include "server/operation.h"

namespace engram::testing {
namespace {

using server::Operation;
using server::OperationTable;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every needle of every form found in `bytes`, as "form:needle".
std::vector<std::string> Leaks(const std::string& bytes) {
  std::vector<std::string> found;
  for (const SecretForm& form : SecretForms()) {
    for (const std::string& needle : form.needles) {
      for (const std::string& n : {needle, Lower(needle)}) {
        if (bytes.find(n) != std::string::npos) {
          found.push_back(form.name + ":" + n);
          break;
        }
      }
    }
  }
  return found;
}

// `secret` with its line breaks made spaces, for fields that take one line.
std::string OneLine(std::string secret) {
  std::replace(secret.begin(), secret.end(), '\n', ' ');
  return secret;
}

// An object with the secret as a key, under a secret-named key and nested.
Json SecretObject(const std::string& secret) {
  return Json{{secret, secret}, {"note " + secret, {{"deep", Json::array({secret})}}}};
}

// Arguments for `schema` with `secret` in every free-text string, every
// list of strings, every JSON key and value; tags get the tag-shaped
// secrets; enums their first value; ids and numbers are left to the caller.
Json Fill(const Json& schema, const std::string& field, const std::string& secret) {
  static const std::set<std::string> kIds = {"episode_id",       "lesson_id", "candidate_id",
                                             "contradiction_id", "keep",      "id"};
  if (schema.contains("enum")) return schema["enum"][0];
  const std::string type = schema.value("type", "");
  // Only long text fields may hold line breaks: the others get the secret
  // on one line (a PEM block then has spaces where its line breaks were).
  static const std::set<std::string> kMultiLine = {
      "description", "content", "output", "observation", "details", "text", "note", "evidence"};
  if (type == "string") {
    if (kIds.contains(field)) return Json();
    if (kMultiLine.contains(field)) return secret;
    return OneLine(secret);
  }
  if (type == "array") {
    if (field == "tags") return TagSecrets();
    Json item = Fill(schema["items"], "", secret);
    return item.is_null() ? Json() : Json::array({item});
  }
  if (type == "object" && schema.contains("properties")) {
    Json out = Json::object();
    for (const auto& [name, prop] : schema["properties"].items()) {
      Json v = Fill(prop, name, secret);
      if (!v.is_null()) out[name] = std::move(v);
    }
    return out;
  }
  if (type == "object" || type.empty()) return SecretObject(secret);
  return Json();  // integer, number, boolean: defaults
}

// A unified diff the diff extractor turns into one candidate, with the
// secret as context lines and in the replaced call.
std::string SecretDiff(const std::string& secret, int n) {
  std::istringstream lines(secret);
  std::string context;
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) context += " " + line + "\n";
  const std::string total = std::to_string(count + 1);
  return "--- a/src/App.tsx\n+++ b/src/App.tsx\n@@ -1," + total + " +1," + total + " @@\n" +
         context + "-  useEffect(() => store.getState" + std::to_string(n) +
         "())\n+  useStore(selector" + std::to_string(n) + ")\n";
}

class SecretsGrepTest : public CliTest {
 protected:
  void SetUp() override {
    auto engine = Engine::OpenSqlite(db_path());
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    table_ = std::make_unique<OperationTable>(*engine_);
  }

  // Calls `name` with the generic arguments of its schema for `secret`,
  // patched by `ids` (and anything else the operation needs to succeed).
  Json Call(const std::string& name, const std::string& secret, const Json& patch = {}) {
    const Operation* op = table_->Find(name);
    EXPECT_NE(op, nullptr) << name;
    if (op == nullptr) return nullptr;
    Json args = Fill(op->input_schema, "", secret);
    if (!patch.is_null()) args.merge_patch(patch);
    Result<Json> r = table_->Call(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << r.status().ToString() << "\n" << args.dump(1);
    called_.insert(op->name);
    return r.ok() ? *r : Json::object();
  }

  // Every write operation once with `secret` everywhere; `n` keeps each
  // round's proposals and lessons distinct.
  void WriteThroughEveryOperation(const std::string& secret, int n) {
    const std::string tag = "round" + std::to_string(n);
    Json ep = Call("start_episode", secret);
    const std::string eid = ep.value("id", "");
    Call("log_step", secret, {{"episode_id", eid}, {"status", "error"}});
    Call("log_step", secret, {{"episode_id", eid}});
    Call("complete_episode", secret,
         {{"episode_id", eid},
          {"outcome",
           {{"kind", "success"},
            {"completed", nullptr},
            {"failed", nullptr},
            {"reason", nullptr},
            {"details", nullptr}}}});
    Json doomed = Call("start_episode", secret);
    Call("delete_episode", secret, {{"episode_id", doomed.value("id", "")}});

    const Json project_lesson = {{"scope", "project"}, {"on_duplicate", "allow"}};
    Json lesson = Call("add_lesson", secret, project_lesson);
    const std::string lid = lesson.value("id", "");
    Call("update_lesson", secret, {{"lesson_id", lid}, {"scope", "project"}});
    Call("lesson_feedback", secret, {{"lesson_id", lid}, {"episode_id", eid}});
    Call("promote_lesson", secret, {{"lesson_id", lid}});
    Call("deprecate_lesson", secret, {{"lesson_id", lid}});
    Json batch_item = Fill(table_->Find("add_lesson")->input_schema, "", secret);
    batch_item.merge_patch(project_lesson);
    Call("add_lessons", secret, {{"lessons", Json::array({batch_item})}});
    Json doomed_lesson = Call("add_lesson", secret, project_lesson);
    Call("delete_lesson", secret, {{"lesson_id", doomed_lesson.value("id", "")}});

    Call("kv_put", secret);
    Call("kv_put", secret, {{"namespace", "ns-" + tag}, {"key", "k"}});
    Call("kv_delete", secret, {{"namespace", "ns-" + tag}, {"key", "k"}});
    Call("add_note", secret);

    // Context filters match the stored (lower-cased) context exactly, and a
    // project argument is not redacted (the stored project is): left out, so
    // this round's single episode shows its patterns.
    Json patterns = Call("analyze_patterns", secret,
                         {{"learn", true},
                          {"min_support", 1},
                          {"task_type", nullptr},
                          {"language", nullptr},
                          {"framework", nullptr},
                          {"domain", nullptr},
                          {"kind", nullptr},
                          {"project", nullptr}});
    ASSERT_FALSE(patterns["patterns"].empty()) << patterns.dump(1);
    Call("pattern_feedback", secret, {{"id", patterns["patterns"][0]["id"]}});

    Json diff = Call("propose_from_diff", secret, {{"diff", SecretDiff(secret, n)}});
    ASSERT_EQ(diff.value("count", 0), 1) << diff.dump(1);
    const std::string cid = diff["candidates"][0]["id"];
    Call("edit_candidate", secret, {{"candidate_id", cid}});
    Call("approve_candidate", secret, {{"candidate_id", cid}});
    Json said =
        Call("propose_from_transcript", secret,
             {{"messages",
               {{{"role", OneLine(secret)},
                 {"content", "Never commit generated files of module " + tag + ". " + secret}}}}});
    ASSERT_EQ(said.value("count", 0), 1) << said.dump(1);
    Call("reject_candidate", secret, {{"candidate_id", said["candidates"][0]["id"]}});

    // Two lessons with opposite stances on one subject: a contradiction.
    for (const char* stance : {"Always", "Never"}) {
      Call("add_lesson", secret,
           {{"type", "heuristic"},
            {"topic", "git-" + tag},
            {"title", std::string(stance) + " squash commits before merging"},
            {"scope", "global"},
            {"project", nullptr},
            {"on_duplicate", "allow"}});
    }
    Json open = Call("list_contradictions", secret, {{"scan", true}, {"status", "open"}});
    ASSERT_FALSE(open["contradictions"].empty()) << open.dump(1);
    const Json& c = open["contradictions"][0];
    if (n % 2 == 0) {
      Call("resolve_contradiction", secret,
           {{"contradiction_id", c["id"]}, {"keep", c["lesson_a"]}});
    } else {
      Call("dismiss_contradiction", secret, {{"contradiction_id", c["id"]}});
    }
  }

  void ExpectNoLeak(const std::string& what, const std::string& bytes) {
    EXPECT_TRUE(Leaks(bytes).empty())
        << what << " holds " << ::testing::PrintToString(Leaks(bytes));
  }

  // The files of the test's database as they are now.
  void ExpectNoLeakOnDisk(const std::string& when) {
    ExpectNoLeak(when + ": database file", ReadBytes(db_path()));
    if (std::filesystem::exists(db_path() + "-wal")) {
      ExpectNoLeak(when + ": WAL", ReadBytes(db_path() + "-wal"));
    }
  }

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<OperationTable> table_;
  std::set<std::string> called_;
};

// A JSON Lines export (docs/FORMATS.md) holding every form in every field
// of every record kind, written by a store that does not redact (an export
// from elsewhere).
std::string SecretExport(const std::string& dir) {
  SqliteOptions options;
  options.path = dir + "/unredacted.db";
  auto raw = OpenSqliteStore(options);
  EXPECT_TRUE(raw.ok());
  if (!raw.ok()) return "";
  Store& store = **raw;
  Lesson other;  // the other side of each contradiction
  other.id = "lesson-zz";
  other.version = 1;
  EXPECT_TRUE(store.ImportLesson(other, {}).ok());
  int n = 0;
  for (const SecretForm& form : SecretForms()) {
    const std::string& s = form.text;
    const std::string suffix = std::to_string(++n);
    Episode e;
    e.id = "episode-with-secrets-" + suffix;
    e.description = s;
    e.context = {s, s, s, s, TagSecrets(), Complexity::kSimple};
    e.metadata = SecretObject(s);
    e.started_at = 1000;
    Step step;
    step.number = 1;
    step.tool = s;
    step.action = s;
    step.parameters = SecretObject(s);
    step.result = {StepStatus::kError, s};
    step.observation = s;
    e.steps = {step};
    e.outcome = FailureOutcome{s, s};
    e.reward = RewardBreakdown();
    e.reward->notes = {s};
    e.reflection = Reflection{{s}, {s}, {s}, {s}};
    e.ended_at = 2000;
    EXPECT_TRUE(store.ImportEpisode(e).ok());
    Lesson l;
    l.id = "lesson-with-secrets-" + suffix;
    l.topic = s;
    l.title = s;
    l.content = s;
    l.scope = LessonScope::kProject;
    l.project = s;
    l.tags = TagSecrets();
    l.created_at = l.updated_at = 1000;
    l.version = 2;
    LessonVersion v{l, 1500, s};
    v.lesson.version = 1;
    EXPECT_TRUE(store.ImportLesson(l, {v}).ok());
    KvEntry kv{s, s, SecretObject(s), 1, 1000, 1000, std::nullopt};
    EXPECT_TRUE(store.ImportKv(kv).ok());
    Note note;
    note.thread = s;
    note.speaker = s;
    note.text = s;
    note.metadata = SecretObject(s);
    EXPECT_TRUE(store.fulltext()->AddNotes(std::vector<Note>{note}).ok());
    // The learning records of export format 2.
    StoredPattern pattern;
    pattern.signature = s;
    pattern.id = PatternId(pattern.kind, pattern.signature);
    pattern.description = s;
    pattern.context = SecretObject(s);
    pattern.episodes = {{e.id, false, 5, 1, 1000}};
    EXPECT_TRUE(store.patterns()->ImportPattern(pattern).ok());
    Heuristic heuristic;
    heuristic.id = "heuristic-with-secrets-" + suffix;
    heuristic.condition = SecretObject(s);
    heuristic.action = s;
    heuristic.description = s;
    heuristic.evidence = SecretObject(s);
    EXPECT_TRUE(store.patterns()->ImportHeuristic(heuristic).ok());
    FeedbackEvent feedback;
    feedback.id = "feedback-with-secrets-" + suffix;
    feedback.target_id = l.id;
    feedback.actor = s;
    feedback.note = s;
    EXPECT_TRUE(store.feedback()->ImportFeedback(feedback).ok());
    Contradiction contradiction;
    contradiction.id = "contradiction-with-secrets-" + suffix;
    contradiction.lesson_a = l.id;
    contradiction.lesson_b = other.id;
    contradiction.reason = s;
    EXPECT_TRUE(store.contradictions()->ImportContradiction(contradiction).ok());
    Candidate candidate;
    candidate.id = "candidate-with-secrets-" + suffix;
    candidate.fingerprint = "fingerprint-" + suffix;
    for (std::string* field : {&candidate.origin_ref, &candidate.project, &candidate.topic,
                               &candidate.title, &candidate.content, &candidate.evidence,
                               &candidate.rationale, &candidate.decision_note}) {
      *field = s;
    }
    candidate.tags = TagSecrets();
    EXPECT_TRUE(store.candidates()->ImportCandidate(candidate).ok());
  }
  std::ostringstream out;
  EXPECT_TRUE(ExportJsonl(store, out).ok());
  return out.str();
}

// A Chroma dump (docs/FORMATS.md, "Chroma import") with every form in its
// name, documents and metadata keys and values.
Json SecretChromaDump() {
  Json dump = {{"name", "chroma-" + SecretForms()[3].text}};
  int n = 0;
  for (const SecretForm& form : SecretForms()) {
    dump["ids"].push_back("c" + std::to_string(++n));
    dump["documents"].push_back(form.text);
    Json meta = {{"title", form.text},
                 {"language", form.text},
                 {form.text, form.text},
                 {"tags", "build, " + TagSecrets()[n % TagSecrets().size()]}};
    for (const SecretForm& other : SecretForms()) meta["k" + other.name] = other.text;
    dump["metadatas"].push_back(meta);
  }
  return dump;
}

TEST_F(SecretsGrepTest, NoSecretReachesTheDatabaseWalOrExport) {
  int n = 0;
  for (const SecretForm& form : SecretForms()) {
    SCOPED_TRACE(form.name);
    WriteThroughEveryOperation(form.text, n++);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Every write operation of the table is covered (a new one must be added
  // to WriteThroughEveryOperation).
  std::set<std::string> writes;
  for (const Operation& op : table_->operations()) {
    if (!op.read_only) writes.insert(op.name);
  }
  EXPECT_EQ(called_, writes) << "a write operation is not covered by this test";
  ExpectNoLeakOnDisk("after the operations");

  // `db import` and the Chroma import, as the CLI calls them.
  const std::string jsonl = SecretExport(dir_.path());
  ASSERT_FALSE(Leaks(jsonl).empty()) << "the unredacted export must hold the secrets";
  std::istringstream in(jsonl);
  auto imported_in_process = ImportJsonl(engine_->store(), in);
  ASSERT_TRUE(imported_in_process.ok()) << imported_in_process.status().ToString();
  HashingEmbedderOptions eight;
  eight.dimension = 8;
  auto embedder = OpenHashingEmbedder(eight);
  ASSERT_TRUE(embedder.ok());
  auto chroma = ImportChromaDump(*engine_, **embedder, SecretChromaDump(), {});
  ASSERT_TRUE(chroma.ok()) << chroma.status().ToString();

  ExpectNoLeakOnDisk("open");
  std::ostringstream exported;
  ASSERT_TRUE(ExportJsonl(engine_->store(), exported).ok());
  ExpectNoLeak("export", exported.str());
  table_.reset();
  engine_.reset();
  ExpectNoLeakOnDisk("closed");

  // The same imports through the real binary.
  const std::string jsonl_path = dir_.File("secrets.jsonl");
  std::ofstream(jsonl_path) << jsonl;
  RunResult imported = Engram({"db", "import", jsonl_path});
  ASSERT_EQ(imported.exit_code, kExitOk) << imported.err;
  const std::string dump_path = dir_.File("chroma.json");
  std::ofstream(dump_path) << SecretChromaDump().dump();
  RunOptions hashing = BaseOptions();
  hashing.env.push_back({"ENGRAM_EMBEDDER", "hashing"});
  hashing.env.push_back({"ENGRAM_EMBED_DIM", "8"});
  RunResult chroma_cli = RunEngram({"--db", db_path(), "import", "chroma", dump_path}, hashing);
  ASSERT_EQ(chroma_cli.exit_code, kExitOk) << chroma_cli.err;
  ExpectNoLeakOnDisk("after the CLI imports");
  RunResult cli_export = Engram({"db", "export", "-"});
  ASSERT_EQ(cli_export.exit_code, kExitOk) << cli_export.err;
  ExpectNoLeak("CLI export", cli_export.out);
}

// The needles are there to be found: with redaction off, the same writes
// leave them on disk (so the test above cannot pass by grepping wrongly).
TEST_F(SecretsGrepTest, WithRedactionOffTheSecretsAreOnDisk) {
  table_.reset();
  engine_.reset();
  EngineOptions raw;
  raw.redact_secrets = false;
  auto engine = Engine::OpenSqlite(db_path(), raw);
  ASSERT_TRUE(engine.ok());
  engine_ = std::move(engine).value();
  table_ = std::make_unique<OperationTable>(*engine_);
  for (const SecretForm& form : SecretForms()) {
    Call("add_note", form.text);
  }
  std::ostringstream exported;
  ASSERT_TRUE(ExportJsonl(engine_->store(), exported).ok());
  std::vector<std::string> leaks = Leaks(exported.str());
  std::size_t needles = 0;
  for (const SecretForm& form : SecretForms()) needles += form.needles.size();
  EXPECT_EQ(leaks.size(), needles) << ::testing::PrintToString(leaks);
}

}  // namespace
}  // namespace engram::testing
