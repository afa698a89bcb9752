// SqliteStore: lesson embeddings (table lesson_embeddings), one per lesson
// and model, stored as little-endian float32 BLOBs.
#include <cmath>
#include <string>

#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

constexpr const char* kEmbeddingColumns = "lesson_id, model_id, dim, vector, created_at";

Result<Embedding> EmbeddingFromRow(const Statement& st) {
  Embedding e;
  e.lesson_id = st.Text(0);
  e.model_id = st.Text(1);
  ENGRAM_ASSIGN_OR_RETURN(e.vector, DecodeFloats(st.Blob(3), st.Int(2)));
  e.created_at = st.Int(4);
  return e;
}

std::string EmbeddingOf(const std::string& lesson_id, const std::string& model_id) {
  return "embedding of " + Quoted("lesson", lesson_id) + " by " + Quoted("model", model_id);
}

}  // namespace

Status SqliteStore::PutEmbedding(const Embedding& embedding) {
  const std::string what = EmbeddingOf(embedding.lesson_id, embedding.model_id);
  if (embedding.lesson_id.empty() || embedding.model_id.empty()) {
    return Status::InvalidArgument(what + ": lesson id and model id are required");
  }
  if (embedding.vector.empty()) return Status::InvalidArgument(what + " is empty");
  for (float x : embedding.vector) {
    if (!std::isfinite(x)) return Status::InvalidArgument(what + " holds a NaN or infinity");
  }
  std::string blob = EncodeFloats(embedding.vector);
  return Write("put embedding", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn_->Query("SELECT 1 FROM lessons WHERE id = ?", embedding.lesson_id));
    ENGRAM_ASSIGN_OR_RETURN(bool exists, st.Step());
    if (!exists) return Status::NotFound("lesson '" + embedding.lesson_id + "' does not exist");
    ENGRAM_ASSIGN_OR_RETURN(
        Statement put,
        conn_->Prepare("INSERT INTO lesson_embeddings (lesson_id, model_id, dim, vector, "
                       "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(lesson_id, model_id) DO "
                       "UPDATE SET dim = excluded.dim, vector = excluded.vector, created_at = "
                       "excluded.created_at"));
    put.Bind(embedding.lesson_id, embedding.model_id,
             static_cast<std::int64_t>(embedding.vector.size()))
        .BindBlob(4, blob)
        .BindAt(5, embedding.created_at);
    return put.Exhaust();
  });
}

Result<Embedding> SqliteStore::GetEmbedding(const std::string& lesson_id,
                                            const std::string& model_id) {
  Embedding out;
  ENGRAM_RETURN_IF_ERROR(Read("get embedding", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query(std::string("SELECT ") + kEmbeddingColumns +
                         " FROM lesson_embeddings WHERE lesson_id = ? AND model_id = ?",
                     lesson_id, model_id));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::NotFound(EmbeddingOf(lesson_id, model_id) + " does not exist");
    ENGRAM_ASSIGN_OR_RETURN(out, EmbeddingFromRow(st));
    return Status::Ok();
  }));
  return out;
}

Status SqliteStore::ForEachEmbedding(const std::function<Status(const Embedding&)>& fn) {
  return Read("read embeddings", [&] {
    return ForEachRow(*conn_,
                      std::string("SELECT ") + kEmbeddingColumns +
                          " FROM lesson_embeddings ORDER BY lesson_id, model_id",
                      EmbeddingFromRow, fn);
  });
}

}  // namespace engram::sqlite
