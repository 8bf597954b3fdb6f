// The outbox end to end over a real SQLite store: the vault writes one event with every
// object change, OutboxFanOut turns events into tasks without passing one it could not plan,
// OutboxTaskRunner runs them with retries, backoff and parking. Driven step by step with a
// manual clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "core/thread_priority.h"
#include "vault/temp_vault.h"
#include "workers/outbox/outbox_consumer.h"
#include "workers/outbox/outbox_fan_out.h"
#include "workers/outbox/outbox_task_runner.h"

namespace cv::workers {
namespace {

using std::chrono::seconds;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(vault().create_bucket("bkt", "owner")); }

  vault::Vault& vault() { return temp_.vault(); }
  meta::MetaStore& store() { return temp_.meta(); }

  vault::ChangeOrigin origin() const { return {"alice", "192.0.2.7", "REQ-1"}; }

  Result<meta::ObjectVersion> put(const std::string& key, const std::string& body,
                                  vault::BodyCheck check = {}) {
    StringSource source(body);
    vault::PutObjectInput input;
    input.bucket = "bkt";
    input.key = key;
    input.body = &source;
    input.expected_size = body.size();
    input.check = std::move(check);
    input.origin = origin();
    return vault().put_object(input);
  }

  std::vector<meta::Event> events_after(int64_t seq) { return *store().list_events(seq, 1000); }

  ManualClock clock_{from_unix_nanos(1'700'000'000'000'000'000)};
  vault::testing::TempVault temp_{clock_};
};

TEST_F(OutboxTest, EveryObjectChangeWritesItsEvent) {
  ASSERT_TRUE(put("a.txt", "hello"));
  // A put whose body check fails changes nothing and writes no event.
  EXPECT_FALSE(put("bad.txt", "x", [](const vault::BodyDigests&) -> Status {
    return fail(ErrorCode::kBadDigest);
  }));
  ASSERT_TRUE(vault().put_object_tags("bkt", "a.txt", "", {{"k", "v"}}, origin()));
  ASSERT_TRUE(vault().put_object_tags("bkt", "a.txt", "", {}, origin()));
  ASSERT_TRUE(vault().delete_object("bkt", "a.txt", "", origin()));
  ASSERT_TRUE(vault().delete_object("bkt", "never-there", "", origin()));  // no event

  ASSERT_TRUE(vault().set_versioning("bkt", vault::Versioning::kEnabled));
  const auto v1 = put("v.txt", "one");
  ASSERT_TRUE(v1);
  const auto marker = vault().delete_object("bkt", "v.txt", "", origin());
  ASSERT_TRUE(marker);
  ASSERT_TRUE(vault().delete_object("bkt", "v.txt", v1->version_id, origin()));

  const auto events = events_after(0);
  std::vector<std::string> names;
  for (const auto& event : events) names.push_back(event.name + " " + event.key);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "s3:ObjectCreated:Put a.txt", "s3:ObjectTagging:Put a.txt",
                       "s3:ObjectTagging:Delete a.txt", "s3:ObjectRemoved:Delete a.txt",
                       "s3:ObjectCreated:Put v.txt", "s3:ObjectRemoved:DeleteMarkerCreated v.txt",
                       "s3:ObjectRemoved:Delete v.txt"}));
  for (const auto& event : events) {
    EXPECT_EQ(event.principal_id, "alice");
    EXPECT_EQ(event.source_ip, "192.0.2.7");
    EXPECT_EQ(event.request_id, "REQ-1");
    EXPECT_EQ(event.bucket, "bkt");
  }
  EXPECT_EQ(events[0].size, 5u);
  EXPECT_EQ(events[0].etag, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(events[0].version_id, "null");
  EXPECT_EQ(events[3].version_id, "null");
  EXPECT_EQ(events[4].version_id, v1->version_id);
  EXPECT_EQ(events[5].version_id, marker->version_id);
  EXPECT_EQ(events[6].version_id, v1->version_id);
}

