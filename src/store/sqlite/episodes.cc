// SqliteStore: episodes and their steps (tables episodes, episode_tags, steps).
#include <string>
#include <vector>

#include "store/sqlite/column_list.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/fulltext.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

constexpr auto kEpisodeColumns =
    Columns("id", "task_type", "description", "language", "framework", "domain", "project",
            "complexity", "outcome", "reward", "reflection", "started_at", "ended_at", "metadata");
constexpr auto kSummaryColumns =
    Columns("id", "task_type", "description", "language", "framework", "domain", "project",
            "complexity", "outcome_kind", "reward_total", "started_at", "ended_at",
            "(SELECT count(*) FROM steps s WHERE s.episode_id = e.id) AS step_count");
constexpr auto kStepColumns =
    Columns("number", "tool", "action", "parameters", "result_status", "result_output",
            "latency_ms", "tokens", "observation", "timestamp");

Result<std::vector<std::string>> LoadTags(Connection& conn, const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT tag FROM episode_tags WHERE episode_id = ? ORDER BY position", id));
  std::vector<std::string> tags;
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return tags;
    tags.push_back(st.Text(0));
  }
}

// The context columns of a row selected with kCols, and the episode's tags.
template <const auto& kCols>
Result<TaskContext> ContextFromRow(Connection& conn, const Statement& st, const std::string& id) {
  TaskContext c;
  c.language = st.Text(kCols["language"]);
  c.framework = st.Text(kCols["framework"]);
  c.domain = st.Text(kCols["domain"]);
  c.project = st.Text(kCols["project"]);
  ENGRAM_ASSIGN_OR_RETURN(c.complexity, ParseStored<Complexity>(st.Text(kCols["complexity"]),
                                                                "complexity", ParseComplexity));
  ENGRAM_ASSIGN_OR_RETURN(c.tags, LoadTags(conn, id));
  return c;
}

Result<std::vector<Step>> LoadSteps(Connection& conn, const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st,
                          conn.Query("SELECT " + kStepColumns.Select() +
                                         " FROM steps WHERE episode_id = ? ORDER BY number",
                                     id));
  std::vector<Step> steps;
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return steps;
    Step s;
    s.number = static_cast<int>(st.Int(kStepColumns["number"]));
    s.tool = st.Text(kStepColumns["tool"]);
    s.action = st.Text(kStepColumns["action"]);
    std::string what = Quoted("episode", id) + " step " + std::to_string(s.number);
    ENGRAM_ASSIGN_OR_RETURN(s.parameters,
                            ParseColumn(st.Text(kStepColumns["parameters"]), what + " parameters"));
    ENGRAM_ASSIGN_OR_RETURN(s.result.status,
                            ParseStored<StepStatus>(st.Text(kStepColumns["result_status"]),
                                                    "step status", ParseStepStatus));
    s.result.output = st.Text(kStepColumns["result_output"]);
    s.latency_ms = st.Int(kStepColumns["latency_ms"]);
    s.tokens = st.Int(kStepColumns["tokens"]);
    s.observation = st.Text(kStepColumns["observation"]);
    s.timestamp = st.Int(kStepColumns["timestamp"]);
    steps.push_back(std::move(s));
  }
}

