#include "iam/user_directory.h"

#include "core/ids.h"
#include "core/seal.h"
#include "iam/iam_names.h"
#include "iam/session_token.h"

namespace cv::iam {
namespace {

// Opened session tokens kept at most (each is opened again after the cache is dropped).
constexpr size_t kMaxCachedSessions = 10000;

bool valid_access_key_id(std::string_view id) {
  if (id.size() < 3 || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool valid_secret(std::string_view secret) {
  if (secret.size() < 8 || secret.size() > 128) return false;
  for (unsigned char c : secret) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

constexpr std::string_view kRootName = "root";

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

UserDirectory::UserDirectory(meta::MetaStore& meta, std::string master_key, const Clock& clock,
                             ChangeSignal& changes)
    : meta_(meta),
      master_key_(std::move(master_key)),
      clock_(clock),
      changes_(changes),
      cached_generation_(changes.generation()) {}

void UserDirectory::refresh_cache_locked(uint64_t generation) {
  if (generation == cached_generation_) return;
  credentials_.clear();
  display_names_.clear();
  sessions_.clear();
  cached_generation_ = generation;
}

Result<meta::User> UserDirectory::add_user(std::string_view name, std::string_view display_name,
                                           std::string_view email, std::string_view path,
                                           std::string_view tags) {
  CV_TRY(validate_name(NameKind::kUser, name, "userName"));
  CV_TRY(validate_path(path));
  for (const auto& existing : CV_TRY(meta_.list_users())) {
    if (equal_ignoring_case(existing.name, name)) {
      return fail(ErrorCode::kEntityAlreadyExists,
                  "User with name " + std::string(name) + " already exists.", std::string(name));
    }
  }
  meta::User user;
  user.id = random_hex(32);
  user.name = name;
  user.display_name = display_name.empty() ? std::string(name) : std::string(display_name);
  user.email = email;
  user.is_root = name == kRootName;
  user.created_ns = to_unix_nanos(clock_.now());
  user.path = path;
  user.iam_id = new_unique_id(kUserIdPrefix);
  user.tags = tags;
  CV_TRY(meta_.put_user(user));
  changes_.announce();
  return user;
}

Result<auth::Credentials> UserDirectory::store_key(const meta::User& user,
                                                   std::string access_key_id,
                                                   std::string secret_key) {
  meta::AccessKey key;
  key.access_key_id = access_key_id;
  key.user_id = user.id;
  key.sealed_secret = seal(master_key_, secret_key, access_key_id);
  key.created_ns = to_unix_nanos(clock_.now());
  CV_TRY(meta_.put_access_key(key));
  changes_.announce();
  return auth::Credentials{std::move(access_key_id), std::move(secret_key), user.id, user.name,
                           user.is_root};
}

Result<auth::Credentials> UserDirectory::ensure_root(
    const std::optional<auth::Credentials>& wanted) {
  auto root = CV_TRY(meta_.find_user_by_name(kRootName));
  if (!root) root = CV_TRY(add_user(kRootName, "root", ""));
  if (wanted) {
    if (auto existing = CV_TRY(find(wanted->access_key_id))) {
      if (existing->user_id != root->id) {
        return fail(ErrorCode::kInvalidArgument, "The root access key belongs to another user");
      }
      if (existing->secret_key == wanted->secret_key) return *existing;
    }
    if (!valid_access_key_id(wanted->access_key_id) || !valid_secret(wanted->secret_key)) {
      return fail(ErrorCode::kInvalidArgument, "The root access key or secret is malformed");
    }
    return store_key(*root, wanted->access_key_id, wanted->secret_key);
  }
  for (const auto& key : CV_TRY(meta_.list_access_keys(root->id))) {
    if (auto credentials = CV_TRY(find(key.access_key_id))) return *credentials;
  }
  return store_key(*root, new_access_key_id(), new_secret_key());
}

Result<auth::Credentials> UserDirectory::create_key(std::string_view user_name,
                                                    std::optional<std::string> access_key_id,
                                                    std::optional<std::string> secret_key) {
  const auto user = CV_TRY(meta_.find_user_by_name(user_name));
  if (!user) {
    return fail(ErrorCode::kNoSuchEntity,
                "The user with name " + std::string(user_name) + " cannot be found.");
  }
  std::string id = access_key_id.value_or(new_access_key_id());
  std::string secret = secret_key.value_or(new_secret_key());
  if (!valid_access_key_id(id)) {
    return fail(ErrorCode::kInvalidArgument,
                "Access key ids are 3-128 characters of letters, digits and -_.");
  }
  if (!valid_secret(secret)) {
    return fail(ErrorCode::kInvalidArgument, "Secret keys are 8-128 printable ASCII characters");
  }
  if (CV_TRY(meta_.get_access_key(id))) {
    return fail(ErrorCode::kInvalidArgument, "The access key id '" + id + "' is taken");
  }
  meta::AccessKey key;
  key.access_key_id = id;
  key.user_id = user->id;
  key.sealed_secret = seal(master_key_, secret, id);
  key.created_ns = to_unix_nanos(clock_.now());
  CV_TRY(meta_.add_access_key(key, kMaxAccessKeysPerUser));
  changes_.announce();
  return auth::Credentials{std::move(id), std::move(secret), user->id, user->name, user->is_root};
}

Result<std::vector<KeyInfo>> UserDirectory::list_keys(std::optional<std::string_view> user_name) {
  std::map<std::string, std::string> names;
  std::string user_id;
  if (user_name) {
    const auto user = CV_TRY(meta_.find_user_by_name(*user_name));
    if (!user) {
      return fail(ErrorCode::kNoSuchEntity,
                  "The user with name " + std::string(*user_name) + " cannot be found.");
    }
    names[user->id] = user->name;
    user_id = user->id;
  } else {
    for (const auto& user : CV_TRY(meta_.list_users())) names[user.id] = user.name;
  }
  std::vector<KeyInfo> keys;
  for (const auto& key : CV_TRY(meta_.list_access_keys(user_id))) {
    keys.push_back({names[key.user_id], key.access_key_id, key.active, key.created_ns});
  }
  return keys;
}

Status UserDirectory::delete_key(std::string_view access_key_id) {
  CV_TRY(meta_.delete_access_key(access_key_id));
  changes_.announce();
  return {};
}

Status UserDirectory::set_key_active(std::string_view access_key_id, bool active) {
  CV_TRY(meta_.set_access_key_active(access_key_id, active));
  changes_.announce();
  return {};
}

Result<KeyLastUse> UserDirectory::key_last_use(std::string_view access_key_id) {
  const auto key = CV_TRY(meta_.get_access_key(access_key_id));
  if (!key) {
    return fail(ErrorCode::kNoSuchEntity,
                "The Access Key with id " + std::string(access_key_id) + " cannot be found.");
  }
  const auto owner = CV_TRY(meta_.get_user(key->user_id));
  KeyLastUse use{owner ? owner->name : std::string(), key->last_used_ns, key->last_used_service,
                 key->last_used_region};
  std::lock_guard lock(usage_mutex_);
  if (auto it = pending_usage_.find(access_key_id);
      it != pending_usage_.end() && it->second.used_ns > use.used_ns) {
    use.used_ns = it->second.used_ns;
    use.service = it->second.service;
    use.region = it->second.region;
  }
  return use;
}

void UserDirectory::record_use(std::string_view access_key_id, std::string_view service,
                               std::string_view region) {
  constexpr int64_t kMinute = 60'000'000'000;
  const int64_t now = to_unix_nanos(clock_.now());
  std::lock_guard lock(usage_mutex_);
  auto queued = usage_queued_ns_.find(access_key_id);
  if (queued != usage_queued_ns_.end() && now - queued->second < kMinute) return;
  if (queued == usage_queued_ns_.end()) {
    queued = usage_queued_ns_.emplace(std::string(access_key_id), now).first;
  }
  queued->second = now;
  pending_usage_.insert_or_assign(
      std::string(access_key_id),
      meta::KeyUsage{std::string(access_key_id), now, std::string(service), std::string(region)});
}

Result<size_t> UserDirectory::flush_key_usage() {
  std::vector<meta::KeyUsage> batch;
  {
    std::lock_guard lock(usage_mutex_);
    for (auto& [id, use] : pending_usage_) batch.push_back(std::move(use));
    pending_usage_.clear();
  }
  if (batch.empty()) return size_t{0};
  CV_TRY(meta_.record_key_usage(batch));
  return batch.size();
}

std::string UserDirectory::display_name(std::string_view user_id) {
  const uint64_t generation = changes_.generation();
  {
    std::lock_guard lock(mutex_);
    refresh_cache_locked(generation);
    if (auto it = display_names_.find(user_id); it != display_names_.end()) return it->second;
  }
  auto user = meta_.get_user(user_id);
  if (!user || !*user) return std::string(user_id);
  const std::string name = (*user)->display_name.empty() ? (*user)->name : (*user)->display_name;
  std::lock_guard lock(mutex_);
  if (generation == cached_generation_) display_names_.emplace(std::string(user_id), name);
  return name;
}

Result<std::optional<auth::Credentials>> UserDirectory::find(std::string_view access_key_id) {
  // The generation is read before the store: a change announced after this point makes the
  // entry stored below stale, and the next lookup's generation check drops it.
  const uint64_t generation = changes_.generation();
  {
    std::lock_guard lock(mutex_);
    refresh_cache_locked(generation);
    if (auto it = credentials_.find(access_key_id); it != credentials_.end()) {
      return std::optional<auth::Credentials>(it->second);
    }
  }
  const auto key = CV_TRY(meta_.get_access_key(access_key_id));
  if (!key || !key->active) return std::optional<auth::Credentials>();
  std::string secret = CV_TRY(unseal(master_key_, key->sealed_secret, key->access_key_id));
  // Who owns the key, for the audit trail; looked up once, then cached with the key.
  const auto owner = CV_TRY(meta_.get_user(key->user_id));
  auth::Credentials credentials{key->access_key_id, std::move(secret), key->user_id,
                                owner ? owner->name : std::string(), owner && owner->is_root};
  std::lock_guard lock(mutex_);
  if (generation == cached_generation_)
    credentials_.insert_or_assign(key->access_key_id, credentials);
  return std::optional<auth::Credentials>(std::move(credentials));
}

Result<std::optional<auth::Credentials>> UserDirectory::find_session(
    std::string_view access_key_id, std::string_view token) {
  const uint64_t generation = changes_.generation();
  {
    std::lock_guard lock(mutex_);
    refresh_cache_locked(generation);
    if (auto it = sessions_.find(access_key_id); it != sessions_.end() && it->second.first == token) {
      return std::optional<auth::Credentials>(it->second.second);
    }
  }
  SessionGrant grant = CV_TRY(open_session_token(token, master_key_));
  if (grant.access_key_id != access_key_id) return std::optional<auth::Credentials>();
  const auto user = CV_TRY(meta_.get_user(grant.user_id));
  if (!user) return std::optional<auth::Credentials>();
  auth::Credentials credentials{grant.access_key_id, std::move(grant.secret_key), user->id,
                                user->name, user->is_root};
  credentials.expires_ns = grant.expires_ns;
  credentials.role_name = std::move(grant.role_name);
  credentials.role_id = std::move(grant.role_id);
  credentials.session_name = std::move(grant.session_name);
  credentials.session_policy = std::move(grant.session_policy);
  std::lock_guard lock(mutex_);
  if (generation == cached_generation_) {
    if (sessions_.size() >= kMaxCachedSessions) sessions_.clear();
    sessions_.insert_or_assign(std::string(access_key_id),
                               std::pair{std::string(token), credentials});
  }
  return std::optional<auth::Credentials>(std::move(credentials));
}

}  // namespace cv::iam