TEST_F(OutboxTest, MultipartCompletionWritesItsEvent) {
  meta::ObjectVersion attributes;
  const auto upload = vault().create_upload("bkt", "big", attributes);
  ASSERT_TRUE(upload);
  StringSource part_body("part");
  const auto part = vault().upload_part("bkt", "big", upload->upload_id, 1, part_body, 4,
                                        vault::ChecksumAlgorithm::kNone, {});
  ASSERT_TRUE(part);
  ASSERT_TRUE(vault().complete_upload("bkt", "big", upload->upload_id, {{1, part->etag, ""}},
                                      origin()));
  const auto events = events_after(0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "s3:ObjectCreated:CompleteMultipartUpload");
  EXPECT_EQ(events[0].size, 4u);
  EXPECT_EQ(events[0].principal_id, "alice");
}

TEST_F(OutboxTest, FanOutRecordsTasksAndNeverPassesAnEventItCouldNotPlan) {
  ASSERT_TRUE(put("before", "x"));  // before the consumer existed: not its business
  bool store_down = false;
  auto fan_out = OutboxFanOut::open(
      store(), "notify",
      [&](const meta::Event& event) -> Result<std::vector<meta::OutboxTask>> {
        if (event.key == "poison" && store_down) return fail(ErrorCode::kInternalError, "down");
        if (!event.key.starts_with("photos/")) return std::vector<meta::OutboxTask>{};
        meta::OutboxTask task;
        task.target = "hook";
        task.payload = "rule-1";
        return std::vector<meta::OutboxTask>{task};
      },
      /*batch=*/10);
  ASSERT_TRUE(fan_out);
  for (const char* key : {"photos/a.jpg", "docs/b.pdf", "poison", "photos/c.jpg"}) {
    ASSERT_TRUE(put(key, "x"));
  }
  store_down = true;
  auto passed = fan_out->run_once();
  EXPECT_FALSE(passed);  // stopped at "poison"...
  auto tasks = *store().list_tasks("notify", false, 0, 10);
  ASSERT_EQ(tasks.size(), 1u);  // ...after recording what came before it
  EXPECT_EQ(tasks[0].event.key, "photos/a.jpg");
  EXPECT_EQ(tasks[0].payload, "rule-1");
  const int64_t stuck = fan_out->position();
  EXPECT_EQ(*store().consumer_position("notify"), stuck);

  store_down = false;
  passed = fan_out->run_once();
  ASSERT_TRUE(passed);
  EXPECT_EQ(*passed, 2u);
  tasks = *store().list_tasks("notify", false, 0, 10);
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[1].event.key, "photos/c.jpg");
  EXPECT_EQ(*fan_out->run_once(), 0u);
}

TEST_F(OutboxTest, RunnerRetriesWithBackoffParksAndFinishes) {
  auto fan_out = OutboxFanOut::open(store(), "notify",
                                    [](const meta::Event& event)
                                        -> Result<std::vector<meta::OutboxTask>> {
                                      meta::OutboxTask hook, mail;
                                      hook.target = "hook";
                                      mail.target = "mail";
                                      return std::vector<meta::OutboxTask>{hook, mail};
                                    });
  ASSERT_TRUE(fan_out);
  // "flaky" last: a retryable failure ends the runner's batch (the next test).
  for (const char* key : {"ok", "gone", "flaky"}) ASSERT_TRUE(put(key, "x"));
  ASSERT_EQ(*fan_out->run_once(), 3u);

  std::map<std::string, int> tries;
  RetryPolicy policy{.first_delay = seconds(10), .max_delay = seconds(60), .max_attempts = 3};
  OutboxTaskRunner hook(
      store(), "notify", "hook",
      [&](const meta::OutboxTask& task) {
        ++tries[task.event.key];
        if (task.event.key == "flaky") return TaskOutcome::retry("HTTP 503");
        if (task.event.key == "gone") return TaskOutcome::permanent("HTTP 404");
        return TaskOutcome::done();
      },
      policy, clock_);
  auto report = hook.run_once();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->done, 1u);
  EXPECT_EQ(report->retried, 1u);
  EXPECT_EQ(report->parked, 1u);
  // The mail target's tasks are untouched by the hook's runner.
  EXPECT_EQ(store().due_tasks("notify", "mail", to_unix_nanos(clock_.now()), 10)->size(), 3u);

  // Not due again before the backoff (5..10 s for the first retry); the target is held as long.
  clock_.advance(seconds(4));
  EXPECT_TRUE(hook.run_once()->held);
  clock_.advance(seconds(6));
  EXPECT_EQ(hook.run_once()->retried, 1u);
  const auto pending = *store().due_tasks("notify", "hook", to_unix_nanos(clock_.now()) + 60'000'000'000, 10);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 2);
  EXPECT_EQ(pending[0].last_error, "HTTP 503");
  clock_.advance(seconds(20));
  EXPECT_EQ(hook.run_once()->parked, 1u);  // third failure: parked
  EXPECT_EQ(tries["flaky"], 3);
  EXPECT_EQ(tries["gone"], 1);

  const auto failed = *store().list_tasks("notify", true, 0, 10);
  ASSERT_EQ(failed.size(), 2u);
  clock_.advance(seconds(3600));
  auto idle = hook.run_once();
  EXPECT_EQ(idle->done + idle->retried + idle->parked, 0u);  // parked tasks stay parked
  // Retried by hand, they run again at once (and, failing again, are parked again).
  EXPECT_EQ(*store().retry_tasks("notify", 0, to_unix_nanos(clock_.now())), 2u);
  EXPECT_EQ(hook.run_once()->parked, 2u);
  EXPECT_EQ(tries["flaky"], 4);
  EXPECT_EQ(tries["gone"], 2);
}

