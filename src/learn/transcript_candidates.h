// Lesson candidates from a conversation transcript (docs/LEARNING.md,
// "Gated candidates", rules transcript.*). Pure: no store, no engine.
//
// Input: JSON messages, either an array `[{"role", "content"}, ...]` or an
// object `{"messages": [...]}`; `content` is a string or a list of parts
// whose `text` members are read (other parts are skipped). Messages are cut
// into sentences (at . ! ? followed by a space, and at line ends; fenced
// code blocks are skipped, list markers dropped). A sentence states a rule
// when, within its first `lead_words` words, it says always / never / avoid
// / don't / do not / must (not) / prefer X over Y (also "rather than",
// "instead of"), or anywhere "X breaks when" / "X fails when". Questions and
// sentences outside [min_words, max_bytes] are skipped; identical sentences
// (case and spacing aside) give one candidate. Topic: the first known term
// the sentence names (a fixed table: react, typescript, testing, git, ...),
// else "general".
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engram/candidates.h"
#include "engram/json.h"
#include "engram/status.h"

namespace engram::learn {

struct TranscriptCandidateOptions {
  int lead_words = 4;             // rule word at word index < lead_words
  int min_words = 4;              // shorter sentences are not rules
  std::size_t max_bytes = 400;    // longer sentences are not rules
  double base_confidence = 0.5;   // always / never / prefer / must
  double soft_confidence = 0.45;  // avoid / don't / breaks when
  double user_bonus = 0.1;        // a rule stated by the user (role "user")
  std::size_t max_candidates = 50;
  std::size_t max_messages = 10000;
};

struct TranscriptMessage {
  std::string role;
  std::string text;
};

// The messages of a transcript; InvalidArgument naming the offending path
// ("messages[2].content must be a string or a list of parts").
Result<std::vector<TranscriptMessage>> ParseTranscript(const Json& transcript,
                                                       std::size_t max_messages = 10000);

// Sentences of one message's text (see above).
std::vector<std::string> SplitSentences(std::string_view text);

// Candidates from the messages, in order of appearance.
std::vector<CandidateProposal> TranscriptCandidates(const std::vector<TranscriptMessage>& messages,
                                                    const TranscriptCandidateOptions& options = {});

}  // namespace engram::learn
