// Export format 2 (issue 21 §2, "nothing lost in export/import"): every
// table that holds data round-trips row by row, a format 1 file still
// imports, and a damaged or refused format 2 file changes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engram/export.h"
#include "export_test_util.h"

namespace engram::store_test {
namespace {

// The tables that hold data, and the columns of each that are derived (set
// by the store's triggers, so they may differ after an import).
const std::map<std::string, std::set<std::string>>& DataTables() {
  static const std::map<std::string, std::set<std::string>> tables = {
      {"episodes", {}},
      {"episode_tags", {}},
      {"steps", {}},
      {"lessons", {"change_seq"}},
      {"lesson_tags", {}},
      {"lesson_versions", {}},
      {"lesson_embeddings", {}},
      {"kv", {}},
      {"notes", {}},
      {"patterns", {}},
      {"pattern_episodes", {}},
      {"heuristics", {}},
      {"feedback", {}},
      {"contradictions", {}},
      {"candidates", {}},
  };
  return tables;
}

// Tables the importing store derives or keeps for itself, not exported
// (docs/FORMATS.md, "What is not exported"). FTS5 tables own shadow tables
// named <table>_<suffix>.
bool IsDerived(const std::string& table) {
  static const std::set<std::string> derived = {
      "schema_migrations", "lesson_text",      "episode_text",
      "embedding_cache",   "fts_word_bounds",  "fts_word_bounds_built",
      "lesson_change_log", "lesson_deletions", "store_flags"};
  if (derived.count(table) > 0 || table.rfind("sqlite_", 0) == 0) return true;
  for (const char* fts : {"lesson_fts", "episode_fts", "note_fts"}) {
    if (table == fts || table.rfind(std::string(fts) + "_", 0) == 0) return true;
  }
  return false;
}

std::string Unquote(const std::string& s) { return s.substr(1, s.size() - 2); }

// Every data table's rows (data columns only, sorted), by table.
std::map<std::string, std::vector<std::string>> DataRows(const std::string& db) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [table, derived] : DataTables()) {
    std::string columns;
    for (const std::string& c :
         RawRows(db, "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid")) {
      if (derived.count(Unquote(c)) > 0) continue;
      columns += (columns.empty() ? "" : ", ") + Unquote(c);
    }
    std::vector<std::string> rows = RawRows(db, "SELECT " + columns.append(" FROM ").append(table));
    std::sort(rows.begin(), rows.end());
    out[table] = std::move(rows);
  }
  return out;
}

class ExportV2Test : public ExportTest {
 protected:
  std::string Path(const std::string& name) const { return dir_.File(name); }
};

