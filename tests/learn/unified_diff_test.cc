// ParseUnifiedDiff: git and plain diffs, metadata, hunks, malformed input.
#include "learn/unified_diff.h"

#include <gtest/gtest.h>

#include <string>

namespace engram::learn {
namespace {

constexpr const char* kGitDiff = R"(commit 1234abcd
Author: Ana <ana@example.com>

    Use the store hook

diff --git a/src/App.tsx b/src/App.tsx
index 83db48f..bf269f4 100644
--- a/src/App.tsx
+++ b/src/App.tsx
@@ -1,4 +1,4 @@ export function App() {
 import { store } from './store';
-  useEffect(() => setUser(store.getState().user));
+  const user = useStore((s) => s.user);
 return <Profile user={user} />;

@@ -10 +10,2 @@
-old
+new
+newer
\ No newline at end of file
diff --git a/logo.png b/logo.png
Binary files a/logo.png and b/logo.png differ
diff --git a/gone.py b/gone.py
deleted file mode 100644
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-import os
-print(os.getcwd())
)";

TEST(UnifiedDiffTest, ParsesGitDiffWithPreambleMetadataAndBinaryFiles) {
  auto diff = ParseUnifiedDiff(kGitDiff);
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  ASSERT_EQ(diff->files.size(), 3u);

  const FileDiff& app = diff->files[0];
  EXPECT_EQ(app.old_path, "src/App.tsx");
  EXPECT_EQ(app.path(), "src/App.tsx");
  ASSERT_EQ(app.hunks.size(), 2u);
  const DiffHunk& h = app.hunks[0];
  EXPECT_EQ(h.old_start, 1);
  EXPECT_EQ(h.old_count, 4);
  EXPECT_EQ(h.new_count, 4);
  EXPECT_EQ(h.Removed(),
            std::vector<std::string>{"  useEffect(() => setUser(store.getState().user));"});
  EXPECT_EQ(h.Added(), std::vector<std::string>{"  const user = useStore((s) => s.user);"});
  ASSERT_EQ(h.lines.size(), 5u);  // the empty line is an empty context line
  EXPECT_EQ(h.lines[4].kind, DiffLineKind::kContext);
  EXPECT_EQ(h.lines[4].text, "");
  // "-10" means one line; "\ No newline" is not a line.
  EXPECT_EQ(app.hunks[1].old_count, 1);
  EXPECT_EQ(app.hunks[1].Added().size(), 2u);
  EXPECT_EQ(h.Text().substr(0, 8), "@@ -1,4 ");

  EXPECT_TRUE(diff->files[1].binary);
  EXPECT_EQ(diff->files[1].path(), "logo.png");
  EXPECT_TRUE(diff->files[1].hunks.empty());

  EXPECT_EQ(diff->files[2].old_path, "gone.py");
  EXPECT_EQ(diff->files[2].new_path, "");  // /dev/null
  EXPECT_EQ(diff->files[2].path(), "gone.py");
  EXPECT_EQ(diff->files[2].hunks[0].Removed().size(), 2u);
}

TEST(UnifiedDiffTest, ParsesPlainDiffUWithTimestampsAndCrlf) {
  const std::string text =
      "--- a.py\t2024-01-01 10:00:00\r\n+++ a.py\t2024-01-02 10:00:00\r\n@@ -1 +1 @@\r\n"
      "-x = 1\r\n+x = 2\r\n--- b.py\n+++ b.py\n@@ -3,0 +4 @@\n+y = 3\n";
  auto diff = ParseUnifiedDiff(text);
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  ASSERT_EQ(diff->files.size(), 2u);
  EXPECT_EQ(diff->files[0].path(), "a.py");
  EXPECT_EQ(diff->files[0].hunks[0].Removed(), std::vector<std::string>{"x = 1"});
  EXPECT_EQ(diff->files[1].path(), "b.py");
  EXPECT_EQ(diff->files[1].hunks[0].old_count, 0);
  EXPECT_EQ(diff->files[1].hunks[0].Added(), std::vector<std::string>{"y = 3"});
}

void ExpectInvalid(const std::string& text, const std::string& needle) {
  auto diff = ParseUnifiedDiff(text);
  ASSERT_FALSE(diff.ok()) << "accepted: " << text;
  EXPECT_TRUE(diff.status().IsInvalidArgument());
  EXPECT_NE(diff.status().message().find(needle), std::string::npos) << diff.status().ToString();
}

TEST(UnifiedDiffTest, MalformedInputIsAClearError) {
  ExpectInvalid("", "no file changes found");
  ExpectInvalid("just some prose\nwith no diff\n", "no file changes found");
  ExpectInvalid("@@ -1 +1 @@\n-a\n+b\n", "diff line 1: hunk header before any");
  ExpectInvalid("--- a\n+++ b\n@@ -x +1 @@\n", "diff line 3: malformed hunk header");
  ExpectInvalid("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\n+b\n", "ends inside a hunk");
  ExpectInvalid("--- a\n+++ b\n@@ -1,2 +1,1 @@\n-a\n+b\n+c\n", "diff line 6: hunk");
  ExpectInvalid("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\nrandom text\n", "ends early");
  ExpectInvalid("--- a\nnot plus\n", "diff line 2: expected a '+++ ' line");
  ExpectInvalid("--- a\n", "ends inside a file header");
}

TEST(UnifiedDiffTest, RefusesInputOverTheSizeLimit) {
  DiffParseOptions options;
  options.max_bytes = 10;
  auto diff = ParseUnifiedDiff("--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n", options);
  ASSERT_FALSE(diff.ok());
  EXPECT_NE(diff.status().message().find("more than the limit of 10"), std::string::npos);
}

}  // namespace
}  // namespace engram::learn
