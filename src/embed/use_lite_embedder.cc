// OpenUseLiteEmbedder: the native Universal Sentence Encoder Lite embedder
// (see include/engram/embedder.h).
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "embed/tfjs_weights.h"
#include "embed/unigram_tokenizer.h"
#include "embed/use_lite_model.h"
#include "engram/embedder.h"
#include "engram/json.h"

// Model directories relative to the running executable's directory
// (CMakeLists.txt): the installed layout, then the build tree's link.
#ifndef ENGRAM_MODEL_DIR_FROM_BIN
#define ENGRAM_MODEL_DIR_FROM_BIN "../share/engram/model"
#endif
#ifndef ENGRAM_MODEL_DIR_IN_BUILD_TREE
#define ENGRAM_MODEL_DIR_IN_BUILD_TREE "share/engram/model"
#endif

namespace engram {
namespace {

// Sentences embedded per Forward call: bounds scratch memory for huge batches
// without changing results (rows are independent).
constexpr std::size_t kChunk = 64;

class UseLiteEmbedder final : public Embedder {
 public:
  UseLiteEmbedder(embed::UnigramTokenizer tokenizer, embed::UseLiteModel model)
      : id_(UseLiteModelId()), tokenizer_(std::move(tokenizer)), model_(std::move(model)) {}

  const std::string& model_id() const override { return id_; }
  int dimension() const override { return model_.output_dim(); }

  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override {
    std::vector<std::vector<float>> result;
    result.reserve(texts.size());
    std::vector<std::vector<std::int32_t>> ids;
    std::vector<float> out;
    const int dim = dimension();
    for (std::size_t begin = 0; begin < texts.size(); begin += kChunk) {
      const std::size_t end = std::min(texts.size(), begin + kChunk);
      ids.clear();
      for (std::size_t i = begin; i < end; ++i) ids.push_back(tokenizer_.Encode(texts[i]));
      model_.Forward(ids, out);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        result.emplace_back(out.begin() + i * dim, out.begin() + (i + 1) * dim);
      }
    }
    return result;
  }

 private:
  std::string id_;
  embed::UnigramTokenizer tokenizer_;
  embed::UseLiteModel model_;
};

// UseLiteOptions::lazy: loads the real embedder on the first EmbedBatch.
// The load runs once (std::call_once); its outcome, embedder or error, is
// kept for every later call. Thread-safe like the embedder it wraps.
class LazyUseLiteEmbedder final : public Embedder {
 public:
  explicit LazyUseLiteEmbedder(UseLiteOptions options)
      : options_(std::move(options)), id_(UseLiteModelId()) {
    options_.lazy = false;
  }

  const std::string& model_id() const override { return id_; }
  int dimension() const override { return kUseLiteDimension; }

  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override {
    ENGRAM_RETURN_IF_ERROR(Prepare());
    return (*loaded_)->EmbedBatch(texts);
  }

  Status Prepare() const override {
    std::call_once(once_, [this] {
      loaded_ = OpenUseLiteEmbedder(options_);
      if (loaded_.ok() && (*loaded_)->dimension() != kUseLiteDimension) {
        loaded_ =
            Status::Corruption("USE Lite model has " + std::to_string((*loaded_)->dimension()) +
                               "-dim output, expected " + std::to_string(kUseLiteDimension));
      }
    });
    return loaded_.status();
  }

 private:
  static constexpr int kUseLiteDimension = 512;
  UseLiteOptions options_;
  std::string id_;
  mutable std::once_flag once_;
  mutable Result<std::unique_ptr<Embedder>> loaded_ =
      Status::Internal("USE Lite model not loaded yet");
};

// The directory to load and how it was chosen, for error messages.
std::pair<std::filesystem::path, std::string> ResolveModelDir(const UseLiteOptions& options) {
  if (!options.model_dir.empty()) return {options.model_dir, "from UseLiteOptions::model_dir"};
  if (const char* env = std::getenv("ENGRAM_MODEL_DIR"); env != nullptr && *env != '\0') {
    return {env, "from $ENGRAM_MODEL_DIR"};
  }
  return {DefaultUseLiteModelDir(),
          "the default beside the executable; set $ENGRAM_MODEL_DIR to override"};
}

}  // namespace

std::string_view UseLiteModelId() { return "use-lite-en@0.2.0"; }

std::string DefaultUseLiteModelDir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path bin = ec ? std::filesystem::path(".") : exe.parent_path();
  const std::filesystem::path installed = (bin / ENGRAM_MODEL_DIR_FROM_BIN).lexically_normal();
  const std::filesystem::path build_tree = bin / ENGRAM_MODEL_DIR_IN_BUILD_TREE;
  // The build tree's link counts even when it dangles (model not installed
  // yet): the error then names the directory a developer must fill.
  if (!std::filesystem::is_directory(installed, ec) &&
      std::filesystem::is_symlink(std::filesystem::symlink_status(build_tree, ec))) {
    return build_tree.string();
  }
  return installed.string();
}

Result<std::unique_ptr<Embedder>> OpenUseLiteEmbedder(const UseLiteOptions& options) {
  const auto [dir, how] = ResolveModelDir(options);
  const std::string where = " (model dir " + dir.string() + ", " + how +
                            "; run scripts/install-model.sh to install the model)";
  auto fail = [&](const Status& st) { return Status(st.code(), st.message() + where); };

  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::Unavailable("USE Lite model not found: " + dir.string() + " is not a directory" +
                               where);
  }
  if (options.lazy) {
    for (const char* file : {"model.json", "vocab.json"}) {
      if (!std::filesystem::is_regular_file(dir / file, ec)) {
        return Status::Unavailable("USE Lite model not found: " + (dir / file).string() +
                                   " is missing" + where);
      }
    }
    return std::unique_ptr<Embedder>(std::make_unique<LazyUseLiteEmbedder>(options));
  }
  auto vocab_text = embed::ReadFile(dir / "vocab.json");
  if (!vocab_text.ok()) {
    if (vocab_text.status().IsNotFound()) {
      return Status::Unavailable("USE Lite model not found: " + (dir / "vocab.json").string() +
                                 " is missing" + where);
    }
    return fail(vocab_text.status());
  }
  auto vocab = ParseJson(*vocab_text, (dir / "vocab.json").string());
  if (!vocab.ok()) return fail(Status::Corruption(vocab.status().message()));
  auto tokenizer = embed::UnigramTokenizer::FromJson(*vocab);
  if (!tokenizer.ok()) return fail(tokenizer.status());

  auto tfjs = embed::LoadTfjsModel(dir);
  if (!tfjs.ok()) return fail(tfjs.status());
  auto model = embed::UseLiteModel::FromTfjs(*tfjs);
  if (!model.ok()) return fail(model.status());
  if (static_cast<int>(tokenizer->vocab_size()) > model->vocab_size()) {
    return fail(Status::Corruption("vocab.json has " + std::to_string(tokenizer->vocab_size()) +
                                   " pieces but the embedding table only " +
                                   std::to_string(model->vocab_size()) + " rows"));
  }
  return std::unique_ptr<Embedder>(
      std::make_unique<UseLiteEmbedder>(std::move(tokenizer).value(), std::move(model).value()));
}

}  // namespace engram
