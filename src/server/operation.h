// OperationTable: engram's one dispatch table.
//
// Every operation an agent can perform (episodes, steps, lessons, kv,
// health, metrics, ...) is defined once here: name, description, JSON Schema
// of its input, JSON Schema of its output, and handler. The MCP server, the
// NDJSON server and `engram call` all dispatch through the same table, so no
// operation exists in one interface and not another.
//
// Call() validates the arguments against the input schema before the
// handler runs, so a published schema and the accepted input never drift.
//
// Ownership: the table borrows the Engine, which must outlive it.
// Thread safety: immutable after construction; Call is as thread-safe as the
// Engine (which is safe for concurrent use).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engram/engine.h"
#include "engram/json.h"
#include "engram/status.h"

namespace engram::server {

struct Operation {
  std::string name;                  // "start_episode"
  std::vector<std::string> aliases;  // other accepted names ("create_episode")
  std::string title;                 // short human title
  std::string description;           // written for an LLM choosing a tool
  Json input_schema;                 // JSON Schema of the arguments (an object)
  Json output_schema;                // JSON Schema of the result (an object)
  bool read_only = false;            // true if it never writes
  bool destructive = false;          // true if it deletes data
  std::function<Result<Json>(Engine&, const Json&)> handler;
};

class OperationTable {
 public:
  explicit OperationTable(Engine& engine);

  // All operations in definition order.
  const std::vector<Operation>& operations() const { return ops_; }
  // By name or alias; nullptr if unknown.
  const Operation* Find(const std::string& name) const;
  // Validates `arguments` (null counts as {}) and runs the handler.
  // NotFound if `name` is unknown.
  Result<Json> Call(const std::string& name, const Json& arguments) const;

 private:
  void Add(Operation op);

  Engine& engine_;
  std::vector<Operation> ops_;
  std::map<std::string, std::size_t> index_;  // name or alias -> position in ops_
};

// Registration, one function per concept (ops_*.cc).
void AddEpisodeOperations(std::vector<Operation>& ops);
void AddLessonOperations(std::vector<Operation>& ops);
void AddKvOperations(std::vector<Operation>& ops);
void AddSystemOperations(std::vector<Operation>& ops);
void AddSearchOperations(std::vector<Operation>& ops);         // ops_search.cc
void AddPatternOperations(std::vector<Operation>& ops);        // ops_patterns.cc
void AddFeedbackOperations(std::vector<Operation>& ops);       // ops_feedback.cc
void AddContradictionOperations(std::vector<Operation>& ops);  // ops_contradictions.cc
void AddInsightOperations(std::vector<Operation>& ops);        // ops_insights.cc
void AddCandidateOperations(std::vector<Operation>& ops);      // ops_candidates.cc

}  // namespace engram::server
