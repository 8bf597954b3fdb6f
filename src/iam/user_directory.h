// Users and their access keys: creation, listing, deletion, and credential lookup for the
// SigV4 verifier. Secrets are stored sealed (AES-256-GCM) under the master key.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/credentials.h"
#include "core/clock.h"
#include "core/error.h"
#include "meta/meta_store.h"

namespace cv::iam {

struct KeyInfo {
  std::string user_name;
  std::string access_key_id;
};

// Thread-safe. Every lookup reads the MetaStore, so keys deleted by another process (the
// admin CLI) stop working at once; unsealed secrets are cached by their sealed bytes.
class UserDirectory final : public auth::CredentialStore {
 public:
  // `master_key` is 32 bytes.
  UserDirectory(meta::MetaStore& meta, std::string master_key, const Clock& clock);

  // Creates the root user when absent and makes sure it holds a key: the given one when
  // `access_key` is set (added if missing), else an existing key, else a new one.
  Result<auth::Credentials> ensure_root(const std::optional<auth::Credentials>& wanted);

  // InvalidArgument when the name is taken or malformed.
  Result<meta::User> add_user(std::string_view name, std::string_view display_name,
                              std::string_view email);
  // Creates a key for the named user; the given pair when set (InvalidArgument when the id is
  // taken or malformed), else a generated one.
  Result<auth::Credentials> create_key(std::string_view user_name,
                                       std::optional<std::string> access_key_id,
                                       std::optional<std::string> secret_key);
  Result<std::vector<KeyInfo>> list_keys();
  Status delete_key(std::string_view access_key_id);

  // The user's display name (its name when none was set), or the id when unknown.
  std::string display_name(std::string_view user_id);

  Result<std::optional<auth::Credentials>> find(std::string_view access_key_id) override;

 private:
  Result<auth::Credentials> store_key(const meta::User& user, std::string access_key_id,
                                      std::string secret_key);

  meta::MetaStore& meta_;
  std::string master_key_;
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> unsealed_;       // sealed -> secret
  std::map<std::string, std::string, std::less<>> display_names_;  // user id -> name
};

}  // namespace cv::iam
