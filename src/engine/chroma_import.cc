// ImportChromaDump (include/engram/chroma_import.h): check the dump, map the
// records (chroma_record.cc), embed what must be embedded, then write every
// lesson and embedding in one transaction.
#include "engram/chroma_import.h"

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/redact_records.h"
#include "core/validate.h"
#include "embed/vector_norm.h"
#include "engine/search_state.h"
#include "engram/export.h"
#include "engram/lesson_record.h"
#include "engram/redact.h"

namespace engram {
namespace {

struct Record {
  std::string chroma_id;
  NewLesson lesson;
  std::optional<std::vector<float>> vector;  // set: stored with the lesson
};

Status Malformed(const std::string& what) {
  return Status::InvalidArgument("malformed chroma dump: " + what);
}

std::string RecordName(std::size_t i, const std::string& id) {
  return "record " + std::to_string(i) + " (id '" + id + "')";
}

// The array `name` of the dump: absent or null is allowed only if
// !required; otherwise it must have `n` entries.
Result<const Json*> Column(const Json& dump, const char* name, std::size_t n, bool required) {
  if (!dump.contains(name) || dump[name].is_null()) {
    if (required) return Malformed(std::string("\"") + name + "\" is missing");
    return static_cast<const Json*>(nullptr);
  }
  const Json& col = dump[name];
  if (!col.is_array()) return Malformed(std::string("\"") + name + "\" is not an array");
  if (col.size() != n) {
    return Malformed(std::string("\"") + name + "\" has " + std::to_string(col.size()) +
                     " entries but \"ids\" has " + std::to_string(n));
  }
  return &col;
}

Result<std::string> CollectionName(const Json& dump, const ChromaImportOptions& options) {
  if (!options.collection.empty()) return options.collection;
  for (const char* key : {"name", "collection"}) {
    if (dump.contains(key) && dump[key].is_string() && !dump[key].get<std::string>().empty()) {
      return dump[key].get<std::string>();
    }
  }
  return Status::InvalidArgument(
      "the chroma dump names no collection (no \"name\" or \"collection\" field): pass "
      "--collection NAME");
}

// The dump's embedding for one record, if it can be kept.
Result<std::optional<std::vector<float>>> DumpVector(const Json& e, const std::string& where,
                                                     bool model_matches, int dimension) {
  if (e.is_null()) return std::optional<std::vector<float>>();
  if (!e.is_array()) return Malformed(where + " embedding is not an array");
  std::vector<float> v;
  v.reserve(e.size());
  for (const Json& x : e) {
    if (!x.is_number() || !std::isfinite(x.get<double>())) {
      return Malformed(where + " embedding holds a value that is not a finite number");
    }
    v.push_back(x.get<float>());
  }
  if (!model_matches || v.size() != static_cast<std::size_t>(dimension)) {
    return std::optional<std::vector<float>>();
  }
  embed::L2Normalize(v);
  return std::optional<std::vector<float>>(std::move(v));
}

// With `redact`, metadata is redacted before it is mapped: turned into
// tags it is lower-cased and '_' becomes '-', which would hide a token's
// shape from the store's redaction (docs/ARCHITECTURE.md, "Secret
// redaction").
Result<std::vector<Record>> ReadRecords(const Json& dump, const std::string& topic,
                                        const Embedder& embedder,
                                        const ChromaImportOptions& options, const Limits& limits,
                                        bool redact, ChromaImportReport& report) {
  if (!dump.is_object()) return Malformed("the top level is not a JSON object");
  if (!dump.contains("ids") || !dump["ids"].is_array()) {
    return Malformed("\"ids\" is missing or not an array");
  }
  const std::size_t n = dump["ids"].size();
  ENGRAM_ASSIGN_OR_RETURN(const Json* documents, Column(dump, "documents", n, true));
  ENGRAM_ASSIGN_OR_RETURN(const Json* metadatas, Column(dump, "metadatas", n, false));
  ENGRAM_ASSIGN_OR_RETURN(const Json* embeddings, Column(dump, "embeddings", n, false));
  const bool model_matches = !options.model_id.empty() && options.model_id == embedder.model_id();
  std::vector<Record> records;
  records.reserve(n);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) {
    const Json& id = dump["ids"][i];
    if (!id.is_string() || id.get<std::string>().empty()) {
      return Malformed("ids[" + std::to_string(i) + "] is not a non-empty string");
    }
    Record r;
    r.chroma_id = id.get<std::string>();
    const std::string where = RecordName(i, r.chroma_id);
    if (!ids.insert(r.chroma_id).second) return Malformed(where + ": the id repeats");
    const Json& doc = (*documents)[i];
    if (!doc.is_string()) return Malformed(where + ": the document is not a string");
    Json meta = metadatas != nullptr ? (*metadatas)[i] : Json();
    if (!meta.is_null() && !meta.is_object()) {
      return Malformed(where + ": the metadata is not an object");
    }
    if (redact) meta = RedactSecrets(meta);
    LessonRecordOptions rules;
    rules.default_topic = topic;
    rules.default_type = LessonType::kHeuristic;
    rules.metadata_tags = true;
    auto mapped = LessonFromRecord(r.chroma_id, doc.get<std::string>(), meta, rules, limits);
    if (!mapped.ok()) return Malformed(where + ": " + mapped.status().message());
    r.lesson = std::move(mapped->lesson);
    report.tags_skipped += mapped->tags_skipped;
    // Check now, before any embedding work, with the rules AddLesson applies.
    Status valid = ValidateNewLesson(r.lesson, limits);
    if (valid.ok()) valid = NormalizeTags(r.lesson.tags, limits).status();
    if (!valid.ok()) return Status::InvalidArgument(where + ": " + valid.message());
    if (embeddings != nullptr) {
      ENGRAM_ASSIGN_OR_RETURN(
          r.vector, DumpVector((*embeddings)[i], where, model_matches, embedder.dimension()));
    }
    records.push_back(std::move(r));
  }
  return records;
}

// Embeds every record without a kept vector, in batches.
Status EmbedMissing(std::vector<Record>& records, const Embedder& embedder,
                    const ChromaImportOptions& options, bool redact, ChromaImportReport& report) {
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!records[i].vector) todo.push_back(i);
  }
  const std::size_t batch = std::max<std::size_t>(1, options.embed_batch);
  for (std::size_t begin = 0; begin < todo.size(); begin += batch) {
    const std::size_t end = std::min(todo.size(), begin + batch);
    std::vector<std::string> texts;
    // The text the Engine embeds a lesson as, over the fields redacted as it
    // will store them, so imported and natively added lessons compare alike.
    for (std::size_t k = begin; k < end; ++k) {
      const NewLesson& in = records[todo[k]].lesson;
      Lesson l;
      l.topic = in.topic;
      l.title = in.title;
      l.content = in.content;
      if (redact) RedactRecord(l);
      texts.push_back(LessonEmbeddingText(l));
    }
    auto vectors = embedder.EmbedBatch(texts);
    if (!vectors.ok()) {
      return Status(vectors.status().code(),
                    "embedding the chroma documents failed: " + vectors.status().message());
    }
    if (vectors->size() != texts.size()) {
      return Status::Internal("embedder returned " + std::to_string(vectors->size()) +
                              " vectors for " + std::to_string(texts.size()) + " texts");
    }
    for (std::size_t k = begin; k < end; ++k) {
      records[todo[k]].vector = std::move((*vectors)[k - begin]);
    }
    report.embeddings_computed += end - begin;
    if (options.progress) options.progress("embed", end, todo.size());
  }
  report.embeddings_kept = records.size() - todo.size();
  return Status::Ok();
}

}  // namespace

