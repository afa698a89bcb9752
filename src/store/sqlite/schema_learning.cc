// Version 4 of the schema: the learning tables (docs/LEARNING.md).
//
// Each learning concept owns its statements below; migrations.cc appends
// them, in this order, as migration 4. Until migration 4 ships in a release
// a concept may still change its own statements here.
#include "store/sqlite/migrations.h"

namespace engram::sqlite {

// Patterns mined across episodes. A pattern is one record per (kind,
// signature); pattern_episodes links it to every episode it occurred in, so
// support and success counts are derived, recording the same episode twice
// changes nothing, and deleting an episode removes its links. Heuristics are
// replaced as a set by each analysis (ids are deterministic). Applied-pattern feedback lives in
// `feedback`.
const std::vector<const char*>& PatternStatements() {
  static const std::vector<const char*> s = {
      R"sql(CREATE TABLE patterns (
  id          TEXT    PRIMARY KEY NOT NULL,
  kind        TEXT    NOT NULL,
  signature   TEXT    NOT NULL,
  description TEXT    NOT NULL,
  context     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(context)),
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  UNIQUE (kind, signature)))sql",
      R"sql(CREATE TABLE pattern_episodes (
  pattern_id  TEXT    NOT NULL REFERENCES patterns(id) ON DELETE CASCADE,
  episode_id  TEXT    NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
  success     INTEGER NOT NULL CHECK (success IN (0, 1)),
  latency_ms  INTEGER NOT NULL DEFAULT 0,
  occurrences INTEGER NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
  seen_at     INTEGER NOT NULL,
  PRIMARY KEY (pattern_id, episode_id)) WITHOUT ROWID)sql",
      "CREATE INDEX pattern_episodes_by_episode ON pattern_episodes(episode_id)",
      R"sql(CREATE TABLE heuristics (
  id          TEXT    PRIMARY KEY NOT NULL,
  condition   TEXT    NOT NULL CHECK (json_valid(condition)),
  action      TEXT    NOT NULL,
  description TEXT    NOT NULL,
  evidence    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(evidence)),
  sample_size INTEGER NOT NULL CHECK (sample_size >= 0),
  successes   INTEGER NOT NULL CHECK (successes >= 0 AND successes <= sample_size),
  confidence  REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  updated_at  INTEGER NOT NULL))sql",
  };
  return s;
}

// Feedback events on lessons, patterns and heuristics: who reported what,
// when, and how it moved the target's confidence.
const std::vector<const char*>& FeedbackStatements() {
  static const std::vector<const char*> s = {
      R"sql(CREATE TABLE feedback (
  id          TEXT    PRIMARY KEY NOT NULL,
  target_kind TEXT    NOT NULL CHECK (target_kind IN ('lesson', 'pattern', 'heuristic')),
  target_id   TEXT    NOT NULL,
  signal      TEXT    NOT NULL,
  episode_id  TEXT    NOT NULL DEFAULT '',
  actor       TEXT    NOT NULL DEFAULT '',
  note        TEXT    NOT NULL DEFAULT '',
  before      REAL,
  after       REAL,
  created_at  INTEGER NOT NULL))sql",
      "CREATE INDEX feedback_by_target ON feedback(target_kind, target_id, created_at)",
      R"sql(CREATE TABLE contradictions (
  id          TEXT    PRIMARY KEY NOT NULL,
  lesson_a    TEXT    NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
  lesson_b    TEXT    NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
  reason      TEXT    NOT NULL,
  score       REAL    NOT NULL DEFAULT 0,
  status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
  winner      TEXT,
  created_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  CHECK (lesson_a < lesson_b),
  UNIQUE (lesson_a, lesson_b)))sql",
      "ALTER TABLE lessons ADD COLUMN superseded_by TEXT",
  };
  return s;
}

// Gated lesson candidates: proposals that wait for approve/edit/reject.
const std::vector<const char*>& CandidateStatements() {
  static const std::vector<const char*> s = {
      R"sql(CREATE TABLE candidates (
  id            TEXT    PRIMARY KEY NOT NULL,
  status        TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'approved', 'rejected')),
  origin        TEXT    NOT NULL CHECK (origin IN ('episode', 'diff', 'transcript')),
  origin_ref    TEXT    NOT NULL DEFAULT '',
  fingerprint   TEXT    NOT NULL UNIQUE,
  type          TEXT    NOT NULL,
  topic         TEXT    NOT NULL,
  title         TEXT    NOT NULL,
  content       TEXT    NOT NULL,
  tags          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  confidence    REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  evidence      TEXT    NOT NULL DEFAULT '',
  rationale     TEXT    NOT NULL DEFAULT '',
  lesson_id     TEXT,
  decision_note TEXT    NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  decided_at    INTEGER))sql",
      "CREATE INDEX candidates_by_status ON candidates(status, created_at)",
  };
  return s;
}

}  // namespace engram::sqlite
