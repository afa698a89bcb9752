// Unicode NFKC normalisation (compatibility decomposition followed by
// canonical composition), as String.prototype.normalize("NFKC") does in the
// reference USE Lite tokenizer.
//
// Tables are generated from the Unicode Character Database by
// scripts/gen-nfkc-tables.mjs (src/embed/nfkc_tables.inc); Hangul syllables
// are decomposed and composed algorithmically.
//
// Thread safety: pure function over constant tables.
#pragma once

#include <string>
#include <string_view>

namespace engram::embed {

std::u32string NormalizeNfkc(std::u32string_view text);

}  // namespace engram::embed
