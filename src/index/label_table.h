// LabelTable: the dense label <-> string id mapping behind every index.
//
// Backends (hnswlib, the exact scan) address items by a dense integer label
// (0, 1, 2, ...); engram addresses them by string ids (UUIDs). The table
// holds, per label, the id, the ItemMeta and a live flag, plus the reverse
// map id -> label. Removed labels go to a free list and are handed out again
// by Acquire, so slots are reused and labels stay dense. The table also has
// a binary encoding: the id table of the index file (docs/INDEX.md).
//
// Thread safety: none; the owning index guards it with its mutex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engram/status.h"
#include "engram/vector_index.h"

namespace engram::index_internal {

using Label = std::uint32_t;

// Longest id the index accepts (engram ids are 36-character UUIDs).
inline constexpr std::size_t kMaxIdBytes = 1024;

class LabelTable {
 public:
  // Labels ever handed out: live ones plus free ones awaiting reuse.
  std::size_t size() const { return ids_.size(); }
  std::size_t live_count() const { return live_count_; }

  // REQUIRES for the accessors: label < size().
  bool live(Label label) const { return live_[label] != 0; }
  const std::string& id(Label label) const { return ids_[label]; }
  const ItemMeta& meta(Label label) const { return metas_[label]; }
  // Live and accepted by `filter` (an empty filter accepts every live item).
  bool Accepts(Label label, const SearchFilter& filter) const {
    return live_[label] != 0 && (!filter || filter(ids_[label], metas_[label]));
  }

  std::optional<Label> Find(std::string_view id) const;
  // True when the next Acquire takes a new label (size() grows) rather than
  // reusing a removed one.
  bool NextIsNew() const { return free_.empty(); }

  // Binds `id` to a label: the most recently freed one, else size().
  // REQUIRES: !Find(id), !id.empty(), id.size() <= kMaxIdBytes.
  Label Acquire(std::string_view id, const ItemMeta& meta);
  // Undoes the Acquire that returned `label` (the backend refused the item);
  // the table is left exactly as it was before that Acquire.
  void UndoAcquire(Label label, bool was_new);
  // Frees a live label for reuse. REQUIRES: live(label).
  void Release(Label label);
  void SetMeta(Label label, const ItemMeta& meta) { metas_[label] = meta; }

  // Appends the encoding of every label, in label order.
  void Encode(std::string* out) const;
  // Parses exactly `label_count` labels from `bytes` (which must hold nothing
  // else). Corruption on truncation, trailing bytes, an empty, oversized or
  // duplicate id, or an out-of-range field. `with_times`: the encoding holds
  // ItemMeta's updated_at and last_used_at (file format 2 on); without them
  // (format 1) both load as 0.
  static Result<LabelTable> Decode(std::string_view bytes, std::size_t label_count,
                                   bool with_times = true);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> ids_;
  std::vector<ItemMeta> metas_;
  std::vector<std::uint8_t> live_;
  std::vector<Label> free_;  // reused last-in, first-out
  std::unordered_map<std::string, Label, Hash, std::equal_to<>> by_id_;
  std::size_t live_count_ = 0;
};

}  // namespace engram::index_internal