Json ToJson(const ChromaImportReport& r) {
  return Json{{"topic", r.topic},
              {"imported", r.lesson_ids.size()},
              {"lesson_ids", r.lesson_ids},
              {"model_id", r.model_id},
              {"embeddings_kept", r.embeddings_kept},
              {"embeddings_computed", r.embeddings_computed},
              {"tags_skipped", r.tags_skipped}};
}

Result<ChromaImportReport> ImportChromaDump(Engine& engine, const Embedder& embedder,
                                            const Json& dump, const ChromaImportOptions& options) {
  ChromaImportReport report;
  if (dump.is_object()) {
    ENGRAM_ASSIGN_OR_RETURN(report.topic, CollectionName(dump, options));
  }
  report.model_id = embedder.model_id();
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Record> records,
                          ReadRecords(dump, report.topic, embedder, options, engine.limits(),
                                      engine.redacts_secrets(), report));
  ENGRAM_RETURN_IF_ERROR(
      EmbedMissing(records, embedder, options, engine.redacts_secrets(), report));

  std::vector<std::string> ids;
  ENGRAM_RETURN_IF_ERROR(engine.RunInLessonTransaction([&]() -> Status {
    ids.clear();  // a retried transaction starts over
    for (std::size_t i = 0; i < records.size(); ++i) {
      const Record& r = records[i];
      auto lesson = engine.AddLesson(r.lesson);
      if (!lesson.ok()) {
        return Status(lesson.status().code(),
                      RecordName(i, r.chroma_id) + ": " + lesson.status().message());
      }
      Embedding e;
      e.lesson_id = lesson->id;
      e.model_id = embedder.model_id();
      e.vector = *r.vector;
      e.created_at = engine.Now();
      ENGRAM_RETURN_IF_ERROR(engine.store().PutEmbedding(e));
      ids.push_back(lesson->id);
      if (options.progress) options.progress("store", i + 1, records.size());
    }
    return Status::Ok();
  }));
  report.lesson_ids = std::move(ids);
  // A bulk load leaves many full-text segments: merge them, as ImportJsonl
  // does (Store::OptimizeFullText). The import is committed either way; a
  // failed merge only leaves the index unmerged.
  if (static_cast<std::int64_t>(report.lesson_ids.size()) >= kOptimizeAfterRecords) {
    (void)engine.OptimizeFullText();
  }
  return report;
}

}  // namespace engram
