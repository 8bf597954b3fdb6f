#include "core/ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/encoding.h"
#include "core/hash.h"

namespace cv {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using Bio = std::unique_ptr<BIO, BioDeleter>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

Pkey read_public_key(std::string_view text) {
  if (text.size() == 64) {
    auto raw = hex_decode(text);
    if (!raw || raw->size() != 32) return nullptr;
    return Pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                            reinterpret_cast<const unsigned char*>(raw->data()),
                                            raw->size()));
  }
  Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) return nullptr;
  Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) return nullptr;
  return key;
}

}  // namespace

struct SigningKey::Key {
  Pkey pkey;
};

SigningKey::SigningKey(std::shared_ptr<const Key> key) : key_(std::move(key)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

Result<SigningKey> SigningKey::generate() {
  Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!pkey) return fail(ErrorCode::kInternalError, "cannot generate an Ed25519 key");
  auto key = std::make_shared<Key>();
  key->pkey = std::move(pkey);
  return SigningKey(std::move(key));
}

Result<SigningKey> SigningKey::from_private_pem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return fail(ErrorCode::kInternalError, "out of memory");
  Pkey pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey || EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
    return fail(ErrorCode::kInvalidArgument, "not a PEM Ed25519 private key");
  }
  auto key = std::make_shared<Key>();
  key->pkey = std::move(pkey);
  return SigningKey(std::move(key));
}

std::string SigningKey::private_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

std::string SigningKey::public_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_->pkey.get());
  return bio_text(bio.get());
}

std::string SigningKey::public_key_hex() const {
  std::string raw(32, '\0');
  size_t size = raw.size();
  EVP_PKEY_get_raw_public_key(key_->pkey.get(), reinterpret_cast<unsigned char*>(raw.data()),
                              &size);
  raw.resize(size);
  return hex_encode(raw);
}

std::string SigningKey::fingerprint() const {
  return hex_encode(sha256(*hex_decode(public_key_hex())));
}

std::string SigningKey::sign(std::string_view message) const {
  MdCtx ctx(EVP_MD_CTX_new());
  std::string signature(64, '\0');
  size_t size = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return {};
  }
  signature.resize(size);
  return signature;
}

bool verify_ed25519(std::string_view public_key, std::string_view message,
                    std::string_view signature) {
  if (signature.size() != 64) return false;
  Pkey key = read_public_key(public_key);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace cv
