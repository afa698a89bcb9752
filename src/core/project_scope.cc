// Project isolation rule for one item (include/engram/project_scope.h).
#include "engram/project_scope.h"

namespace engram {

std::string_view ProjectOf(const Lesson& l) {
  return l.scope == LessonScope::kProject ? std::string_view(l.project) : std::string_view();
}

bool VisibleToProject(std::string_view item_project, std::string_view reader) {
  return item_project.empty() || item_project == reader;
}

Status RequireVisible(std::string_view item_project, const std::optional<std::string>& reader,
                      std::string_view what, std::string_view id) {
  if (!reader || VisibleToProject(item_project, *reader)) return Status::Ok();
  return Status::NotFound(std::string(what) + " '" + std::string(id) + "' not found");
}

}  // namespace engram
