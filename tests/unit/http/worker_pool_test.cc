#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>
#include <vector>

namespace cv::http {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskFromManyPosters) {
  std::atomic<int> done = 0;
  {
    WorkerPool pool(4);
    std::vector<std::thread> posters;
    for (int p = 0; p < 4; ++p) {
      posters.emplace_back([&] {
        for (int i = 0; i < 5000; ++i) pool.post([&] { ++done; });
      });
    }
    for (auto& poster : posters) poster.join();
    pool.join();
  }
  EXPECT_EQ(done.load(), 20000);
}

TEST(WorkerPoolTest, BlockingTasksRunInParallel) {
  // Eight tasks that each wait for all the others can only finish on eight threads.
  constexpr int kTasks = 8;
  WorkerPool pool(kTasks);
  std::atomic<int> arrived = 0;
  std::promise<void> all_arrived;
  std::shared_future<void> go = all_arrived.get_future().share();
  std::atomic<int> finished = 0;
  std::promise<void> all_finished;
  for (int i = 0; i < kTasks; ++i) {
    pool.post([&] {
      if (++arrived == kTasks) all_arrived.set_value();
      go.wait();
      if (++finished == kTasks) all_finished.set_value();
    });
  }
  all_finished.get_future().wait();
  EXPECT_EQ(finished.load(), kTasks);
}

TEST(WorkerPoolTest, WakesSleepingWorkersAfterIdle) {
  WorkerPool pool(3);
  for (int round = 0; round < 50; ++round) {
    std::promise<std::thread::id> ran;
    pool.post([&] { ran.set_value(std::this_thread::get_id()); });
    EXPECT_NE(ran.get_future().get(), std::this_thread::get_id());
  }
}

TEST(WorkerPoolTest, JoinRunsQueuedTasksAndDropsLaterOnes) {
  std::atomic<int> done = 0;
  WorkerPool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  pool.post([&] { released.wait(); });
  for (int i = 0; i < 10; ++i) pool.post([&] { ++done; });
  std::thread joiner([&] { pool.join(); });
  release.set_value();
  joiner.join();
  EXPECT_EQ(done.load(), 10);
  pool.post([&] { ++done; });
  pool.join();
  EXPECT_EQ(done.load(), 10);
}

}  // namespace
}  // namespace cv::http
