#include "meta/sqlite/record_codec.h"

#include <boost/json.hpp>

#include "core/encoding.h"

namespace cv::meta::sqlite {
namespace json = boost::json;
namespace {

std::unexpected<Error> corrupt(std::string_view what) {
  return fail(ErrorCode::kInternalError,
              "metadata store: malformed " + std::string(what) + " column");
}

Result<json::value> parse(std::string_view text, std::string_view what) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, {}, options);
  if (ec) return corrupt(what);
  return value;
}

json::array pairs_to_json(const StringPairs& pairs) {
  json::array array;
  array.reserve(pairs.size());
  for (const auto& [name, value] : pairs) array.push_back(json::array{name, value});
  return array;
}

Result<StringPairs> pairs_from_json(const json::value& value, std::string_view what) {
  const json::array* array = value.if_array();
  if (!array) return corrupt(what);
  StringPairs pairs;
  pairs.reserve(array->size());
  for (const json::value& item : *array) {
    const json::array* pair = item.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) {
      return corrupt(what);
    }
    pairs.emplace_back(std::string((*pair)[0].get_string()), std::string((*pair)[1].get_string()));
  }
  return pairs;
}

}  // namespace

std::string encode_pairs(const StringPairs& pairs) {
  if (pairs.empty()) return {};
  return json::serialize(pairs_to_json(pairs));
}

Result<StringPairs> decode_pairs(std::string_view text) {
  if (text.empty()) return StringPairs{};
  json::value value = CV_TRY(parse(text, "tags"));
  return pairs_from_json(value, "tags");
}

std::string encode_attributes(const StringPairs& headers, const StringPairs& metadata) {
  if (headers.empty() && metadata.empty()) return {};
  json::object object;
  if (!headers.empty()) object["headers"] = pairs_to_json(headers);
  if (!metadata.empty()) object["metadata"] = pairs_to_json(metadata);
  return json::serialize(object);
}

Status decode_attributes(std::string_view text, StringPairs& headers, StringPairs& metadata) {
  headers.clear();
  metadata.clear();
  if (text.empty()) return {};
  json::value value = CV_TRY(parse(text, "attributes"));
  const json::object* object = value.if_object();
  if (!object) return corrupt("attributes");
  if (const json::value* found = object->if_contains("headers")) {
    headers = CV_TRY(pairs_from_json(*found, "attributes"));
  }
  if (const json::value* found = object->if_contains("metadata")) {
    metadata = CV_TRY(pairs_from_json(*found, "attributes"));
  }
  return {};
}

namespace {

json::array blobs_to_json(const std::vector<BlobRef>& blobs) {
  json::array array;
  array.reserve(blobs.size());
  for (const BlobRef& blob : blobs) {
    if (blob.stored_size == 0 && blob.codec.empty()) {
      array.push_back(json::array{blob.blob_id, blob.size});
    } else {
      array.push_back(json::array{blob.blob_id, blob.size, blob.stored_size, blob.codec});
    }
  }
  return array;
}

std::optional<uint64_t> as_count(const json::value& value) {
  if (value.is_uint64()) return value.get_uint64();
  if (value.is_int64() && value.get_int64() >= 0) return static_cast<uint64_t>(value.get_int64());
  return std::nullopt;
}

Result<std::vector<BlobRef>> blobs_from_json(const json::value& value, std::string_view what) {
  const json::array* array = value.if_array();
  if (!array) return corrupt(what);
  std::vector<BlobRef> blobs;
  blobs.reserve(array->size());
  for (const json::value& item : *array) {
    const json::array* fields = item.if_array();
    if (!fields || (fields->size() != 2 && fields->size() != 4) || !(*fields)[0].is_string()) {
      return corrupt(what);
    }
    BlobRef blob;
    blob.blob_id = std::string((*fields)[0].get_string());
    const auto size = as_count((*fields)[1]);
    if (!size) return corrupt(what);
    blob.size = *size;
    if (fields->size() == 4) {
      const auto stored = as_count((*fields)[2]);
      if (!stored || !(*fields)[3].is_string()) return corrupt(what);
      blob.stored_size = *stored;
      blob.codec = std::string((*fields)[3].get_string());
    }
    blobs.push_back(std::move(blob));
  }
  return blobs;
}

}  // namespace

