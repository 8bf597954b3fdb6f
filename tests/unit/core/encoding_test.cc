#include "core/encoding.h"

#include <gtest/gtest.h>

#include "core/hash.h"

namespace cv {
namespace {

TEST(Encoding, HexRoundTrip) {
  EXPECT_EQ(hex_encode("\x01\xab"), "01ab");
  EXPECT_EQ(hex_decode("01AB").value(), "\x01\xab");
  EXPECT_FALSE(hex_decode("0g").has_value());
  EXPECT_FALSE(hex_decode("abc").has_value());
}

TEST(Encoding, Base64StrictDecoding) {
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(base64_decode("aGVsbG8=").value(), "hello");
  EXPECT_EQ(base64_decode("aGk=").value(), "hi");
  EXPECT_EQ(base64_decode("").value(), "");
  EXPECT_FALSE(base64_decode("aGVsbG8").has_value());
  EXPECT_FALSE(base64_decode("aG=sbG8=").has_value());
  EXPECT_FALSE(base64_decode("a*VsbG8=").has_value());
  EXPECT_FALSE(base64_decode("AB==").has_value());  // non-zero unused bits
  EXPECT_EQ(base64_decode("AA==").value(), std::string(1, '\0'));
}

TEST(Encoding, UriEncodeFollowsSigV4Rules) {
  EXPECT_EQ(uri_encode("a b/c~d*"), "a%20b%2Fc~d%2A");
  EXPECT_EQ(uri_encode("a b/c", false), "a%20b/c");
  EXPECT_EQ(uri_encode("\xc3\xa9"), "%C3%A9");
}

TEST(Encoding, PercentDecode) {
  EXPECT_EQ(percent_decode("a%20b+c").value(), "a b+c");
  EXPECT_EQ(percent_decode("a%20b+c", true).value(), "a b c");
  EXPECT_FALSE(percent_decode("%2").has_value());
  EXPECT_FALSE(percent_decode("%zz").has_value());
}

TEST(Encoding, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("plain/ascii"));
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
}

TEST(Hash, KnownDigests) {
  EXPECT_EQ(hex_encode(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_encode(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Crc32 crc;
  crc.update("123456789");
  EXPECT_EQ(crc.value(), 0xCBF43926u);
  Crc32c crcc;
  crcc.update("123456789");
  EXPECT_EQ(crcc.value(), 0xE3069283u);
  EXPECT_EQ(hex_encode(hmac_sha256("key", "The quick brown fox jumps over the lazy dog")),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(Hash, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
}

}  // namespace
}  // namespace cv
