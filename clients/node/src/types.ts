// Types of engram's operations, matching the JSON Schemas the server
// publishes (`describe` over NDJSON, `tools/list` over MCP; defined in
// src/server/model_schemas.cc and src/server/ops_*.cc). Field names are the
// wire names (snake_case); timestamps are integer milliseconds since the
// epoch; optional fields are omitted by the server when unset.
//
// A barrel only: the base types are in model_types.ts, which the other type
// modules import, so no module imports this one back (no import cycle).

export * from "./model_types.js";
export * from "./search_types.js";
export * from "./learning_types.js";
