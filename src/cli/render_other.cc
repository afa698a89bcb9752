// Human rendering of lessons, lesson history, key-value entries and store
// statistics.
#include <cstdio>
#include <ostream>
#include <string>

#include "cli/output.h"
#include "core/similarity.h"

namespace engram::cli {
namespace {

std::string FormatConfidence(double c) { return Fixed(c, 2); }

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const std::string& t : tags) out += (out.empty() ? "" : ",") + t;
  return out;
}

std::string ScopeText(const Lesson& l) {
  return l.scope == LessonScope::kProject ? "project:" + l.project : std::string(ToString(l.scope));
}

}  // namespace

void PrintLesson(std::ostream& os, const Lesson& l) {
  PrintField(os, "lesson", l.id);
  PrintField(os, "title", l.title);
  PrintField(os, "type", ToString(l.type));
  PrintField(os, "topic", l.topic);
  PrintField(os, "confidence", FormatConfidence(l.confidence));
  PrintField(os, "scope", ScopeText(l));
  PrintField(os, "source", ToString(l.source));
  if (!l.tags.empty()) PrintField(os, "tags", JoinTags(l.tags));
  PrintField(os, "version", std::to_string(l.version) + (l.deprecated ? " (deprecated)" : ""));
  PrintField(os, "created", FormatTime(l.created_at));
  PrintField(os, "updated", FormatTime(l.updated_at));
  if (l.last_used_at) PrintField(os, "last used", FormatTime(l.last_used_at));
  os << "\n" << l.content;
  if (l.content.empty() || l.content.back() != '\n') os << "\n";
}

void PrintLessonList(std::ostream& os, const std::vector<Lesson>& lessons) {
  if (lessons.empty()) {
    os << "no lessons\n";
    return;
  }
  Table table({"ID", "TYPE", "TOPIC", "CONF", "SCOPE", "TITLE"});
  for (const Lesson& l : lessons) {
    table.Add({l.id, std::string(ToString(l.type)), l.topic, FormatConfidence(l.confidence),
               ScopeText(l), (l.deprecated ? "[deprecated] " : "") + Preview(l.title, 60)});
  }
  table.Print(os);
}

void PrintLessonHistory(std::ostream& os, const std::vector<LessonVersion>& history) {
  if (history.empty()) {
    os << "no earlier versions\n";
    return;
  }
  Table table({"VERSION", "SUPERSEDED", "REASON", "TITLE"});
  for (const LessonVersion& v : history) {
    table.Add({std::to_string(v.lesson.version), FormatTime(v.superseded_at), Preview(v.reason, 40),
               Preview(v.lesson.title, 60)});
  }
  table.Print(os);
}

void PrintKvEntry(std::ostream& os, const KvEntry& e) {
  PrintField(os, "key", e.ns + "/" + e.key);
  PrintField(os, "version", std::to_string(e.version));
  PrintField(os, "updated", FormatTime(e.updated_at));
  if (e.expires_at) PrintField(os, "expires", FormatTime(e.expires_at));
  os << e.value.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

void PrintKvList(std::ostream& os, const std::vector<KvEntry>& entries) {
  if (entries.empty()) {
    os << "no entries\n";
    return;
  }
  Table table({"KEY", "VERSION", "UPDATED", "EXPIRES", "VALUE"});
  for (const KvEntry& e : entries) {
    table.Add({e.key, std::to_string(e.version), FormatTime(e.updated_at), FormatTime(e.expires_at),
               Preview(JsonText(e.value), 60)});
  }
  table.Print(os);
}

void PrintStats(std::ostream& os, const StoreStats& s) {
  auto count = [](std::int64_t n) { return std::to_string(n); };
  PrintField(os, "database", s.path);
  PrintField(os, "schema", std::to_string(s.schema_version));
  PrintField(os, "size", count(s.file_bytes) + " bytes");
  PrintField(os, "journal", s.journal_mode);
  PrintField(os, "checksums",
             s.page_checksums ? "every page" : "none (engram db enable-checksums)");
  PrintField(os, "episodes",
             count(s.episodes) + " (" + count(s.completed_episodes) + " completed, " +
                 count(s.steps) + " steps)");
  PrintField(os, "lessons",
             count(s.lessons) + " (" + count(s.deprecated_lessons) + " deprecated, " +
                 count(s.lesson_versions) + " earlier versions)");
  PrintField(os, "embeddings", count(s.embeddings));
  PrintField(os, "kv entries", count(s.kv_entries));
}

}  // namespace engram::cli
