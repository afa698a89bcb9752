// Rendering for the `engram` command: the JSON writer used by --json and
// the human forms (aligned tables and labelled blocks) of every model type.
//
// Human output is for people: concise, aligned, long text shortened to a
// preview. Machines use --json, which prints the full ToJson form.
//
// Ownership: src/cli/. Thread safety: pure functions over the given stream.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/episode.h"
#include "engram/json.h"
#include "engram/kv.h"
#include "engram/lesson.h"
#include "engram/store_stats.h"
#include "engram/time.h"

namespace engram::cli {

// One JSON document on one line; invalid UTF-8 is replaced, never thrown.
void WriteJson(std::ostream& os, const Json& json);
// A JSON array of ToJson(item) for each item.
template <typename T>
Json JsonArray(const std::vector<T>& items) {
  Json array = Json::array();
  for (const T& item : items) array.push_back(ToJson(item));
  return array;
}

// Compact one-line JSON text (same rules as WriteJson, no newline).
std::string JsonText(const Json& json);

// FormatIso8601 of a set timestamp, else "-".
std::string FormatTime(const std::optional<Timestamp>& ms);
// "850ms", "4.1s", "3m 02s", "2h 05m".
std::string FormatDuration(std::int64_t ms);
// First line of `text`, at most `max_chars` characters, "…" when cut.
std::string Preview(std::string_view text, std::size_t max_chars);

// A progress bar on stderr, "[####      ] done/total", when `enabled`
// (stderr a terminal, not --json); else a callback that does nothing.
std::function<void(int, int)> ProgressBar(bool enabled);

// "  label        value": labels padded to one column, `indent` spaces first.
void PrintField(std::ostream& os, std::string_view label, std::string_view value, int indent = 0);

// Columns padded to their widest cell (UTF-8 aware), two spaces apart.
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  void Add(std::vector<std::string> row);
  bool empty() const { return rows_.empty(); }
  void Print(std::ostream& os) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Episodes (render_episode.cc).
void PrintEpisode(std::ostream& os, const Episode& episode);  // everything
void PrintStep(std::ostream& os, const Step& step);
void PrintCompletion(std::ostream& os, const Episode& episode);  // outcome, reward, reflection
void PrintEpisodeList(std::ostream& os, const std::vector<EpisodeSummary>& episodes);

// Lessons, key-value entries, store statistics (render_other.cc).
void PrintLesson(std::ostream& os, const Lesson& lesson);
void PrintLessonList(std::ostream& os, const std::vector<Lesson>& lessons);
void PrintLessonHistory(std::ostream& os, const std::vector<LessonVersion>& history);
void PrintKvEntry(std::ostream& os, const KvEntry& entry);
void PrintKvList(std::ostream& os, const std::vector<KvEntry>& entries);
void PrintStats(std::ostream& os, const StoreStats& stats);

}  // namespace engram::cli