TEST_F(OutboxTest, ATargetThatIsDownIsProbedNotHammered) {
  auto fan_out = OutboxFanOut::open(store(), "notify",
                                    [](const meta::Event&) -> Result<std::vector<meta::OutboxTask>> {
                                      meta::OutboxTask hook;
                                      hook.target = "hook";
                                      return std::vector<meta::OutboxTask>{hook};
                                    });
  ASSERT_TRUE(fan_out);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(put("k" + std::to_string(i), "x"));
  ASSERT_EQ(*fan_out->run_once(), 5u);
  bool down = true;
  int tries = 0;
  RetryPolicy policy{.first_delay = seconds(10), .max_delay = seconds(60), .max_attempts = 100};
  OutboxTaskRunner hook(
      store(), "notify", "hook",
      [&](const meta::OutboxTask&) {
        ++tries;
        return down ? TaskOutcome::retry("connection refused") : TaskOutcome::done();
      },
      policy, clock_);
  // One probe, then the whole target waits (5..10 s), trying nothing and reading nothing.
  auto first = hook.run_once();
  EXPECT_EQ(first->retried, 1u);
  EXPECT_EQ(tries, 1);
  EXPECT_TRUE(hook.run_once()->held);
  clock_.advance(seconds(10));
  EXPECT_EQ(hook.run_once()->retried, 1u);  // the next due task is the probe
  EXPECT_EQ(tries, 2);
  // The hold grows with each failed run (10..20 s now).
  clock_.advance(seconds(9));
  EXPECT_TRUE(hook.run_once()->held);
  clock_.advance(seconds(11));
  down = false;
  // Back up: every due task goes in one run, and the hold is gone.
  auto up = hook.run_once();
  EXPECT_EQ(up->done, 5u);
  EXPECT_EQ(tries, 7);
  EXPECT_TRUE(store().list_tasks("notify", false, 0, 10)->empty());
}