// Every table is either data (compared row by row) or declared derived: a
// table added to the schema without a place in the export fails here.
TEST_F(ExportV2Test, EveryTableIsDataOrDeclaredDerived) {
  for (const std::string& quoted :
       RawRows(db_path(), "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
    const std::string table = Unquote(quoted);
    EXPECT_TRUE(DataTables().count(table) > 0 || IsDerived(table))
        << "table '" << table << "' is neither exported nor declared derived";
  }
}

TEST_F(ExportV2Test, EveryTableRoundTripsRowByRow) {
  Populate(*store_);
  PopulateLearning(*store_);
  const auto source = DataRows(db_path());
  for (const auto& [table, rows] : source) {
    EXPECT_FALSE(rows.empty()) << "the test stores no row in '" << table << "'";
  }

  std::ostringstream out;
  auto exported = ExportJsonl(*store_, out);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  EXPECT_EQ(exported->format_version, 2);
  EXPECT_EQ(exported->patterns, 2);
  EXPECT_EQ(exported->heuristics, 2);
  EXPECT_EQ(exported->feedback, 2);
  EXPECT_EQ(exported->contradictions, 2);
  EXPECT_EQ(exported->candidates, 2);

  auto fresh = Open("fresh.db");
  auto imported = Import(*fresh, out.str());
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->format_version, 2);
  for (auto field : {&ExportStats::episodes, &ExportStats::lessons, &ExportStats::lesson_versions,
                     &ExportStats::embeddings, &ExportStats::kv_entries, &ExportStats::notes,
                     &ExportStats::patterns, &ExportStats::heuristics, &ExportStats::feedback,
                     &ExportStats::contradictions, &ExportStats::candidates}) {
    EXPECT_EQ((*imported).*field, (*exported).*field);
  }
  EXPECT_TRUE(fresh->Verify().ok());

  // Row by row, every data table.
  const auto copy = DataRows(Path("fresh.db"));
  for (const auto& [table, rows] : source) {
    EXPECT_EQ(copy.at(table), rows) << "table '" << table << "' differs after the import";
  }
  // What the learning side derives from the rows comes back too.
  auto patterns = fresh->patterns()->ListPatterns({});
  ASSERT_TRUE(patterns.ok()) << patterns.status().ToString();
  auto before = store_->patterns()->ListPatterns({});
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(patterns->size(), 2u);
  EXPECT_EQ(ToJson((*patterns)[0]), ToJson((*before)[0]));
  EXPECT_EQ((*patterns)[0].support, 2);
  auto counts = fresh->feedback()->CountFeedback(FeedbackTarget::kLesson, "l-1");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->helped, 1);
  EXPECT_EQ(fresh->GetLesson("l-1")->use_count, 3);
  // And the export of the copy is the same file.
  EXPECT_EQ(Records(Export(*fresh)), Records(out.str()));
}

