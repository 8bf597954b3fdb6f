// Attestations: made, verified offline, tampering and other keys refused, inclusion proofs.
#include "activity/attestation.h"

#include <gtest/gtest.h>

#include "core/hash.h"

namespace cv::activity {
namespace {

meta::ActivityEvent event(std::string id, int64_t seconds, int64_t points) {
  meta::ActivityEvent e;
  e.event_id = std::move(id);
  e.time_ns = seconds * 1'000'000'000;
  e.record_hash = sha256(e.event_id);
  e.scoring.points_milli = points;
  return e;
}

class AttestationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = SigningKey::generate();
    ASSERT_TRUE(key);
    key_.emplace(std::move(*key));
    AttestationInput input{
        .profile = "alice",
        .principals = {"AKIAALICE", "alice"},
        .from_day = 20000,
        .to_day = 20001,
        .days = daily_scores({{20000, "ec2", 5000, 2}}, 20000, 20001, 100000, 40000)};
    for (int i = 0; i < 5; ++i)
      input.events.push_back(event("e" + std::to_string(i), 1728043200 + i, 1000));
    input.events.push_back(event("unscored", 1728043300, 0));
    document_ = boost::json::serialize(
        make_attestation(input, *key_, *parse_iso8601("2024-10-06T00:00:00Z")));
  }
  std::string altered(std::string_view from, std::string_view to) {
    std::string copy = document_;
    size_t at = copy.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    copy.replace(at, from.size(), to);
    return copy;
  }

  std::optional<SigningKey> key_;
  std::string document_;
};

TEST_F(AttestationTest, VerifiesWithTheEmbeddedOrAGivenKey) {
  auto verified = verify_attestation(document_, std::nullopt);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->profile, "alice");
  EXPECT_EQ(verified->from, "2024-10-04");
  EXPECT_EQ(verified->to, "2024-10-05");
  EXPECT_EQ(verified->leaves, 5u);  // the unscored event is no leaf
  EXPECT_EQ(verified->key_fingerprint, key_->fingerprint());
  EXPECT_TRUE(verify_attestation(document_, key_->public_pem()));
  EXPECT_TRUE(verify_attestation(document_, key_->public_key_hex()));
}

TEST_F(AttestationTest, RefusesAlteredDocumentsAndOtherKeys) {
  auto score = verify_attestation(altered("\"score\":5", "\"score\":50"), std::nullopt);
  ASSERT_FALSE(score);
  EXPECT_NE(score.error().message.find("does not verify"), std::string::npos);
  EXPECT_FALSE(
      verify_attestation(altered("\"event_id\":\"e1\"", "\"event_id\":\"e9\""), std::nullopt));
  auto other = SigningKey::generate();
  ASSERT_TRUE(other);
  EXPECT_FALSE(verify_attestation(document_, other->public_key_hex()));
  // A forger who re-signs with their own key passes only when that key is trusted.
  EXPECT_FALSE(verify_attestation("{\"format\":\"x\"}", std::nullopt));
  EXPECT_FALSE(verify_attestation("not json", std::nullopt));
}

TEST_F(AttestationTest, ProvesInclusionOfEachLeaf) {
  auto verified = verify_attestation(document_, std::nullopt);
  ASSERT_TRUE(verified);
  for (int i = 0; i < 5; ++i) {
    auto proof = prove_inclusion(document_, "e" + std::to_string(i));
    ASSERT_TRUE(proof) << proof.error().message;
    EXPECT_EQ(proof->index, static_cast<uint64_t>(i));
    EXPECT_EQ(proof->size, 5u);
    EXPECT_EQ(proof->merkle_root, verified->merkle_root);
    EXPECT_FALSE(proof->path.empty());
  }
  auto missing = prove_inclusion(document_, "unscored");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("is not a leaf"), std::string::npos);
}

}  // namespace
}  // namespace cv::activity
