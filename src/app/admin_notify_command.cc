// `cloudvault admin notify list | test NAME | add NAME ... | remove NAME | seal`: the
// notification targets of the configuration file and of the metadata store (stored_targets.h).
// list prints one JSON object per target with its secrets reduced to "set"/"unset" and
// credentials cut out of URLs; test delivers a test message through one target now; add and
// remove change the stored targets and announce it on <data>/notify.changed, which a running
// server follows; seal prints the sealed form of a secret read from standard input, for the
// configuration file (sealed_values.h). No secret is ever printed.
#include <toml++/toml.h>

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <iterator>

#include "app/change_file.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/data_folder_lock.h"
#include "app/migration_report.h"
#include "app/notify_config.h"
#include "app/notify_targets.h"
#include "app/sealed_values.h"
#include "app/stored_targets.h"
#include "app/wiring.h"
#include "core/clock.h"
#include "core/encoding.h"
#include "core/ids.h"
#include "workers/notify/targets/message_text.h"
#include "workers/notify/targets/target_catalog.h"

namespace cv::app {
namespace {

using workers::notify::TargetSettings;
using workers::notify::TargetType;

void print_json(const boost::json::value& value) {
  std::printf("%s\n", boost::json::serialize(value).c_str());
  std::fflush(stdout);
}

int report(const Error& error, int code = 1) {
  std::fprintf(stderr, "cloudvault: %s\n", error.message.c_str());
  return code;
}

// Opens the stores and runs `body` with them. The data folder is locked shared meanwhile:
// secrets are sealed under the master key, which must not change under them (a rotation in
// progress is waited for).
template <class Body>
int with_stores(const Config& config, Body body) {
  auto folder_lock =
      DataFolderLock::acquire(config.data_dir, DataFolderLock::Mode::kShared, /*wait=*/true);
  if (!folder_lock) return report(folder_lock.error());
  auto stores = open_stores_for_cli(config);
  if (!stores) return report(stores.error());
  return body(*stores);
}

// with_stores, also handing `body` the configuration file's targets with their sealed values
// opened.
template <class Body>
int with_targets(const Config& config, Body body) {
  return with_stores(config, [&](Stores& stores) {
    std::vector<TargetSettings> configured = config.notify_targets;
    if (auto opened = open_sealed_values(configured, stores.master_key); !opened) {
      return report(opened.error(), 2);
    }
    return body(stores, configured);
  });
}

// Slack's and Discord's webhook URLs carry their token in the last path segment.
std::string shown_url(const TargetSettings& settings) {
  std::string url = workers::notify::redact_url(settings.url);
  if (settings.type == TargetType::kSlack || settings.type == TargetType::kDiscord) {
    const size_t slash = url.rfind('/');
    if (slash != std::string::npos && slash + 1 < url.size() && url.find("://") + 2 < slash) {
      url = url.substr(0, slash + 1) + "***";
    }
  }
  return url;
}

// One listing line: everything but the secrets, which show as "set" or "unset".
boost::json::object listing(const KnownTarget& known) {
  const TargetSettings& target = known.settings;
  boost::json::object line{{"name", target.name},
                           {"type", workers::notify::target_type_name(target.type)},
                           {"url", shown_url(target)},
                           {"timeout_seconds", target.timeout.count()},
                           {"verify_tls", target.verify_tls}};
  if (target.type == TargetType::kWebhook) line["secret"] = target.secret.empty() ? "unset" : "set";
  if (target.type == TargetType::kSmtp) {
    boost::json::array to;
    for (const std::string& address : target.to) to.emplace_back(address);
    line["from"] = target.from;
    line["to"] = std::move(to);
    if (!target.username.empty()) line["username"] = target.username;
    line["password"] = target.password.empty() ? "unset" : "set";
  }
  line["source"] = known.origin == TargetOrigin::kConfigFile ? "config" : "admin";
  if (known.shadowed) line["shadowed_by_config"] = true;
  return line;
}

// AWS's s3:TestEvent document, as S3 sends when a notification configuration is saved.
std::string test_event_document(TimePoint now, std::string_view request_id) {
  return boost::json::serialize(boost::json::object{{"Service", "Amazon S3"},
                                                    {"Event", "s3:TestEvent"},
                                                    {"Time", format_iso8601(now)},
                                                    {"Bucket", ""},
                                                    {"RequestId", request_id},
                                                    {"HostId", "cloudvault"}});
}

bool configured_name(const Config& config, std::string_view name) {
  for (const TargetSettings& target : config.notify_targets) {
    if (target.name == name) return true;
  }
  return false;
}

Error defined_in_file(const Config& config, const std::string& name) {
  return Error{ErrorCode::kInvalidArgument,
               "notification target \"" + name + "\" is defined in the configuration file (" +
                   config.config_file.string() + ", [notify.targets." + name +
                   "]): change it there, not with `cloudvault admin notify`"};
}

// A secret given as "-": read from standard input (so it appears in no process listing or
// shell history), without the line break that ends it.
Result<std::string> read_secret_from_stdin() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (text.ends_with('\n')) text.pop_back();
  if (text.ends_with('\r')) text.pop_back();
  if (text.empty()) return fail(ErrorCode::kInvalidArgument, "no secret on standard input");
  return text;
}

// The flags as the keys of a [notify.targets.NAME] table, for the configuration loader.
Result<toml::table> flags_table(const NotifyTargetFlags& flags) {
  if ((flags.secret == "-") + (flags.password == "-") > 1) {
    return fail(ErrorCode::kInvalidArgument, "only one secret can come from standard input");
  }
  toml::table table;
  table.insert("type", flags.type);
  table.insert("url", flags.url);
  for (auto [key, value] :
       {std::pair{"secret", &flags.secret}, std::pair{"from", &flags.from},
        std::pair{"username", &flags.username}, std::pair{"password", &flags.password}}) {
    if (!*value) continue;
    table.insert(key, **value == "-" ? CV_TRY(read_secret_from_stdin()) : **value);
  }
  if (!flags.to.empty()) {
    toml::array to;
    for (const std::string& address : flags.to) to.push_back(address);
    table.insert("to", std::move(to));
  }
  if (flags.timeout_seconds) table.insert("timeout_seconds", *flags.timeout_seconds);
  if (flags.no_verify_tls) table.insert("verify_tls", false);
  return table;
}

}  // namespace

