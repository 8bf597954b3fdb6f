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
#include "iam/change_signal.h"
#include "meta/meta_store.h"

namespace cv::iam {

struct KeyInfo {
  std::string user_name;
  std::string access_key_id;
};

// Thread-safe. Credentials found are cached until `changes` reports a new generation; every
// change made here is announced through it, so a key deleted by any process sharing the data
// folder (the admin CLI) stops working at once.
class UserDirectory final : public auth::CredentialStore {
 public:
  // `master_key` is 32 bytes. `changes` must outlive the directory.
  UserDirectory(meta::MetaStore& meta, std::string master_key, const Clock& clock,
                ChangeSignal& changes);

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
  // Drops cached credentials when another change was announced; call with mutex_ held.
  void refresh_cache_locked(uint64_t generation);

  meta::MetaStore& meta_;
  std::string master_key_;
  const Clock& clock_;
  ChangeSignal& changes_;
  std::mutex mutex_;
  uint64_t cached_generation_ = 0;
  std::map<std::string, auth::Credentials, std::less<>> credentials_;  // by access key id
  std::map<std::string, std::string, std::less<>> display_names_;      // user id -> name
};

}  // namespace cv::iam
