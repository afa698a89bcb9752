#include "server/line_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>
#include <thread>

namespace engram::server {
namespace {

// Feeds `input` through a pipe and collects what the handlers produce.
std::string Serve(const std::string& input, std::size_t max_line, std::vector<std::string>* seen) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  std::thread writer([&] {
    EXPECT_EQ(write(fds[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
    close(fds[1]);
  });
  std::ostringstream out;
  LineServerOptions options;
  options.max_line_bytes = max_line;
  Status st = ServeLines(
      fds[0], out,
      [&](std::string_view line) -> std::optional<std::string> {
        seen->emplace_back(line);
        if (line == "quiet") return std::nullopt;
        return "echo:" + std::string(line);
      },
      [](std::size_t bytes) -> std::optional<std::string> {
        return "too big:" + std::to_string(bytes);
      },
      options);
  writer.join();
  close(fds[0]);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out.str();
}

TEST(LineServer, RepliesInOrderAndSkipsBlankLines) {
  std::vector<std::string> seen;
  EXPECT_EQ(Serve("a\n\n  \nb\r\nquiet\nc", 100, &seen), "echo:a\necho:b\necho:c\n");
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "quiet", "c"}));
}

TEST(LineServer, OversizedLineIsReportedAndTheNextOneStillServed) {
  std::vector<std::string> seen;
  const std::string big(5000, 'x');
  EXPECT_EQ(Serve("ok\n" + big + "\nafter\n", 1000, &seen), "echo:ok\ntoo big:5000\necho:after\n");
  EXPECT_EQ(seen.size(), 2u);
}

TEST(LineServer, LinesSpanningManyReadsAreJoined) {
  std::vector<std::string> seen;
  const std::string long_line(200 * 1024, 'y');
  const std::string out = Serve(long_line + "\n", 1024 * 1024, &seen);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].size(), long_line.size());
  EXPECT_EQ(out.size(), long_line.size() + 6);
}

}  // namespace
}  // namespace engram::server
