// The MetaStore conformance tests for S3 Object Lock (fixture in meta_store_conformance.h):
// a version's retention and legal hold are stored with it (and with an upload), changed only
// under the retention rules, and judged inside the transaction that would remove the version
// (delete_object, apply_change kDelete, a put_object replacing it in place).
#include <gtest/gtest.h>

#include <string>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

constexpr int64_t kNow = 1'700'000'000'000'000'000;
constexpr int64_t kDay = 86'400'000'000'000;

ObjectVersion locked_object(const std::string& key, const std::string& version_id, std::string mode,
                            int64_t until_ns, bool legal_hold = false) {
  ObjectVersion object = make_object("b", key);
  object.version_id = version_id;
  object.lock = ObjectLock{std::move(mode), until_ns, legal_hold};
  return object;
}

ObjectLock lock_of(MetaStore& store, const std::string& key, const std::string& version_id) {
  auto read = store.get_object("b", key, version_id);
  if (!read || !*read) return ObjectLock{"missing", -1, false};
  return (*read)->lock;
}

RetentionChange retention(std::string mode, int64_t until_ns, bool bypass = false) {
  return RetentionChange{std::move(mode), until_ns, kNow, bypass};
}

TEST(ObjectLockRules, LegalHoldAlwaysBlocksRetentionUntilItsDate) {
  EXPECT_TRUE(lock_blocks_removal(ObjectLock{"", 0, true}, kNow, true));
  EXPECT_FALSE(lock_blocks_removal(ObjectLock{}, kNow, false));
  const ObjectLock governance{"GOVERNANCE", kNow + kDay, false};
  EXPECT_TRUE(lock_blocks_removal(governance, kNow, false));
  EXPECT_FALSE(lock_blocks_removal(governance, kNow, true));
  EXPECT_FALSE(lock_blocks_removal(governance, kNow + kDay, false));  // the date has come
  const ObjectLock compliance{"COMPLIANCE", kNow + kDay, false};
  EXPECT_TRUE(lock_blocks_removal(compliance, kNow, true));
  EXPECT_FALSE(lock_blocks_removal(compliance, kNow + kDay + 1, false));
}

TEST_P(MetaStoreConformance, ObjectLockIsStoredWithTheVersionAndSurvivesARestart) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(locked_object("k", "v1", "COMPLIANCE", kNow + kDay, true)));
  ASSERT_TRUE(store().put_object(make_object("b", "plain")));
  reopen();
  EXPECT_EQ(lock_of(store(), "k", "v1"), (ObjectLock{"COMPLIANCE", kNow + kDay, true}));
  EXPECT_EQ(lock_of(store(), "plain", ""), ObjectLock{});
  auto versions = store().key_versions("b", "k");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->front().lock, (ObjectLock{"COMPLIANCE", kNow + kDay, true}));
}

TEST_P(MetaStoreConformance, AnUploadKeepsTheLockItsRequestAskedFor) {
  create_bucket("b");
  MultipartUpload upload = make_upload("b", "big", "up-lock");
  upload.object.lock = ObjectLock{"GOVERNANCE", kNow + 3 * kDay, true};
  ASSERT_TRUE(store().create_upload(upload));
  auto read = store().get_upload("b", "up-lock");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->object.lock, upload.object.lock);
  auto listed = store().list_uploads(ListUploadsQuery{.bucket = "b"});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->uploads.size(), 1u);
  EXPECT_EQ(listed->uploads[0].object.lock, upload.object.lock);
}

TEST_P(MetaStoreConformance, ALockedVersionIsNotRemovedAndNothingChanges) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(locked_object("k", "v1", "GOVERNANCE", kNow + kDay)));
  ASSERT_TRUE(store().put_object(locked_object("k", "v2", "COMPLIANCE", kNow + kDay)));
  ASSERT_TRUE(store().put_object(locked_object("k", "v3", "", 0, true)));
  const std::optional<Event> event =
      Event{.name = "s3:ObjectRemoved:Delete", .bucket = "b", .key = "k"};
  const LockGuard now{.now_ns = kNow};
  EXPECT_EQ(error_of(store().delete_object("b", "k", "v1", event, now)), ErrorCode::kAccessDenied);
  EXPECT_EQ(error_of(store().delete_object("b", "k", "v2", event, now)), ErrorCode::kAccessDenied);
  EXPECT_EQ(error_of(store().delete_object("b", "k", "v2", event,
                                           LockGuard{.now_ns = kNow, .bypass_governance = true})),
            ErrorCode::kAccessDenied);  // COMPLIANCE: no bypass
  EXPECT_EQ(error_of(store().delete_object("b", "k", "v3", event,
                                           LockGuard{.now_ns = kNow, .bypass_governance = true})),
            ErrorCode::kAccessDenied);  // a legal hold: no bypass
  // Without a guard every retention counts as running.
  EXPECT_EQ(error_of(store().delete_object("b", "k", "v1", event)), ErrorCode::kAccessDenied);
  EXPECT_EQ(store().key_versions("b", "k")->size(), 3u);
  EXPECT_TRUE(store().list_events(0, 10)->empty());

  auto bypassed = store().delete_object("b", "k", "v1", event,
                                        LockGuard{.now_ns = kNow, .bypass_governance = true});
  ASSERT_TRUE(bypassed) << bypassed.error().message;
  EXPECT_TRUE(bypassed->existed);
  auto expired = store().delete_object("b", "k", "v2", event, LockGuard{.now_ns = kNow + kDay});
  ASSERT_TRUE(expired) << expired.error().message;
  EXPECT_TRUE(expired->existed);
  EXPECT_EQ(store().list_events(0, 10)->size(), 2u);
}

