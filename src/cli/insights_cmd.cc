// `engram clusters`, `engram profiles`, `engram lesson promote`
// (docs/LEARNING.md). `clusters` uses the configured embedder like
// `engram search` (ENGRAM_EMBEDDER); --text clusters by TF-IDF text vectors
// instead, as does ENGRAM_EMBEDDER=none (saying so). An embedder that
// cannot be opened is an error, never a silent fallback. `audit` renders
// every section of the report as text (--json: the report's JSON).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "cli/context.h"
#include "cli/insight_cmds.h"
#include "core/similarity.h"
#include "engram/audit.h"
#include "engram/clusters.h"
#include "engram/embedder.h"
#include "engram/engine.h"
#include "engram/opinion_profile.h"
#include "engram/promotion.h"

namespace engram::cli {
namespace {

// The Engine for `clusters`. --text needs no embedder, so none is opened.
// Otherwise the configured one (ENGRAM_EMBEDDER) must open: one that cannot
// is an error, never a silent fallback; ENGRAM_EMBEDDER=none clusters by
// text vectors and the report says why.
Result<std::unique_ptr<Engine>> OpenForClusters(Context& c, bool text_only) {
  EngineOptions options;
  if (!text_only) {
    ENGRAM_ASSIGN_OR_RETURN(EmbedderConfig config, EmbedderConfigFromEnv());
    if (config.kind == EmbedderKind::kNone) {
      options.no_embedder_reason = kEmbedderNoneReason;
    } else {
      auto embedder = OpenEmbedder(config);
      if (!embedder.ok()) {
        return Status(embedder.status().code(),
                      embedder.status().message() + " (use --text to cluster by text vectors)");
      }
      options.embedder = std::shared_ptr<const Embedder>(std::move(*embedder));
    }
  }
  return Engine::OpenSqlite(c.DbPath(), options);
}

void PrintClusters(std::ostream& os, const ClusterReport& r) {
  if (!r.note.empty()) os << "(" << r.note << ")\n";
  os << r.clusters.size() << " clusters of " << r.lessons << " lessons (" << r.vectors
     << " vectors, min similarity " << Fixed(r.min_similarity, 2) << ")\n";
  for (const LessonCluster& c : r.clusters) {
    std::string label;
    for (const std::string& t : c.label) label += (label.empty() ? "" : ", ") + t;
    os << "#" << c.id << " [" << label << "]  " << c.members.size() << " lessons, cohesion "
       << Fixed(c.cohesion, 2) << ", mean confidence " << Fixed(c.mean_confidence, 2);
    for (const std::string& f : c.flags) os << "  !" << f;
    os << "\n";
    for (const ClusterMember& m : c.members) {
      os << "   - " << m.title << "  (" << ToString(m.type) << ", " << m.topic << ", "
         << Fixed(m.confidence, 2) << ", " << m.id << ")\n";
    }
  }
}

void AddClusters(CLI::App& app, Context& ctx) {
  struct Args {
    std::string project;
    double min_similarity = 0;
    int max_lessons = 2000, label_terms = 3;
    bool deprecated = false, text = false;
    CLI::Option* min_sim_opt = nullptr;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("clusters", "Group lessons into labelled themes");
  cmd->add_option("--project", a->project, "Global lessons plus this project's");
  a->min_sim_opt = cmd->add_option("--min-similarity", a->min_similarity,
                                   "Merge threshold (default 0.5 embeddings, 0.2 text)");
  cmd->add_option("--max-lessons", a->max_lessons, "Cluster the newest N lessons")
      ->capture_default_str();
  cmd->add_option("--label-terms", a->label_terms, "Terms per label")->capture_default_str();
  cmd->add_flag("--include-deprecated", a->deprecated, "Include deprecated lessons");
  cmd->add_flag("--text", a->text, "Cluster by TF-IDF text vectors (no embedder)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ClusterRequest r;
    if (!a->project.empty()) r.project = a->project;
    if (a->min_sim_opt->count() > 0) r.min_similarity = a->min_similarity;
    r.max_lessons = a->max_lessons;
    r.label_terms = a->label_terms;
    r.include_deprecated = a->deprecated;
    r.text_vectors = a->text;
    ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, OpenForClusters(c, a->text));
    ENGRAM_ASSIGN_OR_RETURN(ClusterReport report, engine->clusterer().Cluster(r));
    c.Emit(ToJson(report), [&](std::ostream& os) { PrintClusters(os, report); });
    return Status::Ok();
  });
}

void AddProfiles(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "profiles", "Opinion profiles for --profile (custom: kv namespace 'profiles')");
  OnRun(cmd, ctx, [](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(std::vector<OpinionProfile> profiles, engine->ListOpinionProfiles());
    Json out = Json::array();
    for (const OpinionProfile& p : profiles) out.push_back(ToJson(p));
    c.Emit(Json{{"profiles", out}}, [&](std::ostream& os) {
      for (const OpinionProfile& p : profiles) {
        os << p.name << " (" << p.source << "): confidence " << Fixed(p.confidence, 2)
           << ", recency " << Fixed(p.recency, 2) << ", novelty " << Fixed(p.novelty, 2)
           << ", safety " << Fixed(p.safety, 2);
        if (!p.description.empty()) os << " - " << p.description;
        os << "\n";
      }
    });
    return Status::Ok();
  });
}

