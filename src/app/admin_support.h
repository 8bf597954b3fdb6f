// What the `cloudvault admin` verbs that work on buckets share: errors printed as the CLI's
// own, JSON output, a Vault over the data folder's stores, and the buckets a verb names.
#pragma once

#include <boost/json.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "app/config.h"
#include "app/migration_report.h"
#include "app/wiring.h"
#include "app/data_folder_lock.h"
#include "core/clock.h"
#include "core/error.h"
#include "vault/vault.h"

namespace cv::app {

inline int report_error(const Error& error) {
  std::fprintf(stderr, "cloudvault: %s\n", error.message.c_str());
  return 1;
}

inline void print_json(const boost::json::value& value) {
  std::printf("%s\n", boost::json::serialize(value).c_str());
}

// Opens the stores and runs `body` with them, the data folder locked shared meanwhile (secrets
// sealed under the master key must not change under them: a rotation in progress is waited
// for); its result is the exit code.
template <class Body>
int with_locked_stores(const Config& config, Body body) {
  auto folder_lock =
      DataFolderLock::acquire(config.data_dir, DataFolderLock::Mode::kShared, /*wait=*/true);
  if (!folder_lock) return report_error(folder_lock.error());
  auto stores = open_stores_for_cli(config);
  if (!stores) return report_error(stores.error());
  return body(*stores);
}

// Opens the stores and runs `body` with a Vault over them (and the metadata store, when it
// takes one); its result is the exit code.
template <class Body>
int with_vault(const Config& config, Body body) {
  auto stores = open_stores_for_cli(config);
  if (!stores) return report_error(stores.error());
  SystemClock clock;
  vault::Vault vault(*stores->meta, *stores->blobs, clock, vault_options_from(config));
  if constexpr (std::is_invocable_v<Body, vault::Vault&, meta::MetaStore&>) {
    return body(vault, *stores->meta);
  } else {
    return body(vault);
  }
}

// `bucket` alone, or every bucket of every owner by name.
inline Result<std::vector<std::string>> bucket_names(vault::Vault& vault,
                                                     const std::optional<std::string>& bucket) {
  std::vector<std::string> names;
  if (bucket) {
    names.push_back(*bucket);
    return names;
  }
  for (const meta::Bucket& entry : CV_TRY(vault.all_buckets())) names.push_back(entry.name);
  return names;
}

}  // namespace cv::app
