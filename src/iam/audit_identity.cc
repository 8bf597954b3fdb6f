#include "iam/audit_identity.h"

#include "audit/request_capture.h"

namespace cv::iam {

audit::Identity audit_identity(std::string_view account_id, const auth::Identity& verified) {
  if (!verified.role_name.empty()) {
    return audit::assumed_role_identity(account_id, verified.role_id, verified.role_name,
                                        verified.session_name, verified.access_key_id);
  }
  audit::Identity identity = audit::user_identity(account_id, verified.user_id,
                                                  verified.user_name, verified.is_root,
                                                  verified.access_key_id);
  identity.session = verified.session;
  return identity;
}

}  // namespace cv::iam
