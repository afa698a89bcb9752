// TranscriptCandidates (transcript_candidates.h): sentence splitting and the
// transcript.* rule patterns.
#include "learn/transcript_candidates.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>
#include <utility>

#include "core/similarity.h"
#include "core/step_analysis.h"

namespace engram::learn {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const std::size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Lower-cased words (letters, digits, ', -, _, .), punctuation dropped.
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '\'' || c == '-' || c == '_' || u >= 0x80) {
      cur += static_cast<char>(std::tolower(u));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Drops "- ", "* ", "1. ", "> " list and quote markers.
std::string_view StripMarker(std::string_view line) {
  const std::size_t b = line.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  line.remove_prefix(b);
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '>') && line[1] == ' ') {
    return line.substr(2);
  }
  std::size_t d = 0;
  while (d < line.size() && std::isdigit(static_cast<unsigned char>(line[d])) != 0) ++d;
  if (d > 0 && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') && line[d + 1] == ' ') {
    return line.substr(d + 2);
  }
  return line;
}

struct Rule {
  const char* name;  // rationale name
  LessonType type;
  bool soft;  // soft_confidence instead of base_confidence
};

// The rule a sentence states, if any.
const Rule* Match(const std::vector<std::string>& w, int lead) {
  static const Rule kAlways{"always", LessonType::kBestPractice, false};
  static const Rule kNever{"never", LessonType::kAntiPattern, false};
  static const Rule kPrefer{"prefer_over", LessonType::kBestPractice, false};
  static const Rule kMust{"must", LessonType::kBestPractice, false};
  static const Rule kMustNot{"must_not", LessonType::kAntiPattern, false};
  static const Rule kAvoid{"avoid", LessonType::kAntiPattern, true};
  static const Rule kDont{"dont", LessonType::kAntiPattern, true};
  static const Rule kBreaks{"breaks_when", LessonType::kGotcha, true};
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    if ((w[i] == "breaks" || w[i] == "fails" || w[i] == "crashes") && w[i + 1] == "when" && i > 0) {
      return &kBreaks;
    }
  }
  const std::size_t n = std::min<std::size_t>(w.size(), static_cast<std::size_t>(lead));
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& x = w[i];
    const std::string next = i + 1 < w.size() ? w[i + 1] : "";
    if (x == "always") return &kAlways;
    if (x == "never") return &kNever;
    if (x == "avoid") return &kAvoid;
    if (x == "don't" || x == "dont" || (x == "do" && next == "not")) return &kDont;
    if (x == "mustn't" || (x == "must" && next == "not")) return &kMustNot;
    if (x == "must") return &kMust;
    if (x == "prefer") {
      for (std::size_t j = i + 2; j < w.size(); ++j) {
        if (w[j] == "over" || (w[j] == "rather" && j + 1 < w.size() && w[j + 1] == "than") ||
            (w[j] == "instead" && j + 1 < w.size() && w[j + 1] == "of")) {
          return &kPrefer;
        }
      }
    }
  }
  return nullptr;
}

// Known terms -> topic, in priority order.
constexpr std::array<std::pair<std::string_view, std::string_view>, 40> kTopics = {{
    {"react", "react"},
    {"useeffect", "react"},
    {"usestate", "react"},
    {"hooks", "react"},
    {"jsx", "react"},
    {"xstate", "xstate"},
    {"redux", "redux"},
    {"zustand", "zustand"},
    {"typescript", "typescript"},
    {"javascript", "javascript"},
    {"node", "node"},
    {"npm", "node"},
    {"python", "python"},
    {"pytest", "testing"},
    {"jest", "testing"},
    {"vitest", "testing"},
    {"test", "testing"},
    {"tests", "testing"},
    {"mock", "testing"},
    {"mocks", "testing"},
    {"git", "git"},
    {"commit", "git"},
    {"rebase", "git"},
    {"docker", "docker"},
    {"kubernetes", "kubernetes"},
    {"sql", "sql"},
    {"sqlite", "sql"},
    {"postgres", "sql"},
    {"migration", "database"},
    {"migrations", "database"},
    {"css", "css"},
    {"go", "go"},
    {"rust", "rust"},
    {"cpp", "cpp"},
    {"cmake", "cmake"},
    {"api", "api"},
    {"security", "security"},
    {"secrets", "security"},
    {"async", "async"},
    {"performance", "performance"},
}};

std::string TopicFor(const std::vector<std::string>& words, std::vector<std::string>& tags) {
  std::string topic;
  for (const auto& [term, t] : kTopics) {
    if (std::find(words.begin(), words.end(), term) == words.end()) continue;
    if (topic.empty()) topic = std::string(t);
    if (tags.size() < 3 && std::find(tags.begin(), tags.end(), t) == tags.end()) {
      tags.emplace_back(t);
    }
  }
  return topic.empty() ? "general" : topic;
}