Result<Episode> LoadEpisode(Connection& conn, const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT " + kEpisodeColumns.Select() + " FROM episodes WHERE id = ?", id));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound(Quoted("episode", id) + " does not exist");
  Episode e;
  e.id = st.Text(kEpisodeColumns["id"]);
  ENGRAM_ASSIGN_OR_RETURN(e.task_type, ParseStored<TaskType>(st.Text(kEpisodeColumns["task_type"]),
                                                             "task type", ParseTaskType));
  e.description = st.Text(kEpisodeColumns["description"]);
  ENGRAM_ASSIGN_OR_RETURN(e.context, ContextFromRow<kEpisodeColumns>(conn, st, id));
  if (auto text = st.OptText(kEpisodeColumns["outcome"])) {
    ENGRAM_ASSIGN_OR_RETURN(
        e.outcome,
        DecodeColumn<Outcome>(*text, Quoted("episode", id) + " outcome", OutcomeFromJson));
  }
  if (auto text = st.OptText(kEpisodeColumns["reward"])) {
    ENGRAM_ASSIGN_OR_RETURN(
        e.reward,
        DecodeColumn<RewardBreakdown>(*text, Quoted("episode", id) + " reward", RewardFromJson));
  }
  if (auto text = st.OptText(kEpisodeColumns["reflection"])) {
    ENGRAM_ASSIGN_OR_RETURN(
        e.reflection,
        DecodeColumn<Reflection>(*text, Quoted("episode", id) + " reflection", ReflectionFromJson));
  }
  e.started_at = st.Int(kEpisodeColumns["started_at"]);
  e.ended_at = st.OptInt(kEpisodeColumns["ended_at"]);
  ENGRAM_ASSIGN_OR_RETURN(e.metadata, ParseColumn(st.Text(kEpisodeColumns["metadata"]),
                                                  Quoted("episode", id) + " metadata"));
  ENGRAM_ASSIGN_OR_RETURN(e.steps, LoadSteps(conn, id));
  return e;
}

Status InsertStep(Connection& conn, const std::string& episode_id, const Step& s) {
  ENGRAM_ASSIGN_OR_RETURN(std::string params, DumpJson(s.parameters, "step parameters"));
  return conn
      .Run(
          "INSERT INTO steps (episode_id, number, tool, action, parameters, result_status, "
          "result_output, latency_ms, tokens, observation, timestamp) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          episode_id, s.number, s.tool, s.action, params, ToString(s.result.status),
          s.result.output, s.latency_ms, s.tokens, s.observation, s.timestamp)
      .status();
}

// Writes the episode row and its tags (not its steps). `upsert` replaces an
// existing row in place, so its steps are not cascaded away.
Status WriteEpisode(Connection& conn, const Episode& e, bool upsert) {
  std::optional<std::string> outcome, outcome_kind, reward, reflection;
  std::optional<double> reward_total;
  if (e.outcome) {
    outcome_kind = std::string(OutcomeKind(*e.outcome));
    ENGRAM_ASSIGN_OR_RETURN(outcome, DumpJson(ToJson(*e.outcome), "outcome"));
  }
  if (e.reward) {
    reward_total = e.reward->total;
    ENGRAM_ASSIGN_OR_RETURN(reward, DumpJson(ToJson(*e.reward), "reward"));
  }
  if (e.reflection) {
    ENGRAM_ASSIGN_OR_RETURN(reflection, DumpJson(ToJson(*e.reflection), "reflection"));
  }
  ENGRAM_ASSIGN_OR_RETURN(std::string metadata, DumpJson(e.metadata, "metadata"));
  std::string sql =
      "INSERT INTO episodes (id, task_type, description, language, framework, domain, project, "
      "complexity, outcome_kind, outcome, reward, reward_total, reflection, started_at, "
      "ended_at, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  if (upsert) {
    sql +=
        " ON CONFLICT(id) DO UPDATE SET task_type = excluded.task_type, description = "
        "excluded.description, language = excluded.language, framework = excluded.framework, "
        "domain = excluded.domain, project = excluded.project, complexity = "
        "excluded.complexity, outcome_kind = excluded.outcome_kind, outcome = excluded.outcome, "
        "reward = excluded.reward, reward_total = excluded.reward_total, reflection = "
        "excluded.reflection, started_at = excluded.started_at, ended_at = excluded.ended_at, "
        "metadata = excluded.metadata";
  }
  const TaskContext& c = e.context;
  ENGRAM_RETURN_IF_ERROR(conn.Run(sql, e.id, ToString(e.task_type), e.description, c.language,
                                  c.framework, c.domain, c.project, ToString(c.complexity),
                                  outcome_kind, outcome, reward, reward_total, reflection,
                                  e.started_at, e.ended_at, metadata)
                             .status());
  ENGRAM_RETURN_IF_ERROR(conn.Run("DELETE FROM episode_tags WHERE episode_id = ?", e.id).status());
  for (std::size_t i = 0; i < c.tags.size(); ++i) {
    ENGRAM_RETURN_IF_ERROR(
        conn.Run("INSERT INTO episode_tags (episode_id, position, tag) VALUES (?, ?, ?)", e.id,
                 static_cast<std::int64_t>(i), c.tags[i])
            .status());
  }
  return WriteEpisodeText(conn, e.id, e.description, e.reflection);
}

