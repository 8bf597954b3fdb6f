// HMAC-SHA256 / HMAC-SHA1 and the one-shot digests against published vectors (RFC 4231,
// RFC 2202) and against OpenSSL's own HMAC() for random keys and messages of every size
// around the block length.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/encoding.h"
#include "core/hash.h"

namespace cv {
namespace {

std::string reference_hmac(const EVP_MD* md, std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string random_string(std::mt19937& random, size_t size) {
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(random() & 0xff);
  return out;
}

TEST(HmacTest, Rfc4231Sha256Vectors) {
  // Test case 1: a 20-byte key.
  EXPECT_EQ(hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the digest.
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a 131-byte key, longer than the block (hashed first).
  EXPECT_EQ(hex_encode(hmac_sha256(std::string(131, '\xaa'),
                                   "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacTest, Rfc2202Sha1Vectors) {
  EXPECT_EQ(hex_encode(hmac_sha1(std::string(20, '\x0b'), "Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(hex_encode(hmac_sha1(std::string(80, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(HmacTest, MatchesOpenSslForEveryKeySizeAroundTheBlock) {
  std::mt19937 random(16);
  for (size_t key_size = 0; key_size <= 130; ++key_size) {
    const std::string key = random_string(random, key_size);
    const std::string message = random_string(random, random() % 300);
    EXPECT_EQ(hmac_sha256(key, message), reference_hmac(EVP_sha256(), key, message)) << key_size;
    EXPECT_EQ(hmac_sha1(key, message), reference_hmac(EVP_sha1(), key, message)) << key_size;
  }
}

TEST(HmacTest, ThreadsDoNotShareState) {
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([t, &mismatches] {
      std::mt19937 random(static_cast<unsigned>(t));
      for (int i = 0; i < 2000; ++i) {
        const std::string key = random_string(random, random() % 100);
        const std::string message = random_string(random, random() % 200);
        if (hmac_sha256(key, message) != reference_hmac(EVP_sha256(), key, message)) {
          ++mismatches[t];
        }
        if (sha256(message) != [&] {
              Digest digest(Digest::Algorithm::kSha256);
              digest.update(message);
              return digest.finish();
            }()) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : mismatches) EXPECT_EQ(count, 0);
}

TEST(DigestTest, OneShotsMatchPublishedValues) {
  EXPECT_EQ(hex_encode(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex_encode(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex_encode(sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace cv
