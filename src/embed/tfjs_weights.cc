#include "embed/tfjs_weights.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace engram::embed {
namespace {

float HalfToFloat(std::uint16_t h) {
  const int exponent = (h >> 10) & 0x1F;
  const int mantissa = h & 0x3FF;
  float v;
  if (exponent == 0) {
    v = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    v = mantissa ? NAN : INFINITY;
  } else {
    v = std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
  }
  return (h & 0x8000) ? -v : v;
}

template <typename T>
T Load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

std::size_t ElementBytes(std::string_view dtype) {
  if (dtype == "float32" || dtype == "int32") return 4;
  if (dtype == "uint16" || dtype == "float16") return 2;
  if (dtype == "uint8" || dtype == "bool") return 1;
  return 0;
}

// Decodes one manifest entry from `bytes` (exactly its stored size).
Result<Tensor> DecodeWeight(const Json& spec, std::vector<int> shape, const char* bytes) {
  Tensor t;
  t.shape = std::move(shape);
  const std::size_t n = t.size();
  const std::string dtype = spec.value("dtype", "");
  if (const auto q = spec.find("quantization"); q != spec.end()) {
    const std::string qtype = q->value("dtype", "");
    if (dtype != "float32") return Status::Corruption("quantised weights must be float32");
    t.floats.resize(n);
    if (qtype == "float16") {
      for (std::size_t i = 0; i < n; ++i)
        t.floats[i] = HalfToFloat(Load<std::uint16_t>(bytes + 2 * i));
      return t;
    }
    const float scale = q->value("scale", 1.0f);
    const float min = q->value("min", 0.0f);
    for (std::size_t i = 0; i < n; ++i) {
      const float v = qtype == "uint8" ? static_cast<float>(static_cast<unsigned char>(bytes[i]))
                                       : static_cast<float>(Load<std::uint16_t>(bytes + 2 * i));
      t.floats[i] = v * scale + min;
    }
    return t;
  }
  if (dtype == "float32") {
    t.floats.resize(n);
    std::memcpy(t.floats.data(), bytes, 4 * n);
  } else if (dtype == "int32") {
    t.ints.resize(n);
    std::memcpy(t.ints.data(), bytes, 4 * n);
  } else {  // bool
    t.ints.resize(n);
    for (std::size_t i = 0; i < n; ++i) t.ints[i] = bytes[i] != 0;
  }
  return t;
}

Result<std::size_t> StoredBytes(const Json& spec, const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  std::string dtype = spec.value("dtype", "");
  if (const auto q = spec.find("quantization"); q != spec.end()) dtype = q->value("dtype", "");
  const std::size_t bytes = ElementBytes(dtype);
  if (bytes == 0) return Status::Corruption("unsupported weight dtype '" + dtype + "'");
  return n * bytes;
}

Status LoadGroup(const std::filesystem::path& dir, const Json& group, TfjsModel& model) {
  std::string buffer;
  for (const Json& path : group.at("paths")) {
    const std::filesystem::path file = dir / path.get<std::string>();
    auto bytes = ReadFile(file);
    if (!bytes.ok()) {
      if (bytes.status().IsNotFound()) {
        return Status::Unavailable("weight shard " + file.string() + " is missing");
      }
      return bytes.status();
    }
    buffer += *bytes;
  }
  std::size_t offset = 0;
  for (const Json& spec : group.at("weights")) {
    const std::string name = spec.at("name").get<std::string>();
    const auto shape = spec.at("shape").get<std::vector<int>>();
    ENGRAM_ASSIGN_OR_RETURN(const std::size_t size, StoredBytes(spec, shape));
    if (offset + size > buffer.size()) {
      return Status::Corruption("weight shards of " + (dir / "model.json").string() +
                                " end before weight '" + name + "'");
    }
    ENGRAM_ASSIGN_OR_RETURN(Tensor t, DecodeWeight(spec, shape, buffer.data() + offset));
    model.weights[name] = std::move(t);
    offset += size;
  }
  if (offset != buffer.size()) {
    return Status::Corruption("weight shards of " + (dir / "model.json").string() + " hold " +
                              std::to_string(buffer.size()) + " bytes, the manifest " +
                              std::to_string(offset));
  }
  return Status::Ok();
}

std::string ShapeString(const std::vector<int>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ',';
    s += std::to_string(shape[i]);
  }
  s += ']';
  return s;
}

}  // namespace

std::size_t Tensor::size() const {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

Result<const Tensor*> TfjsModel::Float(const std::string& name,
                                       const std::vector<int>& shape) const {
  const auto it = weights.find(name);
  if (it == weights.end()) return Status::Corruption("model has no weight '" + name + "'");
  const Tensor& t = it->second;
  if (t.shape != shape || t.floats.size() != t.size()) {
    return Status::Corruption("weight '" + name + "' is " + ShapeString(t.shape) +
                              (t.floats.empty() ? " int" : " float") + ", expected float " +
                              ShapeString(shape));
  }
  return &t;
}

Result<float> TfjsModel::FloatScalar(const std::string& name) const {
  ENGRAM_ASSIGN_OR_RETURN(const Tensor* t, Float(name, {}));
  return t->floats[0];
}

Result<std::vector<std::int32_t>> TfjsModel::Ints(const std::string& name) const {
  const auto it = weights.find(name);
  if (it == weights.end() || it->second.ints.size() != it->second.size()) {
    return Status::Corruption("model has no int32 weight '" + name + "'");
  }
  return it->second.ints;
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound(path.string() + " does not exist");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  if (!in.good() && !in.eof()) return Status::IOError("cannot read " + path.string());
  return std::move(out).str();
}

Result<TfjsModel> LoadTfjsModel(const std::filesystem::path& dir) {
  const std::filesystem::path json_path = dir / "model.json";
  auto text = ReadFile(json_path);
  if (!text.ok()) {
    if (text.status().IsNotFound()) return Status::Unavailable(json_path.string() + " is missing");
    return text.status();
  }
  auto json = ParseJson(*text, json_path.string());
  if (!json.ok()) return Status::Corruption(json.status().message());
  TfjsModel model;
  try {
    model.topology = std::move(json->at("modelTopology"));
    for (const Json& group : json->at("weightsManifest")) {
      ENGRAM_RETURN_IF_ERROR(LoadGroup(dir, group, model));
    }
  } catch (const Json::exception& e) {
    return Status::Corruption(json_path.string() + " is not a TF.js graph model: " + e.what());
  }
  return model;
}

}  // namespace engram::embed
