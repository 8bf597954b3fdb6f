#include "vault/bucket_tags.h"

#include <boost/json.hpp>
#include <set>

#include "core/encoding.h"

namespace cv::vault {
namespace {

namespace json = boost::json;

constexpr size_t kMaxBucketTags = 50;
constexpr size_t kMaxKeyBytes = 128;
constexpr size_t kMaxValueBytes = 256;

}  // namespace

Status validate_bucket_tags(const meta::StringPairs& tags) {
  if (tags.size() > kMaxBucketTags) {
    return fail(ErrorCode::kInvalidTag, "Bucket tag count cannot be greater than 50");
  }
  std::set<std::string_view> keys;
  for (const auto& [key, value] : tags) {
    if (key.empty() || key.size() > kMaxKeyBytes || !is_valid_utf8(key)) {
      return fail(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
    }
    if (value.size() > kMaxValueBytes || !is_valid_utf8(value)) {
      return fail(ErrorCode::kInvalidTag, "The TagValue you have provided is invalid");
    }
    if (to_lower(key.substr(0, 4)) == "aws:") {
      return fail(ErrorCode::kInvalidTag, "System tags cannot be added/updated by requester");
    }
    if (!keys.insert(key).second) {
      return fail(ErrorCode::kInvalidTag, "Cannot provide multiple Tags with the same key");
    }
  }
  return {};
}

std::string bucket_tags_to_json(const meta::StringPairs& tags) {
  json::array out;
  for (const auto& [key, value] : tags) out.push_back(json::array{key, value});
  return json::serialize(out);
}

Result<meta::StringPairs> bucket_tags_from_json(std::string_view document) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(document, ec);
  if (ec || !parsed.is_array()) {
    return fail(ErrorCode::kInternalError, "the stored bucket tag set is damaged");
  }
  meta::StringPairs tags;
  for (const json::value& item : parsed.get_array()) {
    const json::array* pair = item.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) {
      return fail(ErrorCode::kInternalError, "the stored bucket tag set is damaged");
    }
    tags.emplace_back(std::string((*pair)[0].get_string()), std::string((*pair)[1].get_string()));
  }
  return tags;
}

}  // namespace cv::vault
