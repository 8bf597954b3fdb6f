// What the configuration means for the layers app/ builds: vault options and tier folders,
// shared by `cloudvault server` and the admin verbs that open the vault.
#pragma once

#include "app/config.h"
#include "app/data_dir.h"
#include "console/console_api.h"
#include "vault/vault.h"

namespace cv::app {

vault::VaultOptions vault_options_from(const Config& config);
TierFolders tier_folders_from(const Config& config);
// The options of `config`'s stores: tiers, master key file and blob store (the rest default).
StoreOptions store_options_from(const Config& config);
console::ConsoleOptions console_options_from(const Config& config);

}  // namespace cv::app
