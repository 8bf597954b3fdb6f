// Display names for owner ids, as ListBuckets and fetch-owner show them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cv::s3 {

// Thread-safe; may block.
class OwnerDirectory {
 public:
  virtual ~OwnerDirectory() = default;
  // The user's display name, or the id itself when the user is unknown.
  virtual std::string display_name(std::string_view user_id) = 0;
  // ACL grants (s3/acl.h). The id of the user with this e-mail address (compared without
  // regard to case), nullopt when none has it; whether a canonical user id names a user.
  // The defaults know no e-mail addresses and accept every id.
  virtual std::optional<std::string> user_id_for_email(std::string_view email) {
    return std::nullopt;
  }
  virtual bool user_exists(std::string_view user_id) { return true; }
};

}  // namespace cv::s3
