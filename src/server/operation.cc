#include "server/operation.h"

#include <utility>

#include "server/json_schema.h"

namespace engram::server {

OperationTable::OperationTable(Engine& engine) : engine_(engine) {
  std::vector<Operation> ops;
  AddEpisodeOperations(ops);
  AddLessonOperations(ops);
  AddKvOperations(ops);
  AddSearchOperations(ops);
  AddPatternOperations(ops);
  AddFeedbackOperations(ops);
  AddContradictionOperations(ops);
  AddInsightOperations(ops);
  AddCandidateOperations(ops);
  AddSystemOperations(ops);
  for (auto& op : ops) Add(std::move(op));
}

void OperationTable::Add(Operation op) {
  const std::size_t pos = ops_.size();
  index_[op.name] = pos;
  for (const auto& alias : op.aliases) index_[alias] = pos;
  ops_.push_back(std::move(op));
}

const Operation* OperationTable::Find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &ops_[it->second];
}

Result<Json> OperationTable::Call(const std::string& name, const Json& arguments) const {
  const Operation* op = Find(name);
  if (op == nullptr) return Status::NotFound("unknown operation '" + name + "'");
  const Json args = arguments.is_null() ? Json::object() : arguments;
  ENGRAM_RETURN_IF_ERROR(ValidateJson(op->input_schema, args));
  try {
    return op->handler(engine_, args);
  } catch (const Json::exception& e) {
    // Handlers read validated input, so this is a bug, not bad input.
    return Status::Internal("operation '" + op->name + "' failed on JSON: " + e.what());
  }
}

}  // namespace engram::server
