// JSON form of key-value entries (kv.h). "value" is any JSON value; a missing
// "value" reads as null. Required when reading: kv.ns and kv.key.
#include <string>

#include "core/json_read.h"
#include "engram/kv.h"

namespace engram {

using json_internal::FieldReader;
using json_internal::NoThrow;
using json_internal::Presence;

Json ToJson(const KvEntry& e) {
  Json j{{"ns", e.ns},
         {"key", e.key},
         {"value", e.value},
         {"version", e.version},
         {"created_at", e.created_at},
         {"updated_at", e.updated_at}};
  if (e.expires_at) j["expires_at"] = *e.expires_at;
  return j;
}

Result<KvEntry> KvEntryFromJson(const Json& j) {
  return NoThrow<KvEntry>("kv", [&]() -> Result<KvEntry> {
    KvEntry e;
    FieldReader r(j, "kv");
    r.String("ns", e.ns, Presence::kRequired);
    r.String("key", e.key, Presence::kRequired);
    r.Any("value", e.value);
    r.Int("version", e.version);
    r.Int("created_at", e.created_at);
    r.Int("updated_at", e.updated_at);
    r.OptionalInt("expires_at", e.expires_at);
    if (!r.ok()) return r.status();
    return e;
  });
}

}  // namespace engram
