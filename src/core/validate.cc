#include "core/validate.h"

#include "engram/int_ranges.h"
#include "engram/json_limits.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

namespace engram {
namespace {

enum class Need { kOptional, kRequired };
enum class Kind { kText, kIdentifier };  // identifiers also reject control characters

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

Status TooLarge(std::string_view field, std::size_t size, std::size_t limit) {
  return Status::InvalidArgument(std::string(field) + " is " + std::to_string(size) +
                                 " bytes; the limit is " + std::to_string(limit));
}

// The one check every text field goes through.
Status CheckText(std::string_view field, std::string_view value, std::size_t limit,
                 Need need = Need::kOptional, Kind kind = Kind::kText) {
  if (need == Need::kRequired && Trim(value).empty()) {
    return Status::InvalidArgument(std::string(field) + " is required and must not be empty");
  }
  if (value.size() > limit) return TooLarge(field, value.size(), limit);
  if (!IsValidUtf8(value)) {
    return Status::InvalidArgument(std::string(field) + " is not valid UTF-8");
  }
  if (kind == Kind::kIdentifier) {
    const bool has_control = std::any_of(value.begin(), value.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (has_control) {
      return Status::InvalidArgument(std::string(field) + " must not contain control characters");
    }
  }
  return Status::Ok();
}

Status CheckList(std::string_view field, const std::vector<std::string>& items,
                 std::size_t item_limit, const Limits& limits) {
  if (items.size() > limits.max_list_items) {
    return Status::InvalidArgument(std::string(field) + " has " + std::to_string(items.size()) +
                                   " items; the limit is " + std::to_string(limits.max_list_items));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    ENGRAM_RETURN_IF_ERROR(
        CheckText(std::string(field) + "[" + std::to_string(i) + "]", items[i], item_limit));
  }
  return Status::Ok();
}

Status CheckJson(std::string_view field, const Json& value, std::size_t limit,
                 bool must_be_object) {
  if (must_be_object && !value.is_object()) {
    return Status::InvalidArgument(std::string(field) + " must be a JSON object");
  }
  if (JsonValueDepth(value, kMaxJsonDepth) > kMaxJsonDepth) {
    return Status::InvalidArgument(std::string(field) + " nests arrays and objects deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels");
  }
  std::size_t size = 0;
  try {
    size = value.dump().size();  // strict: throws on invalid UTF-8 inside strings
  } catch (const Json::exception&) {
    return Status::InvalidArgument(std::string(field) +
                                   " contains a string that is not valid UTF-8");
  }
  if (size > limit) return TooLarge(field, size, limit);
  return Status::Ok();
}

Status CheckRange(std::string_view field, std::int64_t value, std::int64_t min, std::int64_t max) {
  if (value < min || value > max) {
    return Status::InvalidArgument(std::string(field) + " must be in " + std::to_string(min) +
                                   ".." + std::to_string(max) + " (got " + std::to_string(value) +
                                   ")");
  }
  return Status::Ok();
}

Status CheckNonNegative(std::string_view field, std::int64_t value) {
  if (value < 0) {
    return Status::InvalidArgument(std::string(field) + " must be >= 0 (got " +
                                   std::to_string(value) + ")");
  }
  return Status::Ok();
}

Status CheckConfidence(double c) {
  if (!std::isfinite(c) || c < 0.0 || c > 1.0) {
    return Status::InvalidArgument("confidence must be a finite number in [0, 1] (got " +
                                   std::to_string(c) + ")");
  }
  return Status::Ok();
}

// An enum value outside its declared range (e.g. from a cast) has no name.
template <typename E>
Status CheckEnum(std::string_view field, E value) {
  if (ToString(value) == "unknown") {
    return Status::InvalidArgument(std::string(field) + " has an unknown value");
  }
  return Status::Ok();
}

// NormalizeTags names fields "tags[i]"; `prefix` places them ("context.").
Status CheckTags(std::string_view prefix, const std::vector<std::string>& tags,
                 const Limits& limits) {
  Result<std::vector<std::string>> normalized = NormalizeTags(tags, limits);
  if (normalized.ok()) return Status::Ok();
  return Status::InvalidArgument(std::string(prefix) + normalized.status().message());
}

// Each of "situations[i]" non-blank text of at most max_description_bytes;
// at most max_situations of them.
Status CheckSituations(const std::vector<std::string>& situations, const Limits& limits) {
  if (situations.size() > limits.max_situations) {
    return Status::InvalidArgument("situations has " + std::to_string(situations.size()) +
                                   " entries; the limit is " +
                                   std::to_string(limits.max_situations));
  }
  for (std::size_t i = 0; i < situations.size(); ++i) {
    ENGRAM_RETURN_IF_ERROR(CheckText("situations[" + std::to_string(i) + "]", situations[i],
                                     limits.max_description_bytes, Need::kRequired));
  }
  return Status::Ok();
}

Status CheckScopeProject(LessonScope scope, std::string_view project) {
  if (scope == LessonScope::kProject && Trim(project).empty()) {
    return Status::InvalidArgument("project is required when scope is project");
  }
  if (scope == LessonScope::kGlobal && !project.empty()) {
    return Status::InvalidArgument("project must be empty when scope is global");
  }
  return Status::Ok();
}

bool IsTagChar(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return !first && std::string_view("._:+#/-").find(c) != std::string_view::npos;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte or 0xF8..0xFF as a lead
    }
    if (i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Result<std::vector<std::string>> NormalizeTags(const std::vector<std::string>& tags,
                                               const Limits& limits) {
  std::vector<std::string> out;
  out.reserve(tags.size());
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    std::string tag(Trim(tags[i]));
    for (char& c : tag) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (tag.empty()) return Status::InvalidArgument(field + " is empty");
    if (tag.size() > limits.max_tag_bytes) return TooLarge(field, tag.size(), limits.max_tag_bytes);
    for (std::size_t k = 0; k < tag.size(); ++k) {
      if (!IsTagChar(tag[k], k == 0)) {
        std::string message = field;
        message += " '";
        message += tag;
        message += "' must match [a-z0-9][a-z0-9._:+#/-]*";
        return Status::InvalidArgument(std::move(message));
      }
    }
    out.push_back(std::move(tag));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > limits.max_tags) {
    return Status::InvalidArgument("tags has " + std::to_string(out.size()) +
                                   " distinct tags; the limit is " +
                                   std::to_string(limits.max_tags));
  }
  return out;
}

Status ValidateStartEpisode(const StartEpisodeRequest& r, const Limits& limits) {
  ENGRAM_RETURN_IF_ERROR(CheckEnum("task_type", r.task_type));
  ENGRAM_RETURN_IF_ERROR(
      CheckText("description", r.description, limits.max_description_bytes, Need::kRequired));
  const std::size_t short_limit = limits.max_short_text_bytes;
  const TaskContext& c = r.context;
  ENGRAM_RETURN_IF_ERROR(
      CheckText("context.language", c.language, short_limit, Need::kOptional, Kind::kIdentifier));
  ENGRAM_RETURN_IF_ERROR(
      CheckText("context.framework", c.framework, short_limit, Need::kOptional, Kind::kIdentifier));
  ENGRAM_RETURN_IF_ERROR(
      CheckText("context.domain", c.domain, short_limit, Need::kOptional, Kind::kIdentifier));
  ENGRAM_RETURN_IF_ERROR(
      CheckText("context.project", c.project, short_limit, Need::kOptional, Kind::kIdentifier));
  ENGRAM_RETURN_IF_ERROR(CheckEnum("context.complexity", c.complexity));
  ENGRAM_RETURN_IF_ERROR(CheckTags("context.", c.tags, limits));
  return CheckJson("metadata", r.metadata, limits.max_json_bytes, /*must_be_object=*/true);
}

Status ValidateStepInput(const StepInput& s, const Limits& limits) {
  ENGRAM_RETURN_IF_ERROR(
      CheckText("tool", s.tool, limits.max_short_text_bytes, Need::kRequired, Kind::kIdentifier));
  ENGRAM_RETURN_IF_ERROR(CheckText("action", s.action, limits.max_text_bytes, Need::kRequired));
  ENGRAM_RETURN_IF_ERROR(
      CheckJson("parameters", s.parameters, limits.max_json_bytes, /*must_be_object=*/true));
  ENGRAM_RETURN_IF_ERROR(CheckEnum("result.status", s.result.status));
  ENGRAM_RETURN_IF_ERROR(CheckText("result.output", s.result.output, limits.max_text_bytes));
  ENGRAM_RETURN_IF_ERROR(CheckText("observation", s.observation, limits.max_text_bytes));
  ENGRAM_RETURN_IF_ERROR(CheckRange("latency_ms", s.latency_ms, 0, kMaxStepLatencyMs));
  ENGRAM_RETURN_IF_ERROR(CheckRange("tokens", s.tokens, 0, kMaxStepTokens));
  if (s.timestamp)
    ENGRAM_RETURN_IF_ERROR(CheckRange("timestamp", *s.timestamp, 0, kMaxTimestampMs));
  return Status::Ok();
}

Status ValidateOutcome(const Outcome& outcome, const Limits& limits) {
  return std::visit(
      [&limits](const auto& o) -> Status {
        using T = std::decay_t<decltype(o)>;
        const std::size_t title = limits.max_title_bytes;
        if constexpr (std::is_same_v<T, SuccessOutcome>) {
          ENGRAM_RETURN_IF_ERROR(CheckText("verdict", o.verdict, title));
          return CheckList("artifacts", o.artifacts, title, limits);
        } else if constexpr (std::is_same_v<T, PartialOutcome>) {
          ENGRAM_RETURN_IF_ERROR(CheckList("completed", o.completed, title, limits));
          return CheckList("failed", o.failed, title, limits);
        } else if constexpr (std::is_same_v<T, FailureOutcome>) {
          ENGRAM_RETURN_IF_ERROR(CheckText("reason", o.reason, title));
          return CheckText("details", o.details, limits.max_text_bytes);
        } else {
          static_assert(std::is_same_v<T, AbstainedOutcome>);
          ENGRAM_RETURN_IF_ERROR(CheckText("reason", o.reason, title));
          return CheckNonNegative("stopped_at_step", o.stopped_at_step);
        }
      },
      outcome);
}

Status ValidateNewLesson(const NewLesson& l, const Limits& limits) {
  ENGRAM_RETURN_IF_ERROR(
      CheckText("id", l.id, limits.max_short_text_bytes, Need::kOptional, Kind::kIdentifier));
  if (Trim(l.id) != l.id) {
    return Status::InvalidArgument("id must not be blank or start or end with whitespace");
  }
  Lesson lesson;
  lesson.type = l.type;
  lesson.topic = l.topic;
  lesson.title = l.title;
  lesson.content = l.content;
  lesson.confidence = l.confidence;
  lesson.scope = l.scope;
  lesson.project = l.project;
  lesson.source = l.source;
  lesson.tags = l.tags;
  lesson.situations = l.situations;
  lesson.metadata = l.metadata;
  return ValidateLesson(lesson, limits);
}

Status ValidateLesson(const Lesson& l, const Limits& limits) {
  ENGRAM_RETURN_IF_ERROR(CheckEnum("type", l.type));
  ENGRAM_RETURN_IF_ERROR(
      CheckText("topic", l.topic, limits.max_short_text_bytes, Need::kRequired, Kind::kIdentifier));
  ENGRAM_RETURN_IF_ERROR(CheckText("title", l.title, limits.max_title_bytes, Need::kRequired));
  ENGRAM_RETURN_IF_ERROR(CheckText("content", l.content, limits.max_text_bytes, Need::kRequired));
  ENGRAM_RETURN_IF_ERROR(CheckConfidence(l.confidence));
  ENGRAM_RETURN_IF_ERROR(CheckEnum("scope", l.scope));
  ENGRAM_RETURN_IF_ERROR(CheckText("project", l.project, limits.max_short_text_bytes,
                                   Need::kOptional, Kind::kIdentifier));
  ENGRAM_RETURN_IF_ERROR(CheckScopeProject(l.scope, l.project));
  ENGRAM_RETURN_IF_ERROR(CheckEnum("source", l.source));
  ENGRAM_RETURN_IF_ERROR(CheckTags("", l.tags, limits));
  ENGRAM_RETURN_IF_ERROR(CheckSituations(l.situations, limits));
  return CheckJson("metadata", l.metadata, limits.max_json_bytes, /*must_be_object=*/true);
}

Status ValidateLessonPatch(const LessonPatch& p, const Limits& limits) {
  if (p.type) ENGRAM_RETURN_IF_ERROR(CheckEnum("type", *p.type));
  if (p.topic) {
    ENGRAM_RETURN_IF_ERROR(CheckText("topic", *p.topic, limits.max_short_text_bytes,
                                     Need::kRequired, Kind::kIdentifier));
  }
  if (p.title) {
    ENGRAM_RETURN_IF_ERROR(CheckText("title", *p.title, limits.max_title_bytes, Need::kRequired));
  }
  if (p.content) {
    ENGRAM_RETURN_IF_ERROR(
        CheckText("content", *p.content, limits.max_text_bytes, Need::kRequired));
  }
  if (p.confidence) ENGRAM_RETURN_IF_ERROR(CheckConfidence(*p.confidence));
  if (p.scope) ENGRAM_RETURN_IF_ERROR(CheckEnum("scope", *p.scope));
  if (p.project) {
    ENGRAM_RETURN_IF_ERROR(CheckText("project", *p.project, limits.max_short_text_bytes,
                                     Need::kOptional, Kind::kIdentifier));
  }
  if (p.scope && p.project) ENGRAM_RETURN_IF_ERROR(CheckScopeProject(*p.scope, *p.project));
  if (p.source) ENGRAM_RETURN_IF_ERROR(CheckEnum("source", *p.source));
  if (p.tags) ENGRAM_RETURN_IF_ERROR(CheckTags("", *p.tags, limits));
  if (p.situations) ENGRAM_RETURN_IF_ERROR(CheckSituations(*p.situations, limits));
  if (p.metadata) {
    ENGRAM_RETURN_IF_ERROR(
        CheckJson("metadata", *p.metadata, limits.max_json_bytes, /*must_be_object=*/true));
  }
  return Status::Ok();
}

Status ValidateNewNote(const NewNote& n, const Limits& limits) {
  const std::size_t short_limit = limits.max_short_text_bytes;
  ENGRAM_RETURN_IF_ERROR(CheckText("thread", n.thread, short_limit, Need::kRequired));
  ENGRAM_RETURN_IF_ERROR(CheckText("text", n.text, limits.max_text_bytes, Need::kRequired));
  ENGRAM_RETURN_IF_ERROR(CheckText("speaker", n.speaker, short_limit));
  ENGRAM_RETURN_IF_ERROR(
      CheckText("project", n.project, short_limit, Need::kOptional, Kind::kIdentifier));
  ENGRAM_RETURN_IF_ERROR(
      CheckJson("metadata", n.metadata, limits.max_json_bytes, /*must_be_object=*/true));
  if (n.position) ENGRAM_RETURN_IF_ERROR(CheckRange("position", *n.position, 0, kMaxSafeInteger));
  if (n.timestamp) {
    ENGRAM_RETURN_IF_ERROR(CheckRange("timestamp", *n.timestamp, kMinTimestampMs, kMaxTimestampMs));
  }
  return Status::Ok();
}

Status ValidateKvKey(std::string_view ns, std::string_view key, const Limits& limits) {
  ENGRAM_RETURN_IF_ERROR(
      CheckText("ns", ns, limits.max_short_text_bytes, Need::kRequired, Kind::kIdentifier));
  return CheckText("key", key, limits.max_short_text_bytes, Need::kRequired, Kind::kIdentifier);
}

Status ValidateKvValue(const Json& value, const Limits& limits) {
  return CheckJson("value", value, limits.max_json_bytes, /*must_be_object=*/false);
}

std::string_view TrimSpace(std::string_view s) { return Trim(s); }

std::string_view Utf8Prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace engram
