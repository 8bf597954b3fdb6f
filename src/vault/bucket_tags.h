// A bucket's tag set (Put/Get/DeleteBucketTagging): S3's validation rules and the stored
// form (bucket configuration document kind "tagging", Boost.JSON). Pure functions; the Vault
// stores and reads the document (Vault::put_bucket_tags and friends).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"

namespace cv::vault {

// The bucket configuration kind the tag set is stored under.
inline constexpr std::string_view kBucketTaggingConfig = "tagging";

// S3's rules for a bucket's tags: at most 50; keys 1..128 and values 0..256 UTF-8 bytes;
// no key twice; no key starting with the reserved "aws:" prefix. InvalidTag with S3's
// message otherwise.
Status validate_bucket_tags(const meta::StringPairs& tags);

// The stored form: a JSON array of [key, value] pairs, in the order given.
std::string bucket_tags_to_json(const meta::StringPairs& tags);
// InternalError for a document bucket_tags_to_json did not write.
Result<meta::StringPairs> bucket_tags_from_json(std::string_view document);

}  // namespace cv::vault