int admin_notify_list(const Config& config) {
  return with_targets(config, [&](Stores& stores, const std::vector<TargetSettings>& configured) {
    auto known = known_notify_targets(configured, *stores.meta, stores.master_key);
    if (!known) return report(known.error());
    for (const KnownTarget& target : *known) print_json(listing(target));
    return 0;
  });
}

int admin_notify_test(const Config& config, const std::string& name) {
  return with_targets(config, [&](Stores& stores, const std::vector<TargetSettings>& configured) {
    SystemClock clock;
    auto effective = effective_notify_targets(configured, *stores.meta, stores.master_key);
    if (!effective) return report(effective.error());
    auto catalog = workers::notify::TargetCatalog::create(*effective, clock);
    if (!catalog) return report(catalog.error(), 2);
    workers::notify::NotificationTarget* target = (*catalog)->find(name);
    if (!target) {
      std::string known;
      for (const TargetSettings& entry : *effective) {
        known += (known.empty() ? "" : ", ") + entry.name;
      }
      std::fprintf(stderr, "cloudvault: no notification target named \"%s\" (known: %s)\n",
                   name.c_str(), known.empty() ? "none" : known.c_str());
      return 1;
    }
    const TimePoint now = clock.now();
    workers::notify::NotificationMessage message;
    message.event_document = test_event_document(now, new_request_id());
    message.event_name = "s3:TestEvent";
    message.principal = "cloudvault admin notify test";
    message.time = now;
    message.console_url = console_base_url(config) + "/_console/";
    auto delivered = target->deliver(message);
    if (!delivered) {
      print_json({{"target", name},
                  {"delivered", false},
                  {"retryable", delivered.error().retryable()},
                  {"error", delivered.error().message}});
      std::fprintf(stderr, "cloudvault: test message not delivered: %s\n",
                   delivered.error().message.c_str());
      return 1;
    }
    print_json({{"target", name}, {"delivered", true}});
    return 0;
  });
}

int admin_notify_add(const Config& config, const std::string& name,
                     const NotifyTargetFlags& flags) {
  if (configured_name(config, name)) return report(defined_in_file(config, name));
  auto table = flags_table(flags);
  if (!table) return report(table.error(), 2);
  auto settings = load_notify_target(name, *table);  // the configuration file's checks
  if (!settings) return report(settings.error(), 2);
  return with_stores(config, [&](Stores& stores) {
    std::vector<TargetSettings> added{*settings};
    if (auto opened = open_sealed_values(added, stores.master_key); !opened) {
      return report(opened.error(), 2);
    }
    SystemClock clock;
    const meta::NotifyTarget record =
        seal_notify_target(added.front(), stores.master_key, to_unix_nanos(clock.now()));
    if (auto stored = stores.meta->add_notify_target(record); !stored) {
      return report(stored.error());
    }
    ChangeFile(config.data_dir / std::string(kNotifyChangesFile)).announce();
    print_json(listing(KnownTarget{added.front(), TargetOrigin::kStore, false}));
    return 0;
  });
}

int admin_notify_remove(const Config& config, const std::string& name) {
  if (configured_name(config, name)) return report(defined_in_file(config, name));
  return with_stores(config, [&](Stores& stores) {
    auto removed = stores.meta->remove_notify_target(name);
    if (!removed) return report(removed.error());
    if (!*removed) {
      return report(Error{ErrorCode::kInvalidArgument,
                          "no notification target named \"" + name +
                              "\" was added with `cloudvault admin notify add`"});
    }
    ChangeFile(config.data_dir / std::string(kNotifyChangesFile)).announce();
    print_json({{"removed", name}});
    return 0;
  });
}

int admin_notify_seal(const Config& config) {
  auto secret = read_secret_from_stdin();
  if (!secret) return report(secret.error(), 2);
  return with_stores(config, [&](Stores& stores) {
    std::printf("%s\n", seal_value(stores.master_key, *secret).c_str());
    std::fflush(stdout);
    return 0;
  });
}

}  // namespace cv::app
