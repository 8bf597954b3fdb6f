// LiveTargetCatalog: reloads when its generation changes (at most once per check interval
// unless asked fresh), keeps the previous snapshot when a load fails, keeps snapshots valid
// while held, and stays consistent under concurrent readers and reloads.
#include "workers/notify/targets/live_target_catalog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace cv::workers::notify {
namespace {

TargetSettings hook(const std::string& name) {
  TargetSettings settings;
  settings.name = name;
  settings.url = "http://127.0.0.1:9/" + name;
  settings.secret = "k";
  return settings;
}

// A source the tests change by hand.
struct Source {
  std::mutex mutex;
  std::vector<TargetSettings> targets{hook("a")};
  std::atomic<uint64_t> generation{1};
  std::atomic<int> loads{0};
  std::atomic<int> generation_reads{0};
  bool failing = false;

  void set(std::vector<TargetSettings> next) {
    {
      std::lock_guard lock(mutex);
      targets = std::move(next);
    }
    ++generation;
  }
  LiveTargetCatalog::Loader loader() {
    return [this]() -> Result<std::vector<TargetSettings>> {
      ++loads;
      std::lock_guard lock(mutex);
      if (failing) return fail(ErrorCode::kInternalError, "store unreadable");
      return targets;
    };
  }
  LiveTargetCatalog::Generation generation_fn() {
    return [this] {
      ++generation_reads;
      return generation.load();
    };
  }
};

std::unique_ptr<LiveTargetCatalog> live(Source& source, const Clock& clock,
                                        std::chrono::milliseconds interval) {
  auto created = LiveTargetCatalog::create(source.loader(), source.generation_fn(), clock,
                                           {.check_interval = interval});
  EXPECT_TRUE(created) << created.error().message;
  return created ? std::move(*created) : nullptr;
}

TEST(LiveTargetCatalog, FollowsItsSourceWhenTheGenerationChanges) {
  SystemClock clock;
  Source source;
  auto catalog = live(source, clock, std::chrono::milliseconds(0));
  EXPECT_TRUE(catalog->current()->has_target("a"));
  EXPECT_EQ(source.loads.load(), 1);
  // Same generation: no load.
  catalog->current();
  EXPECT_EQ(source.loads.load(), 1);
  source.set({hook("a"), hook("b")});
  EXPECT_TRUE(catalog->current()->has_target("b"));
  EXPECT_EQ(source.loads.load(), 2);
  source.set({hook("b")});
  EXPECT_FALSE(catalog->current()->has_target("a"));
}

TEST(LiveTargetCatalog, ChecksAtMostOncePerIntervalUnlessAskedFresh) {
  SystemClock clock;
  Source source;
  auto catalog = live(source, clock, std::chrono::hours(1));
  const int reads = source.generation_reads.load();
  source.set({hook("b")});
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(catalog->current()->has_target("a"));
  EXPECT_EQ(source.generation_reads.load(), reads);  // no check within the interval
  EXPECT_TRUE(catalog->fresh()->has_target("b"));    // fresh() checks now
  EXPECT_EQ(source.generation_reads.load(), reads + 1);
}

TEST(LiveTargetCatalog, AFailedLoadKeepsThePreviousTargetsAndIsTriedAgain) {
  SystemClock clock;
  Source source;
  auto catalog = live(source, clock, std::chrono::milliseconds(0));
  source.failing = true;
  source.set({hook("b")});
  EXPECT_TRUE(catalog->current()->has_target("a"));
  EXPECT_FALSE(catalog->current()->has_target("b"));
  source.failing = false;
  EXPECT_TRUE(catalog->current()->has_target("b"));
  // So does a load whose settings do not validate (a webhook without its secret).
  TargetSettings broken = hook("c");
  broken.secret.clear();
  source.set({hook("b"), broken});
  EXPECT_TRUE(catalog->current()->has_target("b"));
  EXPECT_FALSE(catalog->current()->has_target("c"));
}

TEST(LiveTargetCatalog, ReloadLoadsWhateverTheGenerationSays) {
  SystemClock clock;
  Source source;
  auto catalog = live(source, clock, std::chrono::hours(1));
  {
    std::lock_guard lock(source.mutex);
    source.targets = {hook("x")};  // changed without a new generation
  }
  EXPECT_TRUE(catalog->fresh()->has_target("a"));
  ASSERT_TRUE(catalog->reload());
  EXPECT_TRUE(catalog->current()->has_target("x"));
  source.failing = true;
  EXPECT_FALSE(catalog->reload());
  EXPECT_TRUE(catalog->current()->has_target("x"));
}

TEST(LiveTargetCatalog, AHeldSnapshotOutlivesItsReplacement) {
  SystemClock clock;
  Source source;
  auto catalog = live(source, clock, std::chrono::milliseconds(0));
  std::shared_ptr<const TargetCatalog> held = catalog->current();
  NotificationTarget* target = held->find("a");
  ASSERT_NE(target, nullptr);
  source.set({hook("b")});
  EXPECT_FALSE(catalog->current()->has_target("a"));
  EXPECT_EQ(held->find("a"), target);  // still there for a delivery in flight
}

TEST(LiveTargetCatalog, CreateFailsWhenTheFirstLoadFails) {
  SystemClock clock;
  Source source;
  source.failing = true;
  auto created = LiveTargetCatalog::create(source.loader(), source.generation_fn(), clock, {});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().message, "store unreadable");
}

TEST(LiveTargetCatalog, FixedNeverChanges) {
  SystemClock clock;
  auto catalog = LiveTargetCatalog::fixed(TargetCatalog::create({hook("a")}, clock).value());
  EXPECT_TRUE(catalog->current()->has_target("a"));
  EXPECT_TRUE(catalog->fresh()->has_target("a"));
  EXPECT_TRUE(catalog->reload());
}

TEST(LiveTargetCatalog, ReadersSeeWholeSnapshotsWhileItReloads) {
  SystemClock clock;
  Source source;
  source.set({hook("p1"), hook("p2")});
  auto catalog = live(source, clock, std::chrono::milliseconds(0));
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        auto snapshot = catalog->current();
        // The source always holds pairs: p1+p2 or q1+q2, never one of each.
        if (snapshot->has_target("p1") != snapshot->has_target("p2")) ++torn;
        if (snapshot->has_target("q1") != snapshot->has_target("q2")) ++torn;
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    if (i % 2) {
      source.set({hook("p1"), hook("p2")});
    } else {
      source.set({hook("q1"), hook("q2")});
    }
    catalog->current();
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_TRUE(catalog->current()->has_target("p1"));
}

}  // namespace
}  // namespace cv::workers::notify
