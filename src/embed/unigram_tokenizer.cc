#include "embed/unigram_tokenizer.h"

#include <algorithm>
#include <utility>

#include "embed/nfkc.h"
#include "embed/utf8.h"

namespace engram::embed {
namespace {

constexpr char32_t kWordBoundary = 0x2581;  // "▁"

std::uint64_t EdgeKey(std::int32_t node, char32_t cp) {
  return (static_cast<std::uint64_t>(node) << 21) | cp;
}

}  // namespace

Result<UnigramTokenizer> UnigramTokenizer::FromJson(const Json& vocab) {
  if (!vocab.is_array() || vocab.size() <= static_cast<std::size_t>(kReservedIds)) {
    return Status::Corruption("vocab.json must be an array of more than " +
                              std::to_string(kReservedIds) + " [piece, score] pairs");
  }
  UnigramTokenizer t;
  t.node_piece_.push_back(-1);
  t.scores_.reserve(vocab.size());
  t.utf16_len_.reserve(vocab.size());
  for (std::size_t id = 0; id < vocab.size(); ++id) {
    const Json& entry = vocab[id];
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() ||
        !(entry[1].is_number() || entry[1].is_null())) {
      return Status::Corruption("vocab.json entry " + std::to_string(id) +
                                " is not a [piece, score] pair");
    }
    const std::u32string piece = DecodeUtf8(entry[0].get_ref<const std::string&>());
    // A null score counts as 0, as in the reference's JavaScript arithmetic.
    t.scores_.push_back(entry[1].is_null() ? 0.0 : entry[1].get<double>());
    // Backtracking steps back by this length; at least 1 so it always ends.
    t.utf16_len_.push_back(std::max<std::int32_t>(1, Utf16Length(piece)));
    if (id < static_cast<std::size_t>(kReservedIds) || piece.empty()) continue;
    std::int32_t node = 0;
    for (char32_t cp : piece) {
      auto [it, inserted] =
          t.edges_.try_emplace(EdgeKey(node, cp), static_cast<std::int32_t>(t.node_piece_.size()));
      if (inserted) t.node_piece_.push_back(-1);
      node = it->second;
    }
    t.node_piece_[node] = static_cast<std::int32_t>(id);  // a later duplicate wins
  }
  return t;
}

void UnigramTokenizer::PrefixMatches(std::u32string_view text, std::size_t begin,
                                     std::vector<Match>& out) const {
  out.clear();
  std::int32_t node = 0;
  for (std::size_t i = begin; i < text.size(); ++i) {
    auto it = edges_.find(EdgeKey(node, text[i]));
    if (it == edges_.end()) break;
    node = it->second;
    if (node_piece_[node] >= 0) {
      out.push_back({static_cast<std::int32_t>(i - begin + 1), node_piece_[node]});
    }
  }
  if (out.empty()) out.push_back({1, kUnknownId});
}

std::vector<std::int32_t> UnigramTokenizer::Encode(std::string_view utf8) const {
  std::u32string text = NormalizeNfkc(DecodeUtf8(utf8));
  if (!text.empty()) {
    std::replace(text.begin(), text.end(), U' ', kWordBoundary);
    text.insert(text.begin(), kWordBoundary);
  }
  const std::size_t n = text.size();

  // Lattice: for each end position, the pieces ending there by ascending start.
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> ending(n + 1);  // (start, id)
  std::vector<Match> matches;
  for (std::size_t start = 0; start < n; ++start) {
    PrefixMatches(text, start, matches);
    for (const Match& m : matches) {
      ending[start + m.length].emplace_back(static_cast<std::int32_t>(start), m.id);
    }
  }
  // Viterbi exactly as the reference: 0 doubles as "unset", and ">=" lets a
  // later start win ties.
  std::vector<double> best(n + 1, 0.0);
  std::vector<std::int32_t> words(n + 1, 0);
  for (std::size_t end = 0; end <= n; ++end) {
    for (const auto& [start, id] : ending[end]) {
      const double score = scores_[id] + best[start];
      if (best[end] == 0.0 || score >= best[end]) {
        best[end] = score;
        words[end] = id;
      }
    }
  }
  // Backtrack by each piece's UTF-16 length, as the reference does.
  std::vector<std::int32_t> reversed;
  for (std::int64_t at = static_cast<std::int64_t>(n); at > 0; at -= utf16_len_[words[at]]) {
    reversed.push_back(words[at]);
  }
  std::vector<std::int32_t> ids;
  ids.reserve(reversed.size());
  bool previous_unknown = false;
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) {
    if (!(previous_unknown && *it == kUnknownId)) ids.push_back(*it);
    previous_unknown = *it == kUnknownId;
  }
  return ids;
}

}  // namespace engram::embed
