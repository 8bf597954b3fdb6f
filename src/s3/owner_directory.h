// Display names for owner ids, as ListBuckets and fetch-owner show them.
#pragma once

#include <string>
#include <string_view>

namespace cv::s3 {

// Thread-safe; may block.
class OwnerDirectory {
 public:
  virtual ~OwnerDirectory() = default;
  // The user's display name, or the id itself when the user is unknown.
  virtual std::string display_name(std::string_view user_id) = 0;
};

}  // namespace cv::s3
