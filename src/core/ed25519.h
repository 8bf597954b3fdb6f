// Ed25519 signatures (RFC 8032) over OpenSSL 3 EVP: the server's signing key for trail
// digests and activity attestations, and offline verification with only the public key.
//
// Keys travel as PEM (private: PKCS#8, public: SubjectPublicKeyInfo) or as the raw 32-byte
// public key in hex. A SigningKey is immutable once made and safe to use from many threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv {

class SigningKey {
 public:
  // A fresh key from the system's random source.
  static Result<SigningKey> generate();
  // A PKCS#8 PEM private Ed25519 key; InvalidArgument when it is not one.
  static Result<SigningKey> from_private_pem(std::string_view pem);

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  std::string private_pem() const;
  std::string public_pem() const;
  std::string public_key_hex() const;  // the raw 32-byte key, lowercase hex
  // Hex of SHA-256 over the raw public key: how a digest or a proof names its key.
  std::string fingerprint() const;
  // The 64-byte signature, raw.
  std::string sign(std::string_view message) const;

 private:
  struct Key;
  explicit SigningKey(std::shared_ptr<const Key> key);
  std::shared_ptr<const Key> key_;
};

// Whether `signature` (raw, 64 bytes) is `message` signed by the key. `public_key` is a PEM
// public key, or the raw key as 64 hex digits. False for any malformed input.
bool verify_ed25519(std::string_view public_key, std::string_view message,
                    std::string_view signature);

}  // namespace cv
