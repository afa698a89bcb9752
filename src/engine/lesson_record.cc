// Lesson records <-> lessons (include/engram/lesson_record.h,
// docs/FORMATS.md "Lesson records").
#include "engram/lesson_record.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/validate.h"

namespace engram {
namespace {

std::string_view Trim(std::string_view s) { return TrimSpace(s); }

std::string Clip(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  constexpr std::string_view kMark = "...";
  if (max_bytes <= kMark.size()) return std::string(Utf8Prefix(s, max_bytes));
  return std::string(Trim(Utf8Prefix(s, max_bytes - kMark.size()))) + std::string(kMark);
}

// Lower-cases and maps every character outside [a-z0-9.+#/-] to '-',
// collapsing runs of '-' and trimming them at both ends (':' separates key
// and value, so it is not kept inside either).
std::string TagPart(std::string_view s) {
  std::string out;
  for (char ch : s) {
    char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' ||
                      c == '#' || c == '/';
    if (!keep) c = '-';
    if (c == '-' && (out.empty() || out.back() == '-')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// A scalar metadata value as text; false for null, arrays and objects.
bool ScalarText(const Json& v, std::string& text) {
  if (v.is_string()) {
    text = v.get<std::string>();
  } else if (v.is_boolean()) {
    text = v.get<bool>() ? "true" : "false";
  } else if (v.is_number()) {
    text = v.dump();
  } else {
    return false;
  }
  return true;
}

bool IsValidTag(const std::string& tag, const Limits& limits) {
  return !tag.empty() && NormalizeTags({tag}, limits).ok();
}

// "key:value" in the tag format, or "" if it cannot be expressed.
std::string MetadataTag(std::string_view key, std::string_view value, const Limits& limits) {
  const std::string k = TagPart(key);
  const std::string v = TagPart(value);
  if (k.empty() || v.empty()) return "";
  std::string tag = k + ":" + v;
  return IsValidTag(tag, limits) ? tag : "";
}

}  // namespace

bool LessonTypeFromName(std::string_view name, LessonType& type) {
  static const std::map<std::string, LessonType, std::less<>> kNames = {
      {"best_practice", LessonType::kBestPractice},
      {"bestpractice", LessonType::kBestPractice},
      {"practice", LessonType::kBestPractice},
      {"recommendation", LessonType::kBestPractice},
      {"do", LessonType::kBestPractice},
      {"anti_pattern", LessonType::kAntiPattern},
      {"antipattern", LessonType::kAntiPattern},
      {"bad_practice", LessonType::kAntiPattern},
      {"mistake", LessonType::kAntiPattern},
      {"dont", LessonType::kAntiPattern},
      {"gotcha", LessonType::kGotcha},
      {"pitfall", LessonType::kGotcha},
      {"caveat", LessonType::kGotcha},
      {"trap", LessonType::kGotcha},
      {"warning", LessonType::kGotcha},
      {"heuristic", LessonType::kHeuristic},
      {"rule", LessonType::kHeuristic},
      {"rule_of_thumb", LessonType::kHeuristic},
      {"tip", LessonType::kHeuristic},
      {"guideline", LessonType::kHeuristic},
      {"insight", LessonType::kHeuristic},
      {"example", LessonType::kExample},
      {"sample", LessonType::kExample},
      {"snippet", LessonType::kExample},
  };
  std::string key;
  for (char ch : Trim(name)) {
    char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    key.push_back(c == ' ' || c == '-' ? '_' : c);
  }
  auto it = kNames.find(key);
  if (it == kNames.end() && key.size() > 1 && key.back() == 's') {  // plurals
    it = kNames.find(std::string_view(key).substr(0, key.size() - 1));
  }
  if (it == kNames.end()) return false;
  type = it->second;
  return true;
}

std::string TitleFromDocument(std::string_view document, std::size_t max_bytes) {
  std::string_view text = Trim(document);
  text = Trim(text.substr(0, text.find('\n')));
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if ((c == '.' || c == '!' || c == '?') && (text[i + 1] == ' ' || text[i + 1] == '\t')) {
      text = text.substr(0, i + 1);
      break;
    }
  }
  return Clip(text, max_bytes);
}

namespace {

// The tags of metadata.tags: a comma-separated string or an array of
// strings. False if the value is neither.
bool ExplicitTags(const Json& value, const Limits& limits, std::vector<std::string>& tags,
                  std::size_t& skipped) {
  std::vector<std::string_view> parts;
  if (value.is_string()) {
    std::string_view rest = value.get_ref<const std::string&>();
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      parts.push_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  } else if (value.is_array()) {
    for (const Json& v : value) {
      if (!v.is_string()) return false;
      parts.emplace_back(v.get_ref<const std::string&>());
    }
  } else {
    return false;
  }
  for (std::string_view raw : parts) {
    const std::string part = TagPart(Trim(raw));
    if (IsValidTag(part, limits)) {
      tags.push_back(part);
    } else if (!Trim(raw).empty()) {
      ++skipped;
    }
  }
  return true;
}

}  // namespace

Result<MappedRecord> LessonFromRecord(const std::string& id, const std::string& document,
                                      const Json& metadata, const LessonRecordOptions& options,
                                      const Limits& limits) {
  if (Trim(document).empty()) return Status::InvalidArgument("document is empty");
  MappedRecord out;
  NewLesson& lesson = out.lesson;
  lesson.id = id;
  lesson.topic = options.default_topic;
  lesson.content = document;
  lesson.type = options.default_type;
  lesson.source = LessonSource::kManual;
  std::vector<std::string> tags;  // explicit tags first, then metadata in key order
  std::vector<std::string> meta_tags;
  std::string title;
  const auto keep = [&](const std::string& key, const Json& value) {
    lesson.metadata[key] = value;
    std::string text;
    if (!options.metadata_tags) return;
    if (ScalarText(value, text)) {
      std::string tag = MetadataTag(key, text, limits);
      if (tag.empty()) ++out.tags_skipped;
      if (!tag.empty()) meta_tags.push_back(std::move(tag));
    } else if (!value.is_null()) {
      ++out.tags_skipped;  // arrays and objects have no tag form
    }
  };
  const Json empty = Json::object();
  for (const auto& [key, value] : (metadata.is_object() ? metadata : empty).items()) {
    const std::string_view text =
        value.is_string() ? Trim(value.get_ref<const std::string&>()) : std::string_view();
    if (key == "title" && !text.empty()) {
      title = std::string(text);
    } else if (key == "topic" && !text.empty()) {
      lesson.topic = std::string(text);
    } else if (key == "project" && !text.empty()) {
      lesson.scope = LessonScope::kProject;
      lesson.project = std::string(text);
    } else if (key == "confidence" && value.is_number()) {
      lesson.confidence = value.get<double>();
    } else {
      const bool mapped =
          (key == "type" && value.is_string() && LessonTypeFromName(text, lesson.type)) ||
          (key == "tags" && ExplicitTags(value, limits, tags, out.tags_skipped));
      if (!mapped) keep(key, value);
    }
  }
  lesson.title = title.empty() ? TitleFromDocument(document, limits.max_title_bytes)
                               : Clip(title, limits.max_title_bytes);
  tags.insert(tags.end(), meta_tags.begin(), meta_tags.end());
  std::set<std::string> seen;
  for (std::string& tag : tags) {
    if (seen.count(tag) > 0) continue;
    if (seen.size() >= limits.max_tags) {
      ++out.tags_skipped;
      continue;
    }
    seen.insert(tag);
    lesson.tags.push_back(std::move(tag));
  }
  return out;
}

Json RecordMetadata(const Lesson& lesson) {
  Json out = lesson.metadata.is_object() ? lesson.metadata : Json::object();
  out["type"] = ToString(lesson.type);
  out["topic"] = lesson.topic;
  out["title"] = lesson.title;
  out["confidence"] = lesson.confidence;
  out["tags"] = lesson.tags;
  if (lesson.scope == LessonScope::kProject) out["project"] = lesson.project;
  return out;
}

}  // namespace engram
