#include "blob/segment_cipher.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace cv::blob {
namespace {

constexpr uint64_t kMaxSegments = uint64_t{1} << 32;  // the nonce carries 32 bits of index

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

void put_be(uint64_t value, int width, unsigned char* out) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(value & 0xff);
    value >>= 8;
  }
}

// The algorithm is fetched once: OpenSSL 3 otherwise looks it up on every init.
const EVP_CIPHER* aes_256_gcm() {
  static const EVP_CIPHER* const kCipher = [] {
    const EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (cipher == nullptr) throw std::runtime_error("EVP_CIPHER_fetch(AES-256-GCM) failed");
    return cipher;
  }();
  return kCipher;
}

}  // namespace

struct SegmentCipher::Ctx {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  enum class Keyed { kNo, kForSealing, kForOpening };
  Keyed keyed = Keyed::kNo;
  Ctx() = default;
  Ctx(const Ctx&) = delete;
  Ctx& operator=(const Ctx&) = delete;
  ~Ctx() { EVP_CIPHER_CTX_free(ctx); }
};

uint64_t segment_count(uint64_t plain_size) {
  return plain_size == 0 ? 1 : (plain_size + kPlainSegmentBytes - 1) / kPlainSegmentBytes;
}

uint64_t sealed_size(uint64_t plain_size) {
  return plain_size + segment_count(plain_size) * kSegmentTagBytes;
}

SegmentRange segments_for_range(uint64_t offset, uint64_t length) {
  return SegmentRange{offset / kPlainSegmentBytes, (offset + length - 1) / kPlainSegmentBytes,
                      offset % kPlainSegmentBytes};
}

SegmentCipher::SegmentCipher(std::string_view data_key, std::string_view nonce_prefix)
    : key_(data_key), nonce_prefix_(nonce_prefix), ctx_(std::make_unique<Ctx>()) {
  if (key_.size() != kDataKeyBytes || nonce_prefix_.size() != kNoncePrefixBytes) {
    throw std::invalid_argument("SegmentCipher: bad key or nonce prefix length");
  }
  if (ctx_->ctx == nullptr) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
}

SegmentCipher::~SegmentCipher() = default;

void SegmentCipher::seal(uint64_t index, std::string_view plain, bool last, std::string& out) {
  if (index >= kMaxSegments || plain.size() > kPlainSegmentBytes ||
      (!last && plain.size() != kPlainSegmentBytes)) {
    throw std::invalid_argument("SegmentCipher::seal: bad segment");
  }
  unsigned char nonce[12];
  std::copy(nonce_prefix_.begin(), nonce_prefix_.end(), nonce);
  put_be(index, 4, nonce + 8);
  unsigned char aad[9];
  put_be(index, 8, aad);
  aad[8] = last ? 1 : 0;
  const size_t start = out.size();
  out.resize(start + plain.size() + kSegmentTagBytes);
  auto* cipher = reinterpret_cast<unsigned char*>(out.data() + start);
  int len = 0;
  EVP_CIPHER_CTX* ctx = ctx_->ctx;
  if (ctx_->keyed != Ctx::Keyed::kForSealing) {
    if (EVP_EncryptInit_ex(ctx, aes_256_gcm(), nullptr, bytes(key_), nullptr) != 1) {
      throw std::runtime_error("AES-256-GCM key setup failed");
    }
    ctx_->keyed = Ctx::Keyed::kForSealing;
  }
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1 ||
      EVP_EncryptUpdate(ctx, nullptr, &len, aad, sizeof aad) != 1 ||
      EVP_EncryptUpdate(ctx, cipher, &len, bytes(plain), static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx, cipher + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kSegmentTagBytes, cipher + plain.size()) !=
          1) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
}

Result<std::string> SegmentCipher::open(uint64_t index, std::string_view sealed, bool last) {
  if (sealed.size() < kSegmentTagBytes) {
    return fail(ErrorCode::kInternalError, "stored data failed authentication (segment size)");
  }
  std::string plain(sealed.size() - kSegmentTagBytes, '\0');
  CV_TRY(open_into(index, sealed, last, plain.data()));
  return plain;
}

Status SegmentCipher::open_into(uint64_t index, std::string_view sealed, bool last, char* out) {
  if (index >= kMaxSegments || sealed.size() < kSegmentTagBytes ||
      sealed.size() > kSealedSegmentBytes || (!last && sealed.size() != kSealedSegmentBytes)) {
    return fail(ErrorCode::kInternalError, "stored data failed authentication (segment size)");
  }
  const size_t text_size = sealed.size() - kSegmentTagBytes;
  unsigned char nonce[12];
  std::copy(nonce_prefix_.begin(), nonce_prefix_.end(), nonce);
  put_be(index, 4, nonce + 8);
  unsigned char aad[9];
  put_be(index, 8, aad);
  aad[8] = last ? 1 : 0;
  unsigned char tag[kSegmentTagBytes];
  std::copy(sealed.begin() + static_cast<std::ptrdiff_t>(text_size), sealed.end(), tag);
  auto* plain = reinterpret_cast<unsigned char*>(out);
  int len = 0;
  EVP_CIPHER_CTX* ctx = ctx_->ctx;
  if (ctx_->keyed != Ctx::Keyed::kForOpening) {
    if (EVP_DecryptInit_ex(ctx, aes_256_gcm(), nullptr, bytes(key_), nullptr) != 1) {
      return fail(ErrorCode::kInternalError, "AES-256-GCM key setup failed");
    }
    ctx_->keyed = Ctx::Keyed::kForOpening;
  }
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1 ||
      EVP_DecryptUpdate(ctx, nullptr, &len, aad, sizeof aad) != 1 ||
      EVP_DecryptUpdate(ctx, plain, &len, bytes(sealed), static_cast<int>(text_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kSegmentTagBytes, tag) != 1 ||
      EVP_DecryptFinal_ex(ctx, plain + len, &len) != 1) {
    return fail(ErrorCode::kInternalError, "stored data failed authentication");
  }
  return {};
}

}  // namespace cv::blob
