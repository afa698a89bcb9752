// Several processes on one database file: concurrent writers lose nothing and
// see no errors; a writer killed with SIGKILL loses no acknowledged write.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

std::unique_ptr<Store> OpenOrDie(const std::string& path) {
  SqliteOptions o;
  o.path = path;
  auto s = OpenSqliteStore(o);
  if (!s.ok()) {
    std::fprintf(stderr, "child: open failed: %s\n", s.status().ToString().c_str());
    _exit(2);
  }
  return std::move(s).value();
}

void Check(const Status& st, const char* what) {
  if (st.ok()) return;
  std::fprintf(stderr, "child %d: %s failed: %s\n", getpid(), what, st.ToString().c_str());
  _exit(3);
}

// Read-modify-CAS increment of a shared counter; returns the attempts used.
// `think_us` between read and write widens the window for conflicts.
int CasIncrement(Store& s, Timestamp now, int think_us = 0) {
  for (int attempt = 1;; ++attempt) {
    auto cur = s.KvGet("counters", "shared", now);
    if (!cur.ok() && !cur.status().IsNotFound()) Check(cur.status(), "kv get");
    std::int64_t version = cur.ok() ? cur->version : 0;
    std::int64_t value = cur.ok() ? cur->value.get<std::int64_t>() : 0;
    if (think_us > 0) usleep(static_cast<useconds_t>(think_us));
    KvPutOptions o;
    o.expected_version = version;
    auto put = s.KvPut("counters", "shared", value + 1, o, now);
    if (put.ok()) return attempt;
    if (put.status().code() != ErrorCode::kFailedPrecondition) Check(put.status(), "kv cas");
  }
}

TEST(MultiProcessTest, ConcurrentWritersLoseNothing) {
  TempDir dir;
  const std::string path = dir.File("shared.db");
  constexpr int kProcs = 4, kEpisodes = 25, kSteps = 3, kIncrements = 25;
  OpenOrDie(path).reset();  // create + migrate up front: children race on writes only

  int go[2];
  ASSERT_EQ(pipe(go), 0);
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(go[1]);
      auto store = OpenOrDie(path);
      char c;
      if (read(go[0], &c, 1) < 0) _exit(4);  // wait for the start signal (EOF)
      int cas_attempts = 0;
      for (int e = 0; e < kEpisodes; ++e) {
        std::string id = "p" + std::to_string(p) + "-e" + std::to_string(e);
        Check(store->CreateEpisode(MakeEpisode(id, e)), "create");
        for (int s = 0; s < kSteps; ++s) {
          auto n = store->AppendStep(id, MakeStep("s"), 100);
          Check(n.status(), "append");
          if (*n != s + 1) _exit(5);
        }
        Check(store->KvPut("per-proc", id, e, {}, 1).status(), "kv put");
        cas_attempts += CasIncrement(*store, 1);
      }
      // A tight increment loop: here the CAS conflicts really happen.
      for (int i = 0; i < kIncrements; ++i) cas_attempts += CasIncrement(*store, 1, 3000);
      std::fprintf(stderr, "child %d: %d CAS attempts for %d increments\n", p, cas_attempts,
                   kEpisodes + kIncrements);
      store.reset();
      _exit(0);
    }
    kids.push_back(pid);
  }
  close(go[0]);
  auto start = std::chrono::steady_clock::now();
  close(go[1]);  // start everyone at once
  for (pid_t pid : kids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int writes = kProcs * (kEpisodes * (1 + kSteps + 2) + kIncrements);
  std::printf("[ contention ] %d processes, %d committed writes in %.2f s = %.0f writes/s\n",
              kProcs, writes, secs, writes / secs);

  auto store = OpenOrDie(path);
  auto stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->episodes, kProcs * kEpisodes);
  EXPECT_EQ(stats->steps, kProcs * kEpisodes * kSteps);
  EXPECT_EQ(stats->kv_entries, kProcs * kEpisodes + 1);
  auto counter = store->KvGet("counters", "shared", 1);
  ASSERT_TRUE(counter.ok());
  EXPECT_EQ(counter->value, kProcs * (kEpisodes + kIncrements));
  EXPECT_EQ(counter->version, kProcs * (kEpisodes + kIncrements));
  EXPECT_TRUE(store->Verify().ok());
}

// The child writes episode i (+1 step, +kv) and then reports i on the pipe.
[[noreturn]] void CrashWriter(const std::string& path, int fd) {
  auto store = OpenOrDie(path);
  for (std::int32_t i = 0;; ++i) {
    std::string id = "crash-" + std::to_string(i);
    Check(store->RunInTransaction([&]() -> Status {
      ENGRAM_RETURN_IF_ERROR(store->CreateEpisode(MakeEpisode(id, i)));
      return store->AppendStep(id, MakeStep("s"), 10).status();
    }),
          "episode");
    Check(store->KvPut("crash", "last", i, {}, 1).status(), "kv");
    Lesson l = MakeLesson("lesson-" + std::to_string(i));
    Check(store->InsertLesson(l), "lesson");
    if (write(fd, &i, sizeof i) != sizeof i) _exit(6);
  }
}

TEST(MultiProcessTest, KilledWriterLosesNoAcknowledgedWrite) {
  TempDir dir;
  const std::string path = dir.File("crash.db");
  std::set<std::int32_t> acked;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      // Each round continues the id sequence where the store left off.
      CrashWriter(path, fds[1]);
    }
    close(fds[1]);
    // Let it acknowledge a varying number of writes, then kill it mid-stream.
    const std::size_t wanted = acked.size() + 10 + 7 * round;
    std::int32_t i;
    std::size_t got_this_round = 0;
    while (acked.size() < wanted && read(fds[0], &i, sizeof i) == sizeof i) {
      acked.insert(i + round * 1'000'000);
      ++got_this_round;
    }
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    // Anything still in the pipe was acknowledged before the kill.
    while (read(fds[0], &i, sizeof i) == sizeof i) acked.insert(i + round * 1'000'000);
    close(fds[0]);
    ASSERT_GT(got_this_round, 0u);

    auto store = OpenOrDie(path);
    ASSERT_TRUE(store->Verify().ok());
    for (std::int32_t a : acked) {
      if (a / 1'000'000 != round) continue;
      std::string n = std::to_string(a % 1'000'000);
      auto e = store->GetEpisode("crash-" + n);
      ASSERT_TRUE(e.ok()) << "acknowledged episode " << n << " lost in round " << round;
      EXPECT_EQ(e->steps.size(), 1u);
      EXPECT_TRUE(store->GetLesson("lesson-" + n).ok()) << n;
    }
    auto last = store->KvGet("crash", "last", 1);
    ASSERT_TRUE(last.ok());
    EXPECT_GE(last->value.get<std::int64_t>(), *acked.rbegin() % 1'000'000);
    // Start the next round from an empty file region of ids.
    store.reset();
    ASSERT_TRUE(std::filesystem::remove(path));
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
}

}  // namespace
}  // namespace engram::store_test
