// UnigramTokenizer: the SentencePiece unigram tokenizer of Universal Sentence
// Encoder Lite, a faithful port of the reference (@energetic-ai/embeddings,
// itself the TF.js universal-sentence-encoder tokenizer).
//
// Encode: NFKC-normalise; if non-empty, prefix "▁" (U+2581) and replace each
// ASCII space by "▁"; Viterbi over the vocabulary scores (ties go to the
// later start, i.e. the shorter last piece, as in the reference); code points
// that start no piece become the unknown id 0, and runs of unknowns collapse
// into one. No lower-casing: the vocabulary is cased.
//
// Ownership: a value type; owns its vocabulary trie.
// Thread safety: immutable after construction; Encode is safe to call from
// many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engram/json.h"
#include "engram/status.h"

namespace engram::embed {

class UnigramTokenizer {
 public:
  // Ids below this are reserved (unknown, <s>, </s>, extras) and never matched.
  static constexpr int kReservedIds = 6;
  static constexpr std::int32_t kUnknownId = 0;

  // `vocab` is vocab.json: an array of [piece, log-probability] pairs (a
  // null score counts as 0), the index being the token id. Corruption if it
  // has another shape.
  static Result<UnigramTokenizer> FromJson(const Json& vocab);

  std::vector<std::int32_t> Encode(std::string_view utf8) const;
  std::size_t vocab_size() const { return scores_.size(); }

 private:
  struct Match {
    std::int32_t length;  // code points
    std::int32_t id;
  };
  // Pieces starting at text[begin], shortest first; {1, unknown} if none.
  void PrefixMatches(std::u32string_view text, std::size_t begin, std::vector<Match>& out) const;

  // Trie edges keyed by (node << 21 | code point); node 0 is the root.
  std::unordered_map<std::uint64_t, std::int32_t> edges_;
  std::vector<std::int32_t> node_piece_;  // piece id ending at a node, or -1
  std::vector<double> scores_;            // by id
  std::vector<std::int32_t> utf16_len_;   // by id: JavaScript length of the piece
};

}  // namespace engram::embed
