// `engram search`, `engram context`, `engram reindex`: retrieval from the
// command line (docs/RETRIEVAL.md). The Engine has the configured embedder
// (Context::OpenEngine: ENGRAM_EMBEDDER, default the native USE Lite model);
// --bm25 asks for keyword search only. There is no silent fallback: every
// BM25-only result says why.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/context.h"
#include "cli/output.h"
#include "cli/render_context.h"
#include "cli/retrieval_cmds.h"
#include "core/similarity.h"
#include "engram/embedder.h"
#include "engram/engine.h"
#include "engram/store_files.h"

namespace engram::cli {
namespace {

void PrintLesson(std::ostream& os, int rank, const LessonResult& r, bool explain) {
  os << rank << ". [" << Fixed(r.score, 3) << "] " << r.lesson.title << "  ("
     << ToString(r.lesson.type) << ", " << r.lesson.topic << ", " << r.lesson.id << ")\n";
  os << "   " << r.lesson.content << "\n";
  if (!r.warning.empty()) os << "   warning: " << r.warning << "\n";
  if (explain) os << "   explanation: " << ToJson(r.explanation).dump() << "\n";
}

// --min-relevance of search and context (docs/RETRIEVAL.md, "Absolute relevance").
void AddMinRelevance(CLI::App& cmd, std::optional<double>& into) {
  cmd.add_option("--min-relevance", into,
                 "Drop results below this absolute relevance (0..1; default: the calibrated "
                 "threshold; 0 keeps every result)")
      ->check(CLI::Range(0.0, 1.0));
}

// What the human output says when nothing reached the threshold.
std::string NothingRelevant(const std::optional<LessonResult>& near_miss) {
  std::string out = "no relevant memory";
  if (near_miss) {
    out += " (nearest miss: \"" + near_miss->lesson.title + "\", relevance " +
           Fixed(near_miss->explanation.absolute_relevance, 2) + ")";
  }
  return out;
}

void AddSearch(CLI::App& app, Context& ctx) {
  struct Args {
    std::string query, project, type, topic, profile;
    std::vector<std::string> tags;
    double min_confidence = 0;
    std::optional<double> min_relevance;
    int limit = 10, budget = 0;
    bool deprecated = false, explain = false, bm25 = false, no_mmr = false, no_expand = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("search", "Search lessons by keywords and meaning");
  cmd->add_option("query", a->query, "What you need to know")->required();
  cmd->add_option("--project", a->project, "Include this project's lessons");
  cmd->add_option("--type", a->type, "Only this lesson type");
  cmd->add_option("--topic", a->topic, "Only this topic");
  cmd->add_option("--tag", a->tags, "Lessons carrying this tag (repeatable)");
  cmd->add_option("--min-confidence", a->min_confidence, "Minimum confidence");
  cmd->add_option("--limit", a->limit, "Maximum results (1..100)")->capture_default_str();
  cmd->add_option("--budget", a->budget, "Pack the best results into this many tokens");
  cmd->add_flag("--include-deprecated", a->deprecated, "Include deprecated lessons");
  cmd->add_flag("--explain", a->explain, "Print every score component");
  cmd->add_flag("--bm25", a->bm25, "Keyword search only (no embedder)");
  cmd->add_flag("--no-diversify", a->no_mmr, "Do not apply MMR");
  cmd->add_option("--profile", a->profile,
                  "Opinion profile: default, pragmatic, strict, startup, enterprise or custom");
  cmd->add_flag("--no-expand", a->no_expand, "Do not expand the query with related terms");
  AddMinRelevance(*cmd, a->min_relevance);
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    SearchRequest r;
    r.query = a->query;
    if (!a->project.empty()) r.project = a->project;
    if (!a->type.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(r.type, ParseLessonType(a->type));
    }
    if (!a->topic.empty()) r.topic = a->topic;
    r.tags = a->tags;
    if (a->min_confidence > 0) r.min_confidence = a->min_confidence;
    r.include_deprecated = a->deprecated;
    r.limit = a->limit;
    r.token_budget = a->budget;
    r.diversify = !a->no_mmr;
    r.profile = a->profile;
    r.expand = !a->no_expand;
    r.min_relevance = a->min_relevance;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine(a->bm25));
    ENGRAM_ASSIGN_OR_RETURN(SearchResponse resp, engine->SearchLessons(r));
    c.Emit(ToJson(resp), [&](std::ostream& os) {
      if (!resp.note.empty()) os << "(" << resp.note << ")\n";
      if (a->explain) {
        os << "profile: " << resp.profile.value("name", "default") << "\n";
        for (const QueryExpansion& x : resp.expansions) {
          os << "expanded: " << x.term << " (" << x.source << " of " << x.from << ")\n";
        }
      }
      if (resp.results.empty()) os << NothingRelevant(resp.near_miss) << "\n";
      int i = 0;
      for (const auto& x : resp.results) PrintLesson(os, ++i, x, a->explain);
    });
    return Status::Ok();
  });
}

