#include "vault/encryption.h"

#include <boost/json.hpp>

#include "blob/segment_cipher.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "core/seal.h"

namespace cv::vault {
namespace json = boost::json;
namespace {

std::string_view context_for(meta::EncryptionMode mode) {
  return mode == meta::EncryptionMode::kCustomer ? kCustomerWrappedKeyContext
                                                 : kMasterWrappedKeyContext;
}

}  // namespace

std::string encode_default_encryption(const DefaultEncryption& config) {
  json::object object;
  object["algorithm"] = config.algorithm;
  object["bucket_key_enabled"] = config.bucket_key_enabled;
  return json::serialize(object);
}

Result<DefaultEncryption> decode_default_encryption(std::string_view document) {
  boost::system::error_code ec;
  const json::value value = json::parse(document, ec);
  const json::object* object = ec ? nullptr : value.if_object();
  const json::value* algorithm = object ? object->if_contains("algorithm") : nullptr;
  const json::value* bucket_key = object ? object->if_contains("bucket_key_enabled") : nullptr;
  if (!algorithm || !algorithm->is_string() || (bucket_key && !bucket_key->is_bool())) {
    return fail(ErrorCode::kInternalError, "malformed bucket encryption configuration");
  }
  DefaultEncryption config;
  config.algorithm = std::string(algorithm->get_string());
  config.bucket_key_enabled = bucket_key && bucket_key->get_bool();
  return config;
}

std::string new_data_key() {
  std::string key(blob::kDataKeyBytes, '\0');
  random_bytes(std::span<unsigned char>(reinterpret_cast<unsigned char*>(key.data()), key.size()));
  return key;
}

std::string wrap_data_key(meta::EncryptionMode mode, std::string_view wrapping_key,
                          std::string_view data_key) {
  return seal(wrapping_key, data_key, context_for(mode));
}

Result<std::string> unwrap_data_key(meta::EncryptionMode mode, std::string_view wrapping_key,
                                    std::string_view wrapped_key) {
  auto key = unseal(wrapping_key, wrapped_key, context_for(mode));
  if (!key || key->size() != blob::kDataKeyBytes) {
    return fail(ErrorCode::kInternalError, "the object's data key does not open with this key");
  }
  return key;
}

std::string customer_etag(std::string_view data_key, std::string_view md5) {
  return hex_encode(hmac_sha256(data_key, md5).substr(0, 16));
}

}  // namespace cv::vault
