// The export's record kinds (export_records.h; format: docs/FORMATS.md).
//
// Format version 1 has episode, lesson, embedding, kv and note; version 2
// adds pattern (with its episode links), heuristic, feedback, contradiction
// and candidate. Each kind is written by its Store (or sub-store) ForEach*
// method and written back by its Import* method.
#include "store/export_records.h"

#include <algorithm>
#include <array>
#include <exception>
#include <string>

#include "engram/fulltext.h"

namespace engram::export_internal {
namespace {

Json EmbeddingToJson(const Embedding& e) {
  return Json{{"lesson_id", e.lesson_id},
              {"model_id", e.model_id},
              {"dim", e.vector.size()},
              {"vector", e.vector},
              {"created_at", e.created_at}};
}

Result<Embedding> EmbeddingFromJson(const Json& j) {
  try {
    Embedding e;
    e.lesson_id = j.at("lesson_id").get<std::string>();
    e.model_id = j.at("model_id").get<std::string>();
    e.vector = j.at("vector").get<std::vector<float>>();
    e.created_at = j.at("created_at").get<Timestamp>();
    if (j.at("dim").get<std::size_t>() != e.vector.size()) {
      return Status::InvalidArgument("embedding dim does not match its vector");
    }
    return e;
  } catch (const std::exception& ex) {
    return Status::InvalidArgument(std::string("embedding: ") + ex.what());
  }
}

// --- readers: data -> ParsedRecords ---

// The kinds whose data is one model value read by `From`.
template <typename T, Result<T> (*From)(const Json&), std::vector<AtLine<T>> ParsedRecords::*Field>
Status ParseInto(std::size_t line, const Json& data, ParsedRecords& out) {
  ENGRAM_ASSIGN_OR_RETURN(T value, From(data));
  (out.*Field).push_back({line, std::move(value)});
  return Status::Ok();
}

Status ParseLesson(std::size_t line, const Json& data, ParsedRecords& out) {
  if (!data.is_object() || !data.contains("lesson") || !data.contains("history") ||
      !data["history"].is_array()) {
    return Status::InvalidArgument("lesson record needs \"lesson\" and a \"history\" array");
  }
  ENGRAM_ASSIGN_OR_RETURN(Lesson l, LessonFromJson(data["lesson"]));
  std::vector<LessonVersion> history;
  for (const Json& v : data["history"]) {
    ENGRAM_ASSIGN_OR_RETURN(LessonVersion lv, LessonVersionFromJson(v));
    history.push_back(std::move(lv));
  }
  out.lessons.push_back({line, {std::move(l), std::move(history)}});
  return Status::Ok();
}

Status ParseNote(std::size_t /*line*/, const Json& data, ParsedRecords& out) {
  ENGRAM_ASSIGN_OR_RETURN(Note n, NoteFromJson(data));
  if (n.id <= 0 || n.position < 0) {
    return Status::InvalidArgument("note record needs a positive id and a position");
  }
  out.notes.push_back(std::move(n));
  return Status::Ok();
}

struct Kind {
  std::string_view name;
  int since;  // the first format version that has it
  Status (*parse)(std::size_t line, const Json& data, ParsedRecords& out);
};

// In file order.
constexpr std::array<Kind, 10> kKinds{{
    {"episode", 1, &ParseInto<Episode, &EpisodeFromJson, &ParsedRecords::episodes>},
    {"lesson", 1, &ParseLesson},
    {"embedding", 1, &ParseInto<Embedding, &EmbeddingFromJson, &ParsedRecords::embeddings>},
    {"kv", 1, &ParseInto<KvEntry, &KvEntryFromJson, &ParsedRecords::kv>},
    {"note", 1, &ParseNote},
    {"pattern", 2, &ParseInto<StoredPattern, &StoredPatternFromJson, &ParsedRecords::patterns>},
    {"heuristic", 2, &ParseInto<Heuristic, &HeuristicFromJson, &ParsedRecords::heuristics>},
    {"feedback", 2, &ParseInto<FeedbackEvent, &FeedbackEventFromJson, &ParsedRecords::feedback>},
    {"contradiction", 2,
     &ParseInto<Contradiction, &ContradictionFromJson, &ParsedRecords::contradictions>},
    {"candidate", 2, &ParseInto<Candidate, &CandidateFromJson, &ParsedRecords::candidates>},
}};

// "episode, lesson, ..." for the kinds of `format_version`.
std::string KindNames(int format_version) {
  std::string names;
  for (const Kind& k : kKinds) {
    if (k.since > format_version) continue;
    if (!names.empty()) names += ", ";
    names += k.name;
  }
  return names;
}

// --- writers: Store -> records ---

// A ForEach* callback that counts each value and writes it as `kind`.
template <typename T, typename ToJsonFn>
std::function<Status(const T&)> Emit(const RecordSink& sink, std::string_view kind,
                                     std::int64_t& count, ToJsonFn to_json) {
  return [&sink, kind, &count, to_json](const T& value) {
    ++count;
    return sink(kind, to_json(value));
  };
}

// Notes live in the store's full-text side (a store without one has none).
Status WriteNotes(Store& store, const RecordSink& sink, ExportStats& stats) {
  FullTextIndex* text = store.fulltext();
  if (text == nullptr) return Status::Ok();
  ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> threads, text->NoteThreads());
  for (const std::string& thread : threads) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Note> notes, text->ThreadNotes(thread));
    for (const Note& n : notes) {
      ++stats.notes;
      ENGRAM_RETURN_IF_ERROR(sink("note", ToJson(n)));
    }
  }
  return Status::Ok();
}

