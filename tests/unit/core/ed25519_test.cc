#include "core/ed25519.h"

#include <gtest/gtest.h>

#include "core/encoding.h"

namespace cv {
namespace {

// RFC 8032 section 7.1, TEST 2 (a one-byte message).
constexpr std::string_view kSeed =
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
constexpr std::string_view kPublic =
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
constexpr std::string_view kSignature =
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

std::string rfc_private_pem() {
  // PKCS#8 for Ed25519: a fixed 16-byte prefix, then the 32-byte seed (RFC 8410).
  const std::string der =
      *hex_decode(std::string("302e020100300506032b657004220420") + std::string(kSeed));
  return "-----BEGIN PRIVATE KEY-----\n" + base64_encode(der) + "\n-----END PRIVATE KEY-----\n";
}

TEST(Ed25519, SignsAsRfc8032) {
  auto key = SigningKey::from_private_pem(rfc_private_pem());
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(key->public_key_hex(), kPublic);
  const std::string message = *hex_decode("72");
  EXPECT_EQ(hex_encode(key->sign(message)), kSignature);
  EXPECT_TRUE(verify_ed25519(kPublic, message, *hex_decode(kSignature)));
  EXPECT_TRUE(verify_ed25519(key->public_pem(), message, *hex_decode(kSignature)));
}

TEST(Ed25519, RefusesAlteredMessagesSignaturesAndKeys) {
  auto key = SigningKey::generate();
  ASSERT_TRUE(key.has_value());
  const std::string signature = key->sign("digest");
  EXPECT_TRUE(verify_ed25519(key->public_key_hex(), "digest", signature));
  EXPECT_FALSE(verify_ed25519(key->public_key_hex(), "digesT", signature));
  std::string flipped = signature;
  flipped[3] ^= 1;
  EXPECT_FALSE(verify_ed25519(key->public_key_hex(), "digest", flipped));
  EXPECT_FALSE(verify_ed25519(kPublic, "digest", signature));
  EXPECT_FALSE(verify_ed25519("not a key", "digest", signature));
  EXPECT_FALSE(verify_ed25519(key->public_key_hex(), "digest", signature.substr(1)));
}

TEST(Ed25519, PrivatePemRoundTripsAndOtherKeysAreRefused) {
  auto key = SigningKey::generate();
  ASSERT_TRUE(key.has_value());
  auto again = SigningKey::from_private_pem(key->private_pem());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->public_key_hex(), key->public_key_hex());
  EXPECT_EQ(again->fingerprint(), key->fingerprint());
  EXPECT_EQ(key->fingerprint().size(), 64u);
  EXPECT_FALSE(SigningKey::from_private_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END "
                                            "PRIVATE KEY-----\n")
                   .has_value());
}

}  // namespace
}  // namespace cv
