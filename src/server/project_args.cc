// The `project` argument of the reads by id (project_args.h).
#include "server/project_args.h"

#include "server/json_schema.h"

namespace engram::server {

Json WithReadProject(Json schema) {
  schema["properties"]["project"] = js::Str(
      "The project you work in: an item of another project is not_found (default: no "
      "check).");
  return schema;
}

}  // namespace engram::server
