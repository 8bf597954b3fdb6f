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
  bool active = true;
  int64_t created_ns = 0;
};

// When and where a key last signed a request (IAM's GetAccessKeyLastUsed); zero / empty when
// never.
struct KeyLastUse {
  std::string user_name;
  int64_t used_ns = 0;
  std::string service;
  std::string region;
};

// IAM's limit of access keys per user.
inline constexpr size_t kMaxAccessKeysPerUser = 2;

// Thread-safe. Credentials found are cached until `changes` reports a new generation; every
// change made here is announced through it, so a key deleted or made inactive by any process
// sharing the data folder (the admin CLI) stops working at once. An inactive key is not
// found (the verifier answers InvalidAccessKeyId, as S3 does).
//
// Key use (record_use, called by the verifier per request) is kept in memory and written by
// flush_key_usage(), which the server runs periodically off the request path: at most one
// write per key and minute.
class UserDirectory final : public auth::CredentialStore {
 public:
  // `master_key` is 32 bytes. `changes` must outlive the directory.
  UserDirectory(meta::MetaStore& meta, std::string master_key, const Clock& clock,
                ChangeSignal& changes);

  // Creates the root user when absent and makes sure it holds a key: the given one when
  // `access_key` is set (added if missing), else an existing key, else a new one.
  Result<auth::Credentials> ensure_root(const std::optional<auth::Credentials>& wanted);

  // EntityAlreadyExists when the name is taken (case-insensitively, as IAM), ValidationError
  // when it or the path is malformed. `path` is the IAM path ("/" by default), `tags` a JSON
  // object text or empty.
  Result<meta::User> add_user(std::string_view name, std::string_view display_name,
                              std::string_view email, std::string_view path = "/",
                              std::string_view tags = {});
  // Every user, root included, by name.
  Result<std::vector<meta::User>> list_users() { return meta_.list_users(); }
  // Creates a key for the named user; the given pair when set (InvalidArgument when the id is
  // taken or malformed), else a generated one. NoSuchEntity for an unknown user,
  // LimitExceeded when the user holds kMaxAccessKeysPerUser keys already.
  Result<auth::Credentials> create_key(std::string_view user_name,
                                       std::optional<std::string> access_key_id,
                                       std::optional<std::string> secret_key);
  // Every key (of one user when `user_name` is set: NoSuchEntity when unknown).
  Result<std::vector<KeyInfo>> list_keys(std::optional<std::string_view> user_name = {});
  Status delete_key(std::string_view access_key_id);
  // Active / Inactive; NoSuchEntity when the key is absent.
  Status set_key_active(std::string_view access_key_id, bool active);
  // The key's last use (the stored one, or a newer one not written yet); NoSuchEntity.
  Result<KeyLastUse> key_last_use(std::string_view access_key_id);
  // Writes the uses recorded since the last call; returns how many keys were updated.
  Result<size_t> flush_key_usage();

  // The user's display name (its name when none was set), or the id when unknown.
  std::string display_name(std::string_view user_id);

  Result<std::optional<auth::Credentials>> find(std::string_view access_key_id) override;
  // An STS session (iam/session_token.h): the token opened with the master key, issued for
  // `access_key_id`, whose user still exists with the same id (nullopt otherwise: the
  // verifier answers InvalidAccessKeyId). A role session's role is checked by the policy
  // source (CallerDirectory), which knows roles. Expiry is the verifier's to check.
  Result<std::optional<auth::Credentials>> find_session(std::string_view access_key_id,
                                                        std::string_view token) override;
  // The master key sessions are sealed with (for the STS issuer).
  const std::string& master_key() const { return master_key_; }
  void record_use(std::string_view access_key_id, std::string_view service,
                  std::string_view region) override;

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
  // Opened sessions by access key id, with their token (a token is opened once per generation).
  std::map<std::string, std::pair<std::string, auth::Credentials>, std::less<>> sessions_;
  // Key use: pending writes, and when each key's use was last queued (one write a minute).
  std::mutex usage_mutex_;
  std::map<std::string, meta::KeyUsage, std::less<>> pending_usage_;
  std::map<std::string, int64_t, std::less<>> usage_queued_ns_;
};

}  // namespace cv::iam
