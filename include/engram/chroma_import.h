// Chroma import: turns a Chroma collection dump into engram lessons.
//
// The dump is the JSON of collection.get(include=["documents", "metadatas",
// "embeddings"]): {"ids": [...], "documents": [...], "metadatas": [...],
// "embeddings": [...]}, optionally with the collection's name as "name" or
// "collection". Each record becomes one lesson by the rules of
// include/engram/lesson_record.h (docs/FORMATS.md, "Chroma import", has the
// full mapping), with:
//  - id: the record's id (an id already stored replaces that lesson, its
//    previous version kept in history);
//  - topic: metadata.topic, else the collection name
//    (ChromaImportOptions::collection wins over the dump's own);
//  - type: metadata.type mapped onto best_practice, anti_pattern, gotcha,
//    heuristic or example (synonyms such as "pitfall" or "tip" included);
//    missing or unknown types become heuristic;
//  - every metadata entry that is not a lesson field is kept in the
//    lesson's metadata and, if scalar, also as the tag "key:value"
//    (normalised to the tag format); entries that cannot be expressed as a
//    tag, and tags beyond the limit, are skipped and counted.
// Embeddings in the dump are kept (L2-normalised) only when
// options.model_id names the current embedder's model and the vector has its
// dimension; every other lesson is embedded with the current embedder from
// the text the Engine embeds every lesson as (title, content and topic,
// redacted), so it compares with natively added lessons.
//
// Everything is checked and embedded before anything is written; the lessons
// and embeddings are then written in one transaction. A malformed dump
// (mismatched array lengths, wrong types, an empty document) or an invalid
// lesson is rejected with InvalidArgument naming the record and field, and
// nothing is stored.
// An import of kOptimizeAfterRecords (export.h) or more records then merges
// the full-text segments (Store::OptimizeFullText; its failure is ignored:
// the import is committed, the index only unmerged).
//
// Ownership: borrows the Engine and Embedder for the call.
// Thread safety: as the Engine (one call may run alongside other writes).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/embedder.h"
#include "engram/engine.h"
#include "engram/json.h"
#include "engram/status.h"

namespace engram {

struct ChromaImportOptions {
  // Collection name, used as every lesson's topic. Empty (default): the
  // dump's "name" or "collection" field, which must then be present.
  std::string collection;
  // Model that produced the dump's embeddings. Empty (default): unknown, so
  // every lesson is re-embedded.
  std::string model_id;
  // Texts per EmbedBatch call when re-embedding. Default 64.
  std::size_t embed_batch = 64;
  // Called as work advances: phase "embed" (done/total texts) and "store"
  // (done/total lessons). Default: none.
  std::function<void(std::string_view phase, std::size_t done, std::size_t total)> progress;
};

struct ChromaImportReport {
  std::string topic;
  std::string model_id;                 // the embedder the vectors are stored under
  std::vector<std::string> lesson_ids;  // in dump order
  std::size_t embeddings_kept = 0;      // taken from the dump
  std::size_t embeddings_computed = 0;  // embedded by the current embedder
  std::size_t tags_skipped = 0;         // metadata that could not become a tag
};
Json ToJson(const ChromaImportReport& report);

Result<ChromaImportReport> ImportChromaDump(Engine& engine, const Embedder& embedder,
                                            const Json& dump, const ChromaImportOptions& options);

}  // namespace engram
