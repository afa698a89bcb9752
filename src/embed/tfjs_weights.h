// Loading a TF.js graph model from disk: model.json (graph topology and
// weights manifest) and the binary weight shards it lists.
//
// Every weight is decoded to float32 or int32, whatever its stored form:
// float32, int32 and bool as stored; TF.js quantised weights (uint8/uint16
// affine with scale and min, float16) are dequantised on load.
//
// Ownership: a TfjsModel owns its topology and decoded tensors.
// Thread safety: immutable after loading; safe to read from many threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engram/json.h"
#include "engram/status.h"

namespace engram::embed {

struct Tensor {
  std::vector<int> shape;
  std::vector<float> floats;       // dtype float32 (also dequantised weights)
  std::vector<std::int32_t> ints;  // dtype int32 or bool
  std::size_t size() const;        // element count from the shape
};

// nlohmann::json's noexcept move runs an assertion helper that clang-tidy
// cannot prove non-throwing, hence the NOLINT.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct TfjsModel {
  Json topology;                          // modelTopology (node list)
  std::map<std::string, Tensor> weights;  // by weight name

  // The named float tensor with exactly `shape`, or Corruption.
  Result<const Tensor*> Float(const std::string& name, const std::vector<int>& shape) const;
  // The named float scalar, or Corruption.
  Result<float> FloatScalar(const std::string& name) const;
  // The named int32 tensor's values (any shape), or Corruption.
  Result<std::vector<std::int32_t>> Ints(const std::string& name) const;
};

// Reads a whole file. NotFound if it does not exist, IOError if unreadable.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Loads `dir`/model.json and its shards. Unavailable if a file is missing,
// Corruption if the JSON or a shard does not match the manifest.
Result<TfjsModel> LoadTfjsModel(const std::filesystem::path& dir);

}  // namespace engram::embed
