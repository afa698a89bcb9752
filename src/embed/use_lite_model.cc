#include "embed/use_lite_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <string>

namespace engram::embed {
namespace {

const std::string kApply = "module_apply_default/Encoder_en/KonaTransformer/";
const std::string kStack = kApply + "Encode/TransformerStack/";
const std::string kVars = "module/Encoder_en/KonaTransformer/Encode/";
const std::string kOutputNode = "module_apply_default/Encoder_en/hidden_layers/l2_normalize";

// Every op of the USE Lite graph. The hand-wired layers below implement the
// graph these ops form; a model using any other op is not this network.
const std::set<std::string, std::less<>> kKnownOps = {
    "Add",     "BatchMatMul",  "BiasAdd",  "Cast",     "ConcatV2",      "Const",     "Conv2D",
    "Cos",     "ExpandDims",   "GatherNd", "GatherV2", "Greater",       "Less",      "LogicalNot",
    "MatMul",  "Max",          "Maximum",  "Mean",     "Mul",           "Pack",      "Placeholder",
    "Prod",    "Range",        "RealDiv",  "Relu",     "Reshape",       "Rsqrt",     "ScatterNd",
    "Shape",   "Sin",          "Slice",    "Softmax",  "SparseToDense", "SplitV",    "Square",
    "Squeeze", "StridedSlice", "Sub",      "Sum",      "Tanh",          "Transpose", "Where",
};

std::string LayerName(int i) { return "Layer_" + std::to_string(i) + "/TransformerLayer/"; }

Result<std::vector<float>> Floats(const TfjsModel& m, const std::string& name,
                                  const std::vector<int>& shape) {
  ENGRAM_ASSIGN_OR_RETURN(const Tensor* t, m.Float(name, shape));
  return t->floats;
}

Result<PackedMatrix> Dense(const TfjsModel& m, const std::string& kernel, const std::string& bias,
                           std::vector<int> kernel_shape) {
  ENGRAM_ASSIGN_OR_RETURN(const Tensor* w, m.Float(kernel, kernel_shape));
  const int k = kernel_shape[kernel_shape.size() - 2];
  const int n = kernel_shape.back();
  ENGRAM_ASSIGN_OR_RETURN(const Tensor* b, m.Float(bias, {n}));
  return PackedMatrix(w->floats, k, n, b->floats);
}

Result<int> IntScalar(const TfjsModel& m, const std::string& name) {
  ENGRAM_ASSIGN_OR_RETURN(std::vector<std::int32_t> v, m.Ints(name));
  if (v.size() != 1) return Status::Corruption("weight '" + name + "' is not a scalar");
  return v[0];
}

Status CheckGraph(const Json& topology, int* softmax_count) {
  if (!topology.contains("node") || !topology["node"].is_array()) {
    return Status::Corruption("model.json has no graph nodes");
  }
  bool has_output = false;
  *softmax_count = 0;
  for (const Json& node : topology["node"]) {
    const std::string op = node.value("op", "");
    if (!kKnownOps.contains(op)) {
      return Status::Corruption("model.json uses op '" + op +
                                "', which is not part of the USE Lite graph");
    }
    if (op == "Softmax") ++*softmax_count;
    has_output = has_output || node.value("name", "") == kOutputNode;
  }
  if (!has_output) return Status::Corruption("model.json has no node '" + kOutputNode + "'");
  return Status::Ok();
}

}  // namespace

struct UseLiteModel::Scratch {
  std::vector<float> x;      // tokens x hidden: the residual stream
  std::vector<float> next;   // tokens x hidden
  std::vector<float> norm;   // tokens x hidden
  std::vector<float> qkv;    // tokens x 3 * attn_dim
  std::vector<float> attn;   // tokens x attn_dim
  std::vector<float> ffn;    // tokens x filter
  std::vector<float> probs;  // max_tokens: one query's attention row
  std::vector<float> keys;   // max_tokens x head depth: one head's keys, transposed
};

Result<UseLiteModel::Layer> UseLiteModel::LoadLayer(const TfjsModel& m, int i, int hidden,
                                                    int heads) {
  const std::string vars = kApply + "Encode/" + LayerName(i);
  const std::string stack = kStack + LayerName(i);
  Layer layer;
  const auto scale = m.weights.find(vars +
                                    "layer_prepostprocess/layer_norm/layer_norm_scale/"
                                    "ConcatPartitions/concat");
  if (scale == m.weights.end() || scale->second.shape.size() != 1) {
    return Status::Corruption("model has no layer norm for transformer layer " + std::to_string(i));
  }
  layer.in_dim = scale->second.shape[0];
  layer.heads = heads;
  ENGRAM_ASSIGN_OR_RETURN(layer.ln_scale, Floats(m, scale->first, {layer.in_dim}));
  ENGRAM_ASSIGN_OR_RETURN(
      layer.ln_bias,
      Floats(m, vars + "layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat",
             {layer.in_dim}));
  ENGRAM_ASSIGN_OR_RETURN(std::vector<std::int32_t> split,
                          m.Ints(stack + "MultiheadAttention/Const"));
  if (split.size() != 3 || split[0] != split[1] || split[1] != split[2] || split[0] % heads != 0) {
    return Status::Corruption("unexpected q/k/v split in transformer layer " + std::to_string(i));
  }
  layer.attn_dim = split[0];
  ENGRAM_ASSIGN_OR_RETURN(layer.query_scale, m.FloatScalar(stack + "MultiheadAttention/mul/y"));
  const std::string mha = LayerName(i) + "MultiheadAttention/";
  ENGRAM_ASSIGN_OR_RETURN(layer.qkv, Dense(m, kVars + mha + "qkv_transform_single/kernel/part_0",
                                           kApply + "Encode/" + mha +
                                               "qkv_transform_single/bias/ConcatPartitions/concat",
                                           {1, 1, layer.in_dim, 3 * layer.attn_dim}));
  ENGRAM_ASSIGN_OR_RETURN(
      layer.output,
      Dense(m, kVars + mha + "output_transform_single/kernel/part_0",
            kApply + "Encode/" + mha + "output_transform_single/bias/ConcatPartitions/concat",
            {1, 1, layer.attn_dim, hidden}));
  if (layer.in_dim != hidden) {
    ENGRAM_ASSIGN_OR_RETURN(
        layer.residual, Dense(m, vars + "dense/kernel/ConcatPartitions/concat",
                              vars + "dense/bias/ConcatPartitions/concat", {layer.in_dim, hidden}));
  }
  const std::string ffn = vars + "FFN/";
  ENGRAM_ASSIGN_OR_RETURN(
      layer.ffn_ln_scale,
      Floats(m, ffn + "layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat",
             {hidden}));
  ENGRAM_ASSIGN_OR_RETURN(
      layer.ffn_ln_bias,
      Floats(m, ffn + "layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat",
             {hidden}));
  const std::string conv1 = stack + "FFN/conv1/Tensordot/Reshape_1";
  const auto w1 = m.weights.find(conv1);
  if (w1 == m.weights.end() || w1->second.shape.size() != 2) {
    return Status::Corruption("model has no feed-forward weights in layer " + std::to_string(i));
  }
  const int filter = w1->second.shape[1];
  ENGRAM_ASSIGN_OR_RETURN(
      layer.ffn1, Dense(m, conv1, ffn + "conv1/bias/ConcatPartitions/concat", {hidden, filter}));
  ENGRAM_ASSIGN_OR_RETURN(layer.ffn2,
                          Dense(m, stack + "FFN/conv2/Tensordot/Reshape_1",
                                ffn + "conv2/bias/ConcatPartitions/concat", {filter, hidden}));
  return layer;
}

Result<UseLiteModel> UseLiteModel::FromTfjs(const TfjsModel& m) {
  int layer_count = 0;
  ENGRAM_RETURN_IF_ERROR(CheckGraph(m.topology, &layer_count));
  UseLiteModel model;
  const auto emb = m.weights.find("module/Embeddings_en");
  if (emb == m.weights.end() || emb->second.shape.size() != 2) {
    return Status::Corruption("model has no token embedding table 'module/Embeddings_en'");
  }
  model.vocab_size_ = emb->second.shape[0];
  model.embed_dim_ = emb->second.shape[1];
  ENGRAM_ASSIGN_OR_RETURN(model.embeddings_, Floats(m, emb->first, emb->second.shape));
  ENGRAM_ASSIGN_OR_RETURN(model.inv_timescales_,
                          Floats(m, kStack + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1",
                                 {1, model.embed_dim_ / 2}));
  ENGRAM_ASSIGN_OR_RETURN(model.max_tokens_, IntScalar(m, kApply + "ClipToMaxLength/Less/y"));
  ENGRAM_ASSIGN_OR_RETURN(
      model.ln_epsilon_,
      m.FloatScalar(kStack +
                    "Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x"));
  ENGRAM_ASSIGN_OR_RETURN(
      model.l2_epsilon_,
      m.FloatScalar("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y"));
  ENGRAM_ASSIGN_OR_RETURN(
      const int heads,
      IntScalar(m, kStack + "Layer_1/TransformerLayer/MultiheadAttention/split_heads/"
                            "split_last_dimension/Reshape/shape/2"));
  const auto tanh_w = m.weights.find("module/Encoder_en/hidden_layers/tanh_layer_0/weights");
  if (tanh_w == m.weights.end() || tanh_w->second.shape.size() != 2) {
    return Status::Corruption("model has no tanh output layer");
  }
  model.hidden_ = tanh_w->second.shape[0];
  ENGRAM_ASSIGN_OR_RETURN(
      model.tanh_, Dense(m, tanh_w->first, "module/Encoder_en/hidden_layers/tanh_layer_0/bias",
                         tanh_w->second.shape));
  if (layer_count < 1 || heads < 1 || model.max_tokens_ < 1 || model.embed_dim_ % 2 != 0) {
    return Status::Corruption("model graph has unexpected hyper-parameters");
  }
  for (int i = 0; i < layer_count; ++i) {
    ENGRAM_ASSIGN_OR_RETURN(Layer layer, LoadLayer(m, i, model.hidden_, heads));
    const int expected_in = i == 0 ? model.embed_dim_ : model.hidden_;
    if (layer.in_dim != expected_in) {
      return Status::Corruption("transformer layer " + std::to_string(i) + " has input width " +
                                std::to_string(layer.in_dim));
    }
    model.layers_.push_back(std::move(layer));
  }
  return model;
}

void UseLiteModel::EmbedTokens(std::span<const std::vector<std::int32_t>> sentences,
                               std::span<const Segment> segments, float* x) const {
  const int half = embed_dim_ / 2;
  for (std::size_t s = 0; s < sentences.size(); ++s) {
    for (int pos = 0; pos < segments[s].length; ++pos) {
      const std::int32_t id = sentences[s][pos];
      float* row = x + static_cast<std::size_t>(segments[s].offset + pos) * embed_dim_;
      const float* e = embeddings_.data() + static_cast<std::size_t>(id) * embed_dim_;
      for (int i = 0; i < half; ++i) {
        const float t = static_cast<float>(pos) * inv_timescales_[i];
        // The graph adds the embeddings twice: once with the timing signal
        // and once more as a scattered copy (Layer_0/add).
        row[i] = e[i] + (e[i] + std::sin(t));
        row[half + i] = e[half + i] + (e[half + i] + std::cos(t));
      }
    }
  }
}

void UseLiteModel::Attention(const Layer& layer, std::span<const Segment> segments,
                             Scratch& s) const {
  const int a = layer.attn_dim;
  const int depth = a / layer.heads;
  const int stride = 3 * a;
  for (const Segment& seg : segments) {
    const int len = seg.length;
    const float* base = s.qkv.data() + static_cast<std::size_t>(seg.offset) * stride;
    for (int h = 0; h < layer.heads; ++h) {
      // Keys transposed to depth x len so score loops run along contiguous memory.
      for (int j = 0; j < len; ++j) {
        const float* k = base + static_cast<std::size_t>(j) * stride + a + h * depth;
        for (int d = 0; d < depth; ++d) s.keys[static_cast<std::size_t>(d) * len + j] = k[d];
      }
      for (int i = 0; i < len; ++i) {
        const float* q = base + static_cast<std::size_t>(i) * stride + h * depth;
        float* scores = s.probs.data();
        std::fill(scores, scores + len, 0.0f);
        for (int d = 0; d < depth; ++d) {
          const float qd = q[d] * layer.query_scale;  // the graph scales q first
          const float* kd = s.keys.data() + static_cast<std::size_t>(d) * len;
          for (int j = 0; j < len; ++j) scores[j] += qd * kd[j];
        }
        Softmax(scores, len);
        float* out = s.attn.data() + static_cast<std::size_t>(seg.offset + i) * a + h * depth;
        std::fill(out, out + depth, 0.0f);
        for (int j = 0; j < len; ++j) {
          const float* v = base + static_cast<std::size_t>(j) * stride + 2 * a + h * depth;
          const float p = scores[j];
          for (int d = 0; d < depth; ++d) out[d] += p * v[d];
        }
      }
    }
  }
}

void UseLiteModel::RunLayer(const Layer& layer, std::span<const Segment> segments,
                            Scratch& s) const {
  const int n = segments.empty() ? 0 : segments.back().offset + segments.back().length;
  LayerNorm(s.x.data(), n, layer.in_dim, layer.ln_scale.data(), layer.ln_bias.data(), ln_epsilon_,
            s.norm.data());
  MatMul(s.norm.data(), n, layer.in_dim, layer.qkv, s.qkv.data(), layer.qkv.n(), Epilogue::kStore);
  Attention(layer, segments, s);
  if (layer.in_dim != hidden_) {
    MatMul(s.x.data(), n, layer.in_dim, layer.residual, s.next.data(), hidden_, Epilogue::kStore);
    s.x.swap(s.next);
  }
  MatMul(s.attn.data(), n, layer.attn_dim, layer.output, s.x.data(), hidden_,
         Epilogue::kAccumulate);
  LayerNorm(s.x.data(), n, hidden_, layer.ffn_ln_scale.data(), layer.ffn_ln_bias.data(),
            ln_epsilon_, s.norm.data());
  MatMul(s.norm.data(), n, hidden_, layer.ffn1, s.ffn.data(), layer.ffn1.n(), Epilogue::kRelu);
  MatMul(s.ffn.data(), n, layer.ffn1.n(), layer.ffn2, s.x.data(), hidden_, Epilogue::kAccumulate);
}

void UseLiteModel::Forward(std::span<const std::vector<std::int32_t>> sentences,
                           std::vector<float>& out) const {
  std::vector<Segment> segments;
  segments.reserve(sentences.size());
  int n = 0;
  for (const auto& ids : sentences) {
    const int length = std::min(static_cast<int>(ids.size()), max_tokens_);
    segments.push_back({n, length});
    n += length;
  }
  int widest = std::max(embed_dim_, hidden_);
  int filter = 0;
  for (const Layer& l : layers_) {
    widest = std::max(widest, 3 * l.attn_dim);
    filter = std::max(filter, l.ffn1.n());
  }
  Scratch s;
  const std::size_t rows = static_cast<std::size_t>(std::max(n, 1));
  s.x.resize(rows * widest);
  s.next.resize(rows * widest);
  s.norm.resize(rows * widest);
  s.qkv.resize(rows * widest);
  s.attn.resize(rows * widest);
  s.ffn.resize(rows * filter);
  s.probs.resize(max_tokens_);
  s.keys.resize(static_cast<std::size_t>(max_tokens_) * widest);

  EmbedTokens(sentences, segments, s.x.data());
  for (const Layer& layer : layers_) RunLayer(layer, segments, s);

  // Mean over each sentence's tokens (max(count, 1) as the graph divides).
  std::vector<float> pooled(sentences.size() * hidden_, 0.0f);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    float* p = pooled.data() + i * hidden_;
    for (int t = 0; t < segments[i].length; ++t) {
      const float* row = s.x.data() + static_cast<std::size_t>(segments[i].offset + t) * hidden_;
      for (int d = 0; d < hidden_; ++d) p[d] += row[d];
    }
    const float count = static_cast<float>(std::max(segments[i].length, 1));
    for (int d = 0; d < hidden_; ++d) p[d] /= count;
  }
  const int dim = output_dim();
  out.assign(sentences.size() * dim, 0.0f);
  MatMul(pooled.data(), static_cast<int>(sentences.size()), hidden_, tanh_, out.data(), dim,
         Epilogue::kStore);
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    float* v = out.data() + i * dim;
    float sq = 0.0f;
    for (int d = 0; d < dim; ++d) {
      v[d] = std::tanh(v[d]);
      sq += v[d] * v[d];
    }
    const float inv = 1.0f / std::sqrt(std::max(sq, l2_epsilon_));
    for (int d = 0; d < dim; ++d) v[d] *= inv;
  }
}

}  // namespace engram::embed