TEST_F(OutboxTest, LanesRunKeysConcurrentlyAndEachKeyInOrder) {
  auto fan_out = OutboxFanOut::open(store(), "replicate",
                                    [](const meta::Event&) -> Result<std::vector<meta::OutboxTask>> {
                                      meta::OutboxTask copy;
                                      copy.target = "local:dst";
                                      return std::vector<meta::OutboxTask>{copy};
                                    });
  ASSERT_TRUE(fan_out);
  // Three versions of each of eight keys, written key after key.
  for (int version = 0; version < 3; ++version) {
    for (int key = 0; key < 8; ++key) {
      ASSERT_TRUE(put("k" + std::to_string(key), std::to_string(version)));
    }
  }
  ASSERT_EQ(*fan_out->run_once(), 24u);
  std::mutex mutex;
  std::map<std::string, std::vector<int64_t>> order;  // event seqs per key, as run
  std::atomic<int> running{0};
  std::atomic<int> most_at_once{0};
  RetryPolicy policy{.first_delay = seconds(10), .max_delay = seconds(60), .max_attempts = 10};
  OutboxTaskRunner runner(
      store(), "replicate", "local:dst",
      [&](const meta::OutboxTask& task) {
        const int now_running = ++running;
        for (int seen = most_at_once; seen < now_running;) {
          if (most_at_once.compare_exchange_weak(seen, now_running)) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a commit's wait
        {
          std::lock_guard lock(mutex);
          order[task.event.key].push_back(task.event_seq);
        }
        --running;
        // k3's second version fails for now: the rest of k3's lane waits, other lanes go on.
        if (task.event.key == "k3" && order["k3"].size() == 2) return TaskOutcome::retry("busy");
        return TaskOutcome::done();
      },
      policy, clock_, 256, 4);
  auto report = runner.run_once();
  ASSERT_TRUE(report);
  EXPECT_GT(most_at_once.load(), 1);
  EXPECT_EQ(report->retried, 1u);
  EXPECT_EQ(order["k3"].size(), 2u);  // its third version was not tried after the failure
  for (const auto& [key, seqs] : order) {
    EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << key;
  }
  size_t tried = 0;
  for (const auto& [key, seqs] : order) tried += seqs.size();
  EXPECT_EQ(report->done, tried - 1);
  EXPECT_LT(report->done, 23u);  // k3's lane stopped; the others ran everything
  EXPECT_GE(report->done, 23u - 6);
  // The failure holds the target; after the hold the rest goes. (A retried task comes due
  // after the key's later ones, so order holds within a run, not across a retry: replication
  // orders versions by their time at the destination, not by arrival.)
  EXPECT_TRUE(runner.run_once()->held);
  clock_.advance(seconds(11));
  auto second = runner.run_once();
  EXPECT_EQ(report->done + second->done, 24u);
  for (const auto& [key, seqs] : order) EXPECT_EQ(seqs.size(), key == "k3" ? 4u : 3u) << key;
  EXPECT_TRUE(store().list_tasks("replicate", false, 0, 100)->empty());
}

// A digest: the task that runs first does the work of the others (TaskOutcome::covers).
TEST_F(OutboxTest, ATryCoveringOtherTasksEndsThemWithItAndNeverRunsThemAgain) {
  auto fan_out = OutboxFanOut::open(
      store(), "notify", [](const meta::Event& event) -> Result<std::vector<meta::OutboxTask>> {
        meta::OutboxTask task;
        task.target = "hook";
        task.payload = event.key.substr(0, 1);  // the group
        return std::vector<meta::OutboxTask>{task};
      });
  ASSERT_TRUE(fan_out);
  for (const char* key : {"a1", "a2", "b1", "a3", "b2", "a4"}) ASSERT_TRUE(put(key, "x"));
  ASSERT_EQ(*fan_out->run_once(), 6u);
  std::vector<std::string> sent;  // one entry per message: its group's keys
  std::string failing;            // a group whose message fails so
  TaskOutcome::Kind failure = TaskOutcome::Kind::kRetry;
  auto executor = [&](const meta::OutboxTask& task) {
    const auto group = *store().tasks_with_payload("notify", "hook", task.payload, 100);
    TaskOutcome outcome;
    if (task.payload == failing) {
      outcome = failure == TaskOutcome::Kind::kRetry ? TaskOutcome::retry("HTTP 503")
                                                     : TaskOutcome::permanent("HTTP 404");
    } else {
      std::string keys;
      for (const meta::OutboxTask& member : group) keys += member.event.key + " ";
      sent.push_back(keys);
    }
    for (const meta::OutboxTask& member : group) outcome.covers.push_back(member.id);
    return outcome;
  };
  RetryPolicy policy{.first_delay = seconds(10), .max_delay = seconds(60), .max_attempts = 5};
  // A batch of 2: group "a" has tasks outside the batch, which its message covers all the same.
  OutboxTaskRunner small(store(), "notify", "hook", executor, policy, clock_, 2);
  auto report = small.run_once();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->done, 4u);  // a1 (tried) and a2, a3, a4 (covered); a2 was not run
  EXPECT_EQ(sent, (std::vector<std::string>{"a1 a2 a3 a4 "}));
  // A big batch holding a whole group runs it once.
  ASSERT_TRUE(put("b3", "x"));
  ASSERT_EQ(*fan_out->run_once(), 1u);
  OutboxTaskRunner big(store(), "notify", "hook", executor, policy, clock_, 100);
  EXPECT_EQ(big.run_once()->done, 3u);
  EXPECT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1], "b1 b2 b3 ");
  EXPECT_TRUE(store().list_tasks("notify", false, 0, 10)->empty());

  // A retryable failure retries the tried task only; the others stay due as they were, and the
  // next try (one of them) still gathers the whole group.
  for (const char* key : {"c1", "c2", "c3"}) ASSERT_TRUE(put(key, "x"));
  ASSERT_EQ(*fan_out->run_once(), 3u);
  failing = "c";
  EXPECT_EQ(big.run_once()->retried, 1u);
  auto pending = *store().list_tasks("notify", false, 0, 10);
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].attempts, 1);
  EXPECT_EQ(pending[1].attempts, 0);
  EXPECT_EQ(pending[2].attempts, 0);
  failing.clear();
  clock_.advance(seconds(10));
  EXPECT_EQ(big.run_once()->done, 3u);
  EXPECT_EQ(sent.back(), "c1 c2 c3 ");

  // A permanent failure parks the whole group with the tried task's error.
  for (const char* key : {"d1", "d2"}) ASSERT_TRUE(put(key, "x"));
  ASSERT_EQ(*fan_out->run_once(), 2u);
  failing = "d";
  failure = TaskOutcome::Kind::kPermanent;
  EXPECT_EQ(big.run_once()->parked, 2u);
  const auto parked = *store().list_tasks("notify", true, 0, 10);
  ASSERT_EQ(parked.size(), 2u);
  EXPECT_EQ(parked[1].last_error, "HTTP 404");
  EXPECT_EQ(sent.size(), 3u);
}

