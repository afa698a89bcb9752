// The servers and the generic operation call. `call` makes every operation
// of the dispatch table reachable from the command line with the same JSON
// arguments and output as MCP and NDJSON.
#include "cli/serve_cmd.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <stop_token>
#include <thread>

#include "cli/args.h"
#include "cli/output.h"
#include "server/line_server.h"
#include "server/mcp_server.h"
#include "server/ndjson_server.h"
#include "server/operation.h"

namespace engram::cli {
namespace {

struct ServeArgs {
  bool ndjson = false;
  std::size_t max_message_bytes = server::LineServerOptions{}.max_line_bytes;
  bool no_warm = false;
};

// Serves `framing` (McpServer or NdjsonServer) on stdin/stdout until EOF or
// SIGTERM.
template <typename Framing>
Status ServeStdio(Context& c, const ServeArgs& args) {
  // A server answers every search at once: the index loads, rebuilds and
  // embeds imported lessons in the background meanwhile.
  c.set_background_index(true);
  ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
  server::OperationTable table(*engine);
  auto framing = [&]() {
    if constexpr (std::is_same_v<Framing, server::McpServer>) {
      return server::McpServer(table, *engine);
    } else {
      return server::NdjsonServer(table);
    }
  }();
  server::LineServerOptions options;
  options.max_line_bytes = args.max_message_bytes;
  server::InstallStopSignalHandlers();
  // Loads the index and the frequent words' postings while the first
  // requests are served (Engine::Warm); stopped and joined on return. A
  // failure only means the queries load what they need themselves; it
  // shows in get_metrics.
  std::jthread warm;
  if (!args.no_warm) {
    warm = std::jthread([engine](std::stop_token stop) {
      WarmOptions o;
      o.stop = std::move(stop);
      (void)engine->Warm(o);
    });
  }
  return server::ServeLines(
      STDIN_FILENO, c.out(), [&](std::string_view line) { return framing.HandleLine(line); },
      [&](std::size_t bytes) -> std::optional<std::string> {
        return framing.OversizedResponse(bytes, options.max_line_bytes);
      },
      options);
}

void AddServeOptions(CLI::App* cmd, ServeArgs& args) {
  cmd->add_option("--max-message-bytes", args.max_message_bytes,
                  "Largest accepted message; longer ones get an error reply")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
  cmd->add_flag("--no-warm", args.no_warm,
                "Do not load the vector index and the frequent words' postings in the "
                "background at start-up (the first queries load what they need)");
}

}  // namespace

void AddServerCommands(CLI::App& app, Context& ctx) {
  auto mcp_args = std::make_shared<ServeArgs>();
  CLI::App* mcp = app.add_subcommand(
      "mcp", "Serve the Model Context Protocol on stdin/stdout (for Claude Code, Cursor, ...)");
  AddServeOptions(mcp, *mcp_args);
  OnRun(mcp, ctx, [mcp_args](Context& c) { return ServeStdio<server::McpServer>(c, *mcp_args); });

  auto serve_args = std::make_shared<ServeArgs>();
  CLI::App* serve = app.add_subcommand(
      "serve", "Serve the NDJSON protocol on stdin/stdout (for Electron/Node apps)");
  serve->add_flag("--ndjson", serve_args->ndjson, "NDJSON framing (the only one; required)")
      ->required();
  AddServeOptions(serve, *serve_args);
  OnRun(serve, ctx,
        [serve_args](Context& c) { return ServeStdio<server::NdjsonServer>(c, *serve_args); });

  struct CallArgs {
    std::string op;
    std::string args = "{}";
  };
  auto call_args = std::make_shared<CallArgs>();
  CLI::App* call = app.add_subcommand(
      "call", "Run any operation of the dispatch table with JSON arguments (see `engram ops`)");
  call->add_option("operation", call_args->op, "Operation name, e.g. start_episode")->required();
  call->add_option("arguments", call_args->args, "Arguments as a JSON object; - reads stdin")
      ->capture_default_str();
  OnRun(call, ctx, [call_args](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::string text, ReadTextArg(call_args->args, c.in(), "arguments"));
    ENGRAM_ASSIGN_OR_RETURN(Json args, ParseJson(text, "arguments"));
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    server::OperationTable table(*engine);
    ENGRAM_ASSIGN_OR_RETURN(Json result, table.Call(call_args->op, args));
    c.Emit(result, [&](std::ostream& os) { os << result.dump(2) << "\n"; });
    return Status::Ok();
  });

  CLI::App* ops = app.add_subcommand("ops", "List the operations of the dispatch table");
  OnRun(ops, ctx, [](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    server::OperationTable table(*engine);
    Json list = Json::array();
    for (const auto& op : table.operations()) {
      list.push_back({{"name", op.name},
                      {"aliases", op.aliases},
                      {"description", op.description},
                      {"input_schema", op.input_schema},
                      {"output_schema", op.output_schema}});
    }
    c.Emit(Json{{"operations", list}}, [&](std::ostream& os) {
      // Columns sized to the longest name, so a long one never runs into
      // its title.
      Table rows({"operation", "title"});
      for (const auto& op : table.operations()) rows.Add({op.name, op.title});
      rows.Print(os);
    });
    return Status::Ok();
  });
}

}  // namespace engram::cli