Status WriteLearning(Store& store, const RecordSink& sink, ExportStats& stats) {
  if (PatternStore* p = store.patterns()) {
    ENGRAM_RETURN_IF_ERROR(p->ForEachPattern(Emit<StoredPattern>(
        sink, "pattern", stats.patterns, [](const StoredPattern& v) { return ToJson(v); })));
    ENGRAM_RETURN_IF_ERROR(p->ForEachHeuristic(Emit<Heuristic>(
        sink, "heuristic", stats.heuristics, [](const Heuristic& v) { return StoredJson(v); })));
  }
  if (FeedbackStore* f = store.feedback()) {
    ENGRAM_RETURN_IF_ERROR(f->ForEachFeedback(Emit<FeedbackEvent>(
        sink, "feedback", stats.feedback, [](const FeedbackEvent& v) { return ToJson(v); })));
  }
  if (ContradictionStore* c = store.contradictions()) {
    ENGRAM_RETURN_IF_ERROR(c->ForEachContradiction(
        Emit<Contradiction>(sink, "contradiction", stats.contradictions,
                            [](const Contradiction& v) { return ToJson(v); })));
  }
  if (CandidateStore* c = store.candidates()) {
    ENGRAM_RETURN_IF_ERROR(c->ForEachCandidate(Emit<Candidate>(
        sink, "candidate", stats.candidates, [](const Candidate& v) { return ToJson(v); })));
  }
  return Status::Ok();
}

// --- import writes ---

// Writes each record with `write`; a refusal names the record's line.
template <typename T, typename Fn>
Status WriteEach(std::string_view kind, const std::vector<AtLine<T>>& records, Fn write) {
  for (const AtLine<T>& r : records) {
    Status st = write(r.value);
    if (!st.ok()) {
      return Status(st.code(), "export line " + std::to_string(r.line) + " (" + std::string(kind) +
                                   "): " + st.message());
    }
  }
  return Status::Ok();
}

// The sub-store that holds `records`; FailedPrecondition when the store has
// none and there is something to write.
template <typename S, typename T>
Result<S*> Holder(S* sub, const std::vector<T>& records, std::string_view what) {
  if (sub == nullptr && !records.empty()) {
    return Status::FailedPrecondition("this store cannot hold " + std::string(what));
  }
  return sub;
}

// Imported threads replace the stored threads of the same name.
Status ImportNotes(Store& store, const std::vector<Note>& notes) {
  ENGRAM_ASSIGN_OR_RETURN(FullTextIndex * text, Holder(store.fulltext(), notes, "notes"));
  if (notes.empty()) return Status::Ok();
  std::vector<std::string> threads;
  threads.reserve(notes.size());
  for (const Note& n : notes) threads.push_back(n.thread);
  std::sort(threads.begin(), threads.end());
  threads.erase(std::unique(threads.begin(), threads.end()), threads.end());
  for (const std::string& t : threads) ENGRAM_RETURN_IF_ERROR(text->DeleteThread(t).status());
  Status added = text->AddNotes(notes).status();
  if (!added.ok()) return Status(added.code(), "export notes: " + added.message());
  return Status::Ok();
}

Status ImportLearning(Store& store, const ParsedRecords& r) {
  ENGRAM_ASSIGN_OR_RETURN(PatternStore * patterns,
                          Holder(store.patterns(), r.patterns, "patterns"));
  ENGRAM_RETURN_IF_ERROR(WriteEach(
      "pattern", r.patterns, [&](const StoredPattern& p) { return patterns->ImportPattern(p); }));
  ENGRAM_ASSIGN_OR_RETURN(patterns, Holder(store.patterns(), r.heuristics, "heuristics"));
  ENGRAM_RETURN_IF_ERROR(WriteEach(
      "heuristic", r.heuristics, [&](const Heuristic& h) { return patterns->ImportHeuristic(h); }));
  ENGRAM_ASSIGN_OR_RETURN(FeedbackStore * feedback,
                          Holder(store.feedback(), r.feedback, "feedback"));
  ENGRAM_RETURN_IF_ERROR(WriteEach(
      "feedback", r.feedback, [&](const FeedbackEvent& e) { return feedback->ImportFeedback(e); }));
  ENGRAM_ASSIGN_OR_RETURN(ContradictionStore * contradictions,
                          Holder(store.contradictions(), r.contradictions, "contradictions"));
  ENGRAM_RETURN_IF_ERROR(WriteEach("contradiction", r.contradictions, [&](const Contradiction& c) {
    return contradictions->ImportContradiction(c);
  }));
  ENGRAM_ASSIGN_OR_RETURN(CandidateStore * candidates,
                          Holder(store.candidates(), r.candidates, "candidates"));
  return WriteEach("candidate", r.candidates,
                   [&](const Candidate& c) { return candidates->ImportCandidate(c); });
}

}  // namespace

