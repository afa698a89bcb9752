// SqliteStore: patterns mined across episodes (tables patterns,
// pattern_episodes) and learned heuristics (table heuristics). Support,
// successes, occurrences and mean latency are aggregated from
// pattern_episodes at read time, so they always match the linked episodes.
#include <string>

#include "store/sqlite/column_list.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

// A pattern's own columns, and with its aggregates over pattern_episodes.
constexpr auto kPatternColumns =
    Columns("id", "kind", "signature", "description", "context", "first_seen", "last_seen");
constexpr auto kPatternAggregateColumns = Columns(
    "p.id AS id", "p.kind AS kind", "p.signature AS signature", "p.description AS description",
    "p.context AS context", "p.first_seen AS first_seen", "p.last_seen AS last_seen",
    "COUNT(pe.episode_id) AS support", "COALESCE(SUM(pe.success), 0) AS successes",
    "COALESCE(SUM(pe.occurrences), 0) AS occurrences",
    "COALESCE(AVG(pe.latency_ms), 0) AS mean_latency_ms");
std::string PatternSelect() {
  return "SELECT " + kPatternAggregateColumns.Select() +
         " FROM patterns p LEFT JOIN pattern_episodes pe ON pe.pattern_id = p.id ";
}
constexpr auto kLinkColumns =
    Columns("episode_id", "success", "latency_ms", "occurrences", "seen_at");

// Appended to the join (or a WHERE on pattern_episodes pe): parameter
// ?<n> NULL = every episode, else only episodes without a project or of
// that project (PatternFilter::project).
std::string VisibleLinks(int n) {
  const std::string p = "?" + std::to_string(n);
  return "AND (" + p + " IS NULL OR pe.episode_id IN (SELECT id FROM episodes WHERE project = '' " +
         "OR project = " + p + ")) ";
}

// A pattern's own columns (kPatternColumns, named alike in kCols) into a
// Pattern or a StoredPattern.
template <const auto& kCols, typename P>
Status ReadPatternRow(const Statement& st, P& p) {
  p.id = st.Text(kCols["id"]);
  ENGRAM_ASSIGN_OR_RETURN(
      p.kind, ParseStored<PatternKind>(st.Text(kCols["kind"]), "kind of " + Quoted("pattern", p.id),
                                       ParsePatternKind));
  p.signature = st.Text(kCols["signature"]);
  p.description = st.Text(kCols["description"]);
  ENGRAM_ASSIGN_OR_RETURN(
      p.context, ParseColumn(st.Text(kCols["context"]), "context of " + Quoted("pattern", p.id)));
  p.first_seen = st.Int(kCols["first_seen"]);
  p.last_seen = st.Int(kCols["last_seen"]);
  return Status::Ok();
}

Result<Pattern> PatternFromRow(const Statement& st) {
  Pattern p;
  ENGRAM_RETURN_IF_ERROR(ReadPatternRow<kPatternAggregateColumns>(st, p));
  p.support = st.Int(kPatternAggregateColumns["support"]);
  p.successes = st.Int(kPatternAggregateColumns["successes"]);
  p.occurrences = st.Int(kPatternAggregateColumns["occurrences"]);
  p.mean_latency_ms = st.Double(kPatternAggregateColumns["mean_latency_ms"]);
  return p;
}

constexpr auto kHeuristicColumns = Columns("id", "condition", "action", "description", "evidence",
                                           "sample_size", "successes", "confidence", "updated_at");

Result<Heuristic> HeuristicFromRow(const Statement& st) {
  Heuristic h;
  h.id = st.Text(kHeuristicColumns["id"]);
  const std::string what = Quoted("heuristic", h.id);
  ENGRAM_ASSIGN_OR_RETURN(
      h.condition, ParseColumn(st.Text(kHeuristicColumns["condition"]), "condition of " + what));
  h.action = st.Text(kHeuristicColumns["action"]);
  h.description = st.Text(kHeuristicColumns["description"]);
  ENGRAM_ASSIGN_OR_RETURN(
      h.evidence, ParseColumn(st.Text(kHeuristicColumns["evidence"]), "evidence of " + what));
  h.sample_size = st.Int(kHeuristicColumns["sample_size"]);
  h.successes = st.Int(kHeuristicColumns["successes"]);
  h.confidence = st.Double(kHeuristicColumns["confidence"]);
  h.updated_at = st.Int(kHeuristicColumns["updated_at"]);
  return h;
}

