// Encryption at rest in the vault: a bucket's default encryption, deciding a new object's
// encryption and data key, and unwrapping the data key of stored data for a request.
#include "blob/segment_cipher.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

using meta::EncryptionMode;

constexpr std::string_view kStoredWithCustomerKey =
    "The object was stored using a form of Server Side Encryption. The correct parameters must "
    "be provided to retrieve the object.";
constexpr std::string_view kNotApplicable =
    "The encryption parameters are not applicable to this object.";
constexpr std::string_view kPartNeedsKey =
    "The multipart upload initiate requested encryption. Subsequent part requests must include "
    "the appropriate encryption parameters.";
constexpr std::string_view kPartKeyMismatch =
    "The provided encryption parameters did not match the ones used originally.";
constexpr std::string_view kPartKeyNotApplicable =
    "The multipart upload initiate did not request encryption with a customer-provided key; "
    "the encryption parameters are not applicable to its parts.";

}  // namespace

Result<std::optional<DefaultEncryption>> Vault::default_encryption(std::string_view bucket) {
  return CV_TRY(bucket_state(bucket))->default_encryption;
}

Status Vault::set_default_encryption(std::string_view bucket,
                                     const std::optional<DefaultEncryption>& config) {
  CV_TRY(get_bucket(bucket));
  auto changed =
      config ? meta_.put_bucket_config(bucket, kEncryptionConfigKind,
                                       encode_default_encryption(*config))
             : meta_.delete_bucket_config(bucket, kEncryptionConfigKind);
  forget_bucket(bucket);
  return changed;
}

Result<meta::Encryption> Vault::new_encryption(const BucketState& bucket,
                                               const EncryptionRequest& request,
                                               std::string& data_key) {
  data_key.clear();
  EncryptionMode mode = request.mode;
  if (mode == EncryptionMode::kNone && bucket.default_encryption) {
    mode = EncryptionMode::kS3;  // the only default there is
  }
  meta::Encryption encryption;
  if (mode == EncryptionMode::kNone) return encryption;
  encryption.mode = mode;
  if (mode == EncryptionMode::kS3) {
    if (master_key_.size() != blob::kDataKeyBytes) {
      return fail(ErrorCode::kInternalError,
                  "server-side encryption needs a master key, and this server has none");
    }
    data_key = new_data_key();
    encryption.wrapped_key = wrap_data_key(mode, master_key_, data_key);
    return encryption;
  }
  if (!request.customer || request.customer->key.size() != blob::kDataKeyBytes) {
    return fail(ErrorCode::kInvalidArgument,
                "The secret key was invalid for the specified algorithm.");
  }
  data_key = new_data_key();
  encryption.wrapped_key = wrap_data_key(mode, request.customer->key, data_key);
  encryption.customer_key_md5 = request.customer->key_md5;
  return encryption;
}

Result<std::string> Vault::data_key_for(const meta::Encryption& encryption,
                                        const CustomerKey* customer_key, KeyUse use,
                                        std::string_view resource) {
  const bool part = use == KeyUse::kUploadPart;
  const std::string where(resource);
  if (encryption.mode != EncryptionMode::kCustomer && customer_key) {
    return fail(ErrorCode::kInvalidRequest,
                std::string(part ? kPartKeyNotApplicable : kNotApplicable), where);
  }
  switch (encryption.mode) {
    case EncryptionMode::kNone:
      return std::string();
    case EncryptionMode::kS3: {
      auto key = unwrap_data_key(encryption.mode, master_key_, encryption.wrapped_key);
      if (!key) {
        return fail(ErrorCode::kInternalError,
                    "the data key of SSE-S3 data does not open with this server's master key",
                    where);
      }
      return key;
    }
    case EncryptionMode::kCustomer:
      break;
  }
  if (!customer_key) {
    return fail(ErrorCode::kInvalidRequest,
                std::string(part ? kPartNeedsKey : kStoredWithCustomerKey), where);
  }
  // A key whose MD5 differs is refused without trying it; one that matches must open the seal.
  Result<std::string> key = fail(ErrorCode::kAccessDenied, "");
  if (encryption.customer_key_md5.empty() || customer_key->key_md5 == encryption.customer_key_md5) {
    key = unwrap_data_key(encryption.mode, customer_key->key, encryption.wrapped_key);
  }
  if (!key) {
    if (part) return fail(ErrorCode::kInvalidRequest, std::string(kPartKeyMismatch), where);
    return fail(ErrorCode::kAccessDenied,
                "Access Denied: the customer-provided key is not the one the object was "
                "encrypted with",
                where);
  }
  return key;
}

Status Vault::check_customer_key(const meta::ObjectVersion& object,
                                 const CustomerKey* customer_key) {
  CV_TRY(data_key_for(object.encryption, customer_key, KeyUse::kObject, object.key));
  return {};
}

}  // namespace cv::vault