Status WriteRecords(Store& store, const RecordSink& sink, ExportStats& stats) {
  ENGRAM_RETURN_IF_ERROR(store.ForEachEpisode(
      Emit<Episode>(sink, "episode", stats.episodes, [](const Episode& e) { return ToJson(e); })));
  ENGRAM_RETURN_IF_ERROR(
      store.ForEachLesson([&](const Lesson& l, const std::vector<LessonVersion>& history) {
        ++stats.lessons;
        stats.lesson_versions += static_cast<std::int64_t>(history.size());
        Json h = Json::array();
        for (const LessonVersion& v : history) h.push_back(ToJson(v));
        return sink("lesson", Json{{"lesson", ToJson(l)}, {"history", std::move(h)}});
      }));
  ENGRAM_RETURN_IF_ERROR(store.ForEachEmbedding(
      Emit<Embedding>(sink, "embedding", stats.embeddings, EmbeddingToJson)));
  ENGRAM_RETURN_IF_ERROR(store.ForEachKv(
      Emit<KvEntry>(sink, "kv", stats.kv_entries, [](const KvEntry& e) { return ToJson(e); })));
  ENGRAM_RETURN_IF_ERROR(WriteNotes(store, sink, stats));
  return WriteLearning(store, sink, stats);
}

Status ParseRecord(int format_version, std::size_t line, const Json& record, ParsedRecords& out) {
  if (!record.is_object() || !record.contains("kind") || !record["kind"].is_string() ||
      !record.contains("data")) {
    return Status::InvalidArgument("not a {\"kind\", \"data\"} record");
  }
  const std::string& name = record["kind"].get_ref<const std::string&>();
  for (const Kind& k : kKinds) {
    if (k.name != name) continue;
    if (k.since > format_version) break;
    return k.parse(line, record["data"], out);
  }
  return Status::InvalidArgument("unknown record kind '" + name + "' (format_version " +
                                 std::to_string(format_version) + " has " +
                                 KindNames(format_version) + ")");
}

Status ImportRecords(Store& store, const ParsedRecords& r, ExportStats& stats) {
  // Episodes before patterns (links), lessons before embeddings and
  // contradictions: each needs what it refers to.
  ENGRAM_RETURN_IF_ERROR(
      WriteEach("episode", r.episodes, [&](const Episode& e) { return store.ImportEpisode(e); }));
  ENGRAM_RETURN_IF_ERROR(WriteEach("lesson", r.lessons, [&](const auto& lesson) {
    return store.ImportLesson(lesson.first, lesson.second);
  }));
  ENGRAM_RETURN_IF_ERROR(WriteEach("embedding", r.embeddings,
                                   [&](const Embedding& e) { return store.PutEmbedding(e); }));
  ENGRAM_RETURN_IF_ERROR(
      WriteEach("kv", r.kv, [&](const KvEntry& e) { return store.ImportKv(e); }));
  ENGRAM_RETURN_IF_ERROR(ImportNotes(store, r.notes));
  ENGRAM_RETURN_IF_ERROR(ImportLearning(store, r));
  stats.episodes = static_cast<std::int64_t>(r.episodes.size());
  stats.lessons = static_cast<std::int64_t>(r.lessons.size());
  for (const auto& l : r.lessons) {
    stats.lesson_versions += static_cast<std::int64_t>(l.value.second.size());
  }
  stats.embeddings = static_cast<std::int64_t>(r.embeddings.size());
  stats.kv_entries = static_cast<std::int64_t>(r.kv.size());
  stats.notes = static_cast<std::int64_t>(r.notes.size());
  stats.patterns = static_cast<std::int64_t>(r.patterns.size());
  stats.heuristics = static_cast<std::int64_t>(r.heuristics.size());
  stats.feedback = static_cast<std::int64_t>(r.feedback.size());
  stats.contradictions = static_cast<std::int64_t>(r.contradictions.size());
  stats.candidates = static_cast<std::int64_t>(r.candidates.size());
  return Status::Ok();
}

}  // namespace engram::export_internal
