// `engram kv put|get|list|delete`: namespaced JSON values.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cli/args.h"
#include "cli/context.h"
#include "cli/output.h"
#include "engram/int_ranges.h"

namespace engram::cli {
namespace {

struct KeyArgs {
  std::string ns, key;
};

void BindKey(CLI::App* cmd, KeyArgs& k) {
  cmd->add_option("namespace", k.ns, "Namespace, e.g. the agent's name")->required();
  cmd->add_option("key", k.key, "Key")->required();
}

void AddPut(CLI::App& parent, Context& ctx) {
  struct Args {
    KeyArgs k;
    std::string value;
    std::int64_t ttl_seconds = 0, expect_version = 0;
    CLI::Option* ttl_opt = nullptr;
    CLI::Option* expect_opt = nullptr;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("put", "Store a JSON value (bumps its version)");
  BindKey(cmd, a->k);
  cmd->add_option("value", a->value, "The value as JSON; - reads stdin")->required();
  a->ttl_opt = cmd->add_option("--ttl", a->ttl_seconds, "Expire after this many seconds");
  a->expect_opt = cmd->add_option("--expect-version", a->expect_version,
                                  "Only if the current version is this (0: key must not exist)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::string text, ReadTextArg(a->value, c.in(), "value"));
    ENGRAM_ASSIGN_OR_RETURN(Json value, ParseJson(text, "value"));
    KvPutOptions options;
    if (a->ttl_opt->count() > 0) {
      // The Engine checks the range in ms; this keeps the conversion from
      // overflowing first.
      if (a->ttl_seconds <= 0 || a->ttl_seconds > kMaxKvTtlSeconds) {
        return Status::InvalidArgument("--ttl must be in 1.." + std::to_string(kMaxKvTtlSeconds) +
                                       " seconds (100 years), got " +
                                       std::to_string(a->ttl_seconds));
      }
      options.ttl_ms = a->ttl_seconds * 1000;
    }
    options.expected_version = IfGiven(a->expect_opt, a->expect_version);
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(KvEntry entry, engine->KvPut(a->k.ns, a->k.key, value, options));
    c.Emit(ToJson(entry), [&](std::ostream& os) {
      os << "put " << entry.ns << "/" << entry.key << " (version " << entry.version << ")\n";
    });
    return Status::Ok();
  });
}

void AddGet(CLI::App& parent, Context& ctx) {
  auto k = std::make_shared<KeyArgs>();
  CLI::App* cmd = parent.add_subcommand("get", "Show a value with its version and expiry");
  BindKey(cmd, *k);
  OnRun(cmd, ctx, [k](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(KvEntry entry, engine->KvGet(k->ns, k->key));
    c.Emit(ToJson(entry), [&](std::ostream& os) { PrintKvEntry(os, entry); });
    return Status::Ok();
  });
}

void AddList(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string ns, prefix;
    int limit = 100;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("list", "List a namespace's keys, ascending");
  cmd->add_option("namespace", a->ns, "Namespace")->required();
  cmd->add_option("--prefix", a->prefix, "Only keys starting with this");
  cmd->add_option("--limit", a->limit, "At most this many (1..10000)")->capture_default_str();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(std::vector<KvEntry> entries,
                            engine->KvList(a->ns, a->prefix, a->limit));
    c.Emit(JsonArray(entries), [&](std::ostream& os) { PrintKvList(os, entries); });
    return Status::Ok();
  });
}

void AddDelete(CLI::App& parent, Context& ctx) {
  auto k = std::make_shared<KeyArgs>();
  CLI::App* cmd = parent.add_subcommand("delete", "Delete a key");
  BindKey(cmd, *k);
  OnRun(cmd, ctx, [k](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_RETURN_IF_ERROR(engine->KvDelete(k->ns, k->key));
    EmitDeleted(c, "kv", k->ns + "/" + k->key);
    return Status::Ok();
  });
}

}  // namespace

void AddKvCommands(CLI::App& app, Context& ctx) {
  CLI::App* kv = app.add_subcommand("kv", "Namespaced JSON values with versions and expiry");
  kv->require_subcommand(1);
  AddPut(*kv, ctx);
  AddGet(*kv, ctx);
  AddList(*kv, ctx);
  AddDelete(*kv, ctx);
}

}  // namespace engram::cli
