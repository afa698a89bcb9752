// Identifier generation: time-ordered UUIDv7 strings
// ("0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5d"), so ids sort by creation time.
//
// Thread safety: NewId is safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "engram/time.h"

namespace engram {

std::string NewId(Timestamp now_ms);
// True for the canonical 36-character lower-case UUID form.
bool IsValidId(std::string_view id);

}  // namespace engram