std::string encode_blobs(const std::vector<BlobRef>& blobs) {
  if (blobs.empty()) return {};
  return json::serialize(blobs_to_json(blobs));
}

Result<std::vector<BlobRef>> decode_blobs(std::string_view text) {
  if (text.empty()) return std::vector<BlobRef>{};
  json::value value = CV_TRY(parse(text, "blobs"));
  return blobs_from_json(value, "blobs");
}

std::string encode_storage(const Encryption& encryption, const std::optional<Restore>& restore) {
  if (encryption.mode == EncryptionMode::kNone && !restore) return {};
  json::object object;
  if (encryption.mode != EncryptionMode::kNone) {
    json::object enc;
    enc["mode"] = encryption.mode == EncryptionMode::kS3 ? "S3" : "C";
    enc["key"] = base64_encode(encryption.wrapped_key);
    if (!encryption.customer_key_md5.empty()) enc["md5"] = encryption.customer_key_md5;
    object["enc"] = std::move(enc);
  }
  if (restore) {
    json::object copy;
    copy["ongoing"] = restore->ongoing;
    copy["expiry"] = restore->expiry_ns;
    copy["days"] = restore->days;
    copy["blobs"] = blobs_to_json(restore->blobs);
    object["restore"] = std::move(copy);
  }
  return json::serialize(object);
}

Status decode_storage(std::string_view text, Encryption& encryption,
                      std::optional<Restore>& restore) {
  encryption = {};
  restore.reset();
  if (text.empty()) return {};
  json::value value = CV_TRY(parse(text, "storage"));
  const json::object* object = value.if_object();
  if (!object) return corrupt("storage");
  if (const json::value* found = object->if_contains("enc")) {
    const json::object* enc = found->if_object();
    if (!enc) return corrupt("storage");
    const json::value* mode = enc->if_contains("mode");
    const json::value* key = enc->if_contains("key");
    if (!mode || !mode->is_string() || !key || !key->is_string()) return corrupt("storage");
    if (mode->get_string() == "S3") {
      encryption.mode = EncryptionMode::kS3;
    } else if (mode->get_string() == "C") {
      encryption.mode = EncryptionMode::kCustomer;
    } else {
      return corrupt("storage");
    }
    auto wrapped = base64_decode(key->get_string());
    if (!wrapped) return corrupt("storage");
    encryption.wrapped_key = std::move(*wrapped);
    if (const json::value* md5 = enc->if_contains("md5")) {
      if (!md5->is_string()) return corrupt("storage");
      encryption.customer_key_md5 = std::string(md5->get_string());
    }
  }
  if (const json::value* found = object->if_contains("restore")) {
    const json::object* copy = found->if_object();
    if (!copy) return corrupt("storage");
    const json::value* ongoing = copy->if_contains("ongoing");
    const json::value* expiry = copy->if_contains("expiry");
    const json::value* days = copy->if_contains("days");
    const json::value* blobs = copy->if_contains("blobs");
    if (!ongoing || !ongoing->is_bool() || !expiry || !expiry->is_int64() || !days ||
        !days->is_int64() || !blobs) {
      return corrupt("storage");
    }
    Restore parsed;
    parsed.ongoing = ongoing->get_bool();
    parsed.expiry_ns = expiry->get_int64();
    parsed.days = static_cast<int32_t>(days->get_int64());
    parsed.blobs = CV_TRY(blobs_from_json(*blobs, "storage"));
    restore = std::move(parsed);
  }
  return {};
}

}  // namespace cv::meta::sqlite
