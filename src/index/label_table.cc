#include "index/label_table.h"

#include <cassert>
#include <cmath>

#include "index/bytes.h"

namespace engram::index_internal {

std::optional<Label> LabelTable::Find(std::string_view id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

Label LabelTable::Acquire(std::string_view id, const ItemMeta& meta) {
  assert(!id.empty() && id.size() <= kMaxIdBytes && !Find(id));
  Label label;
  if (free_.empty()) {
    label = static_cast<Label>(ids_.size());
    ids_.emplace_back(id);
    metas_.push_back(meta);
    live_.push_back(1);
  } else {
    label = free_.back();
    free_.pop_back();
    ids_[label] = std::string(id);
    metas_[label] = meta;
    live_[label] = 1;
  }
  by_id_.emplace(ids_[label], label);
  ++live_count_;
  return label;
}

void LabelTable::UndoAcquire(Label label, bool was_new) {
  by_id_.erase(ids_[label]);
  --live_count_;
  if (was_new) {
    assert(label + 1 == ids_.size());
    ids_.pop_back();
    metas_.pop_back();
    live_.pop_back();
    return;
  }
  ids_[label].clear();
  metas_[label] = ItemMeta{};
  live_[label] = 0;
  free_.push_back(label);
}

void LabelTable::Release(Label label) {
  assert(live(label));
  by_id_.erase(ids_[label]);
  ids_[label].clear();
  metas_[label] = ItemMeta{};
  live_[label] = 0;
  free_.push_back(label);
  --live_count_;
}

// Per label: u8 live; when live: u16 id length, id bytes, u64 project_hash,
// f32 confidence, u8 type, u8 scope, u8 deprecated, u8 kind.
void LabelTable::Encode(std::string* out) const {
  ByteWriter w(out);
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    w.Put<std::uint8_t>(live_[i]);
    if (!live_[i]) continue;
    const ItemMeta& m = metas_[i];
    w.PutString16(ids_[i]);
    w.Put(m.project_hash);
    w.Put(m.confidence);
    w.Put(m.type);
    w.Put(m.scope);
    w.Put<std::uint8_t>(m.deprecated ? 1 : 0);
    w.Put(m.kind);
    w.Put(m.updated_at);
    w.Put(m.last_used_at);
  }
}

Result<LabelTable> LabelTable::Decode(std::string_view bytes, std::size_t label_count,
                                      bool with_times) {
  const auto bad = [](const std::string& what) {
    return Status::Corruption("vector index id table: " + what);
  };
  ByteReader r(bytes);
  LabelTable t;
  t.ids_.reserve(label_count);
  t.metas_.reserve(label_count);
  t.live_.reserve(label_count);
  for (std::size_t i = 0; i < label_count; ++i) {
    std::uint8_t live = 0;
    if (!r.Get(&live)) return bad("truncated");
    if (live > 1) return bad("bad live flag at label " + std::to_string(i));
    std::string id;
    ItemMeta m;
    if (live) {
      std::uint8_t deprecated = 0;
      if (!r.GetString16(&id) || !r.Get(&m.project_hash) || !r.Get(&m.confidence) ||
          !r.Get(&m.type) || !r.Get(&m.scope) || !r.Get(&deprecated) || !r.Get(&m.kind) ||
          (with_times && (!r.Get(&m.updated_at) || !r.Get(&m.last_used_at)))) {
        return bad("truncated");
      }
      if (id.empty() || id.size() > kMaxIdBytes)
        return bad("bad id length at label " + std::to_string(i));
      if (deprecated > 1 || !std::isfinite(m.confidence)) {
        return bad("bad metadata at label " + std::to_string(i));
      }
      m.deprecated = deprecated == 1;
      if (!t.by_id_.emplace(id, static_cast<Label>(i)).second)
        return bad("duplicate id '" + id + "'");
      ++t.live_count_;
    }
    t.ids_.push_back(std::move(id));
    t.metas_.push_back(m);
    t.live_.push_back(live);
  }
  if (r.remaining() != 0) return bad("trailing bytes");
  // Reuse the lowest free labels first.
  for (std::size_t i = label_count; i-- > 0;) {
    if (!t.live_[i]) t.free_.push_back(static_cast<Label>(i));
  }
  return t;
}

}  // namespace engram::index_internal
