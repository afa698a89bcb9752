#include "transcript.h"

#include <gtest/gtest.h>

#include <fstream>

namespace engram::testing {
namespace {

bool Placeholder(const Json& j, const std::string& kind, std::string* arg) {
  if (!j.is_string()) return false;
  const std::string& s = j.get_ref<const std::string&>();
  const std::string open = "{{" + kind;
  if (s.rfind(open, 0) != 0 || s.size() < open.size() + 2 || s.substr(s.size() - 2) != "}}") {
    return false;
  }
  std::string rest = s.substr(open.size(), s.size() - open.size() - 2);
  if (!rest.empty() && rest[0] == ':') rest.erase(0, 1);
  if (arg != nullptr) *arg = rest;
  return kind == "any" ? rest.empty() : true;
}

}  // namespace

std::vector<TranscriptStep> LoadTranscript(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open transcript " << path;
  std::vector<TranscriptStep> steps;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("> ", 0) == 0) {
      steps.push_back({n, line.substr(2), std::nullopt});
    } else if (line.rfind("< ", 0) == 0) {
      EXPECT_FALSE(steps.empty()) << path << ":" << n << ": response before any request";
      if (steps.empty()) break;
      EXPECT_FALSE(steps.back().expected) << path << ":" << n << ": two responses";
      steps.back().expected = line.substr(2);
    } else {
      ADD_FAILURE() << path << ":" << n << ": lines start with '> ', '< ' or '#'";
    }
  }
  return steps;
}

std::string MatchJson(const Json& expected, const Json& actual, const std::string& path,
                      std::map<std::string, Json>& vars) {
  std::string arg;
  if (Placeholder(expected, "any", nullptr)) return "";
  if (Placeholder(expected, "capture", &arg)) {
    vars[arg] = actual;
    return "";
  }
  if (Placeholder(expected, "starts", &arg)) {
    if (actual.is_string() && actual.get<std::string>().rfind(arg, 0) == 0) return "";
    return path + ": expected a string starting with '" + arg + "', got " + actual.dump();
  }
  if (Placeholder(expected, "contains", &arg)) {
    if (actual.is_string() && actual.get<std::string>().find(arg) != std::string::npos) return "";
    return path + ": expected a string containing '" + arg + "', got " + actual.dump();
  }
  if (expected.is_object()) {
    if (!actual.is_object()) return path + ": expected an object, got " + actual.dump();
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k)) return path + "." + k + ": missing in " + actual.dump();
      std::string m = MatchJson(v, actual[k], path + "." + k, vars);
      if (!m.empty()) return m;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return path + ": expected an array, got " + actual.dump();
    std::size_t n = expected.size();
    const bool open = n > 0 && expected.back() == "{{...}}";
    if (open) --n;
    if (open ? actual.size() < n : actual.size() != n) {
      return path + ": expected " + std::to_string(n) + " items, got " +
             std::to_string(actual.size());
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::string m = MatchJson(expected[i], actual[i], path + "[" + std::to_string(i) + "]", vars);
      if (!m.empty()) return m;
    }
    return "";
  }
  if (expected.is_number() && actual.is_number()) {
    return expected.get<double>() == actual.get<double>()
               ? ""
               : path + ": expected " + expected.dump() + ", got " + actual.dump();
  }
  return expected == actual ? ""
                            : path + ": expected " + expected.dump() + ", got " + actual.dump();
}

std::string Substitute(const std::string& text, const std::map<std::string, Json>& vars) {
  std::string out = text;
  for (const auto& [name, value] : vars) {
    const std::string token = "{{" + name + "}}";
    const std::string repl = value.is_string() ? value.get<std::string>() : value.dump();
    for (std::size_t pos = out.find(token); pos != std::string::npos;
         pos = out.find(token, pos + repl.size())) {
      out.replace(pos, token.size(), repl);
    }
  }
  return out;
}

void RunTranscript(const std::string& path,
                   const std::function<std::optional<std::string>(const std::string&)>& handle) {
  std::map<std::string, Json> vars;
  for (const TranscriptStep& step : LoadTranscript(path)) {
    const std::string where = path + ":" + std::to_string(step.line);
    std::optional<std::string> actual = handle(Substitute(step.request, vars));
    if (!step.expected) {
      EXPECT_FALSE(actual) << where << ": expected no response, got " << *actual;
      continue;
    }
    if (!actual) {
      ADD_FAILURE() << where << ": expected a response, got none";
      continue;
    }
    Json want = Json::parse(Substitute(*step.expected, vars), nullptr, false);
    Json got = Json::parse(*actual, nullptr, false);
    ASSERT_FALSE(want.is_discarded()) << where << ": expected line is not JSON";
    ASSERT_FALSE(got.is_discarded()) << where << ": response is not JSON: " << *actual;
    std::string mismatch = MatchJson(want, got, "response", vars);
    EXPECT_EQ(mismatch, "") << where << "\n  request:  " << step.request
                            << "\n  response: " << *actual;
  }
}

}  // namespace engram::testing