Status CheckHeuristic(const Heuristic& h) {
  if (h.id.empty() || h.action.empty()) {
    return Status::InvalidArgument("heuristic needs an id and an action");
  }
  if (h.sample_size < 0 || h.successes < 0 || h.successes > h.sample_size ||
      !(h.confidence >= 0 && h.confidence <= 1)) {
    return Status::InvalidArgument("heuristic '" + h.id +
                                   "' needs 0 <= successes <= sample_size and confidence in "
                                   "[0, 1]");
  }
  return Status::Ok();
}

// Inserts `h`; `insert` is "INSERT" or "INSERT OR REPLACE" (by id).
Status InsertHeuristic(Connection& conn, const Heuristic& h, const char* insert) {
  ENGRAM_ASSIGN_OR_RETURN(std::string condition, DumpJson(h.condition, "heuristic condition"));
  ENGRAM_ASSIGN_OR_RETURN(std::string evidence, DumpJson(h.evidence, "heuristic evidence"));
  return conn
      .Run(std::string(insert) + " INTO heuristics (" + kHeuristicColumns.Select() +
               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
           h.id, condition, h.action, h.description, evidence, h.sample_size, h.successes,
           h.confidence, h.updated_at)
      .status();
}

Status CheckLink(const std::string& what, std::int64_t latency_ms, int occurrences) {
  if (occurrences < 1 || latency_ms < 0) {
    return Status::InvalidArgument(what + " needs occurrences >= 1 and latency_ms >= 0");
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::RecordEpisodePatterns(const std::string& episode_id, bool success,
                                          const std::vector<PatternOccurrence>& occurrences,
                                          Timestamp now) {
  if (episode_id.empty()) return Status::InvalidArgument("pattern episode id is empty");
  for (const auto& o : occurrences) {
    if (o.signature.empty()) return Status::InvalidArgument("pattern signature is empty");
    ENGRAM_RETURN_IF_ERROR(CheckLink("pattern '" + o.signature + "'", o.latency_ms, o.occurrences));
  }
  return Write("record episode patterns", [&]() -> Status {
    for (const auto& o : occurrences) {
      const std::string id = PatternId(o.kind, o.signature);
      ENGRAM_ASSIGN_OR_RETURN(std::string context, DumpJson(o.context, "pattern context"));
      ENGRAM_RETURN_IF_ERROR(
          conn_
              ->Run("INSERT INTO patterns (id, kind, signature, description, context, "
                    "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen)",
                    id, ToString(o.kind), o.signature, o.description, context, now, now)
              .status());
      // An episode already linked keeps its first link: recording twice changes nothing.
      ENGRAM_RETURN_IF_ERROR(
          conn_
              ->Run("INSERT INTO pattern_episodes (pattern_id, episode_id, success, latency_ms, "
                    "occurrences, seen_at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(pattern_id, episode_id) DO NOTHING",
                    id, episode_id, success ? 1 : 0, o.latency_ms, o.occurrences, now)
              .status());
    }
    return Status::Ok();
  });
}

Result<Pattern> SqliteStore::GetPattern(const std::string& pattern_id,
                                        const std::optional<std::string>& project) {
  Result<Pattern> out = Status::NotFound("pattern '" + pattern_id + "' does not exist");
  ENGRAM_RETURN_IF_ERROR(Read("get pattern", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query(
            PatternSelect() + VisibleLinks(2) +
                "WHERE p.id = ?1 GROUP BY p.id HAVING ?2 IS NULL OR COUNT(pe.episode_id) > 0",
            pattern_id, project));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) out = PatternFromRow(st);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Pattern>> SqliteStore::ListPatterns(const PatternFilter& f) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(f.limit, f.offset));
  std::string sql = PatternSelect() + VisibleLinks(9) + "WHERE (?1 IS NULL OR p.kind = ?1) ";
  // Context filters match the stored context JSON; "" means any.
  for (int i = 0; i < 4; ++i) {
    static const char* kKeys[] = {"task_type", "language", "framework", "domain"};
    const std::string n = std::to_string(i + 2);
    sql.append("AND (?").append(n).append(" = '' OR json_extract(p.context, '$.");
    sql.append(kKeys[i]).append("') = ?").append(n).append(") ");
  }
  sql +=
      "GROUP BY p.id HAVING COUNT(pe.episode_id) >= ?6 "
      "ORDER BY COUNT(pe.episode_id) DESC, p.id LIMIT ?7 OFFSET ?8";
  std::optional<std::string> kind;
  if (f.kind) kind = std::string(ToString(*f.kind));
  std::vector<Pattern> out;
  ENGRAM_RETURN_IF_ERROR(Read("list patterns", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(Statement st,
                            conn_->Query(sql, kind, f.task_type, f.language, f.framework, f.domain,
                                         f.min_support, f.limit, f.offset, f.project));
    while (true) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ENGRAM_ASSIGN_OR_RETURN(Pattern p, PatternFromRow(st));
      out.push_back(std::move(p));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<std::string>> SqliteStore::PatternEpisodes(
    const std::string& pattern_id, int limit, const std::optional<std::string>& project) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(limit, 0));
  std::vector<std::string> out;
  ENGRAM_RETURN_IF_ERROR(Read("pattern episodes", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query("SELECT pe.episode_id FROM pattern_episodes pe WHERE "
                     "pe.pattern_id = ?1 " +
                         VisibleLinks(3) + "ORDER BY pe.seen_at DESC, pe.episode_id DESC LIMIT ?2",
                     pattern_id, limit, project));
    while (true) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(st.Text(0));
    }
    return Status::Ok();
  }));
  return out;
}