TEST_P(MetaStoreConformance, ALockedVersionIsNotReplacedInPlace) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(locked_object("k", "null", "", 0, true)));
  ObjectVersion replacement = make_object("b", "k", "new body");
  EXPECT_EQ(error_of(store().put_object(replacement)), ErrorCode::kAccessDenied);
  EXPECT_EQ((*store().get_object("b", "k", ""))->inline_data, "body");
  ASSERT_TRUE(store().put_object_legal_hold("b", "k", "null", false));
  EXPECT_TRUE(store().put_object(replacement));
}

TEST_P(MetaStoreConformance, LifecycleDeleteChangesSkipALockedVersion) {
  create_bucket("b");
  ObjectVersion object = locked_object("k", "v1", "GOVERNANCE", kNow + kDay);
  ASSERT_TRUE(store().put_object(object));
  VersionChange change;
  change.kind = VersionChange::Kind::kDelete;
  change.bucket = "b";
  change.key = "k";
  change.version_id = "v1";
  change.expected_mtime_ns = object.mtime_ns;
  change.now_ns = kNow;
  EXPECT_EQ(error_of(store().apply_change(change)), ErrorCode::kAccessDenied);
  EXPECT_EQ(store().key_versions("b", "k")->size(), 1u);
  change.now_ns = kNow + kDay;
  ASSERT_TRUE(store().apply_change(change));
  EXPECT_TRUE(store().key_versions("b", "k")->empty());
}

TEST_P(MetaStoreConformance, ComplianceRetentionCanOnlyBeKeptOrExtended) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(locked_object("k", "v1", "COMPLIANCE", kNow + kDay)));
  for (const RetentionChange& refused :
       {retention("COMPLIANCE", kNow + kDay - 1), retention("COMPLIANCE", kNow + kDay - 1, true),
        retention("GOVERNANCE", kNow + 5 * kDay, true), retention("", 0, true)}) {
    EXPECT_EQ(error_of(store().put_object_retention("b", "k", "v1", refused)),
              ErrorCode::kAccessDenied)
        << refused.mode << " " << refused.retain_until_ns;
  }
  EXPECT_EQ(lock_of(store(), "k", "v1"), (ObjectLock{"COMPLIANCE", kNow + kDay, false}));
  ASSERT_TRUE(
      store().put_object_retention("b", "k", "v1", retention("COMPLIANCE", kNow + 2 * kDay)));
  EXPECT_EQ(lock_of(store(), "k", "v1"), (ObjectLock{"COMPLIANCE", kNow + 2 * kDay, false}));
  // Once its date has passed, a retention can be replaced.
  RetentionChange later = retention("GOVERNANCE", kNow + 9 * kDay);
  later.now_ns = kNow + 2 * kDay;
  ASSERT_TRUE(store().put_object_retention("b", "k", "v1", later));
  EXPECT_EQ(lock_of(store(), "k", "v1").mode, "GOVERNANCE");
}

TEST_P(MetaStoreConformance, GovernanceRetentionChangesOtherThanExtendingNeedTheBypass) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(locked_object("k", "v1", "GOVERNANCE", kNow + kDay)));
  for (const RetentionChange& refused : {retention("GOVERNANCE", kNow + 1), retention("", 0),
                                         retention("COMPLIANCE", kNow + 2 * kDay)}) {
    EXPECT_EQ(error_of(store().put_object_retention("b", "k", "v1", refused)),
              ErrorCode::kAccessDenied)
        << refused.mode;
  }
  ASSERT_TRUE(
      store().put_object_retention("b", "k", "v1", retention("GOVERNANCE", kNow + 2 * kDay)));
  ASSERT_TRUE(
      store().put_object_retention("b", "k", "v1", retention("GOVERNANCE", kNow + 1, true)));
  EXPECT_EQ(lock_of(store(), "k", "v1"), (ObjectLock{"GOVERNANCE", kNow + 1, false}));
  ASSERT_TRUE(store().put_object_retention("b", "k", "v1", retention("", 0, true)));
  EXPECT_EQ(lock_of(store(), "k", "v1"), ObjectLock{});
}

TEST_P(MetaStoreConformance, LegalHoldIsPlacedAndRemovedIndependentlyOfRetention) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(locked_object("k", "v1", "GOVERNANCE", kNow + kDay)));
  ASSERT_TRUE(store().put_object_legal_hold("b", "k", "", true));  // the current version
  EXPECT_EQ(lock_of(store(), "k", "v1"), (ObjectLock{"GOVERNANCE", kNow + kDay, true}));
  ASSERT_TRUE(store().put_object_legal_hold("b", "k", "v1", false));
  EXPECT_EQ(lock_of(store(), "k", "v1"), (ObjectLock{"GOVERNANCE", kNow + kDay, false}));
}

TEST_P(MetaStoreConformance, LockChangesNameWhatIsMissing) {
  create_bucket("b");
  ObjectVersion marker = make_object("b", "gone", "");
  marker.version_id = "m1";
  marker.is_delete_marker = true;
  ASSERT_TRUE(store().put_object(marker));
  EXPECT_EQ(error_of(store().put_object_legal_hold("nope", "k", "", true)),
            ErrorCode::kNoSuchBucket);
  EXPECT_EQ(error_of(store().put_object_legal_hold("b", "k", "", true)), ErrorCode::kNoSuchKey);
  EXPECT_EQ(error_of(store().put_object_retention("b", "k", "v9", retention("GOVERNANCE", kNow))),
            ErrorCode::kNoSuchVersion);
  EXPECT_EQ(error_of(store().put_object_legal_hold("b", "gone", "m1", true)),
            ErrorCode::kMethodNotAllowed);
}

}  // namespace
}  // namespace cv::meta::conformance
