// Incremental digests and MACs over OpenSSL 3 EVP (MD5, SHA-1, SHA-256, HMAC-SHA256, HMAC-SHA1) and
// Boost.CRC / zlib (CRC32C, CRC32). Each hasher is single-threaded; move it between threads
// only when no call is in progress.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace cv {

// A streaming message digest. update() any number of times, then finish() once.
class Digest {
 public:
  enum class Algorithm { kMd5, kSha1, kSha256 };
  explicit Digest(Algorithm algorithm);
  ~Digest();
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;

  void update(std::string_view bytes);
  void update(std::span<const char> bytes) { update(std::string_view(bytes.data(), bytes.size())); }
  void update(const std::string& bytes) { update(std::string_view(bytes)); }
  void update(const char* bytes) { update(std::string_view(bytes)); }
  // Returns the raw digest bytes (16, 20 or 32). The hasher is reset and may be reused.
  std::string finish();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// One-shot helpers returning raw digest bytes.
std::string md5(std::string_view bytes);
std::string sha1(std::string_view bytes);
std::string sha256(std::string_view bytes);
std::string hmac_sha256(std::string_view key, std::string_view message);
std::string hmac_sha1(std::string_view key, std::string_view message);  // SigV2 only

// CRC32 (IEEE, as zlib) and CRC32C (Castagnoli), as S3's x-amz-checksum-* use them.
class Crc32 {
 public:
  void update(std::string_view bytes);
  uint32_t value() const { return value_; }

 private:
  uint32_t value_ = 0;
};
class Crc32c {
 public:
  Crc32c();
  ~Crc32c();
  void update(std::string_view bytes);
  uint32_t value() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Big-endian bytes of a CRC, as S3 base64-encodes them.
std::string crc_bytes(uint32_t crc);

// Constant-time comparison for signatures and MACs.
bool constant_time_equal(std::string_view a, std::string_view b);

// Fills `out` with cryptographically secure random bytes.
void random_bytes(std::span<unsigned char> out);

}  // namespace cv