// NotFound for an unknown id; otherwise whether the episode is completed.
Result<bool> IsCompleted(Connection& conn, const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st,
                          conn.Query("SELECT outcome IS NOT NULL FROM episodes WHERE id = ?", id));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound(Quoted("episode", id) + " does not exist");
  return st.Int(0) != 0;
}

}  // namespace

Status SqliteStore::CreateEpisode(const Episode& episode) {
  if (episode.id.empty()) return Status::InvalidArgument("episode id is empty");
  if (!episode.steps.empty() || episode.completed()) {
    return Status::InvalidArgument("a new " + Quoted("episode", episode.id) +
                                   " must have no steps and no outcome");
  }
  return Write("create episode", [&]() -> Status {
    Result<bool> existing = IsCompleted(*conn_, episode.id);
    if (existing.ok())
      return Status::AlreadyExists(Quoted("episode", episode.id) + " already exists");
    if (!existing.status().IsNotFound()) return existing.status();
    return WriteEpisode(*conn_, episode, /*upsert=*/false);
  });
}

Result<int> SqliteStore::AppendStep(const std::string& episode_id, const Step& step,
                                    std::size_t max_steps) {
  int number = 0;
  ENGRAM_RETURN_IF_ERROR(Write("append step", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(bool completed, IsCompleted(*conn_, episode_id));
    if (completed) {
      return Status::FailedPrecondition(Quoted("episode", episode_id) +
                                        " is completed; no more steps");
    }
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query("SELECT count(*), coalesce(max(number), 0) FROM steps WHERE episode_id = ?",
                     episode_id));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Internal("count of steps returned no row");
    if (static_cast<std::uint64_t>(st.Int(0)) >= max_steps) {
      return Status::InvalidArgument(Quoted("episode", episode_id) +
                                     " already has the maximum of " + std::to_string(max_steps) +
                                     " steps");
    }
    Step numbered = step;
    numbered.number = number = static_cast<int>(st.Int(1)) + 1;
    return InsertStep(*conn_, episode_id, numbered);
  }));
  return number;
}

Status SqliteStore::CompleteEpisode(const std::string& episode_id, const Outcome& outcome,
                                    const RewardBreakdown& reward, const Reflection& reflection,
                                    Timestamp ended_at) {
  ENGRAM_ASSIGN_OR_RETURN(std::string outcome_json, DumpJson(ToJson(outcome), "outcome"));
  ENGRAM_ASSIGN_OR_RETURN(std::string reward_json, DumpJson(ToJson(reward), "reward"));
  ENGRAM_ASSIGN_OR_RETURN(std::string reflection_json, DumpJson(ToJson(reflection), "reflection"));
  return Write("complete episode", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(bool completed, IsCompleted(*conn_, episode_id));
    if (completed)
      return Status::FailedPrecondition(Quoted("episode", episode_id) + " is already completed");
    ENGRAM_RETURN_IF_ERROR(
        conn_
            ->Run(
                "UPDATE episodes SET outcome_kind = ?, outcome = ?, reward = ?, reward_total = ?, "
                "reflection = ?, ended_at = ? WHERE id = ?",
                OutcomeKind(outcome), outcome_json, reward_json, reward.total, reflection_json,
                ended_at, episode_id)
            .status());
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn_->Query("SELECT description FROM episodes WHERE id = ?", episode_id));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::NotFound(Quoted("episode", episode_id) + " does not exist");
    return WriteEpisodeText(*conn_, episode_id, st.Text(0), reflection);
  });
}

Result<Episode> SqliteStore::GetEpisode(const std::string& episode_id) {
  Episode episode;
  ENGRAM_RETURN_IF_ERROR(Read("get episode", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(episode, LoadEpisode(*conn_, episode_id));
    return Status::Ok();
  }));
  return episode;
}

