// Where the verifier finds a secret for an access key id.
#pragma once

#include <cstdint>
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
  // Temporary credentials (STS): when they stop working (0: never), and for a role session
  // the role it acts as and the session policy it was given (empty: none).
  int64_t expires_ns = 0;
  std::string role_name;
  std::string role_id;
  std::string session_name;
  std::string session_policy;
};

// Thread-safe lookup of credentials; may block (database).
class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  virtual Result<std::optional<Credentials>> find(std::string_view access_key_id) = 0;
  // Temporary credentials: those of the STS session `token` when it was issued for
  // `access_key_id` (nullopt otherwise), whether or not they have expired; InvalidToken for a
  // token that is not one of ours. A store that issues none knows none.
  virtual Result<std::optional<Credentials>> find_session(std::string_view access_key_id,
                                                          std::string_view token) {
    (void)access_key_id;
    (void)token;
    return std::nullopt;
  }
  // Called after a request signed with the key verified (for IAM's "last used"); must be
  // cheap and must not block on I/O. The default ignores it.
  virtual void record_use(std::string_view access_key_id, std::string_view service,
                          std::string_view region) {}
};

}  // namespace cv::auth
