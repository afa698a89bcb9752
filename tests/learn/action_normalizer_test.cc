#include "learn/action_normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/step_analysis.h"
#include "learn/action_vocabulary.h"

namespace engram::learn {
namespace {

Step MakeStep(const std::string& tool, const std::string& action) {
  Step s;
  s.tool = tool;
  s.action = action;
  return s;
}

std::string Sig(const std::string& tool, const std::string& action) {
  return StepSignature(MakeStep(tool, action));
}

void ExpectAllEqual(const std::string& tool, const std::vector<std::string>& actions) {
  ASSERT_FALSE(actions.empty());
  const std::string first = Sig(tool, actions.front());
  for (const auto& a : actions) EXPECT_EQ(Sig(tool, a), first) << a << " vs " << actions.front();
}

TEST(StemTest, InflectionsMeet) {
  for (const auto& group :
       std::vector<std::vector<std::string>>{{"await", "awaits", "awaited", "awaiting"},
                                             {"update", "updates", "updated", "updating"},
                                             {"promise", "promises"},
                                             {"dependency", "dependencies"},
                                             {"run", "runs", "running"},
                                             {"stub", "stubbed", "stubbing"},
                                             {"retry", "retries", "retried", "retrying"}}) {
    for (const auto& w : group) EXPECT_EQ(Stem(w), Stem(group.front())) << w;
  }
  EXPECT_NE(Stem("test"), Stem("text"));
}

TEST(NormalizeActionTest, ParaphrasesOfOneFixMeet) {
  // The example: the object that varies is not part of the fix.
  EXPECT_EQ(NormalizeAction("await the login promise"), "await promise");
  ExpectAllEqual(
      "editor",
      {"await the login promise", "await the session promise",
       "Await the Session promise in src/x.ts", "the LedgerClient promise should be awaited",
       "make sure to await the LedgerClient.connect() promise", "Awaiting the cart promises"});
  // Synonyms and the means of a fix ("by ...", purpose clauses dropped).
  ExpectAllEqual("editor", {"mock the clock", "fix the test by mocking the clock",
                            "mock the clock to fix the flaky test", "Stubbed the system clock",
                            "use fake timers via jest.useFakeTimers()"});
  ExpectAllEqual("editor", {"add a null check for user", "added null-check to parser.ts",
                            "check that cart is not null before use"});
  ExpectAllEqual("editor", {"increase the jest timeout to 10000", "bump the timeout",
                            "raise timeout for the integration tests"});
  ExpectAllEqual("editor", {"fix the import of parse_args", "repair the import in cli.py",
                            "correct the broken imports"});
  ExpectAllEqual("editor",
                 {"comment out the flaky test", "skip the failing test", "disable the login test"});
}

TEST(NormalizeActionTest, DistinctFixesStayApart) {
  const std::vector<std::string> fixes = {"await the login promise",
                                          "mock the clock",
                                          "increase the jest timeout",
                                          "add a null check",
                                          "fix the import",
                                          "skip the failing test",
                                          "retry the request",
                                          "do not retry the request",
                                          "clear the jest cache",
                                          "pin the lodash version",
                                          "install the missing dependency"};
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    for (std::size_t j = i + 1; j < fixes.size(); ++j) {
      EXPECT_NE(Sig("editor", fixes[i]), Sig("editor", fixes[j])) << fixes[i] << " / " << fixes[j];
    }
  }
}

TEST(NormalizeActionTest, CommandsKeepProgramAndSubcommand) {
  ExpectAllEqual("bash", {"npm test -- src/login/login.spec.ts", "npm test", "yarn test cart",
                          "npm run test -- --runInBand", "pnpm test", "CI=1 npm test"});
  EXPECT_EQ(Sig("bash", "npm test -- src/a.spec.ts"), "bash:npm test");
  EXPECT_EQ(Sig("bash", "python -m pytest tests/ -k login"), "bash:pytest");
  EXPECT_EQ(Sig("bash", "pytest tests/test_1.py::test_a -x"), "bash:pytest");
  EXPECT_EQ(Sig("bash", "npx jest src/a.spec.ts"), "bash:jest");
  EXPECT_EQ(Sig("bash", "cd app && git commit -am 'fix the bug'"), "bash:git commit");
  EXPECT_EQ(Sig("bash", "git checkout 3f2a9c1d"), "bash:git checkout");
  EXPECT_EQ(Sig("bash", "go test -race ./pkg/..."), "bash:go test");
  EXPECT_EQ(Sig("bash", "./gradlew test"), "bash:gradle test");
  EXPECT_EQ(Sig("bash", "pip3 install requests==2.1"), Sig("bash", "python -m pip install httpx"));
  EXPECT_NE(Sig("bash", "npm test"), Sig("bash", "npm run build"));
  EXPECT_NE(Sig("bash", "git commit -m x"), Sig("bash", "git push"));
  // "make" is a program only for a shell tool.
  EXPECT_EQ(Sig("bash", "make test"), "bash:make test");
  EXPECT_EQ(Sig("editor", "make sure the session promise is awaited"), "editor:await promise");
}

TEST(NormalizeActionTest, ToolsOfOneFamilyMeet) {
  EXPECT_EQ(Sig("edit", "await the promise"), "editor:await promise");
  EXPECT_EQ(Sig("apply_patch", "await the promise"), Sig("str_replace", "await the promise"));
  EXPECT_EQ(Sig("Shell", "npm test"), Sig("terminal", "yarn test"));
}

TEST(NormalizeActionTest, PreviousRuleIsKeptBehindAnOption) {
  NormalizeOptions previous;
  previous.by_meaning = false;
  EXPECT_EQ(NormalizeAction("npm test -- src/login/login.spec.ts", previous), "npm test <path>");
  EXPECT_EQ(NormalizeAction("Await the Session promise in x.ts", previous),
            "await the session promise");
  previous.max_tokens = 2;
  EXPECT_EQ(NormalizeAction("a b c d e f", previous), "a b");
  EXPECT_EQ(StepSignature(MakeStep("Edit", "x y"), {.by_meaning = false}), "edit:x y");
}

TEST(NormalizeActionTest, EdgeCases) {
  EXPECT_EQ(NormalizeAction(""), "");
  EXPECT_EQ(NormalizeAction("   "), "");
  EXPECT_FALSE(NormalizeAction("src/a.ts").empty());
  EXPECT_FALSE(NormalizeAction("the a an").empty());
  // Deterministic.
  EXPECT_EQ(NormalizeAction("await the login promise"), NormalizeAction("await the login promise"));
}

TEST(NormalizeErrorTest, ErrorClassesIgnoreTheirDetails) {
  EXPECT_EQ(NormalizeError("TypeError: Cannot read properties of undefined (reading 'id')"),
            NormalizeError("TypeError: cannot read property 'name' of undefined\n  at x.ts:3"));
  EXPECT_EQ(NormalizeError("Error: connect ECONNREFUSED 127.0.0.1:5432"),
            NormalizeError("Error: connect ECONNREFUSED 10.0.0.7:6379"));
  EXPECT_NE(NormalizeError("Timeout - Async callback was not invoked within 5000 ms"),
            NormalizeError("TypeError: x is not a function"));
  EXPECT_EQ(NormalizeError(""), "");
}

TEST(IsCheckStepTest, RecognisesChecks) {
  EXPECT_TRUE(IsCheckStep(MakeStep("bash", "npm test")));
  EXPECT_TRUE(IsCheckStep(MakeStep("bash", "yarn test login")));
  EXPECT_TRUE(IsCheckStep(MakeStep("bash", "git status")));
  EXPECT_TRUE(IsCheckStep(MakeStep("grep", "beforeEach")));
  EXPECT_TRUE(IsCheckStep(MakeStep("bash", "pytest tests/")));
  EXPECT_TRUE(IsCheckStep(MakeStep("bash", "npx tsc --noEmit")));
  EXPECT_TRUE(IsCheckStep(MakeStep("bash", "run the tests")));
  EXPECT_TRUE(IsCheckStep(MakeStep("agent", "verify the login flow")));
  EXPECT_FALSE(IsCheckStep(MakeStep("editor", "add a flag")));
  EXPECT_FALSE(IsCheckStep(MakeStep("git", "git commit -m x")));
  EXPECT_FALSE(IsCheckStep(MakeStep("agent", "add logging to the parser")));
}

TEST(IsCheckStepTest, AnEditorStepIsNeverACheck) {
  for (const char* tool : {"editor", "edit", "Edit", "write", "apply_patch", "str_replace",
                           "str_replace_editor", "multi_edit", "write_file", "patch"}) {
    for (const char* action :
         {"run npm test", "npm test", "check the status", "update the jest test for login",
          "grep -rn beforeEach src", "verify the parser", "pytest tests/test_a.py"}) {
      const Step s = MakeStep(tool, action);
      EXPECT_FALSE(IsCheckStep(s)) << tool << ": " << action;
      EXPECT_FALSE(IsTestStep(s)) << tool << ": " << action;
      EXPECT_FALSE(IsReadOnlyStep(s)) << tool << ": " << action;
    }
  }
}

TEST(IsReadOnlyStepTest, ReadsAndChecksOnly) {
  EXPECT_TRUE(IsReadOnlyStep(MakeStep("bash", "cat src/a.ts")));
  EXPECT_TRUE(IsReadOnlyStep(MakeStep("bash", "git log -3")));
  EXPECT_TRUE(IsReadOnlyStep(MakeStep("read_file", "open src/a.ts")));
  EXPECT_TRUE(IsReadOnlyStep(MakeStep("bash", "npm test")));
  EXPECT_FALSE(IsReadOnlyStep(MakeStep("bash", "npm install lodash")));
  EXPECT_FALSE(IsReadOnlyStep(MakeStep("bash", "git commit -m x")));
  EXPECT_FALSE(IsReadOnlyStep(MakeStep("agent", "await the promise")));
}

}  // namespace
}  // namespace engram::learn
