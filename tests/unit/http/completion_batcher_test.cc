// CompletionBatcher: every completion runs exactly once, on a worker, also when added from
// several threads at once; a completion that blocks does not stop the others from running;
// the batch-end hook follows every batch on the worker that ran it, before it takes more.
#include "http/completion_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace cv::http {
namespace {

TEST(CompletionBatcher, RunsEveryCompletionOnceFromManyThreads) {
  WorkerPool workers(4);
  CompletionBatcher batcher(workers);
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::atomic<int>> runs(kThreads * kEach);
  std::vector<std::thread> adders;
  for (int t = 0; t < kThreads; ++t) {
    adders.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) batcher.add([&runs, n = t * kEach + i] { ++runs[n]; });
    });
  }
  for (std::thread& adder : adders) adder.join();
  workers.join();  // runs what is queued
  for (const std::atomic<int>& count : runs) ASSERT_EQ(count.load(), 1);
}

TEST(CompletionBatcher, ABlockedCompletionLeavesTheBacklogToOtherDrains) {
  WorkerPool workers(4);
  CompletionBatcher batcher(workers);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> blocked;
  batcher.add([&] {
    blocked.set_value();
    released.wait();  // a full audit queue
  });
  blocked.get_future().wait();
  // Completions added behind the blocked drain: whenever more than a batch per running drain
  // waits, another drain is posted, so at most kBatch of them wait for the blocked one.
  std::atomic<int> ran = 0;
  constexpr int kCount = static_cast<int>(CompletionBatcher::kBatch) * 2;
  for (int i = 0; i < kCount; ++i) batcher.add([&] { ++ran; });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (ran.load() < kCount - static_cast<int>(CompletionBatcher::kBatch) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_GE(ran.load(), kCount - static_cast<int>(CompletionBatcher::kBatch));
  release.set_value();  // the blocked drain then runs the rest
  workers.join();
  EXPECT_EQ(ran.load(), kCount);
}

TEST(CompletionBatcher, EveryBatchEndsWithTheHookOnItsWorker) {
  WorkerPool workers(4);
  std::mutex mutex;
  // Per worker thread: completions run since its last batch end.
  std::map<std::thread::id, int> open;
  int ended_with = 0;  // completions covered by batch ends
  int batch_ends = 0;
  CompletionBatcher batcher(workers, [&] {
    std::lock_guard lock(mutex);
    const int ran = std::exchange(open[std::this_thread::get_id()], 0);
    EXPECT_GT(ran, 0);  // a batch is never empty
    EXPECT_LE(ran, static_cast<int>(CompletionBatcher::kBatch));
    ended_with += ran;
    ++batch_ends;
  });
  constexpr int kCount = 5000;
  for (int i = 0; i < kCount; ++i) {
    batcher.add([&] {
      std::lock_guard lock(mutex);
      ++open[std::this_thread::get_id()];
    });
  }
  workers.join();
  std::lock_guard lock(mutex);
  EXPECT_EQ(ended_with, kCount);  // no completion ran without a batch end after it
  for (const auto& [thread, ran] : open) EXPECT_EQ(ran, 0);
  EXPECT_GE(batch_ends, kCount / static_cast<int>(CompletionBatcher::kBatch));
}

}  // namespace
}  // namespace cv::http