void AddPromote(CLI::App& lesson, Context& ctx) {
  struct Args {
    std::string id, reason;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = lesson.add_subcommand(
      "promote", "Make a project lesson global (the project version stays in its history)");
  cmd->add_option("id", a->id, "Lesson id")->required();
  cmd->add_option("--reason", a->reason, "Why it applies everywhere (kept in the history)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(Lesson lesson, engine->PromoteLesson(a->id, a->reason));
    c.Emit(ToJson(lesson), [&](std::ostream& os) {
      os << "promoted lesson " << lesson.id << " to global (version " << lesson.version << ")\n";
    });
    return Status::Ok();
  });
}

void PrintAuditLessons(std::ostream& os, const char* heading, const std::vector<AuditLesson>& v,
                       bool idle) {
  os << heading << " (" << v.size() << ")\n";
  for (const AuditLesson& l : v) {
    os << "   - " << l.title << "  (" << l.topic << ", confidence " << Fixed(l.confidence, 2);
    if (l.retrievals > 0) os << ", returned " << l.retrievals << " times";
    if (l.uses > 0) os << ", " << l.uses << " uses";
    if (idle) os << ", idle " << static_cast<long long>(l.days_idle) << " days";
    os << ", " << l.id << ")\n";
  }
}

using LessonTitles = std::map<std::string, std::string>;  // lesson id -> title

// A section of lesson pairs (contradictions, duplicates): per pair the two
// titles, then what `detail` says of it and the two ids.
void PrintAuditPairs(std::ostream& os, const char* heading, const AuditSection& s,
                     const LessonTitles& titles,
                     const std::function<std::string(const Json&)>& detail) {
  if (!s.available) {
    os << heading << ": not available (" << s.note << ")\n";
    return;
  }
  os << heading << " (" << s.items.size() << ")\n";
  auto title = [&](const std::string& id) {
    auto it = titles.find(id);
    return it == titles.end() ? id : it->second;
  };
  for (const Json& item : s.items) {
    const std::string a = item.value("lesson_a", "");
    const std::string b = item.value("lesson_b", "");
    os << "   - " << title(a) << " <> " << title(b) << "\n     " << detail(item) << "\n"
       << "     lessons " << a << ", " << b << "\n";
  }
  if (!s.note.empty()) os << "   (" << s.note << ")\n";
}

void PrintAudit(std::ostream& os, const AuditReport& r, const LessonTitles& titles) {
  os << r.lessons << " lessons (" << r.global << " global";
  for (const auto& [p, n] : r.per_project) os << ", " << n << " in " << p;
  os << "), " << r.deprecated << " deprecated\n";
  PrintAuditLessons(os, "most used", r.most_used, false);
  PrintAuditLessons(os, "low confidence", r.low_confidence, false);
  PrintAuditLessons(os, "stale", r.stale, true);
  os << "thin or weak topics (" << r.weak_topics.size() << ")\n";
  for (const AuditTopic& t : r.weak_topics) {
    std::string why;
    for (const std::string& x : t.reasons) why += (why.empty() ? "" : ", ") + x;
    os << "   - " << t.topic << ": " << t.lessons << " lessons, mean confidence "
       << Fixed(t.mean_confidence, 2) << " (" << why << ")\n";
  }
  PrintAuditPairs(os, "open contradictions", r.open_contradictions, titles, [](const Json& x) {
    return x.value("reason", "") + "  (contradiction " + x.value("id", "") + ")";
  });
  PrintAuditPairs(os, "duplicate candidates", r.duplicate_candidates, titles, [](const Json& x) {
    return "similarity " + Fixed(x.value("score", 0.0), 2) + " (" + x.value("reason", "") + ")";
  });
}

// The titles of the lessons the report's pairs name (a lesson that cannot
// be read is shown by its id).
LessonTitles PairTitles(Engine& engine, const AuditReport& r) {
  LessonTitles titles;
  for (const AuditSection* s : {&r.open_contradictions, &r.duplicate_candidates}) {
    for (const Json& item : s->items) {
      for (const char* side : {"lesson_a", "lesson_b"}) {
        const std::string id = item.value(side, "");
        if (id.empty() || titles.count(id) > 0) continue;
        auto lesson = engine.GetLesson(id);
        if (lesson.ok()) titles[id] = lesson->title;
      }
    }
  }
  return titles;
}

void AddAudit(CLI::App& app, Context& ctx) {
  struct Args {
    std::string project;
    AuditOptions o;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("audit", "Health report of the lessons");
  cmd->add_option("--project", a->project, "Global lessons plus this project's");
  cmd->add_option("--top", a->o.top, "Entries per list")->capture_default_str();
  cmd->add_option("--low-confidence", a->o.low_confidence, "Confidence below this is low")
      ->capture_default_str();
  cmd->add_option("--stale-days", a->o.stale_days, "Idle this many days is stale")
      ->capture_default_str();
  cmd->add_option("--thin-topic-lessons", a->o.thin_topic_lessons,
                  "A topic with at most this many lessons is thin")
      ->capture_default_str();
  cmd->add_option("--weak-topic-confidence", a->o.weak_topic_confidence,
                  "A topic with a lower mean confidence is weak")
      ->capture_default_str();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    AuditOptions o = a->o;
    if (!a->project.empty()) o.project = a->project;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(AuditReport report, engine->auditor().Run(o));
    const LessonTitles titles = c.json() ? LessonTitles() : PairTitles(*engine, report);
    c.Emit(ToJson(report), [&](std::ostream& os) { PrintAudit(os, report, titles); });
    return Status::Ok();
  });
}

}  // namespace

void AddInsightCommands(CLI::App& app, Context& ctx) {
  AddClusters(app, ctx);
  AddAudit(app, ctx);
  AddProfiles(app, ctx);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_name() == "lesson") AddPromote(*sub, ctx);
  }
}

}  // namespace engram::cli
