// Indexed text of lessons and episodes (tables lesson_text / episode_text,
// whose FTS5 indexes triggers keep in sync; schema in migrations.cc v3).
// The store's write paths call these inside their own transaction, so a
// record and its indexed text commit together.
//
// Ownership: borrow the Connection. Thread safety: callers hold the store's
// mutex (like every use of a Connection).
#pragma once

#include <optional>
#include <string>

#include "engram/episode.h"
#include "engram/lesson.h"
#include "engram/status.h"
#include "store/sqlite/bm25_topk.h"
#include "store/sqlite/db.h"

namespace engram::sqlite {

// The FTS5 tables SearchText queries, with their bm25 column weights:
// lessons title 2, content 1, topic 1.5, tags 1.5, expanded 1; episodes
// description 2, reflection 1, expanded 1.
const FtsTableSpec& LessonFtsTable();
const FtsTableSpec& EpisodeFtsTable();

// Inserts or replaces the indexed text of `lesson`.
Status WriteLessonText(Connection& conn, const Lesson& lesson);
// Inserts or replaces the indexed text of an episode.
Status WriteEpisodeText(Connection& conn, const std::string& episode_id,
                        const std::string& description,
                        const std::optional<Reflection>& reflection);
// Indexes every lesson and episode that has no indexed text yet (after a
// migration or a restore from an older backup), and builds the word bounds
// of both tables if they are not built (word_bounds.h). Runs in the
// caller's transaction.
Status BackfillFullText(Connection& conn);
// Whether some lesson or episode has no indexed text, or the word bounds
// are not built (a cheap read).
Result<bool> NeedsFullTextBackfill(Connection& conn);
// The one-time check above passed (store_flags 'full_text_complete'), and
// recording that it did.
Result<bool> FullTextMarkedComplete(Connection& conn);
Status MarkFullTextComplete(Connection& conn);

}  // namespace engram::sqlite
