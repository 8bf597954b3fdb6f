// `cloudvault admin ...`: user and key management against the data folder. Safe to run
// while the server runs (SQLite serializes the writers of both processes).
#include <boost/json.hpp>
#include <cstdio>

#include "app/change_file.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/data_folder_lock.h"
#include "app/master_key.h"
#include "app/master_key_rotation.h"
#include "app/migration_report.h"
#include "app/progress_bar.h"
#include "app/wiring.h"
#include "iam/user_directory.h"

namespace cv::app {
namespace {

// Opens the stores and runs `body` with a UserDirectory; prints errors as the CLI's own. The
// data folder is locked shared meanwhile: secrets are sealed under the master key, which must
// not change under them (a rotation in progress is waited for).
template <class Body>
int with_users(const Config& config, Body body) {
  auto folder_lock =
      DataFolderLock::acquire(config.data_dir, DataFolderLock::Mode::kShared, /*wait=*/true);
  if (!folder_lock) {
    std::fprintf(stderr, "cloudvault: %s\n", folder_lock.error().message.c_str());
    return 1;
  }
  auto stores = open_stores_for_cli(config);
  if (!stores) {
    std::fprintf(stderr, "cloudvault: %s\n", stores.error().message.c_str());
    return 1;
  }
  SystemClock clock;
  ChangeFile changes(config.data_dir / "credentials.changed");
  iam::UserDirectory users(*stores->meta, stores->master_key, clock, changes);
  const int status = body(users);
  // Servers look at credentials.changed at most every kServerLookInterval: return once every
  // running server sees the change, so a script's next request is served under it.
  changes.wait_until_servers_see();
  return status;
}

int report(const Error& error) {
  std::fprintf(stderr, "cloudvault: %s\n", error.message.c_str());
  return 1;
}

void print_json(const boost::json::value& value) {
  std::printf("%s\n", boost::json::serialize(value).c_str());
}

}  // namespace

int admin_user_add(const Config& config, const std::string& name, const std::string& display_name,
                   const std::string& email) {
  return with_users(config, [&](iam::UserDirectory& users) {
    auto user = users.add_user(name, display_name, email);
    if (!user) return report(user.error());
    print_json({{"user", user->name},
                {"id", user->id},
                {"display_name", user->display_name},
                {"email", user->email}});
    return 0;
  });
}

int admin_key_create(const Config& config, const std::string& user_name,
                     const std::optional<std::string>& access_key,
                     const std::optional<std::string>& secret_key) {
  return with_users(config, [&](iam::UserDirectory& users) {
    auto key = users.create_key(user_name, access_key, secret_key);
    if (!key) return report(key.error());
    print_json({{"user", user_name},
                {"access_key_id", key->access_key_id},
                {"secret_key", key->secret_key}});
    return 0;
  });
}

int admin_key_list(const Config& config) {
  return with_users(config, [&](iam::UserDirectory& users) {
    auto keys = users.list_keys();
    if (!keys) return report(keys.error());
    boost::json::array out;
    for (const auto& key : *keys) {
      out.push_back({{"user", key.user_name},
                     {"access_key_id", key.access_key_id},
                     {"status", key.active ? "Active" : "Inactive"}});
    }
    print_json(out);
    return 0;
  });
}

int admin_key_rotate_master(const Config& config) {
  auto folder_lock =
      DataFolderLock::acquire(config.data_dir, DataFolderLock::Mode::kExclusive, /*wait=*/false);
  if (!folder_lock) return report(folder_lock.error());
  auto stores = open_stores_for_cli(config);
  if (!stores) return report(stores.error());
  const auto key_path = master_key_path(config.data_dir, config.master_key_file);
  ProgressBar progress = ProgressBar::on_stderr("rotate-master", "secrets");
  auto rotated = rotate_master_key(*stores->meta, key_path, 256, progress.callback());
  if (!rotated) return report(rotated.error());
  progress.finish();
  print_json({{"rotated", true},
              {"master_key_file", key_path.string()},
              {"secrets_resealed", rotated->secrets},
              {"resumed", rotated->resumed}});
  return 0;
}

int admin_key_delete(const Config& config, const std::string& access_key) {
  return with_users(config, [&](iam::UserDirectory& users) {
    if (auto deleted = users.delete_key(access_key); !deleted) return report(deleted.error());
    return 0;
  });
}

}  // namespace cv::app
