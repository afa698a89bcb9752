#include "server/ndjson_dropin.h"

#include "engram/lesson.h"
#include "engram/lesson_record.h"

namespace engram::server {

bool IsDropInAction(std::string_view action) { return action == "add" || action == "search"; }

void AddDropInLists(std::string_view action, Json& result) {
  Json ids = Json::array();
  Json documents = Json::array();
  Json metadatas = Json::array();
  const auto append = [&](const Json& lesson_json) {
    Result<Lesson> lesson = LessonFromJson(lesson_json);
    if (!lesson.ok()) return;
    ids.push_back(lesson->id);
    documents.push_back(lesson->content);
    metadatas.push_back(RecordMetadata(*lesson));
  };
  if (action == "add") {
    append(result);
  } else if (auto it = result.find("results"); it != result.end() && it->is_array()) {
    for (const Json& hit : *it) {
      if (hit.is_object() && hit.contains("lesson")) append(hit["lesson"]);
    }
  }
  result["ids"] = std::move(ids);
  result["documents"] = std::move(documents);
  result["metadatas"] = std::move(metadatas);
}

}  // namespace engram::server