Result<std::string> MessageText(const Json& content, const std::string& path) {
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array()) {
    return Status::InvalidArgument(path + " must be a string or a list of parts");
  }
  std::string text;
  for (const Json& part : content) {
    if (part.is_string()) {
      text += part.get<std::string>() + "\n";
    } else if (part.is_object() && part.contains("text") && part["text"].is_string()) {
      text += part["text"].get<std::string>() + "\n";
    }
  }
  return text;
}

}  // namespace

Result<std::vector<TranscriptMessage>> ParseTranscript(const Json& transcript,
                                                       std::size_t max_messages) {
  const Json* list = &transcript;
  if (transcript.is_object()) {
    if (!transcript.contains("messages") || !transcript["messages"].is_array()) {
      return Status::InvalidArgument("transcript object must have a 'messages' array");
    }
    list = &transcript["messages"];
  } else if (!transcript.is_array()) {
    return Status::InvalidArgument(
        "transcript must be an array of messages or an object with a 'messages' array");
  }
  if (list->size() > max_messages) {
    return Status::InvalidArgument("transcript has " + std::to_string(list->size()) +
                                   " messages, more than the limit of " +
                                   std::to_string(max_messages));
  }
  std::vector<TranscriptMessage> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& m = (*list)[i];
    const std::string path = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) return Status::InvalidArgument(path + " must be an object");
    if (!m.contains("content")) return Status::InvalidArgument(path + ".content is missing");
    TranscriptMessage msg;
    if (m.contains("role")) {
      if (!m["role"].is_string()) return Status::InvalidArgument(path + ".role must be a string");
      msg.role = m["role"].get<std::string>();
    }
    ENGRAM_ASSIGN_OR_RETURN(msg.text, MessageText(m["content"], path + ".content"));
    out.push_back(std::move(msg));
  }
  return out;
}

std::vector<std::string> SplitSentences(std::string_view text) {
  std::vector<std::string> out;
  bool in_code = false;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (Trim(line).rfind("```", 0) == 0) {
      in_code = !in_code;
      continue;
    }
    if (in_code) continue;
    line = StripMarker(line);
    std::size_t start = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      const bool end = (c == '.' || c == '!' || c == '?') &&
                       (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t');
      if (!end) continue;
      std::string s = Trim(line.substr(start, i + 1 - start));
      if (!s.empty()) out.push_back(std::move(s));
      start = i + 1;
    }
    std::string rest = Trim(line.substr(std::min(start, line.size())));
    if (!rest.empty()) out.push_back(std::move(rest));
  }
  return out;
}

std::vector<CandidateProposal> TranscriptCandidates(const std::vector<TranscriptMessage>& messages,
                                                    const TranscriptCandidateOptions& options) {
  std::vector<CandidateProposal> out;
  std::set<std::string> seen;
  for (std::size_t m = 0; m < messages.size(); ++m) {
    const TranscriptMessage& msg = messages[m];
    for (const std::string& sentence : SplitSentences(msg.text)) {
      if (out.size() >= options.max_candidates) return out;
      if (sentence.back() == '?' || sentence.size() > options.max_bytes) continue;
      const std::vector<std::string> words = Words(sentence);
      if (static_cast<int>(words.size()) < options.min_words) continue;
      const Rule* rule = Match(words, options.lead_words);
      if (rule == nullptr) continue;
      std::string norm;
      for (const std::string& w : words) norm += (norm.empty() ? "" : " ") + w;
      if (!seen.insert(norm).second) continue;

      CandidateProposal p;
      p.type = rule->type;
      p.topic = TopicFor(words, p.tags);
      p.tags.emplace_back("transcript");
      std::string title = sentence;
      while (!title.empty() && (title.back() == '.' || title.back() == '!')) title.pop_back();
      if (title.size() > 120) {
        std::size_t cut = 117;
        while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
        title = title.substr(0, cut) + "...";
      }
      title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
      p.title = title;
      p.content = sentence;
      const bool user = Lower(msg.role) == "user";
      double confidence = rule->soft ? options.soft_confidence : options.base_confidence;
      if (user) confidence += options.user_bonus;
      p.confidence = std::round(std::clamp(confidence, 0.0, 1.0) * 1000) / 1000;
      p.evidence = (msg.role.empty() ? std::string("message") : msg.role + " message") + " #" +
                   std::to_string(m + 1) + ": " + sentence;
      p.rationale = std::string("transcript.") + rule->name + ": the sentence states a rule" +
                    (user ? " (stated by the user: +" + Fixed(options.user_bonus, 2) + ")" : "");
      p.key = "sentence:" + norm;
      out.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace engram::learn