Status SqliteStore::ReplaceHeuristics(const std::vector<Heuristic>& heuristics) {
  for (const auto& h : heuristics) ENGRAM_RETURN_IF_ERROR(CheckHeuristic(h));
  return Write("replace heuristics", [&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(conn_->Run("DELETE FROM heuristics").status());
    for (const auto& h : heuristics) ENGRAM_RETURN_IF_ERROR(InsertHeuristic(*conn_, h, "INSERT"));
    return Status::Ok();
  });
}

Result<Heuristic> SqliteStore::GetHeuristic(const std::string& heuristic_id) {
  Result<Heuristic> out = Status::NotFound("heuristic '" + heuristic_id + "' does not exist");
  ENGRAM_RETURN_IF_ERROR(Read("get heuristic", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Query("SELECT " + kHeuristicColumns.Select() +
                                                           " FROM heuristics WHERE id = ?",
                                                       heuristic_id));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) out = HeuristicFromRow(st);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Heuristic>> SqliteStore::ListHeuristics(int limit) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(limit, 0));
  std::vector<Heuristic> out;
  ENGRAM_RETURN_IF_ERROR(Read("list heuristics", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(Statement st,
                            conn_->Query("SELECT " + kHeuristicColumns.Select() +
                                             " FROM heuristics ORDER BY confidence DESC, id "
                                             "LIMIT ?",
                                         limit));
    while (true) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ENGRAM_ASSIGN_OR_RETURN(Heuristic h, HeuristicFromRow(st));
      out.push_back(std::move(h));
    }
    return Status::Ok();
  }));
  return out;
}

Status SqliteStore::ForEachHeuristic(const std::function<Status(const Heuristic&)>& fn) {
  return Read("read heuristics", [&] {
    return ForEachRow(*conn_,
                      "SELECT " + kHeuristicColumns.Select() + " FROM heuristics ORDER BY id",
                      HeuristicFromRow, fn);
  });
}

