// Code-aware text helpers shared by the full-text index and retrieval.
//
//  - ExpandIdentifiers: the extra indexed text that makes identifiers
//    findable by their parts. SQLite's unicode61 tokenizer already splits on
//    '_', ':', '.', '-' but keeps `useEffect` as one token `useeffect`; the
//    expansion adds the camelCase / digit-boundary parts ("use effect"), so
//    both spellings match while the original token stays indexed.
//  - QueryTerms: lower-case search terms of a query (ASCII alphanumerics and
//    any non-ASCII bytes form words), English stop words removed, each
//    identifier's parts added after it, duplicates dropped.
//  - FtsMatchExpression: QueryTerms as an FTS5 MATCH expression ("a" OR "b").
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace engram {

// Lower-case parts of one identifier: "useEffect" -> {use, effect},
// "HTTPServer2Go" -> {http, server, 2, go}, "snake_case" -> {snake, case},
// "std::vector" -> {std, vector}, "a.b-c" -> {a, b, c}.
std::vector<std::string> SplitIdentifier(std::string_view identifier);

// Space-separated parts of every identifier in `text` that has a case or
// digit boundary the tokenizer would not split on; "" when there is none.
std::string ExpandIdentifiers(std::string_view text);

// True for an English stop word (lower-case input).
bool IsStopWord(std::string_view word);

// Search terms of `query` (see above); empty when it has none.
std::vector<std::string> QueryTerms(std::string_view query);

// "\"t1\" OR \"t2\" ..." for FTS5 MATCH; "" when `query` has no terms.
std::string FtsMatchExpression(std::string_view query);

// The OR of `words` as quoted FTS5 phrases (FtsMatchExpression of words
// already split by QueryTerms); "" for none.
std::string FtsOrOfPhrases(const std::vector<std::string>& words);

}  // namespace engram
