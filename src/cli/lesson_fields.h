// LessonTextFields: the lesson text options (--type --topic --title
// --content --confidence --tag) that `lesson add|update` and
// `candidates edit|approve` share, bound once and turned into the optional
// fields of a LessonPatch or CandidatePatch (only the options given).
//
// Ownership: the struct owns the parsed strings; the Option pointers are
// owned by the CLI::App the fields were bound to, which must outlive them.
// Thread safety: used on the CLI thread only.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.h"
#include "cli/context.h"
#include "engram/lesson.h"

namespace engram::cli {

struct LessonTextFields {
  std::string type = "best_practice", topic, title, content;
  double confidence = 0.5;
  std::vector<std::string> tags;
  CLI::Option* type_opt = nullptr;
  CLI::Option* topic_opt = nullptr;
  CLI::Option* title_opt = nullptr;
  CLI::Option* content_opt = nullptr;
  CLI::Option* confidence_opt = nullptr;
  CLI::Option* tags_opt = nullptr;

  void Bind(CLI::App* cmd, const std::string& tag_help) {
    type_opt = cmd->add_option("--type", type,
                               "best_practice, anti_pattern, gotcha, heuristic or example");
    topic_opt = cmd->add_option("--topic", topic, "Topic, e.g. testing");
    title_opt = cmd->add_option("--title", title, "One-line summary");
    content_opt = cmd->add_option("--content", content, "The lesson text; - reads stdin");
    confidence_opt = cmd->add_option("--confidence", confidence, "Confidence in [0, 1]");
    tags_opt = cmd->add_option("--tag", tags, tag_help);
  }

  // Sets the fields of `patch` whose option was given; --content - reads
  // the context's stdin.
  template <typename Patch>
  [[nodiscard]] Status Fill(Context& ctx, Patch& patch) const {
    if (type_opt->count() > 0) {
      ENGRAM_ASSIGN_OR_RETURN(patch.type,
                              ParseEnumArg<LessonType>(ParseLessonType, type, "--type"));
    }
    if (content_opt->count() > 0) {
      ENGRAM_ASSIGN_OR_RETURN(patch.content, ReadTextArg(content, ctx.in(), "--content"));
    }
    patch.topic = IfGiven(topic_opt, topic);
    patch.title = IfGiven(title_opt, title);
    patch.confidence = IfGiven(confidence_opt, confidence);
    patch.tags = IfGiven(tags_opt, tags);
    return Status::Ok();
  }
};

}  // namespace engram::cli