Status SqliteStore::ImportHeuristic(const Heuristic& h) {
  ENGRAM_RETURN_IF_ERROR(CheckHeuristic(h));
  return Write("import heuristic", [&] { return InsertHeuristic(*conn_, h, "INSERT OR REPLACE"); });
}

Status SqliteStore::ForEachPattern(const std::function<Status(const StoredPattern&)>& fn) {
  return Read("read patterns", [&]() -> Status {
    std::vector<StoredPattern> patterns;
    {
      ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Query("SELECT " + kPatternColumns.Select() +
                                                         " FROM patterns ORDER BY id"));
      for (;;) {
        ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        StoredPattern p;
        ENGRAM_RETURN_IF_ERROR(ReadPatternRow<kPatternColumns>(st, p));
        patterns.push_back(std::move(p));
      }
    }
    for (StoredPattern& p : patterns) {
      ENGRAM_ASSIGN_OR_RETURN(
          Statement links,
          conn_->Query("SELECT " + kLinkColumns.Select() +
                           " FROM pattern_episodes WHERE pattern_id = ? ORDER BY episode_id",
                       p.id));
      for (;;) {
        ENGRAM_ASSIGN_OR_RETURN(bool row, links.Step());
        if (!row) break;
        p.episodes.push_back({links.Text(kLinkColumns["episode_id"]),
                              links.Int(kLinkColumns["success"]) != 0,
                              links.Int(kLinkColumns["latency_ms"]),
                              static_cast<int>(links.Int(kLinkColumns["occurrences"])),
                              links.Int(kLinkColumns["seen_at"])});
      }
      ENGRAM_RETURN_IF_ERROR(fn(p));
    }
    return Status::Ok();
  });
}

Status SqliteStore::ImportPattern(const StoredPattern& p) {
  if (p.signature.empty()) return Status::InvalidArgument("pattern signature is empty");
  if (p.id != PatternId(p.kind, p.signature)) {
    return Status::InvalidArgument("pattern '" + p.id +
                                   "' is not the id of its kind and signature (" +
                                   PatternId(p.kind, p.signature) + ")");
  }
  for (const PatternLink& l : p.episodes) {
    ENGRAM_RETURN_IF_ERROR(CheckLink("pattern '" + p.id + "' link to '" + l.episode_id + "'",
                                     l.latency_ms, l.occurrences));
  }
  ENGRAM_ASSIGN_OR_RETURN(std::string context, DumpJson(p.context, "pattern context"));
  return Write("import pattern", [&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(
        conn_
            ->Run("INSERT INTO patterns (id, kind, signature, description, context, first_seen, "
                  "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                  "description = excluded.description, context = excluded.context, "
                  "first_seen = excluded.first_seen, last_seen = excluded.last_seen",
                  p.id, ToString(p.kind), p.signature, p.description, context, p.first_seen,
                  p.last_seen)
            .status());
    ENGRAM_RETURN_IF_ERROR(
        conn_->Run("DELETE FROM pattern_episodes WHERE pattern_id = ?", p.id).status());
    for (const PatternLink& l : p.episodes) {
      ENGRAM_ASSIGN_OR_RETURN(Statement st,
                              conn_->Query("SELECT 1 FROM episodes WHERE id = ?", l.episode_id));
      ENGRAM_ASSIGN_OR_RETURN(bool exists, st.Step());
      if (!exists) {
        return Status::NotFound("pattern '" + p.id + "' links episode '" + l.episode_id +
                                "', which does not exist");
      }
      ENGRAM_RETURN_IF_ERROR(
          conn_
              ->Run("INSERT OR REPLACE INTO pattern_episodes (pattern_id, episode_id, success, "
                    "latency_ms, occurrences, seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                    p.id, l.episode_id, l.success ? 1 : 0, l.latency_ms, l.occurrences, l.seen_at)
              .status());
    }
    return Status::Ok();
  });
}

}  // namespace engram::sqlite
