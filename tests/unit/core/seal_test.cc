#include "core/seal.h"

#include <gtest/gtest.h>

namespace cv {
namespace {

const std::string kKey(32, 'k');

TEST(Seal, RoundTripAndTamperDetection) {
  const std::string sealed = seal(kKey, "secret value", "AKID");
  EXPECT_EQ(sealed.find("secret value"), std::string::npos);
  EXPECT_EQ(unseal(kKey, sealed, "AKID").value(), "secret value");
  EXPECT_FALSE(unseal(kKey, sealed, "OTHER").has_value());
  EXPECT_FALSE(unseal(std::string(32, 'x'), sealed, "AKID").has_value());
  std::string flipped = sealed;
  flipped[15] ^= 1;
  EXPECT_FALSE(unseal(kKey, flipped, "AKID").has_value());
  EXPECT_FALSE(unseal(kKey, "short", "AKID").has_value());
}

TEST(Seal, NoncesDiffer) { EXPECT_NE(seal(kKey, "same", "c"), seal(kKey, "same", "c")); }

}  // namespace
}  // namespace cv
