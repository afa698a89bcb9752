// Project isolation: which stored items a reader working in a project may
// see (docs/RETRIEVAL.md, "Projects").
//
// Every item belongs to one project or to none ("global"): an episode by
// its context.project, a lesson by its scope and project, a candidate and
// a note by their project. A reader of project P sees global items and P's,
// never another project's. The list and search operations apply the rule
// in the store (SQL) or engine; these helpers apply it to one item, for the
// reads by id (get_episode, get_lesson, ...) given a project.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engram/lesson.h"
#include "engram/status.h"

namespace engram {

// The project a lesson belongs to: its project when scoped, else "".
std::string_view ProjectOf(const Lesson& l);

// True if an item of `item_project` ("" = global) is visible to a reader of
// `reader` ("" = no project: global items only).
bool VisibleToProject(std::string_view item_project, std::string_view reader);

// OK when `reader` is unset (no project given: no check) or the item is
// visible to it; otherwise NotFound "<what> '<id>' not found", the answer
// for an id that does not exist, so a read by id reveals nothing either.
Status RequireVisible(std::string_view item_project, const std::optional<std::string>& reader,
                      std::string_view what, std::string_view id);

}  // namespace engram
