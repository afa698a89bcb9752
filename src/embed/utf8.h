// UTF-8 <-> UTF-32 conversion for the tokenizer.
//
// Decoding never fails: each byte of an invalid, overlong or truncated
// sequence decodes to one U+FFFD, so any byte string has a well-defined
// tokenization.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace engram::embed {

std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view text);

// Number of UTF-16 code units of `text` (the JavaScript String.length).
std::size_t Utf16Length(std::u32string_view text);

}  // namespace engram::embed
