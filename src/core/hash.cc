#include "core/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <zlib.h>

#include <boost/crc.hpp>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>

namespace cv {

struct Digest::Ctx {
  EVP_MD_CTX* ctx = nullptr;
  const EVP_MD* md = nullptr;
  ~Ctx() { EVP_MD_CTX_free(ctx); }
};

namespace {
// OpenSSL 3 looks an algorithm up on every init when given EVP_sha256() and friends; an
// explicitly fetched EVP_MD skips that. The fetched descriptors are immutable and live for
// the whole process.
const EVP_MD* fetched(const char* name) {
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) throw std::runtime_error(std::string("EVP_MD_fetch failed: ") + name);
  return md;
}

const EVP_MD* md_for(Digest::Algorithm algorithm) {
  static const EVP_MD* const kMd5 = fetched("MD5");
  static const EVP_MD* const kSha1 = fetched("SHA1");
  static const EVP_MD* const kSha256 = fetched("SHA256");
  switch (algorithm) {
    case Digest::Algorithm::kMd5:
      return kMd5;
    case Digest::Algorithm::kSha1:
      return kSha1;
    case Digest::Algorithm::kSha256:
      return kSha256;
  }
  return kSha256;
}
}  // namespace

Digest::Digest(Algorithm algorithm) : ctx_(std::make_unique<Ctx>()) {
  ctx_->ctx = EVP_MD_CTX_new();
  ctx_->md = md_for(algorithm);
  if (!ctx_->ctx || EVP_DigestInit_ex(ctx_->ctx, ctx_->md, nullptr) != 1) {
    throw std::runtime_error("EVP_DigestInit_ex failed");
  }
}
Digest::~Digest() = default;
Digest::Digest(Digest&&) noexcept = default;
Digest& Digest::operator=(Digest&&) noexcept = default;

void Digest::update(std::string_view bytes) {
  EVP_DigestUpdate(ctx_->ctx, bytes.data(), bytes.size());
}

std::string Digest::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->ctx, out, &len);
  EVP_DigestInit_ex(ctx_->ctx, ctx_->md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

namespace {
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// This thread's digest context for the one-shot helpers (one EVP_MD_CTX per thread, not
// one per call).
EVP_MD_CTX* thread_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::runtime_error("EVP_MD_CTX_new failed");
  return ctx.get();
}

// Digests the concatenation of `parts` into `out` (at least EVP_MAX_MD_SIZE bytes); returns
// the digest's length.
unsigned int digest_into(const EVP_MD* md, std::initializer_list<std::string_view> parts,
                         unsigned char* out) {
  EVP_MD_CTX* ctx = thread_context();
  if (EVP_DigestInit_ex(ctx, md, nullptr) != 1) throw std::runtime_error("EVP_DigestInit_ex failed");
  for (std::string_view part : parts) EVP_DigestUpdate(ctx, part.data(), part.size());
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out, &len);
  return len;
}

std::string one_shot(Digest::Algorithm algorithm, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  const unsigned int len = digest_into(md_for(algorithm), {bytes}, out);
  return std::string(reinterpret_cast<char*>(out), len);
}

// HMAC (RFC 2104) over a hash with 64-byte blocks (SHA-1, SHA-256), from the fetched digest:
// OpenSSL 3's HMAC() looks the MAC and the digest up and allocates a context on every call.
std::string hmac(Digest::Algorithm algorithm, std::string_view key, std::string_view message) {
  constexpr size_t kBlock = 64;
  const EVP_MD* md = md_for(algorithm);
  std::array<unsigned char, kBlock> block{};
  if (key.size() > kBlock) {
    digest_into(md, {key}, block.data());  // the digest (20 or 32 bytes) fits the block
  } else {
    std::memcpy(block.data(), key.data(), key.size());
  }
  std::array<char, kBlock> pad{};
  for (size_t i = 0; i < kBlock; ++i) pad[i] = static_cast<char>(block[i] ^ 0x36);
  unsigned char inner[EVP_MAX_MD_SIZE];
  const unsigned int inner_len =
      digest_into(md, {std::string_view(pad.data(), kBlock), message}, inner);
  for (size_t i = 0; i < kBlock; ++i) pad[i] = static_cast<char>(block[i] ^ 0x5c);
  unsigned char out[EVP_MAX_MD_SIZE];
  const unsigned int len = digest_into(
      md,
      {std::string_view(pad.data(), kBlock),
       std::string_view(reinterpret_cast<const char*>(inner), inner_len)},
      out);
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(pad.data(), pad.size());
  return std::string(reinterpret_cast<char*>(out), len);
}
}  // namespace

std::string md5(std::string_view bytes) { return one_shot(Digest::Algorithm::kMd5, bytes); }
std::string sha1(std::string_view bytes) { return one_shot(Digest::Algorithm::kSha1, bytes); }
std::string sha256(std::string_view bytes) { return one_shot(Digest::Algorithm::kSha256, bytes); }

std::string hmac_sha256(std::string_view key, std::string_view message) {
  return hmac(Digest::Algorithm::kSha256, key, message);
}

std::string hmac_sha1(std::string_view key, std::string_view message) {
  return hmac(Digest::Algorithm::kSha1, key, message);
}

void Crc32::update(std::string_view bytes) {
  // zlib's crc32 takes a uInt length; feed large inputs in slices.
  while (!bytes.empty()) {
    const size_t n = std::min<size_t>(bytes.size(), 1u << 30);
    value_ = static_cast<uint32_t>(
        ::crc32(value_, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n)));
    bytes.remove_prefix(n);
  }
}

struct Crc32c::State {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
};
Crc32c::Crc32c() : state_(std::make_unique<State>()) {}
Crc32c::~Crc32c() = default;
void Crc32c::update(std::string_view bytes) {
  state_->crc.process_bytes(bytes.data(), bytes.size());
}
uint32_t Crc32c::value() const { return state_->crc.checksum(); }

std::string crc_bytes(uint32_t crc) {
  std::string out(4, '\0');
  out[0] = static_cast<char>((crc >> 24) & 0xff);
  out[1] = static_cast<char>((crc >> 16) & 0xff);
  out[2] = static_cast<char>((crc >> 8) & 0xff);
  out[3] = static_cast<char>(crc & 0xff);
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void random_bytes(std::span<unsigned char> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
}

}  // namespace cv
