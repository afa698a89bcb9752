#include "store/sqlite/fts_tokenizer.h"

#include <limits>

namespace engram::sqlite {

fts5_api* Fts5Api(Connection& conn) {
  fts5_api* api = nullptr;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(conn.handle(), "SELECT fts5(?1)", -1, &raw, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(raw, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(raw);
  }
  sqlite3_finalize(raw);
  return api;
}

Status RegisterFts5Function(Connection& conn, const char* name, fts5_extension_function fn) {
  fts5_api* api = Fts5Api(conn);
  if (!api || api->iVersion < 2) {
    return Status::Unavailable("this SQLite has no FTS5 extension API (version 2)");
  }
  const int rc = api->xCreateFunction(api, name, nullptr, fn, nullptr);
  if (rc != SQLITE_OK) return conn.Error(rc, std::string("register ") + name);
  return Status::Ok();
}

struct FtsTokenizer::Impl {
  fts5_tokenizer methods{};
  Fts5Tokenizer* instance = nullptr;
};

namespace {

struct CallbackState {
  const std::function<void(std::string_view)>* fn;
};

int OnToken(void* ctx, int flags, const char* token, int size, int /*start*/, int /*end*/) {
  if ((flags & FTS5_TOKEN_COLOCATED) != 0) return SQLITE_OK;
  const auto* state = static_cast<CallbackState*>(ctx);
  (*state->fn)(std::string_view(token, static_cast<std::size_t>(size)));
  return SQLITE_OK;
}

}  // namespace

FtsTokenizer::FtsTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FtsTokenizer::~FtsTokenizer() {
  if (impl_->instance) impl_->methods.xDelete(impl_->instance);
}

Result<std::unique_ptr<FtsTokenizer>> FtsTokenizer::Create(Connection& conn,
                                                           const std::vector<std::string>& spec) {
  if (spec.empty()) return Status::InvalidArgument("an FTS5 tokenizer needs a name");
  fts5_api* api = Fts5Api(conn);
  if (!api) return Status::Unavailable("this SQLite has no FTS5 extension API");
  auto impl = std::make_unique<Impl>();
  void* user_data = nullptr;
  int rc = api->xFindTokenizer(api, spec[0].c_str(), &user_data, &impl->methods);
  if (rc != SQLITE_OK) {
    return Status::Unavailable("FTS5 has no tokenizer '" + spec[0] + "'");
  }
  std::vector<const char*> args;
  for (std::size_t i = 1; i < spec.size(); ++i) args.push_back(spec[i].c_str());
  rc =
      impl->methods.xCreate(user_data, args.data(), static_cast<int>(args.size()), &impl->instance);
  if (rc != SQLITE_OK) return conn.Error(rc, "creating FTS5 tokenizer '" + spec[0] + "'");
  return std::unique_ptr<FtsTokenizer>(new FtsTokenizer(std::move(impl)));
}

Status FtsTokenizer::Run(int flags, std::string_view text,
                         const std::function<void(std::string_view)>& fn) {
  if (text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return Status::InvalidArgument("text too long to tokenize");
  }
  CallbackState state{&fn};
  const int rc = impl_->methods.xTokenize(impl_->instance, &state, flags, text.data(),
                                          static_cast<int>(text.size()), OnToken);
  if (rc != SQLITE_OK)
    return Status::Internal("FTS5 tokenizer failed (" + std::to_string(rc) + ")");
  return Status::Ok();
}

Status FtsTokenizer::Document(std::string_view text,
                              const std::function<void(std::string_view)>& fn) {
  return Run(FTS5_TOKENIZE_DOCUMENT, text, fn);
}

Result<std::vector<std::string>> FtsTokenizer::Query(std::string_view text) {
  std::vector<std::string> out;
  ENGRAM_RETURN_IF_ERROR(
      Run(FTS5_TOKENIZE_QUERY, text, [&](std::string_view t) { out.emplace_back(t); }));
  return out;
}

}  // namespace engram::sqlite
