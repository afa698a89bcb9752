// Engine: maintenance of the store (`engram db`, verify_store,
// health_check, get_metrics): statistics, checks, full-text optimisation,
// page checksums, backup and restore, and the JSONL export and import
// (include/engram/export.h). Each passes through to the Store the Engine
// owns, so front ends never hold a Store (docs/ARCHITECTURE.md).
#include <istream>
#include <ostream>
#include <string>

#include "engram/engine.h"
#include "engram/export.h"

namespace engram {

Result<StoreStats> Engine::Stats() { return store_->Stats(); }

Status Engine::Verify() { return store_->Verify(); }

Status Engine::OptimizeFullText() { return store_->OptimizeFullText(); }

Status Engine::EnablePageChecksums() { return store_->EnablePageChecksums(); }

Status Engine::Backup(const std::string& dest_path) { return store_->Backup(dest_path); }

Status Engine::Restore(const std::string& src_path) { return store_->Restore(src_path); }

Result<ExportStats> Engine::Export(std::ostream& out) { return ExportJsonl(*store_, out); }

Result<ExportStats> Engine::Import(std::istream& in) { return ImportJsonl(*store_, in); }

int Engine::SqliteSchemaVersion() { return engram::SqliteSchemaVersion(); }

}  // namespace engram