Result<std::vector<EpisodeSummary>> SqliteStore::ListEpisodes(const EpisodeFilter& filter) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(filter.limit, filter.offset));
  std::string sql = "SELECT " + kSummaryColumns.Select() + " FROM episodes e WHERE 1";
  std::vector<std::string> args;
  auto where = [&](const char* column, const std::optional<std::string>& value) {
    if (!value) return;
    sql += std::string(" AND ") + column + " = ?";
    args.push_back(*value);
  };
  if (filter.task_type) where("task_type", std::string(ToString(*filter.task_type)));
  where("project", filter.project);
  if (filter.visible_to) {
    sql += " AND (project = '' OR project = ?)";
    args.push_back(*filter.visible_to);
  }
  where("domain", filter.domain);
  where("language", filter.language);
  if (filter.completed) {
    sql += *filter.completed ? " AND outcome_kind IS NOT NULL" : " AND outcome_kind IS NULL";
  }
  sql += " ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?";

  std::vector<EpisodeSummary> out;
  ENGRAM_RETURN_IF_ERROR(Read("list episodes", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(sql));
    int i = 0;
    for (const std::string& a : args) st.BindAt(++i, a);
    st.BindAt(i + 1, filter.limit).BindAt(i + 2, filter.offset);
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      EpisodeSummary s;
      s.id = st.Text(kSummaryColumns["id"]);
      ENGRAM_ASSIGN_OR_RETURN(
          s.task_type,
          ParseStored<TaskType>(st.Text(kSummaryColumns["task_type"]), "task type", ParseTaskType));
      s.description = st.Text(kSummaryColumns["description"]);
      ENGRAM_ASSIGN_OR_RETURN(s.context, ContextFromRow<kSummaryColumns>(*conn_, st, s.id));
      s.outcome_kind = st.OptText(kSummaryColumns["outcome_kind"]);
      s.reward_total = st.OptDouble(kSummaryColumns["reward_total"]);
      s.started_at = st.Int(kSummaryColumns["started_at"]);
      s.ended_at = st.OptInt(kSummaryColumns["ended_at"]);
      s.step_count = static_cast<int>(st.Int(kSummaryColumns["step_count"]));
      out.push_back(std::move(s));
    }
  }));
  return out;
}

Status SqliteStore::DeleteEpisode(const std::string& episode_id) {
  return Write("delete episode", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::int64_t n,
                            conn_->Run("DELETE FROM episodes WHERE id = ?", episode_id));
    if (n == 0) return Status::NotFound(Quoted("episode", episode_id) + " does not exist");
    return Status::Ok();
  });
}

Status SqliteStore::ForEachEpisode(const std::function<Status(const Episode&)>& fn) {
  return Read("read episodes", [&]() -> Status {
    std::vector<std::string> ids;
    {
      ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Query("SELECT id FROM episodes ORDER BY id"));
      for (;;) {
        ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        ids.push_back(st.Text(0));
      }
    }
    for (const std::string& id : ids) {
      ENGRAM_ASSIGN_OR_RETURN(Episode e, LoadEpisode(*conn_, id));
      ENGRAM_RETURN_IF_ERROR(fn(e));
    }
    return Status::Ok();
  });
}

Status SqliteStore::ImportEpisode(const Episode& episode) {
  if (episode.id.empty()) return Status::InvalidArgument("episode id is empty");
  for (std::size_t i = 0; i < episode.steps.size(); ++i) {
    if (episode.steps[i].number != static_cast<int>(i + 1)) {
      return Status::InvalidArgument(Quoted("episode", episode.id) + " steps must be numbered 1.." +
                                     std::to_string(episode.steps.size()) + " in order");
    }
  }
  return Write("import episode", [&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(WriteEpisode(*conn_, episode, /*upsert=*/true));
    ENGRAM_RETURN_IF_ERROR(
        conn_->Run("DELETE FROM steps WHERE episode_id = ?", episode.id).status());
    for (const Step& s : episode.steps) ENGRAM_RETURN_IF_ERROR(InsertStep(*conn_, episode.id, s));
    return Status::Ok();
  });
}

}  // namespace engram::sqlite
