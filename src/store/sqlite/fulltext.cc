// SqliteStore: full-text search over lessons and episodes (FTS5, BM25) and
// the embedding cache. Notes are in notes.cc.
#include "store/sqlite/fulltext.h"

#include <cstdio>
#include <string>
#include <vector>

#include "core/code_tokens.h"
#include "engram/fulltext.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/word_bounds.h"

namespace engram {

std::string TextHash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf) + "-" + std::to_string(text.size());
}

namespace sqlite {
namespace {

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string ReflectionText(const std::optional<Reflection>& r) {
  if (!r) return "";
  std::vector<std::string> all;
  for (const auto* list : {&r->successes, &r->failures, &r->improvements, &r->insights}) {
    all.insert(all.end(), list->begin(), list->end());
  }
  return Join(all, "\n");
}

}  // namespace

const FtsTableSpec& LessonFtsTable() {
  static const FtsTableSpec kTable{"lesson_fts",
                                   "lesson_text",
                                   "doc",
                                   "lesson_id",
                                   {"title", "content", "topic", "tags", "expanded"},
                                   {2.0, 1.0, 1.5, 1.5, 1.0},
                                   {"porter", "unicode61"}};
  return kTable;
}

const FtsTableSpec& EpisodeFtsTable() {
  static const FtsTableSpec kTable{"episode_fts",
                                   "episode_text",
                                   "doc",
                                   "episode_id",
                                   {"description", "reflection", "expanded"},
                                   {2.0, 1.0, 1.0},
                                   {"porter", "unicode61"}};
  return kTable;
}

Status WriteLessonText(Connection& conn, const Lesson& l) {
  std::string tags = Join(l.tags, " ");
  // The situations are searched in the expanded column, beside the
  // identifier parts of every field (theirs included).
  std::string situations = Join(l.situations, "\n");
  std::string expanded = ExpandIdentifiers(l.title + "\n" + l.content + "\n" + l.topic + "\n" +
                                           tags + "\n" + situations);
  if (!situations.empty()) expanded = situations + "\n" + expanded;
  ENGRAM_RETURN_IF_ERROR(
      conn.Run("INSERT INTO lesson_text (lesson_id, title, content, topic, tags, expanded) "
               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(lesson_id) DO UPDATE SET title = "
               "excluded.title, content = excluded.content, topic = excluded.topic, tags = "
               "excluded.tags, expanded = excluded.expanded",
               l.id, l.title, l.content, l.topic, tags, expanded)
          .status());
  return AddWordBounds(conn, LessonFtsTable(), {l.title, l.content, l.topic, tags, expanded});
}

Status WriteEpisodeText(Connection& conn, const std::string& episode_id,
                        const std::string& description,
                        const std::optional<Reflection>& reflection) {
  std::string text = ReflectionText(reflection);
  std::string expanded = ExpandIdentifiers(description + "\n" + text);
  ENGRAM_RETURN_IF_ERROR(
      conn.Run("INSERT INTO episode_text (episode_id, description, reflection, expanded) "
               "VALUES (?, ?, ?, ?) ON CONFLICT(episode_id) DO UPDATE SET description = "
               "excluded.description, reflection = excluded.reflection, expanded = "
               "excluded.expanded",
               episode_id, description, text, expanded)
          .status());
  return AddWordBounds(conn, EpisodeFtsTable(), {description, text, expanded});
}

Status BackfillFullText(Connection& conn) {
  {
    std::vector<Lesson> missing;
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn.Query("SELECT id, title, content, topic, (SELECT group_concat(tag, char(31)) FROM "
                   "(SELECT tag FROM lesson_tags t WHERE t.lesson_id = l.id ORDER BY tag)), "
                   "situations FROM lessons l WHERE NOT EXISTS (SELECT 1 FROM lesson_text x WHERE "
                   "x.lesson_id = l.id)"));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Lesson l;
      l.id = st.Text(0);
      l.title = st.Text(1);
      l.content = st.Text(2);
      l.topic = st.Text(3);
      l.tags = SplitUnitSeparated(st.OptText(4).value_or(""));
      ENGRAM_ASSIGN_OR_RETURN(l.situations, DecodeColumn<std::vector<std::string>>(
                                                st.Text(5), Quoted("lesson", l.id) + " situations",
                                                &StringListFromJson));
      missing.push_back(std::move(l));
    }
    for (const Lesson& l : missing) ENGRAM_RETURN_IF_ERROR(WriteLessonText(conn, l));
  }
  struct EpisodeRow {
    std::string id, description;
    std::optional<Reflection> reflection;
  };
  std::vector<EpisodeRow> missing;
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st, conn.Query("SELECT id, description, reflection FROM episodes e WHERE NOT "
                               "EXISTS (SELECT 1 FROM episode_text x WHERE x.episode_id = e.id)"));
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    EpisodeRow r{st.Text(0), st.Text(1), std::nullopt};
    if (auto text = st.OptText(2)) {
      ENGRAM_ASSIGN_OR_RETURN(
          r.reflection,
          DecodeColumn<Reflection>(*text, "episode '" + r.id + "' reflection", ReflectionFromJson));
    }
    missing.push_back(std::move(r));
  }
  for (const EpisodeRow& r : missing) {
    ENGRAM_RETURN_IF_ERROR(WriteEpisodeText(conn, r.id, r.description, r.reflection));
  }
  ENGRAM_RETURN_IF_ERROR(BackfillWordBounds(conn, LessonFtsTable()));
  return BackfillWordBounds(conn, EpisodeFtsTable());
}

