// LifecycleWorker over a real SQLite store and tiered local blob stores, driven step by step
// with a manual clock: transitions move bytes between tier folders, passes are idempotent,
// two workers never apply one action twice, restores are made and expire.
#include "workers/lifecycle_worker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "blob/tiered_blob_store.h"
#include "core/byte_source.h"
#include "vault/temp_vault.h"

namespace cv::workers {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

constexpr int64_t kDay = 86'400'000'000'000;

size_t files_under(const fs::path& dir) {
  size_t n = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) n += entry.is_regular_file();
  return n;
}

class LifecycleWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(vault_->create_bucket("bkt", "owner")); }

  void put_rules(std::vector<vault::LifecycleRule> rules) {
    vault::LifecycleConfiguration config;
    config.rules = std::move(rules);
    auto stored = vault_->put_lifecycle("bkt", config);
    ASSERT_TRUE(stored) << stored.error().message;
  }

  static vault::LifecycleRule tier_rule() {
    vault::LifecycleRule rule;
    rule.id = "tiers";
    rule.filter.shape = vault::LifecycleFilter::Shape::kPrefix;
    rule.transitions = {{.days = 30, .storage_class = "STANDARD_IA"},
                        {.days = 60, .storage_class = "GLACIER"}};
    return rule;
  }

  std::string put(const std::string& key, const std::string& body) {
    StringSource source(body);
    vault::PutObjectInput input;
    input.bucket = "bkt";
    input.key = key;
    input.body = &source;
    input.expected_size = body.size();
    auto stored = vault_->put_object(input);
    EXPECT_TRUE(stored) << stored.error().message;
    return stored ? stored->version_id : "";
  }

  std::string read(const std::string& key) {
    auto object = vault_->get_object("bkt", key);
    EXPECT_TRUE(object) << object.error().message;
    auto body = vault_->open_body(*object, 0, object->size);
    EXPECT_TRUE(body) << body.error().message;
    return read_all(**body, object->size).value_or("<read failed>");
  }

  LifecycleReport pass(int64_t days_after_now) {
    LifecycleWorker worker(*vault_);
    auto report = worker.run_once(to_unix_nanos(clock_.now()) + days_after_now * kDay);
    EXPECT_TRUE(report) << report.error().message;
    return report.value_or(LifecycleReport{});
  }

  std::string storage_class(const std::string& key) {
    return vault_->get_version("bkt", key).value().storage_class;
  }

  ManualClock clock_{from_unix_nanos(1'800'000'000'000'000'000)};
  vault::testing::TempVault temp_{clock_};
  vault::Vault* vault_ = &temp_.vault();
  const fs::path& dir_ = temp_.dir();
};

std::string compressible(size_t n) {
  std::string out;
  while (out.size() < n) out += "lifecycle worker test line " + std::to_string(out.size() % 97);
  out.resize(n);
  return out;
}

TEST_F(LifecycleWorkerTest, TransitionsMoveBytesThroughTheTiersOnce) {
  put_rules({tier_rule()});
  const std::string body = compressible(600'000);
  put("big", body);
  EXPECT_EQ(pass(29).transitioned, 0u);
  EXPECT_EQ(files_under(dir_ / "ia" / "blobs"), 0u);

  const auto to_ia = pass(31);
  EXPECT_EQ(to_ia.transitioned, 1u);
  EXPECT_EQ(to_ia.transitioned_to, (std::map<std::string, uint64_t>{{"STANDARD_IA", 1}}));
  EXPECT_EQ(storage_class("big"), "STANDARD_IA");
  EXPECT_EQ(files_under(dir_ / "ia" / "blobs"), 1u);
  EXPECT_EQ(read("big"), body);
  const auto moved = vault_->get_version("bkt", "big").value();
  ASSERT_EQ(moved.blobs.size(), 1u);
  EXPECT_EQ(moved.blobs[0].codec, "zstd");
  EXPECT_LT(moved.blobs[0].stored_size, body.size() / 4);
  EXPECT_EQ(moved.lifecycle_due_ns, moved.mtime_ns + 60 * kDay);  // the GLACIER step next
  EXPECT_EQ(pass(31).transitioned, 0u);                           // nothing repeats

  const auto to_glacier = pass(61);
  EXPECT_EQ(to_glacier.transitioned, 1u);
  EXPECT_EQ(to_glacier.transitioned_to, (std::map<std::string, uint64_t>{{"GLACIER", 1}}));
  EXPECT_EQ(storage_class("big"), "GLACIER");
  EXPECT_EQ(files_under(dir_ / "glacier" / "blobs"), 1u);
  auto archived = vault_->get_object("bkt", "big").value();
  EXPECT_EQ(vault::Vault::check_readable(archived).error().code, ErrorCode::kInvalidObjectState);
  EXPECT_EQ(vault_->get_version("bkt", "big").value().lifecycle_due_ns, 0);

  auto events = vault_->events(0, 10).value();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].name, "s3:ObjectCreated:Put");
  EXPECT_EQ(events[1].name, "s3:LifecycleTransition");
  EXPECT_EQ(events[1].storage_class, "STANDARD");
  EXPECT_EQ(events[2].storage_class, "STANDARD_IA");
}

