// The notification and replication sections of the configuration file:
//
//   [notify.targets.NAME]        NAME: letters, digits, '.', '_', '-' (the last field of an ARN)
//   type = "webhook" | "smtp" | "slack" | "discord"       (required)
//   url = "..."                  (required; http(s):// or, for smtp, smtp:// / smtps://)
//   secret = "..."               (webhook, required: the HMAC-SHA256 key)
//   from = "a@b", to = ["c@d"]   (smtp, required), username, password (smtp, optional)
//   timeout_seconds = 10         (1-600), verify_tls = true
//   url, secret and password may be given sealed under the master key ("sealed:...", made
//   by `cloudvault admin notify seal`; see app/sealed_values.h): such a target is validated
//   once they are opened.
//
//   [replication.remotes.NAME]
//   endpoint = "https://..."     (required), region (default us-east-1),
//   access_key, secret_key       (required; either may be sealed), path_style = true,
//   verify_tls = true,
//   ca_file = "/path/ca.pem"     (optional)
//
// Unknown keys, keys of another target type and values of the wrong type are errors, so a
// misspelt "secret" never leaves a webhook unsigned.
#pragma once

#include <toml++/toml.h>

#include <vector>

#include "app/config.h"

namespace cv::app {

// InvalidArgument naming the section and key ("notify.targets.hook: url is required").
Status load_notify_targets(const toml::table& root,
                           std::vector<workers::notify::TargetSettings>& out);
// One target from the keys of its table, with every check load_notify_targets makes (the
// name too): `cloudvault admin notify add` puts its flags in a table and calls this.
Result<workers::notify::TargetSettings> load_notify_target(const std::string& name,
                                                           const toml::table& table);
Status load_replication_remotes(const toml::table& root, std::vector<ReplicationRemote>& out);

}  // namespace cv::app
