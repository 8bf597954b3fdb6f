// S3 Object Ownership (Put/Get/DeleteBucketOwnershipControls): who owns the objects written
// to a bucket and whether its ACLs count. Values only; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::s3 {

enum class ObjectOwnership {
  kBucketOwnerEnforced,   // ACLs are off; the bucket owner owns every object
  kBucketOwnerPreferred,  // objects written with bucket-owner-full-control go to the bucket owner
  kObjectWriter,          // the writer owns its objects (S3's behaviour before 2023)
};

// "BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter".
std::string_view ownership_name(ObjectOwnership ownership);
std::optional<ObjectOwnership> parse_ownership(std::string_view name);  // exact names only

// The OwnershipControls document: one Rule with one ObjectOwnership. MalformedXML otherwise.
Result<ObjectOwnership> parse_ownership_controls(std::string_view body);
std::string write_ownership_controls(ObjectOwnership ownership);

}  // namespace cv::s3
