// Backups in one step (Vault::set_up_backup) and their receipts document (backup_receipts.h),
// with the digest interval.
#include <gtest/gtest.h>

#include "vault/backup_receipts.h"
#include "vault/temp_vault.h"

namespace cv::vault {
namespace {

class MailOnly final : public NotificationTargetCatalog {
 public:
  bool has_target(std::string_view name) const override { return name == "mail"; }
};

TEST(BackupReceipts, JsonKeepsTargetsAndTheDigestInterval) {
  BackupReceipts receipts;
  receipts["per-object"] = BackupReceipt{{"mail"}, {"ops"}, 0};
  receipts["digest"] = BackupReceipt{{"mail", "hook"}, {}, 3600};
  const std::string json = to_json(receipts);
  EXPECT_EQ(json.find("\"digest_seconds\":0"), std::string::npos);  // only when asked
  const BackupReceipts back = backup_receipts_from_json(json).value();
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back.at("digest").digest_seconds, 3600);
  EXPECT_EQ(back.at("digest").receipt_targets, (std::vector<std::string>{"mail", "hook"}));
  EXPECT_EQ(back.at("per-object").digest_seconds, 0);
  EXPECT_EQ(back.at("per-object").failure_targets, std::vector<std::string>{"ops"});
  // Documents written before digests existed read as "one receipt per object".
  EXPECT_EQ(backup_receipts_from_json(R"({"rules":{"r":{"receipt":["mail"],"failure":[]}}})")
                ->at("r")
                .digest_seconds,
            0);
  EXPECT_FALSE(backup_receipts_from_json(R"({"rules":{"r":{"digest_seconds":"soon"}}})"));
}

TEST(VaultBackup, RecordsTheDigestIntervalAndRefusesOnesOutOfRange) {
  ManualClock clock{from_unix_nanos(1'700'000'000'000'000'000)};
  testing::TempVault temp{clock};
  Vault& vault = temp.vault();
  ASSERT_TRUE(vault.create_bucket("photos", "owner"));
  const NoReplicationRemotes remotes;
  const MailOnly targets;
  BackupRequest request{.source = "photos", .destination = "backup", .receipt_targets = {"mail"}};

  for (const int64_t bad : {int64_t{-1}, kMaxDigestSeconds + 1}) {
    request.digest_seconds = bad;
    const auto refused = vault.set_up_backup(request, remotes, targets);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  }
  BackupRequest without_receipts = request;
  without_receipts.digest_seconds = 60;
  without_receipts.receipt_targets.clear();
  without_receipts.failure_targets = {"mail"};
  EXPECT_EQ(vault.set_up_backup(without_receipts, remotes, targets).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(*vault.replication("photos"));  // nothing changed

  request.digest_seconds = kMaxDigestSeconds;
  const ReplicationRule rule = vault.set_up_backup(request, remotes, targets).value();
  EXPECT_EQ(vault.backup_receipts("photos")->at(rule.id).digest_seconds, kMaxDigestSeconds);
  request.digest_seconds = 0;  // set up again: back to one receipt per object
  ASSERT_TRUE(vault.set_up_backup(request, remotes, targets));
  EXPECT_EQ(vault.backup_receipts("photos")->at(rule.id).digest_seconds, 0);
}

}  // namespace
}  // namespace cv::vault