Result<bool> FullTextMarkedComplete(Connection& conn) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT EXISTS (SELECT 1 FROM store_flags WHERE name = 'full_text_complete')"));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  return row && st.Int(0) != 0;
}

Result<bool> NeedsFullTextBackfill(Connection& conn) {
  {
    // The word bounds, which a test or a repair may drop: cheap.
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn.Query("SELECT count(*) FROM fts_word_bounds_built WHERE fts IN (?1, ?2)",
                                 LessonFtsTable().fts, EpisodeFtsTable().fts));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || st.Int(0) < 2) return true;
  }
  // The rows' check scans both tables (0.8 s at 100k lessons on a cold
  // cache, at every open): once passed, store_flags says so.
  ENGRAM_ASSIGN_OR_RETURN(bool marked, FullTextMarkedComplete(conn));
  if (marked) return false;
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT EXISTS (SELECT 1 FROM lessons l WHERE NOT EXISTS (SELECT 1 FROM "
                 "lesson_text x WHERE x.lesson_id = l.id)) OR EXISTS (SELECT 1 FROM episodes e "
                 "WHERE NOT EXISTS (SELECT 1 FROM episode_text x WHERE x.episode_id = e.id))"));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  return row && st.Int(0) != 0;
}

Status MarkFullTextComplete(Connection& conn) {
  return conn.Exec("INSERT OR IGNORE INTO store_flags (name) VALUES ('full_text_complete')");
}

Result<std::vector<TextHit>> SqliteStore::SearchText(TextCorpus corpus, std::string_view query,
                                                     const TextQueryOptions& options) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(options.limit, 0));
  if (!(options.max_word_share > 0 && options.max_word_share <= 1)) {
    return Status::InvalidArgument("max_word_share must be in (0, 1]");
  }
  const std::vector<std::string> words = QueryTerms(query);
  std::vector<TextHit> out;
  if (words.empty()) return out;
  std::lock_guard lock(mu_);
  ENGRAM_ASSIGN_OR_RETURN(std::string token, ChangeToken());
  if (!bm25_) bm25_ = std::make_unique<Bm25TopK>(*conn_);
  ENGRAM_RETURN_IF_ERROR(Read("full-text search", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        out, bm25_->Search(corpus == TextCorpus::kLessons ? LessonFtsTable() : EpisodeFtsTable(),
                           words, options, token));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<std::vector<float>>> SqliteStore::GetCached(const std::string& model_id,
                                                                 std::string_view text) {
  std::optional<std::vector<float>> out;
  std::string hash = TextHash(text);
  ENGRAM_RETURN_IF_ERROR(Read("read embedding cache", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query("SELECT dim, vector FROM embedding_cache WHERE model_id = ? AND text_hash = ?",
                     model_id, hash));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    ENGRAM_ASSIGN_OR_RETURN(out, DecodeFloats(st.Blob(1), st.Int(0)));
    return Status::Ok();
  }));
  return out;
}

Status SqliteStore::PutCached(const std::string& model_id, std::string_view text,
                              const std::vector<float>& vector, Timestamp now) {
  if (model_id.empty() || vector.empty()) {
    return Status::InvalidArgument("cached embedding needs a model id and a vector");
  }
  std::string blob = EncodeFloats(vector);
  std::string hash = TextHash(text);
  return Write("write embedding cache", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement put,
        conn_->Prepare("INSERT OR REPLACE INTO embedding_cache (model_id, text_hash, dim, vector, "
                       "created_at) VALUES (?, ?, ?, ?, ?)"));
    put.Bind(model_id, hash, static_cast<std::int64_t>(vector.size()))
        .BindBlob(4, blob)
        .BindAt(5, now);
    return put.Exhaust();
  });
}

}  // namespace sqlite
}  // namespace engram
