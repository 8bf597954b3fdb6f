// The audit trail's lookup for the console API (the records themselves are written by
// audit::TrailWriter, which the vault does not know).
#include "vault/vault.h"

namespace cv::vault {

Result<meta::TrailPage> Vault::lookup_trail(meta::TrailQuery query, std::string_view user_id) {
  auto user = CV_TRY(meta_.get_user(user_id));
  if (!user) return fail(ErrorCode::kAccessDenied, "no such user");
  if (!user->is_root) query.user_name = user->name;
  return meta_.lookup_trail(query);
}

}  // namespace cv::vault