void AddContext(CLI::App& app, Context& ctx) {
  struct Args {
    std::string description, language, framework, domain, project, task_type, profile;
    int episodes = 5, lessons = 5, budget = 0;
    bool bm25 = false, other_projects = false;
    std::optional<double> min_relevance;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "context", "Past episodes and lessons relevant to a new task (retrieve_context)");
  cmd->add_option("description", a->description, "The new task")->required();
  cmd->add_option("--language", a->language, "Programming language");
  cmd->add_option("--framework", a->framework, "Framework");
  cmd->add_option("--domain", a->domain, "Domain");
  cmd->add_option("--project", a->project,
                  "Project: its episodes and lessons plus global ones (never another project's)");
  cmd->add_flag("--include-other-projects", a->other_projects,
                "Also show other projects' episodes");
  cmd->add_option("--task-type", a->task_type, "Kind of task");
  cmd->add_option("--episodes", a->episodes, "Maximum episodes")->capture_default_str();
  cmd->add_option("--lessons", a->lessons, "Maximum lessons")->capture_default_str();
  cmd->add_option("--budget", a->budget, "Token budget for the lessons");
  cmd->add_flag("--bm25", a->bm25, "Keyword search only (no embedder)");
  cmd->add_option("--profile", a->profile, "Opinion profile of the lesson ranking");
  AddMinRelevance(*cmd, a->min_relevance);
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ContextRequest r;
    r.min_relevance = a->min_relevance;
    r.profile = a->profile;
    r.description = a->description;
    r.context.language = a->language;
    r.context.framework = a->framework;
    r.context.domain = a->domain;
    r.context.project = a->project;
    if (!a->task_type.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(r.task_type, ParseTaskType(a->task_type));
    }
    r.episode_limit = a->episodes;
    r.lesson_limit = a->lessons;
    r.token_budget = a->budget;
    r.include_other_projects = a->other_projects;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine(a->bm25));
    ENGRAM_ASSIGN_OR_RETURN(ContextResponse resp, engine->RetrieveContext(r));
    c.Emit(ToJson(resp), [&](std::ostream& os) {
      if (!resp.note.empty()) os << "(" << resp.note << ")\n";
      if (resp.no_relevant_memory) os << NothingRelevant(resp.lesson_near_miss) << "\n";
      os << "episodes:\n";
      if (resp.episodes.empty()) os << "  none\n";
      for (const auto& e : resp.episodes) {
        os << "  [" << Fixed(e.score, 3) << "] " << e.description << "  (" << e.id << ", "
           << e.outcome_kind.value_or("open") << ")\n";
        PrintWhatWorked(os, e.what_worked);
        if (e.reflection) {
          for (const auto& s : e.reflection->improvements) os << "    next time: " << s << "\n";
          // A task that worked says what fixed its failures above.
          if (!e.what_worked.worked) {
            for (const auto& s : e.reflection->failures) os << "    failed: " << s << "\n";
          }
        }
      }
      os << "lessons:\n";
      if (resp.lessons.empty()) os << "  none\n";
      int i = 0;
      for (const auto& x : resp.lessons) PrintLesson(os, ++i, x, false);
      PrintContextAdvice(os, resp);
    });
    return Status::Ok();
  });
}

void AddReindex(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "reindex", "Embed lessons whose embedding is missing or stale and rebuild the index");
  OnRun(cmd, ctx, [](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    const bool tty = !c.json() && ::isatty(STDERR_FILENO) == 1;
    ENGRAM_ASSIGN_OR_RETURN(int n, engine->ReindexLessons(ProgressBar(tty)));
    std::string model = engine->embedder()->model_id();
    c.Emit(Json{{"indexed", n}, {"model_id", model}, {"index", LessonIndexPath(c.DbPath())}},
           [&](std::ostream& os) { os << "indexed " << n << " lessons with " << model << "\n"; });
    return Status::Ok();
  });
}

}  // namespace

void AddSearchCommands(CLI::App& app, Context& ctx) {
  AddSearch(app, ctx);
  AddContext(app, ctx);
  AddReindex(app, ctx);
}

}  // namespace engram::cli
