// Note model: one short text in an ordered thread (a conversation turn, a
// working note) that agents search later (Engine::AddNote,
// Engine::SearchNotes; stored and indexed by FullTextIndex, fulltext.h).
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engram/json.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

// A note: one text in an ordered thread.
struct Note {
  std::int64_t id = 0;  // assigned by the store when 0 (import passes the exported id)
  std::string thread;   // required, e.g. a conversation id
  // Order within the thread; AddNote assigns max + 1 when negative.
  std::int64_t position = -1;
  std::string speaker;  // who wrote it ("" = unknown)
  std::string text;     // required; what is searched (with speaker)
  Timestamp timestamp = 0;
  Json metadata = Json::object();
  // The project it belongs to ("" = global). search_notes with a project
  // returns global notes and that project's only; without one, global
  // notes only (docs/RETRIEVAL.md, "Projects").
  std::string project;
};
// A note to add (Engine::AddNote): the store assigns the id, the position
// (unless given) and the Engine the timestamp (unless given).
struct NewNote {
  std::string thread;                    // required, e.g. a conversation id
  std::string text;                      // required
  std::string speaker;                   // "" = unknown
  std::optional<std::int64_t> position;  // >= 0; unset: after the thread's last note
  std::optional<Timestamp> timestamp;    // kMinTimestampMs..kMaxTimestampMs; unset: now
  Json metadata = Json::object();
  std::string project;  // "" = global
};

Json ToJson(const Note& n);
// Validates types and names the offending field; never throws.
Result<Note> NoteFromJson(const Json& j);

}  // namespace engram