// With lanes, a covered task that another lane has already started runs all the same (at
// least once); every task still ends once, and none starts after its cover is known.
TEST_F(OutboxTest, CoveredTasksOnOtherLanesEndOnce) {
  auto fan_out = OutboxFanOut::open(
      store(), "notify", [](const meta::Event&) -> Result<std::vector<meta::OutboxTask>> {
        meta::OutboxTask task;
        task.target = "hook";
        task.payload = "one-group";
        return std::vector<meta::OutboxTask>{task};
      });
  ASSERT_TRUE(fan_out);
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(put("k" + std::to_string(i), "x"));
  ASSERT_EQ(*fan_out->run_once(), 16u);
  std::atomic<int> sent{0};
  OutboxTaskRunner runner(
      store(), "notify", "hook",
      [&](const meta::OutboxTask& task) {
        const auto group = *store().tasks_with_payload("notify", "hook", task.payload, 100);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ++sent;
        TaskOutcome outcome;
        for (const meta::OutboxTask& member : group) outcome.covers.push_back(member.id);
        return outcome;
      },
      {}, clock_, 256, 4);
  const auto report = runner.run_once();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->done, 16u);
  EXPECT_GE(sent.load(), 1);
  EXPECT_LE(sent.load(), 4);  // at most the lanes' first tasks, started before any cover
  EXPECT_TRUE(store().list_tasks("notify", false, 0, 100)->empty());
}

TEST_F(OutboxTest, PruningKeepsRecentEventsAndOnesStillNeeded) {
  auto fan_out = OutboxFanOut::open(store(), "notify",
                                    [](const meta::Event& event)
                                        -> Result<std::vector<meta::OutboxTask>> {
                                      if (event.key != "needed") return std::vector<meta::OutboxTask>{};
                                      meta::OutboxTask task;
                                      task.target = "hook";
                                      return std::vector<meta::OutboxTask>{task};
                                    });
  ASSERT_TRUE(fan_out);
  for (const char* key : {"old", "needed"}) ASSERT_TRUE(put(key, "x"));
  ASSERT_EQ(*fan_out->run_once(), 2u);
  clock_.advance(std::chrono::hours(2));
  ASSERT_TRUE(put("recent", "x"));
  ASSERT_EQ(*fan_out->run_once(), 1u);
  EXPECT_EQ(*vault().prune_events(std::chrono::hours(1)), 1u);  // "old" only
  std::vector<std::string> left;
  for (const auto& event : events_after(0)) left.push_back(event.key);
  EXPECT_EQ(left, (std::vector<std::string>{"needed", "recent"}));
}