// A format 1 file (as engram wrote before format 2: no learning records,
// a lesson without use_count) imports; the copy then exports as format 2.
TEST_F(ExportV2Test, FormatOneFileStillImports) {
  Episode e = MakeEpisode("ep-v1");
  Step step = MakeStep("make", 1'500);
  step.number = 1;
  e.steps = {step};
  // One line per kind, as the format 1 writer printed them (keys sorted).
  const std::string header = R"({"magic":"engram-export","format_version":1,"schema_version":6,)"
                             R"("created_at":"2026-03-01T10:00:00.000Z"})";
  const std::string lesson_line =
      R"({"kind":"lesson","data":{"history":[{"lesson":{"content":"old","confidence":0.5,)"
      R"("created_at":1000,"deprecated":false,"id":"l-v1","project":"","scope":"global",)"
      R"("source":"manual","tags":["db"],"title":"t","topic":"sqlite","type":"gotcha",)"
      R"("updated_at":1000,"version":1},"reason":"update","superseded_at":2000}],)"
      R"("lesson":{"content":"new","confidence":0.7,"created_at":1000,"deprecated":false,)"
      R"("id":"l-v1","last_used_at":1500,"project":"","scope":"global","source":"manual",)"
      R"("tags":["db"],"title":"t","topic":"sqlite","type":"gotcha","updated_at":2000,)"
      R"("version":2}}})";
  const std::string embedding_line =
      R"({"kind":"embedding","data":{"created_at":5,"dim":2,"lesson_id":"l-v1",)"
      R"("model_id":"use-lite","vector":[0.25,-1.0]}})";
  const std::string kv_line = R"({"kind":"kv","data":{"created_at":1,"key":"k","ns":"ns",)"
                              R"("updated_at":2,"value":{"a":1},"version":2}})";
  const std::string note_line =
      R"({"kind":"note","data":{"id":7,"metadata":{},"position":0,"project":"",)"
      R"("speaker":"ana","text":"a note from version one","thread":"t1","timestamp":3}})";
  std::vector<std::string> lines = {
      header,      R"({"kind":"episode","data":)" + ToJson(e).dump() + "}",
      lesson_line, embedding_line,
      kv_line,     note_line,
      "trailer"};
  const std::string v1 = Reseal(lines);
  auto stats = Import(*store_, v1);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->format_version, 1);
  EXPECT_EQ(stats->episodes, 1);
  EXPECT_EQ(stats->lessons, 1);
  EXPECT_EQ(stats->lesson_versions, 1);
  EXPECT_EQ(stats->embeddings, 1);
  EXPECT_EQ(stats->kv_entries, 1);
  EXPECT_EQ(stats->notes, 1);
  EXPECT_EQ(stats->patterns + stats->heuristics + stats->feedback + stats->contradictions +
                stats->candidates,
            0);

  auto episode = store_->GetEpisode("ep-v1");
  ASSERT_TRUE(episode.ok()) << episode.status().ToString();
  EXPECT_EQ(ToJson(*episode), ToJson(e));
  auto lesson = store_->GetLesson("l-v1");
  ASSERT_TRUE(lesson.ok());
  EXPECT_EQ(lesson->content, "new");
  EXPECT_EQ(lesson->version, 2);
  EXPECT_EQ(lesson->use_count, 0);  // absent in format 1 files of that time
  EXPECT_EQ(lesson->last_used_at, 1500);
  auto history = store_->LessonHistory("l-v1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].lesson.content, "old");
  auto embedding = store_->GetEmbedding("l-v1", "use-lite");
  ASSERT_TRUE(embedding.ok());
  EXPECT_EQ(embedding->vector, (std::vector<float>{0.25f, -1.0f}));
  auto kv = store_->KvGet("ns", "k", 10);
  ASSERT_TRUE(kv.ok()) << kv.status().ToString();
  EXPECT_EQ(kv->value, (Json{{"a", 1}}));
  auto notes = store_->fulltext()->ThreadNotes("t1");
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ((*notes)[0].id, 7);

  // Exported again it is format 2, and imports into another store the same.
  const std::string v2 = Export(*store_);
  EXPECT_EQ(Json::parse(Lines(v2)[0])["format_version"], 2);
  auto other = Open("other.db");
  ASSERT_TRUE(Import(*other, v2).ok());
  EXPECT_EQ(Records(Export(*other)), Records(v2));

  // Format 1 has no learning records: a pattern line in it is an unknown kind.
  lines.insert(lines.end() - 1, R"({"kind":"pattern","data":{}})");
  auto mixed = Import(*other, Reseal(lines));
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().code(), ErrorCode::kCorruption);
  EXPECT_NE(mixed.status().message().find("line 7: unknown record kind 'pattern' "
                                          "(format_version 1 has episode, lesson, embedding, kv, "
                                          "note)"),
            std::string::npos)
      << mixed.status().ToString();
}

// The format 1 file of the fuzz corpus, written by engram before format 2,
// imports; the copy exports the same records, now as format 2.
TEST_F(ExportV2Test, AFileWrittenAsFormatOneImports) {
  const std::string v1 =
      ReadAll(std::string(ENGRAM_SOURCE_DIR) + "/tests/fuzz/corpus/import/export-v1.jsonl");
  ASSERT_EQ(Json::parse(Lines(v1)[0])["format_version"], 1);
  auto stats = Import(*store_, v1);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->format_version, 1);
  EXPECT_EQ(stats->episodes, 1);
  EXPECT_EQ(stats->lessons, 1);
  EXPECT_EQ(stats->embeddings, 1);
  EXPECT_EQ(stats->kv_entries, 1);
  const std::string v2 = Export(*store_);
  EXPECT_EQ(Json::parse(Lines(v2)[0])["format_version"], 2);
  EXPECT_EQ(Records(v2), Records(v1));
}

