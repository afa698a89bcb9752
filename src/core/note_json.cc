// JSON form of a note (note.h): export records, the add_note and
// search_notes answers. NoteFromJson validates types and names the field.
#include <cstdint>
#include <string>

#include "engram/note.h"

namespace engram {

Result<Note> NoteFromJson(const Json& j) {
  auto str = [&](const char* k) -> Result<std::string> {
    if (!j.contains(k)) return std::string();
    if (!j[k].is_string())
      return Status::InvalidArgument(std::string("note.") + k + " must be a string");
    return j[k].get<std::string>();
  };
  auto num = [&](const char* k, std::int64_t def) -> Result<std::int64_t> {
    if (!j.contains(k)) return def;
    if (!j[k].is_number_integer()) {
      return Status::InvalidArgument(std::string("note.") + k + " must be an integer");
    }
    return j[k].get<std::int64_t>();
  };
  if (!j.is_object()) return Status::InvalidArgument("note must be an object");
  Note n;
  ENGRAM_ASSIGN_OR_RETURN(n.id, num("id", 0));
  ENGRAM_ASSIGN_OR_RETURN(n.thread, str("thread"));
  ENGRAM_ASSIGN_OR_RETURN(n.position, num("position", -1));
  ENGRAM_ASSIGN_OR_RETURN(n.speaker, str("speaker"));
  ENGRAM_ASSIGN_OR_RETURN(n.text, str("text"));
  ENGRAM_ASSIGN_OR_RETURN(n.timestamp, num("timestamp", 0));
  ENGRAM_ASSIGN_OR_RETURN(n.project, str("project"));
  if (j.contains("metadata")) {
    if (!j["metadata"].is_object())
      return Status::InvalidArgument("note.metadata must be an object");
    n.metadata = j["metadata"];
  }
  return n;
}

Json ToJson(const Note& n) {
  return Json{{"id", n.id},
              {"thread", n.thread},
              {"position", n.position},
              {"speaker", n.speaker},
              {"text", n.text},
              {"timestamp", n.timestamp},
              {"metadata", n.metadata},
              {"project", n.project}};
}

}  // namespace engram
