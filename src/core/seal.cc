#include "core/seal.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "core/hash.h"

namespace cv {
namespace {

constexpr char kVersion = 1;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string seal(std::string_view key, std::string_view plaintext, std::string_view context) {
  if (key.size() != 32) throw std::invalid_argument("seal: key must be 32 bytes");
  std::string out(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  out[0] = kVersion;
  auto* nonce = reinterpret_cast<unsigned char*>(out.data() + 1);
  random_bytes(std::span<unsigned char>(nonce, kNonceBytes));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  auto* cipher = reinterpret_cast<unsigned char*>(out.data() + 1 + kNonceBytes);
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(context),
                        static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          out.data() + 1 + kNonceBytes + plaintext.size()) != 1) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  return out;
}

Result<std::string> unseal(std::string_view key, std::string_view sealed,
                           std::string_view context) {
  if (key.size() != 32 || sealed.size() < 1 + kNonceBytes + kTagBytes || sealed[0] != kVersion) {
    return fail(ErrorCode::kInternalError, "sealed secret has an unknown format");
  }
  const size_t text_size = sealed.size() - 1 - kNonceBytes - kTagBytes;
  std::string plaintext(text_size, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::string tag(sealed.substr(1 + kNonceBytes + text_size));
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key),
                         bytes(sealed.substr(1))) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(context),
                        static_cast<int>(context.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out, &len, bytes(sealed.substr(1 + kNonceBytes)),
                        static_cast<int>(text_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out + len, &len) != 1) {
    return fail(ErrorCode::kInternalError, "sealed secret failed authentication");
  }
  return plaintext;
}

}  // namespace cv
