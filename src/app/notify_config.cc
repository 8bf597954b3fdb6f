#include "app/notify_config.h"

#include <algorithm>
#include <set>

#include "app/sealed_values.h"

namespace cv::app {
namespace {

using workers::notify::TargetSettings;
using workers::notify::TargetType;

std::unexpected<Error> invalid(const std::string& section, const std::string& what) {
  return fail(ErrorCode::kInvalidArgument, section + ": " + what);
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

// The sub-tables of root[a][b], each checked to be a table with a valid name.
Result<std::vector<std::pair<std::string, const toml::table*>>> entries(const toml::table& root,
                                                                        std::string_view a,
                                                                        std::string_view b) {
  std::vector<std::pair<std::string, const toml::table*>> out;
  const toml::node* outer = root.get(a);
  if (!outer) return out;
  if (!outer->is_table()) return invalid(std::string(a), "must be a table");
  const toml::node* inner = outer->as_table()->get(b);
  if (!inner) return out;
  const std::string where = std::string(a) + "." + std::string(b);
  if (!inner->is_table()) return invalid(where, "must be a table of [" + where + ".NAME] tables");
  for (const auto& [key, node] : *inner->as_table()) {
    const std::string name(key.str());
    if (!node.is_table()) return invalid(where + "." + name, "must be a table");
    if (!valid_name(name)) {
      return invalid(where + "." + name, "names are 1-64 letters, digits, '.', '_' or '-'");
    }
    out.emplace_back(name, node.as_table());
  }
  return out;
}

Status check_keys(const std::string& section, const toml::table& table,
                  const std::set<std::string_view>& allowed, std::string_view type) {
  for (const auto& [key, node] : table) {
    if (!allowed.contains(key.str())) {
      return invalid(section, "unknown key \"" + std::string(key.str()) + "\"" +
                                  (type.empty() ? "" : " for type " + std::string(type)));
    }
  }
  return {};
}

Result<std::string> string_key(const std::string& section, const toml::table& table,
                               std::string_view key, bool required) {
  const toml::node* node = table.get(key);
  if (!node) {
    if (required) return invalid(section, std::string(key) + " is required");
    return std::string();
  }
  if (!node->is_string()) return invalid(section, std::string(key) + " must be a string");
  return std::string(*node->value<std::string_view>());
}

}  // namespace

Result<TargetSettings> load_notify_target(const std::string& name, const toml::table& table) {
  const std::string section = "notify.targets." + name;
  if (!valid_name(name)) return invalid(section, "names are 1-64 letters, digits, '.', '_' or '-'");
  TargetSettings settings;
  settings.name = name;
  const std::string type = CV_TRY(string_key(section, table, "type", true));
  const TargetType* parsed = workers::notify::parse_target_type(type);
  if (!parsed) {
    return invalid(section, "unknown type \"" + type + "\" (webhook, smtp, slack or discord)");
  }
  settings.type = *parsed;
  std::set<std::string_view> allowed{"type", "url", "timeout_seconds", "verify_tls"};
  if (settings.type == TargetType::kWebhook) allowed.insert("secret");
  if (settings.type == TargetType::kSmtp) {
    allowed.insert({"from", "to", "username", "password"});
  }
  CV_TRY(check_keys(section, table, allowed, type));
  settings.url = CV_TRY(string_key(section, table, "url", true));
  settings.secret = CV_TRY(string_key(section, table, "secret", false));
  settings.from = CV_TRY(string_key(section, table, "from", false));
  settings.username = CV_TRY(string_key(section, table, "username", false));
  settings.password = CV_TRY(string_key(section, table, "password", false));
  if (const toml::node* to = table.get("to")) {
    const toml::array* list = to->as_array();
    if (!list)
      return invalid(section, "to must be an array of addresses, e.g. [\"me@example.com\"]");
    for (const toml::node& address : *list) {
      if (!address.is_string()) return invalid(section, "to must hold only strings");
      settings.to.push_back(std::string(*address.value<std::string_view>()));
    }
  }
  if (const toml::node* timeout = table.get("timeout_seconds")) {
    if (!timeout->is_integer()) return invalid(section, "timeout_seconds must be an integer");
    settings.timeout = std::chrono::seconds(*timeout->value<int64_t>());
  }
  if (const toml::node* verify = table.get("verify_tls")) {
    if (!verify->is_boolean()) return invalid(section, "verify_tls must be true or false");
    settings.verify_tls = *verify->value<bool>();
  }
  // Sealed values are checked once opened (open_sealed_values), as they will be used.
  if (!has_sealed_value(settings)) CV_TRY(workers::notify::validate(settings));
  return settings;
}

Status load_notify_targets(const toml::table& root, std::vector<TargetSettings>& out) {
  const auto tables = CV_TRY(entries(root, "notify", "targets"));
  out.clear();
  for (const auto& [name, table] : tables) {
    out.push_back(CV_TRY(load_notify_target(name, *table)));
  }
  std::sort(out.begin(), out.end(),
            [](const TargetSettings& a, const TargetSettings& b) { return a.name < b.name; });
  return {};
}

Status load_replication_remotes(const toml::table& root, std::vector<ReplicationRemote>& out) {
  const auto tables = CV_TRY(entries(root, "replication", "remotes"));
  out.clear();
  for (const auto& [name, table] : tables) {
    const std::string section = "replication.remotes." + name;
    CV_TRY(check_keys(
        section, *table,
        {"endpoint", "region", "access_key", "secret_key", "path_style", "verify_tls", "ca_file"},
        ""));
    ReplicationRemote remote;
    remote.name = name;
    remote.endpoint = CV_TRY(string_key(section, *table, "endpoint", true));
    if (!remote.endpoint.starts_with("http://") && !remote.endpoint.starts_with("https://")) {
      return invalid(section, "endpoint must start with http:// or https://");
    }
    while (remote.endpoint.ends_with('/')) remote.endpoint.pop_back();
    const std::string region = CV_TRY(string_key(section, *table, "region", false));
    if (!region.empty()) remote.region = region;
    remote.access_key = CV_TRY(string_key(section, *table, "access_key", true));
    remote.secret_key = CV_TRY(string_key(section, *table, "secret_key", true));
    if (remote.access_key.empty() || remote.secret_key.empty()) {
      return invalid(section, "access_key and secret_key must not be empty");
    }
    for (auto [key, flag] : {std::pair{"path_style", &remote.path_style},
                             std::pair{"verify_tls", &remote.verify_tls}}) {
      if (const toml::node* node = table->get(key)) {
        if (!node->is_boolean())
          return invalid(section, std::string(key) + " must be true or false");
        *flag = *node->value<bool>();
      }
    }
    remote.ca_file = CV_TRY(string_key(section, *table, "ca_file", false));
    out.push_back(std::move(remote));
  }
  std::sort(out.begin(), out.end(),
            [](const ReplicationRemote& a, const ReplicationRemote& b) { return a.name < b.name; });
  return {};
}

}  // namespace cv::app
