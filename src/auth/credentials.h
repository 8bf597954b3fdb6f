// Where the verifier finds a secret for an access key id.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::auth {

struct Credentials {
  std::string access_key_id;
  std::string secret_key;
  std::string user_id;  // canonical id of the key's owner
  // Who the owner is, for the audit trail (an IAMUser's name; the root user is "Root").
  std::string user_name;
  bool is_root = false;
};

// Thread-safe lookup of credentials; may block (database).
class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  virtual Result<std::optional<Credentials>> find(std::string_view access_key_id) = 0;
  // Called after a request signed with the key verified (for IAM's "last used"); must be
  // cheap and must not block on I/O. The default ignores it.
  virtual void record_use(std::string_view access_key_id, std::string_view service,
                          std::string_view region) {}
};

}  // namespace cv::auth
