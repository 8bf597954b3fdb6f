// Authenticated encryption of small secrets (AES-256-GCM, OpenSSL EVP): how access-key
// secrets are kept under the master key.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cv {

// Returns version(1) | nonce(12) | ciphertext | tag(16). `key` must be 32 bytes; `context`
// is bound as associated data and must be given again to open it.
std::string seal(std::string_view key, std::string_view plaintext, std::string_view context);
// kInternalError when the key, context or bytes do not match.
Result<std::string> unseal(std::string_view key, std::string_view sealed, std::string_view context);

}  // namespace cv
