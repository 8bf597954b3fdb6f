// Encryption at rest, the vault's vocabulary: what a request asks for, how an object's data
// key is made and wrapped, and a bucket's default encryption.
//
// Every encrypted object (every encrypted multipart upload, whose parts share it) has its own
// random 32-byte data key. The key is never stored as it is: meta::Encryption keeps it sealed
// (core/seal.h) under the master key for SSE-S3, or under the customer's key for SSE-C. The
// customer's key is never stored either; a wrong one simply fails to open the seal. How the
// body itself is sealed is in body_encryption.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"

namespace cv::vault {

// A customer-provided key (SSE-C) as a request carried it, already checked against its MD5.
struct CustomerKey {
  std::string key;      // 32 raw bytes
  std::string key_md5;  // base64 MD5 of `key`, as S3 echoes it
};

// The encryption a request asks for a new object or upload (its SSE headers).
struct EncryptionRequest {
  // kNone: the request named no encryption, so the bucket's default applies.
  meta::EncryptionMode mode = meta::EncryptionMode::kNone;
  std::optional<CustomerKey> customer;  // set exactly when mode is kCustomer
};

// A bucket's default encryption (PutBucketEncryption). SSE-S3 ("AES256") is the only
// algorithm this server has.
struct DefaultEncryption {
  std::string algorithm = "AES256";
  bool bucket_key_enabled = false;  // kept and echoed; it changes nothing for SSE-S3
};

// The bucket configuration document (kind "encryption"):
// {"algorithm":"AES256","bucket_key_enabled":false}.
inline constexpr std::string_view kEncryptionConfigKind = "encryption";
std::string encode_default_encryption(const DefaultEncryption& config);
// kInternalError when the document is malformed (a damaged database).
Result<DefaultEncryption> decode_default_encryption(std::string_view document);

// Associated data bound into each data key's seal, so that a key sealed for one purpose never
// opens as another (access-key secrets are sealed with their access key id).
inline constexpr std::string_view kMasterWrappedKeyContext = "cloudvault sse-s3 data key";
inline constexpr std::string_view kCustomerWrappedKeyContext = "cloudvault sse-c data key";

// A fresh random data key (blob::kDataKeyBytes).
std::string new_data_key();
// Seals `data_key` under `wrapping_key` (32 bytes) for `mode` (kS3: the master key, kCustomer:
// the customer's key).
std::string wrap_data_key(meta::EncryptionMode mode, std::string_view wrapping_key,
                          std::string_view data_key);
// Opens a wrapped data key; kInternalError when the wrapping key (or the bytes) do not match.
Result<std::string> unwrap_data_key(meta::EncryptionMode mode, std::string_view wrapping_key,
                                    std::string_view wrapped_key);

// The ETag of an SSE-C object or part: S3's are not the MD5 of the plaintext (which would let
// anyone listing the bucket test guesses of the content), so this is the first 16 bytes of
// HMAC-SHA256(data key, MD5), hex. `md5` is the raw MD5 of the plaintext.
std::string customer_etag(std::string_view data_key, std::string_view md5);

}  // namespace cv::vault
