// DiffCandidates: replaced API usage, recurring fix shapes, hints, evidence.
#include "learn/diff_candidates.h"

#include <gtest/gtest.h>

#include <string>

namespace engram::learn {
namespace {

UnifiedDiff Parse(const std::string& text) {
  auto diff = ParseUnifiedDiff(text);
  EXPECT_TRUE(diff.ok()) << diff.status().ToString();
  return diff.ok() ? *diff : UnifiedDiff{};
}

// One hunk in `path` replacing `before` with `after`.
std::string Hunk(const std::string& path, const std::string& before, const std::string& after) {
  return "--- a/" + path + "\n+++ b/" + path + "\n@@ -1,2 +1,2 @@\n function f() {\n-" + before +
         "\n+" + after + "\n";
}

TEST(DiffCandidatesTest, CallsOnLineFindsCalleeChainsOutsideStringsAndKeywords) {
  EXPECT_EQ(CallsOnLine("  useEffect(() => setUser(store.getState().user));"),
            (std::vector<std::string>{"useEffect", "setUser", "store.getState"}));
  EXPECT_EQ(CallsOnLine("if (ok) return foo(\"bar(1)\")"), std::vector<std::string>{"foo"});
  EXPECT_EQ(CallsOnLine("std::make_unique<T>(x); a.b.c.d.e(1)"),
            (std::vector<std::string>{"c.d.e"}));
  EXPECT_TRUE(CallsOnLine("  // call(it) later").empty());
  EXPECT_TRUE(CallsOnLine("# print(x)").empty());
}

TEST(DiffCandidatesTest, ReplacedApiInOneHunkIsACandidateWithItsHunk) {
  const UnifiedDiff diff =
      Parse(Hunk("src/Profile.tsx", "  useEffect(() => setUser(store.getState().user));",
                 "  const user = useStore(selectUser);"));
  auto c = DiffCandidates(diff);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].type, LessonType::kBestPractice);
  EXPECT_EQ(c[0].title, "Prefer `useStore` over `setUser`, `store.getState`, `useEffect`");
  EXPECT_EQ(c[0].topic, "react");  // framework hint from useEffect/useStore
  EXPECT_EQ(c[0].tags,
            (std::vector<std::string>{"typescript", "react", "diff", "api-replacement"}));
  EXPECT_DOUBLE_EQ(c[0].confidence, 0.4);
  EXPECT_NE(c[0].evidence.find("src/Profile.tsx\n@@ -1,2 +1,2 @@"), std::string::npos);
  EXPECT_NE(c[0].evidence.find("+  const user = useStore(selectUser);"), std::string::npos);
  EXPECT_NE(c[0].rationale.find("diff.replaced_api"), std::string::npos);
  EXPECT_EQ(c[0].key, "replace:setUser,store.getState,useEffect->useStore");
}

TEST(DiffCandidatesTest, RecurringReplacementRaisesConfidenceAndNamesEveryHunk) {
  const std::string one =
      Hunk("a.py", "    data = requests.get(url).json()", "    data = client.fetch(url)");
  const std::string two = Hunk("b.py", "  r = requests.get(u).json()", "  r = client.fetch(u)");
  const std::string three = Hunk("c.py", "x = requests.get(y).json()", "x = client.fetch(y)");
  auto once = DiffCandidates(Parse(one));
  auto thrice = DiffCandidates(Parse(one + two + three));
  ASSERT_EQ(once.size(), 1u);
  ASSERT_EQ(thrice.size(), 1u);
  EXPECT_EQ(once[0].key, thrice[0].key);
  EXPECT_DOUBLE_EQ(thrice[0].confidence, 0.7);  // 0.4 + 0.15 * 2
  EXPECT_NE(thrice[0].content.find("3 hunks in 3 files"), std::string::npos);
  EXPECT_NE(thrice[0].evidence.find("and 2 more hunk(s):\nb.py @@"), std::string::npos);
  EXPECT_EQ(thrice[0].topic, "python");

  std::string many;
  for (int i = 0; i < 6; ++i)
    many +=
        Hunk("f" + std::to_string(i) + ".py", "a = requests.get(u).json()", "a = client.fetch(u)");
  EXPECT_DOUBLE_EQ(DiffCandidates(Parse(many))[0].confidence, 0.8);  // capped
}

TEST(DiffCandidatesTest, FixShapeNeedsTwoOccurrencesAndIgnoresRenames) {
  const std::string a = Hunk("x.js", "  var total = 0;", "  const total = 0;");
  const std::string b =
      Hunk("y.js", "  var count = items.length;", "  const count = items.length;");
  EXPECT_TRUE(DiffCandidates(Parse(a)).empty());  // once is not a habit
  auto c = DiffCandidates(Parse(a + b));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].title, "Recurring fix: `var` -> `const`");
  EXPECT_DOUBLE_EQ(c[0].confidence, 0.45);
  EXPECT_EQ(c[0].topic, "javascript");
  EXPECT_NE(c[0].rationale.find("diff.fix_shape"), std::string::npos);

  const std::string await1 =
      Hunk("p.ts", "  const r = fetchUser(id);", "  const r = await fetchUser(id);");
  const std::string await2 =
      Hunk("q.ts", "  const s = fetchUser(x);", "  const s = await fetchUser(x);");
  auto added = DiffCandidates(Parse(await1 + await2));
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].title, "Recurring fix: add `await`");

  const std::string r1 = Hunk("m.go", "  total := price", "  sum := price");
  const std::string r2 = Hunk("n.go", "  total := price", "  sum := price");
  EXPECT_TRUE(DiffCandidates(Parse(r1 + r2)).empty()) << "a plain rename is not a lesson";
}

TEST(DiffCandidatesTest, LargeRewritesAndPureAdditionsProposeNothing) {
  // Five different calls on each side: a refactor, not an API swap.
  const std::string big = Hunk("r.ts", "a(); b(); c(); d(); e();", "f(); g(); h(); i(); j();");
  EXPECT_TRUE(DiffCandidates(Parse(big)).empty());
  const std::string add_only =
      "--- a/z.rs\n+++ b/z.rs\n@@ -1,0 +1,1 @@\n+fn main() { println!(\"hi\"); }\n";
  EXPECT_TRUE(DiffCandidates(Parse(add_only)).empty());
}

TEST(DiffCandidatesTest, LanguageForPath) {
  EXPECT_EQ(LanguageForPath("src/a/App.tsx"), "typescript");
  EXPECT_EQ(LanguageForPath("main.go"), "go");
  EXPECT_EQ(LanguageForPath("lib/x.cc"), "cpp");
  EXPECT_EQ(LanguageForPath("Makefile"), "");
  EXPECT_EQ(LanguageForPath("notes.unknownext"), "");
}

}  // namespace
}  // namespace engram::learn
