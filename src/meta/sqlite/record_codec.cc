#include "meta/sqlite/record_codec.h"

#include <boost/json.hpp>

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

std::string encode_blobs(const std::vector<BlobRef>& blobs) {
  if (blobs.empty()) return {};
  json::array array;
  array.reserve(blobs.size());
  for (const BlobRef& blob : blobs) array.push_back(json::array{blob.blob_id, blob.size});
  return json::serialize(array);
}

Result<std::vector<BlobRef>> decode_blobs(std::string_view text) {
  std::vector<BlobRef> blobs;
  if (text.empty()) return blobs;
  json::value value = CV_TRY(parse(text, "blobs"));
  const json::array* array = value.if_array();
  if (!array) return corrupt("blobs");
  blobs.reserve(array->size());
  for (const json::value& item : *array) {
    const json::array* pair = item.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string()) return corrupt("blobs");
    const json::value& size = (*pair)[1];
    BlobRef blob{std::string((*pair)[0].get_string()), 0};
    if (size.is_uint64()) {
      blob.size = size.get_uint64();
    } else if (size.is_int64() && size.get_int64() >= 0) {
      blob.size = static_cast<uint64_t>(size.get_int64());
    } else {
      return corrupt("blobs");
    }
    blobs.push_back(std::move(blob));
  }
  return blobs;
}

}  // namespace cv::meta::sqlite
