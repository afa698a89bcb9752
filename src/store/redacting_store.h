// RedactingStore: the one place secrets are redacted before they reach disk
// (docs/ARCHITECTURE.md, "Secret redaction").
//
// A Store decorator: every write of the wrapped Store and of its sub-stores
// (notes, feedback, patterns and heuristics, contradictions, candidates) is
// passed through RedactRecord (src/core/redact_records.h) first: episodes,
// steps, outcomes, reflections, lessons and their history, kv namespaces,
// keys and values, notes, feedback events, pattern occurrences, heuristics,
// contradiction reasons, candidates, and version reasons; the Import*
// methods too, so `db import` and the Chroma import are covered. Text
// arguments that name stored text (a kv key, a note thread, a lesson or
// episode filter's project, topic, tags) are redacted the same way, so what
// was written with a secret in it is found again by the same argument.
// Reads, embeddings (vectors and model ids), ids and Restore (which installs
// a verified engram backup whole) pass through unchanged.
//
// The Engine installs it around the Store it owns when
// EngineOptions::redact_secrets is set (the default), so no operation, CLI
// command or import that writes through the Engine can skip it.
//
// Ownership: owns the wrapped Store. Thread safety: as the wrapped Store
// (the decorator holds no mutable state).
#pragma once

#include <memory>

#include "engram/store.h"

namespace engram {

std::unique_ptr<Store> NewRedactingStore(std::unique_ptr<Store> inner);

}  // namespace engram
