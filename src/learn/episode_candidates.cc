// EpisodeCandidates (episode_candidates.h): the episode.recovery_gotcha and
// episode.repeated_failure rules.
#include "learn/episode_candidates.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <variant>

#include "core/similarity.h"
#include "core/step_analysis.h"

namespace engram::learn {
namespace {

std::string Code(std::string_view s, std::size_t max = 80) { return "`" + Shorten(s, max) + "`"; }

const Step* StepNumber(const Episode& e, int number) {
  for (const Step& s : e.steps) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

std::string StepLine(const Step& s) {
  std::string line = "step " + std::to_string(s.number) + " " + s.tool + " " + Code(s.action);
  if (s.result.status == StepStatus::kSuccess) return line + " ok";
  if (s.result.status == StepStatus::kTimeout) return line + " timed out";
  return line + " error: " + Shorten(s.result.output, 160);
}

// The reflection line that describes `rec`, if present.
std::string ReflectionLine(const Episode& e, const Recovery& rec) {
  if (!e.reflection) return "";
  const std::string needle = "(step " + std::to_string(rec.first_failed_step) + " -> step " +
                             std::to_string(rec.recovered_at_step) + ")";
  for (const std::string& s : e.reflection->successes) {
    if (s.find(needle) != std::string::npos) return s;
  }
  return "";
}

std::string TopicOf(const Episode& e) {
  if (!e.context.framework.empty()) return e.context.framework;
  if (!e.context.language.empty()) return e.context.language;
  return std::string(ToString(e.task_type));
}

std::vector<std::string> ContextTags(const Episode& e) {
  std::vector<std::string> tags;
  for (const std::string& t : {e.context.language, e.context.framework}) {
    std::string lower;
    for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!lower.empty() && std::find(tags.begin(), tags.end(), lower) == tags.end()) {
      tags.push_back(lower);
    }
  }
  tags.emplace_back("episode");
  return tags;
}

std::string Where(const Episode& e) {
  std::string ctx = e.context.language;
  if (!e.context.framework.empty()) ctx += (ctx.empty() ? "" : "/") + e.context.framework;
  return "a " + std::string(ToString(e.task_type)) + " task" +
         (ctx.empty() ? "" : " (" + ctx + ")");
}

std::string ErrorOf(const Step& s) {
  if (s.result.status == StepStatus::kTimeout) return "timed out";
  return s.result.output.empty() ? "error" : s.result.output;
}

// "src/a.ts", "login.spec.ts:#", "C:\\x": a slash, or a dot followed by a
// letter inside the token (before any ':').
bool LooksLikePath(std::string_view token) {
  if (token.find('/') != std::string_view::npos || token.find('\\') != std::string_view::npos) {
    return true;
  }
  token = token.substr(0, token.find(':'));
  const std::size_t dot = token.find_last_of('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < token.size() &&
         std::isalpha(static_cast<unsigned char>(token[dot + 1])) != 0;
}

double Round3(double v) { return std::round(v * 1000) / 1000; }

void RecoveryGotchas(const Episode& e, const StepAnalysis& a, const EpisodeCandidateOptions& o,
                     std::vector<CandidateProposal>& out) {
  int made = 0;
  for (const Recovery& rec : a.recoveries) {
    if (made >= o.max_gotchas) break;
    const Step* failed = StepNumber(e, rec.first_failed_step);
    const Step* recovered = StepNumber(e, rec.recovered_at_step);
    if (failed == nullptr || recovered == nullptr) continue;
    std::vector<std::string> fixes;
    std::string evidence;
    for (const Step& s : e.steps) {
      if (s.number < rec.first_failed_step || s.number > rec.recovered_at_step) continue;
      evidence += StepLine(s) + "\n";
      const bool retry = s.tool == rec.tool && s.result.status != StepStatus::kSuccess;
      if (s.number != rec.first_failed_step && s.number != rec.recovered_at_step && !retry &&
          fixes.size() < 3) {
        fixes.push_back(s.tool + " " + Code(s.action));
      }
    }
    if (fixes.empty() && recovered->action != failed->action) {
      fixes.push_back("changing it to " + Code(recovered->action));
    }
    const std::string error = ErrorOf(*failed);
    CandidateProposal p;
    p.type = LessonType::kGotcha;
    p.topic = TopicOf(e);
    p.tags = ContextTags(e);
    p.title = Code(failed->action, 60) + " fails with \"" + Shorten(error, 80) + "\"";
    std::string fixed_by;
    for (std::size_t i = 0; i < fixes.size(); ++i) fixed_by += (i > 0 ? "; " : "") + fixes[i];
    p.content = "In " + Where(e) + ", " + Code(failed->action) + " (" + rec.tool +
                ") failed with: " + Shorten(error, 240) +
                ". What worked: " + (fixes.empty() ? "retrying it" : fixed_by) + "; then " +
                Code(recovered->action) + " succeeded after " +
                std::to_string(rec.failed_attempts) + " failed attempt" +
                (rec.failed_attempts == 1 ? "" : "s") + ".";
    const bool tests = a.last_test_step && a.last_test_passed;
    p.confidence = Round3(
        std::min(o.max_confidence, o.gotcha_confidence + (tests ? o.tests_passed_bonus : 0.0)));
    p.evidence = "episode " + e.id + "\n" + evidence;
    const std::string line = ReflectionLine(e, rec);
    p.rationale =
        "episode.recovery_gotcha: " +
        (line.empty() ? std::string("a recovery") : "reflection \"" + line + "\"") +
        " in an episode with outcome " + std::string(OutcomeKind(*e.outcome)) +
        (tests ? "; the last test run passed (+" + Fixed(o.tests_passed_bonus, 2) + ")" : "");
    p.key = "gotcha:" + rec.tool + ":" + ErrorSignature(error);
    out.push_back(std::move(p));
    ++made;
  }
}

void RepeatedFailure(const Episode& e, const StepAnalysis& a, const EpisodeHistory& h,
                     const EpisodeCandidateOptions& o, std::vector<CandidateProposal>& out) {
  const std::string signature = FailureSignature(e);
  const int earlier = static_cast<int>(h.same_failure_ids.size());
  if (signature.empty() || earlier < o.min_earlier_failures) return;
  const auto& failure = std::get<FailureOutcome>(*e.outcome);
  const Step* last_failed = nullptr;
  for (const Step& s : e.steps) {
    if (s.result.status != StepStatus::kSuccess) last_failed = &s;
  }
  CandidateProposal p;
  p.type = LessonType::kAntiPattern;
  p.topic = TopicOf(e);
  p.tags = ContextTags(e);
  const std::string error = last_failed != nullptr ? ErrorOf(*last_failed) : failure.reason;
  p.title = "Repeated failure: " +
            (last_failed != nullptr ? Code(last_failed->action, 60) + " -> " : std::string()) +
            "\"" + Shorten(error, 80) + "\"";
  p.content = std::to_string(earlier + 1) + " episodes of " + Where(e) +
              " failed the same way: " + Shorten(error, 240) + ".";
  if (last_failed != nullptr) {
    p.content += " Failing approach: " + Code(last_failed->action) + " in " + last_failed->tool +
                 "; change the approach instead of repeating it.";
  }
  if (!failure.reason.empty())
    p.content += " Reported reason: " + Shorten(failure.reason, 200) + ".";
  if (e.reflection && !e.reflection->improvements.empty()) {
    p.content += " Reflection: " + Shorten(e.reflection->improvements.front(), 200) + ".";
  }
  p.confidence = Round3(std::min(
      o.max_confidence,
      o.anti_pattern_confidence + o.anti_pattern_step * (earlier - o.min_earlier_failures)));
  p.evidence =
      "failure signature \"" + signature + "\" in episode " + e.id + " and earlier " + "episodes:";
  for (std::size_t i = 0; i < h.same_failure_ids.size() && i < 10; ++i) {
    p.evidence += " " + h.same_failure_ids[i];
  }
  if (last_failed != nullptr) p.evidence += "\n" + StepLine(*last_failed);
  p.rationale = "episode.repeated_failure: outcome failure whose signature " +
                std::to_string(earlier) + " earlier failed episode(s) share (at least " +
                std::to_string(o.min_earlier_failures) + " needed); " + std::to_string(a.failed()) +
                " failed step(s) in this one";
  p.key = "anti_pattern:" + signature;
  out.push_back(std::move(p));
}

}  // namespace

std::string ErrorSignature(std::string_view error) {
  std::string_view line;
  while (!error.empty()) {
    const std::size_t nl = error.find('\n');
    line = error.substr(0, nl);
    error.remove_prefix(nl == std::string_view::npos ? error.size() : nl + 1);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) break;
  }
  std::string out;
  bool space = false;
  for (char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (std::isdigit(u) != 0) {
      if (out.empty() || out.back() != '#') out += '#';
      continue;
    }
    out += static_cast<char>(std::tolower(u));
  }
  // File names and paths vary between episodes that fail alike.
  std::string normalized;
  std::size_t start = 0;
  while (start <= out.size()) {
    std::size_t end = out.find(' ', start);
    if (end == std::string::npos) end = out.size();
    std::string token = out.substr(start, end - start);
    if (LooksLikePath(token)) token = "<path>";
    normalized += (normalized.empty() ? "" : " ") + token;
    start = end + 1;
  }
  return Shorten(normalized, 120);
}

std::string FailureSignature(const Episode& episode) {
  if (!episode.outcome || !std::holds_alternative<FailureOutcome>(*episode.outcome)) return "";
  const Step* last_failed = nullptr;
  for (const Step& s : episode.steps) {
    if (s.result.status != StepStatus::kSuccess) last_failed = &s;
  }
  if (last_failed != nullptr) {
    const std::string what =
        last_failed->result.status == StepStatus::kTimeout
            ? "timeout " + last_failed->action
            : (last_failed->result.output.empty() ? last_failed->action
                                                  : last_failed->result.output);
    return last_failed->tool + ": " + ErrorSignature(what);
  }
  const std::string reason = ErrorSignature(std::get<FailureOutcome>(*episode.outcome).reason);
  return reason.empty() ? "" : "reason: " + reason;
}

std::vector<CandidateProposal> EpisodeCandidates(const Episode& episode,
                                                 const EpisodeHistory& history,
                                                 const EpisodeCandidateOptions& options) {
  std::vector<CandidateProposal> out;
  if (!episode.outcome) return out;
  const StepAnalysis a = AnalyzeSteps(episode.steps);
  const bool worked = std::holds_alternative<SuccessOutcome>(*episode.outcome) ||
                      std::holds_alternative<PartialOutcome>(*episode.outcome);
  if (worked) RecoveryGotchas(episode, a, options, out);
  if (std::holds_alternative<FailureOutcome>(*episode.outcome)) {
    RepeatedFailure(episode, a, history, options, out);
  }
  return out;
}

}  // namespace engram::learn