// A format 2 file that is damaged, holds an unknown kind, or holds a record
// the store refuses (written after everything else) changes nothing: not
// in any table, learning tables included.
class CorruptV2Test : public ExportV2Test {
 protected:
  void SetUp() override {
    ExportV2Test::SetUp();
    Populate(*store_);
    PopulateLearning(*store_);
    good_ = Lines(Export(*store_));
    target_ = Open("target.db");
    ASSERT_TRUE(target_->CreateEpisode(MakeEpisode("existing")).ok());
    ASSERT_TRUE(target_->InsertLesson(MakeLesson("l-existing")).ok());
    Heuristic h;
    h.id = "heu-existing";
    h.action = "do: read the log";
    ASSERT_TRUE(target_->patterns()->ReplaceHeuristics({h}).ok());
    before_ = DataRows(Path("target.db"));
  }

  // The index of the first record line of `kind`.
  std::size_t LineOf(const std::string& kind) const {
    for (std::size_t i = 1; i + 1 < good_.size(); ++i) {
      if (Json::parse(good_[i])["kind"] == kind) return i;
    }
    ADD_FAILURE() << "no " << kind << " record";
    return 0;
  }

  // Imports `text` into the target: it fails with `code` and a message
  // holding `says`, and no table changed.
  void ExpectNothingWritten(const std::string& text, ErrorCode code, const std::string& says) {
    auto r = Import(*target_, text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().ToString();
    EXPECT_EQ(DataRows(Path("target.db")), before_);
  }

  // `good_` with record `i` replaced by `record`, resealed.
  std::string With(std::size_t i, const Json& record) const {
    auto lines = good_;
    lines[i] = record.dump();
    return Reseal(lines);
  }

  std::vector<std::string> good_;
  std::unique_ptr<Store> target_;
  std::map<std::string, std::vector<std::string>> before_;
};

TEST_F(CorruptV2Test, BadChecksumChangesNothing) {
  auto lines = good_;
  std::string& pattern = lines[LineOf("pattern")];
  pattern[pattern.find("bash:a")] = 'B';  // the trailer's CRC no longer matches
  ExpectNothingWritten(Join(lines), ErrorCode::kCorruption, "checksum mismatch");
}

TEST_F(CorruptV2Test, UnknownKindIsNamedWithItsLine) {
  const std::size_t i = LineOf("heuristic");
  Json record = Json::parse(good_[i]);
  record["kind"] = "mystery";
  ExpectNothingWritten(With(i, record), ErrorCode::kCorruption,
                       "export line " + std::to_string(i + 1) + ": unknown record kind 'mystery'");
}

TEST_F(CorruptV2Test, ARefusedLastRecordUndoesEverythingBeforeIt) {
  const std::size_t last = good_.size() - 2;
  Json candidate = Json::parse(good_[last]);
  ASSERT_EQ(candidate["kind"], "candidate");
  candidate["data"]["confidence"] = 2;
  ExpectNothingWritten(With(last, candidate), ErrorCode::kCorruption,
                       "export line " + std::to_string(last + 1) + " (candidate)");
}

TEST_F(CorruptV2Test, DanglingReferencesChangeNothing) {
  const std::size_t p = LineOf("pattern");
  Json pattern = Json::parse(good_[p]);
  pattern["data"]["episodes"][0]["episode_id"] = "no-such-episode";
  ExpectNothingWritten(With(p, pattern), ErrorCode::kNotFound, "no-such-episode");

  pattern = Json::parse(good_[p]);
  pattern["data"]["signature"] = "another signature";  // no longer matches the id
  ExpectNothingWritten(With(p, pattern), ErrorCode::kCorruption, "signature");

  const std::size_t c = LineOf("contradiction");
  Json contradiction = Json::parse(good_[c]);
  contradiction["data"]["lesson_b"] = "zz-no-such-lesson";
  ExpectNothingWritten(With(c, contradiction), ErrorCode::kNotFound, "zz-no-such-lesson");

  const std::size_t f = LineOf("feedback");
  Json feedback = Json::parse(good_[f]);
  feedback["data"]["signal"] = "loved";
  ExpectNothingWritten(With(f, feedback), ErrorCode::kCorruption, "feedback.signal");
}

}  // namespace
}  // namespace engram::store_test
