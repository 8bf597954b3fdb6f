// SQL for users and access keys. Writes run on the writer connection inside a transaction;
// reads on any connection. No method is thread-safe on its own (the caller owns the
// connection).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// Insert or replace by id; kInvalidArgument when another user has the name.
Status write_user(Connection& db, const User& user);
Result<std::optional<User>> read_user(Connection& db, std::string_view id);
Result<std::optional<User>> read_user_by_name(Connection& db, std::string_view name);
Result<std::vector<User>> read_users(Connection& db);

Status write_access_key(Connection& db, const AccessKey& key);
Result<std::optional<AccessKey>> read_access_key(Connection& db, std::string_view access_key_id);
Result<std::vector<AccessKey>> read_access_keys(Connection& db, std::string_view user_id);
// kInvalidAccessKeyId when absent.
Status remove_access_key(Connection& db, std::string_view access_key_id);

// Adds a key (never replaces): kEntityAlreadyExists when the id is taken, kNoSuchEntity when
// the user is absent, kLimitExceeded when the user holds max_keys_per_user keys already.
Status insert_access_key(Connection& db, const AccessKey& key, size_t max_keys_per_user);
// kNoSuchEntity when the key is absent.
Status write_key_status(Connection& db, std::string_view access_key_id, bool active);
// Moves each key's last use forward (an older use than the stored one changes nothing;
// absent keys are skipped).
Status write_key_usage(Connection& db, const std::vector<KeyUsage>& usage);
// kNoSuchEntity when absent; kDeleteConflict while the user has keys, group memberships,
// inline or attached policies.
Status remove_user(Connection& db, std::string_view user_id);

}  // namespace cv::meta::sqlite
