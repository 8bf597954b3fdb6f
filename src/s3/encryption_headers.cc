#include "s3/encryption_headers.h"

#include <string>

#include "core/encoding.h"
#include "core/hash.h"

namespace cv::s3 {
namespace {

constexpr std::string_view kSseHeader = "x-amz-server-side-encryption";
constexpr std::string_view kKmsKeyHeader = "x-amz-server-side-encryption-aws-kms-key-id";
constexpr std::string_view kObjectPrefix = "x-amz-server-side-encryption-customer-";
constexpr std::string_view kCopySourcePrefix = "x-amz-copy-source-server-side-encryption-customer-";

std::unexpected<Error> invalid(std::string message, std::string_view header = {}) {
  return fail(ErrorCode::kInvalidArgument, std::move(message), std::string(header));
}

}  // namespace

Result<std::optional<vault::CustomerKey>> customer_key(const Headers& headers, KeyHeaders which,
                                                       bool md5_required) {
  const std::string prefix(which == KeyHeaders::kObject ? kObjectPrefix : kCopySourcePrefix);
  const std::string* algorithm = headers.find(prefix + "algorithm");
  const std::string* key = headers.find(prefix + "key");
  const std::string* key_md5 = headers.find(prefix + "key-md5");
  if (!algorithm && !key && !key_md5) return std::optional<vault::CustomerKey>();
  if (!algorithm) {
    return invalid(
        "Requests specifying Server Side Encryption with Customer provided keys must provide a "
        "valid encryption algorithm.",
        prefix + "algorithm");
  }
  if (*algorithm != "AES256") {
    return fail(ErrorCode::kInvalidEncryptionAlgorithmError,
                "The Encryption request you specified is not valid. Supported value: AES256.",
                *algorithm);
  }
  if (!key) {
    return invalid(
        "Requests specifying Server Side Encryption with Customer provided keys must provide an "
        "appropriate secret key.",
        prefix + "key");
  }
  const auto decoded = base64_decode(trim(*key));
  if (!decoded || decoded->size() != 32) {
    return invalid("The secret key was invalid for the specified algorithm.", prefix + "key");
  }
  vault::CustomerKey customer{*decoded, base64_encode(md5(*decoded))};
  if (!key_md5) {
    if (md5_required) {
      return invalid(
          "Requests specifying Server Side Encryption with Customer provided keys must provide "
          "the client calculated MD5 of the secret key.",
          prefix + "key-MD5");
    }
  } else if (base64_decode(trim(*key_md5)) != md5(*decoded)) {
    return invalid("The calculated MD5 hash of the key did not match the hash that was provided.",
                   prefix + "key-MD5");
  }
  return std::optional<vault::CustomerKey>(std::move(customer));
}

Result<vault::EncryptionRequest> encryption_request(const Headers& headers) {
  vault::EncryptionRequest request;
  const auto customer = CV_TRY(customer_key(headers, KeyHeaders::kObject, true));
  const std::string* sse = headers.find(kSseHeader);
  if (sse && customer) {
    return invalid("Server side encryption specified with both SSE-C and SSE-S3 headers",
                   kSseHeader);
  }
  if (customer) {
    request.mode = meta::EncryptionMode::kCustomer;
    request.customer = std::move(*customer);
    return request;
  }
  if (sse) {
    if (*sse == "aws:kms" || *sse == "aws:kms:dsse") {
      return fail(ErrorCode::kNotImplemented,
                  "SSE-KMS is not supported by this server (it has no KMS); use "
                  "x-amz-server-side-encryption: AES256 or SSE-C",
                  *sse);
    }
    if (*sse != "AES256") {
      return invalid("The encryption method specified is not supported", kSseHeader);
    }
    request.mode = meta::EncryptionMode::kS3;
  }
  if (headers.contains(kKmsKeyHeader)) {
    return invalid(
        "Server Side Encryption with AWS KMS managed key requires HTTP header "
        "x-amz-server-side-encryption : aws:kms",
        kKmsKeyHeader);
  }
  return request;
}

Status refuse_encryption_header_on_read(const Headers& headers) {
  if (headers.contains(kSseHeader)) {
    return invalid("x-amz-server-side-encryption header is not supported for this operation.",
                   kSseHeader);
  }
  return {};
}

void add_encryption_headers(const meta::Encryption& encryption, Headers& headers) {
  switch (encryption.mode) {
    case meta::EncryptionMode::kNone:
      return;
    case meta::EncryptionMode::kS3:
      headers.set(kSseHeader, "AES256");
      return;
    case meta::EncryptionMode::kCustomer:
      headers.set(std::string(kObjectPrefix) + "algorithm", "AES256");
      headers.set(std::string(kObjectPrefix) + "key-md5", encryption.customer_key_md5);
      return;
  }
}

Status require_secure_customer_key(const Request& request, PlainHttpSecrets policy) {
  if (allows_secrets(request, policy)) return {};
  for (const auto& [name, value] : request.headers.fields()) {
    if (name.starts_with(kObjectPrefix) || name.starts_with(kCopySourcePrefix)) {
      return fail(ErrorCode::kInvalidRequest,
                  "Requests specifying Server Side Encryption with Customer provided keys must "
                  "be made over a secure connection.");
    }
  }
  return {};
}

}  // namespace cv::s3
