// Chroma record -> NewLesson (see chroma_record.h and docs/FORMATS.md).
#include "engine/chroma_record.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/validate.h"

namespace engram::chroma {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

std::string_view Trim(std::string_view s) {
  const auto b = s.find_first_not_of(kWhitespace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kWhitespace) - b + 1);
}

// Longest prefix of `s` of at most `max_bytes` that does not split a UTF-8
// sequence.
std::string_view Utf8Prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

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

}  // namespace

bool LessonTypeFromChroma(std::string_view name, LessonType& type) {
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

std::string MetadataTag(std::string_view key, std::string_view value, const Limits& limits) {
  const std::string k = TagPart(key);
  const std::string v = TagPart(value);
  if (k.empty() || v.empty()) return "";
  std::string tag = k + ":" + v;
  return IsValidTag(tag, limits) ? tag : "";
}

Result<MappedRecord> MapRecord(std::string_view topic, const std::string& document,
                               const Json& metadata, const Limits& limits) {
  if (Trim(document).empty()) return Status::InvalidArgument("document is empty");
  MappedRecord out;
  NewLesson& lesson = out.lesson;
  lesson.topic = std::string(topic);
  lesson.content = document;
  lesson.type = LessonType::kHeuristic;  // missing or unknown type
  lesson.source = LessonSource::kManual;
  std::vector<std::string> tags;  // explicit tags first, then metadata in key order
  std::vector<std::string> meta_tags;
  std::string title;
  const Json empty = Json::object();
  for (const auto& [key, value] : (metadata.is_object() ? metadata : empty).items()) {
    std::string text;
    const bool scalar = ScalarText(value, text);
    if (key == "title" && value.is_string() && !Trim(text).empty()) {
      title = std::string(Trim(text));
    } else if (key == "confidence" && value.is_number()) {
      lesson.confidence = value.get<double>();
    } else if (key == "type" && value.is_string()) {
      if (!LessonTypeFromChroma(text, lesson.type)) {
        std::string tag = MetadataTag("type", text, limits);
        if (tag.empty()) ++out.tags_skipped;
        if (!tag.empty()) meta_tags.push_back(std::move(tag));
      }
    } else if (key == "tags" && value.is_string()) {
      std::string_view rest = text;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string part = TagPart(Trim(rest.substr(0, comma)));
        if (IsValidTag(part, limits)) {
          tags.push_back(part);
        } else if (!Trim(rest.substr(0, comma)).empty()) {
          ++out.tags_skipped;
        }
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    } else if (scalar) {
      std::string tag = MetadataTag(key, text, limits);
      if (tag.empty()) ++out.tags_skipped;
      if (!tag.empty()) meta_tags.push_back(std::move(tag));
    } else if (!value.is_null()) {
      ++out.tags_skipped;  // arrays and objects have no tag form
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

}  // namespace engram::chroma
