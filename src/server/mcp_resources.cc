// MCP resources: lessons and episodes browsable by URI
// (engram://lessons/{id}, engram://episodes/{id}).
#include <string>

#include "engram/project_scope.h"
#include "server/mcp_server.h"

namespace engram::server {
namespace {

constexpr const char* kLessonPrefix = "engram://lessons/";
constexpr const char* kEpisodePrefix = "engram://episodes/";
constexpr int kListedPerKind = 50;

Json Resource(const std::string& uri, const std::string& name, const std::string& title) {
  return {{"uri", uri}, {"name", name}, {"title", title}, {"mimeType", "application/json"}};
}

// Unknown ids become MCP's "Resource not found"; other failures pass through.
Status NotFoundAsResource(const Status& st, const std::string& uri) {
  return st.IsNotFound() ? Status::NotFound("Resource not found: " + uri) : st;
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// params.project of resources/list and resources/read: "" when absent.
Result<std::string> ProjectParam(const Json& params, const char* method) {
  if (!params.is_object() || !params.contains("project")) return std::string();
  if (!params["project"].is_string()) {
    return Status::InvalidArgument(std::string(method) + " params.project must be a string");
  }
  return params["project"].get<std::string>();
}

}  // namespace

Result<Json> McpServer::ListResources(const Json& params) {
  // The project you work in: global items plus its own, never another
  // project's; no project: global items only (as search_lessons).
  ENGRAM_ASSIGN_OR_RETURN(std::string project, ProjectParam(params, "resources/list"));
  Json resources = Json::array();
  LessonFilter lf;
  lf.limit = kListedPerKind;
  if (project.empty()) {
    lf.scope = LessonScope::kGlobal;
  } else {
    lf.project = project;
  }
  ENGRAM_ASSIGN_OR_RETURN(auto lessons, engine_.ListLessons(lf));
  for (const Lesson& l : lessons) {
    resources.push_back(Resource(kLessonPrefix + l.id, "lesson-" + l.id,
                                 "[" + std::string(ToString(l.type)) + "] " + l.title));
  }
  EpisodeFilter ef;
  ef.limit = kListedPerKind;
  ef.visible_to = project;
  ENGRAM_ASSIGN_OR_RETURN(auto episodes, engine_.ListEpisodes(ef));
  for (const EpisodeSummary& e : episodes) {
    resources.push_back(Resource(kEpisodePrefix + e.id, "episode-" + e.id, e.description));
  }
  return Json{{"resources", std::move(resources)}};
}

Json McpServer::ListResourceTemplates() const {
  return {{"resourceTemplates",
           {{{"uriTemplate", std::string(kLessonPrefix) + "{id}"},
             {"name", "lesson"},
             {"title", "A lesson"},
             {"description", "One lesson with its metadata, as JSON."},
             {"mimeType", "application/json"}},
            {{"uriTemplate", std::string(kEpisodePrefix) + "{id}"},
             {"name", "episode"},
             {"title", "An episode"},
             {"description", "One episode with steps, reward and reflection, as JSON."},
             {"mimeType", "application/json"}}}}};
}

Result<Json> McpServer::ReadResource(const Json& params) {
  auto it = params.find("uri");
  if (it == params.end() || !it->is_string()) {
    return Status::InvalidArgument("resources/read needs params.uri (a string)");
  }
  const std::string uri = it->get<std::string>();
  // With params.project, another project's item is "not found" too.
  std::optional<std::string> project;
  if (params.contains("project")) {
    ENGRAM_ASSIGN_OR_RETURN(project, ProjectParam(params, "resources/read"));
  }
  Json body;
  if (StartsWith(uri, kLessonPrefix)) {
    auto lesson = engine_.GetLesson(uri.substr(std::string(kLessonPrefix).size()));
    if (!lesson.ok()) return NotFoundAsResource(lesson.status(), uri);
    Status visible = RequireVisible(ProjectOf(*lesson), project, "lesson", lesson->id);
    if (!visible.ok()) return NotFoundAsResource(visible, uri);
    body = ToJson(*lesson);
  } else if (StartsWith(uri, kEpisodePrefix)) {
    auto episode = engine_.GetEpisode(uri.substr(std::string(kEpisodePrefix).size()));
    if (!episode.ok()) return NotFoundAsResource(episode.status(), uri);
    Status visible = RequireVisible(episode->context.project, project, "episode", episode->id);
    if (!visible.ok()) return NotFoundAsResource(visible, uri);
    body = ToJson(*episode);
  } else {
    return Status::InvalidArgument("unknown resource URI '" + uri +
                                   "' (expected engram://lessons/{id} or engram://episodes/{id})");
  }
  return Json{{"contents",
               {{{"uri", uri},
                 {"mimeType", "application/json"},
                 {"text", body.dump(2, ' ', false, Json::error_handler_t::replace)}}}}};
}

}  // namespace engram::server