TEST_F(LifecycleWorkerTest, ObjectsWithoutRulesAreNeverScheduled) {
  put("plain", compressible(300'000));
  EXPECT_EQ(vault_->get_version("bkt", "plain").value().lifecycle_due_ns, 0);
  EXPECT_TRUE(vault_->due_versions(INT64_MAX, 10).value().empty());
  EXPECT_EQ(pass(1000).keys_examined, 0u);
}

TEST_F(LifecycleWorkerTest, PuttingRulesSchedulesExistingObjects) {
  put("old", compressible(300'000));
  put_rules({tier_rule()});
  EXPECT_EQ(vault_->due_versions(INT64_MAX, 10).value().size(), 1u);
  EXPECT_EQ(pass(40).transitioned, 1u);
}

TEST_F(LifecycleWorkerTest, TwoWorkersPlanningTheSameActionApplyItOnce) {
  put_rules({tier_rule()});
  put("k", compressible(300'000));
  const auto version = vault_->get_version("bkt", "k").value();
  const int64_t later = to_unix_nanos(clock_.now()) + 31 * kDay;
  // Both planned on the same state; the second finds it changed.
  ASSERT_TRUE(vault_->transition(version, "STANDARD_IA", 0, std::nullopt));
  auto second = vault_->transition(version, "STANDARD_IA", 0, std::nullopt);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(files_under(dir_ / "ia" / "blobs"), 1u) << "the loser's copy must be removed";
  LifecycleWorker worker(*vault_);
  EXPECT_EQ(worker.run_once(later).value().transitioned, 0u);
}

TEST_F(LifecycleWorkerTest, RestoresAreMadeAndExpire) {
  put_rules({tier_rule()});
  const std::string body = compressible(400'000);
  put("doc", body);
  pass(61);
  ASSERT_EQ(storage_class("doc"), "GLACIER");
  // The restore's clock is the vault's: move it to day 61 too.
  clock_.advance(hours(24 * 61));
  auto started = vault_->request_restore("bkt", "doc", "", 2);
  ASSERT_TRUE(started);
  EXPECT_FALSE(*started);
  EXPECT_EQ(vault_->request_restore("bkt", "doc", "", 2).error().code,
            ErrorCode::kRestoreAlreadyInProgress);
  EXPECT_EQ(pass(0).restores_finished, 1u);
  EXPECT_EQ(read("doc"), body);
  const auto restored = vault_->get_version("bkt", "doc").value();
  ASSERT_TRUE(restored.restore.has_value());
  ASSERT_EQ(restored.restore->blobs.size(), 1u);
  EXPECT_EQ(blob::TieredBlobStore::location_of(restored.restore->blobs[0].blob_id), "");
  EXPECT_EQ(pass(1).restores_expired, 0u);
  EXPECT_EQ(pass(3).restores_expired, 1u);
  EXPECT_EQ(vault::Vault::check_readable(vault_->get_object("bkt", "doc").value()).error().code,
            ErrorCode::kInvalidObjectState);
}

TEST_F(LifecycleWorkerTest, RestoreRequiresAnArchivedObject) {
  put("hot", "x");
  EXPECT_EQ(vault_->request_restore("bkt", "hot", "", 1).error().code,
            ErrorCode::kInvalidObjectState);
}

TEST_F(LifecycleWorkerTest, SmallInlineObjectsMoveIntoATierFileWhenTheFilterSaysSo) {
  vault::LifecycleRule rule = tier_rule();
  rule.filter.shape = vault::LifecycleFilter::Shape::kSizeGreater;
  rule.filter.object_size_greater_than = 0;
  put_rules({rule});
  put("small", "tiny body");
  EXPECT_EQ(pass(31).transitioned, 1u);
  EXPECT_EQ(storage_class("small"), "STANDARD_IA");
  EXPECT_EQ(read("small"), "tiny body");
  EXPECT_TRUE(vault_->get_version("bkt", "small").value().inline_data.empty());
}

}  // namespace
}  // namespace cv::workers