// Polls `condition` until it holds or 10 s pass.
template <class Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

TEST_F(OutboxTest, ConsumerThreadsKeepASlowTargetFromHoldingBackAnother) {
  SystemClock clock;
  std::atomic<int> fast_done{0}, slow_done{0};
  std::promise<void> slow_released;
  std::shared_future<void> release = slow_released.get_future().share();
  OutboxConsumer consumer(
      store(), clock, "notify",
      [](const meta::Event&) -> Result<std::vector<meta::OutboxTask>> {
        meta::OutboxTask fast, slow;
        fast.target = "fast";
        slow.target = "slow";
        return std::vector<meta::OutboxTask>{fast, slow};
      },
      [&](const std::string& target) -> TaskExecutor {
        if (target == "fast") {
          return [&](const meta::OutboxTask&) {
            ++fast_done;
            return TaskOutcome::done();
          };
        }
        return [&, release](const meta::OutboxTask&) {
          release.wait();  // a target that hangs until released
          ++slow_done;
          return TaskOutcome::done();
        };
      },
      OutboxConsumerOptions{.idle_poll = std::chrono::milliseconds(2)});
  ASSERT_TRUE(consumer.start());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(put("k" + std::to_string(i), "x"));
  EXPECT_TRUE(eventually([&] { return fast_done.load() == 20; }));
  EXPECT_EQ(slow_done.load(), 0);
  slow_released.set_value();
  EXPECT_TRUE(eventually([&] { return slow_done.load() == 20; }));
  consumer.stop();
  EXPECT_TRUE(store().list_tasks("notify", false, 0, 100)->empty());
}

TEST(RetryDelay, GrowsExponentiallyWithJitterUpToTheCap) {
  std::mt19937_64 rng(7);
  const RetryPolicy policy{.first_delay = seconds(1), .max_delay = seconds(30), .max_attempts = 9};
  for (int attempts = 1; attempts <= 8; ++attempts) {
    const double full = std::min(30.0, static_cast<double>(1 << (attempts - 1)));
    for (int i = 0; i < 100; ++i) {
      const double delay = std::chrono::duration<double>(retry_delay(policy, attempts, rng)).count();
      EXPECT_GE(delay, full * 0.5);
      EXPECT_LT(delay, full);
    }
  }
}

// Deliveries run at the consumer's nice value, lanes included, so they yield to requests;
// the thread that started the consumer keeps its own.
TEST_F(OutboxTest, ConsumerThreadsRunAtTheirNiceValue) {
  SystemClock clock;
  const int starter_nice = this_thread_nice();
  std::mutex mutex;
  std::vector<int> seen;
  OutboxConsumer consumer(
      store(), clock, "notify",
      [](const meta::Event&) -> Result<std::vector<meta::OutboxTask>> {
        meta::OutboxTask task;
        task.target = "t";
        return std::vector<meta::OutboxTask>{task};
      },
      [&](const std::string&) -> TaskExecutor {
        return [&](const meta::OutboxTask&) {
          std::lock_guard lock(mutex);
          seen.push_back(this_thread_nice());
          return TaskOutcome::done();
        };
      },
      OutboxConsumerOptions{.idle_poll = std::chrono::milliseconds(2),
                            .task_parallelism = 4,
                            .thread_nice = std::min(19, starter_nice + 7)});
  ASSERT_TRUE(consumer.start());
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(put("n" + std::to_string(i), "x"));
  EXPECT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return seen.size() == 12;
  }));
  consumer.stop();
  for (int nice : seen) EXPECT_EQ(nice, std::min(19, starter_nice + 7));
  EXPECT_EQ(this_thread_nice(), starter_nice);
}

}  // namespace
}  // namespace cv::workers
