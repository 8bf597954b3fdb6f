#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

#include "app/notify_config.h"
#include "remote/s3_blob_url.h"
#include "s3/object_ownership.h"

namespace cv::app {
namespace {

// [console] sign_in_*: the throttle's free failures (1-1000) and lockouts (1 s to 1 day, the
// first no longer than the longest); a record is kept at least an hour past the longest lockout.
Status load_sign_in_throttle(const toml::table* console, console::SignInThrottlePolicy& policy) {
  if (!console) return {};
  const toml::table& table = *console;
  const int64_t per_key =
      table["sign_in_free_failures_per_key"].value_or(int64_t{policy.free_failures_per_key});
  const int64_t per_address = table["sign_in_free_failures_per_address"].value_or(
      int64_t{policy.free_failures_per_address});
  const int64_t first =
      table["sign_in_first_lockout_seconds"].value_or(int64_t{policy.first_lockout.count()});
  const int64_t longest =
      table["sign_in_max_lockout_seconds"].value_or(int64_t{policy.max_lockout.count()});
  if (per_key < 1 || per_key > 1000 || per_address < 1 || per_address > 1000) {
    return fail(ErrorCode::kInvalidArgument,
                "console.sign_in_free_failures_per_key and _per_address must be 1-1000");
  }
  if (first < 1 || longest < first || longest > 86400) {
    return fail(ErrorCode::kInvalidArgument,
                "console.sign_in_first_lockout_seconds must be 1 or more and at most "
                "console.sign_in_max_lockout_seconds, which must be at most 86400");
  }
  policy.free_failures_per_key = static_cast<uint32_t>(per_key);
  policy.free_failures_per_address = static_cast<uint32_t>(per_address);
  policy.first_lockout = std::chrono::seconds(first);
  policy.max_lockout = std::chrono::seconds(longest);
  policy.forget_after = std::max(policy.forget_after, policy.max_lockout + std::chrono::hours(1));
  return {};
}

}  // namespace

Status parse_listen(std::string_view text, Config& config) {
  auto [address, port] = CV_TRY(split_listen(text));
  config.listen_address = std::move(address);
  config.listen_port = port;
  return {};
}

Result<std::pair<std::string, uint16_t>> split_listen(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return fail(ErrorCode::kInvalidArgument, "listen address must be ADDR:PORT");
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  unsigned value = 0;
  if (std::from_chars(port.data(), port.data() + port.size(), value).ptr !=
          port.data() + port.size() ||
      value > 65535) {
    return fail(ErrorCode::kInvalidArgument, "listen port must be 0-65535");
  }
  return std::pair{host.empty() ? std::string("0.0.0.0") : std::string(host),
                   static_cast<uint16_t>(value)};
}

namespace {

Status load_trail(const toml::table& table, TrailSettings& trail) {
  const auto section = table["trail"];
  trail.enabled = section["enabled"].value_or(trail.enabled);
  if (auto folder = section["folder"].value<std::string>()) trail.folder = *folder;
  if (auto bucket = section["bucket"].value<std::string>()) trail.bucket = *bucket;
  trail.roll_seconds = section["roll_seconds"].value_or(trail.roll_seconds);
  trail.roll_records = section["roll_records"].value_or(trail.roll_records);
  if (trail.roll_seconds < 1 || trail.roll_seconds > 86400 || trail.roll_records < 1 ||
      trail.roll_records > 1'000'000) {
    return fail(ErrorCode::kInvalidArgument,
                "trail.roll_seconds must be 1-86400 and trail.roll_records 1-1000000");
  }
  if (auto account = section["account_id"].value<std::string>()) {
    if (account->size() != 12 || account->find_first_not_of("0123456789") != std::string::npos) {
      return fail(ErrorCode::kInvalidArgument, "trail.account_id must be 12 digits");
    }
    trail.account_id = *account;
  }
  return {};
}

Status load_tls(const toml::table& table, TlsSettings& tls) {
  const auto section = table["tls"];
  if (auto cert = section["cert"].value<std::string>()) tls.cert = *cert;
  if (auto key = section["key"].value<std::string>()) tls.key = *key;
  if (tls.cert.empty() != tls.key.empty()) {
    return fail(ErrorCode::kInvalidArgument, "tls.cert and tls.key go together: set both");
  }
  if (auto plain = section["plain_listen"].value<std::string>()) {
    auto [address, port] = CV_TRY(split_listen(*plain));
    tls.plain_listen_address = std::move(address);
    tls.plain_listen_port = port;
  }
  if (auto policy = section["allow_plain_sensitive"].value<std::string>()) {
    const auto parsed = parse_plain_http_secrets(*policy);
    if (!parsed) {
      return fail(ErrorCode::kInvalidArgument,
                  "tls.allow_plain_sensitive must be \"loopback\", \"always\" or \"never\"");
    }
    tls.allow_plain_sensitive = *parsed;
  }
  return {};
}

Status load_access(const toml::table& table, AccessSettings& access) {
  const auto section = table["access"];
  if (const toml::node* node = section["object_ownership_default"].node()) {
    const auto name = node->value<std::string>();
    if (!name || !s3::parse_ownership(*name)) {
      return fail(ErrorCode::kInvalidArgument,
                  "access.object_ownership_default must be \"BucketOwnerEnforced\", "
                  "\"BucketOwnerPreferred\" or \"ObjectWriter\"");
    }
    access.object_ownership_default = *name;
  }
  if (const toml::node* node = section["block_public_access_default"].node()) {
    const auto value = node->value<bool>();
    if (!value || !node->is_boolean()) {
      return fail(ErrorCode::kInvalidArgument,
                  "access.block_public_access_default must be true or false");
    }
    access.block_public_access_default = *value;
  }
  return {};
}

Status load_log(const toml::table& table, LogSettings& log) {
  const auto section = table["log"];
  if (const toml::node* node = section["level"].node()) {
    const auto text = node->value<std::string>();
    const auto level = text ? parse_log_level(*text) : std::nullopt;
    if (!level) {
      return fail(ErrorCode::kInvalidArgument,
                  "log.level must be \"trace\", \"debug\", \"info\", \"warn\", \"error\" or "
                  "\"off\"");
    }
    log.level = *level;
  }
  if (const toml::node* node = section["format"].node()) {
    const auto text = node->value<std::string>();
    const auto format = text ? parse_log_format(*text) : std::nullopt;
    if (!format) {
      return fail(ErrorCode::kInvalidArgument, "log.format must be \"json\" or \"text\"");
    }
    log.format = *format;
  }
  if (const toml::node* node = section["access"].node()) {
    if (!node->is_boolean()) {
      return fail(ErrorCode::kInvalidArgument, "log.access must be true or false");
    }
    log.access = *node->value<bool>();
  }
  if (const toml::node* node = section["file"].node()) {
    const auto path = node->value<std::string>();
    if (!node->is_string() || path->empty()) {
      return fail(ErrorCode::kInvalidArgument, "log.file must be a file name");
    }
    log.file = *path;
  }
  if (const toml::node* node = section["max_size_mb"].node()) {
    const auto megabytes = node->is_number() ? node->value<double>() : std::nullopt;
    if (!megabytes || !(*megabytes > 0 && *megabytes <= 1024 * 1024)) {
      return fail(ErrorCode::kInvalidArgument,
                  "log.max_size_mb must be a number above 0 and at most 1048576");
    }
    log.max_size_bytes = std::max<uint64_t>(1, static_cast<uint64_t>(*megabytes * 1024 * 1024));
  }
  if (const toml::node* node = section["max_files"].node()) {
    const auto count = node->value<int64_t>();
    if (!node->is_integer() || *count < 1 || *count > 1000) {
      return fail(ErrorCode::kInvalidArgument, "log.max_files must be 1-1000");
    }
    log.max_files = static_cast<uint64_t>(*count);
  }
  return {};
}

}  // namespace

bool valid_meta_url(std::string_view url) {
  return url.empty() || url.starts_with("postgres://") || url.starts_with("postgresql://");
}

namespace {

// [storage] blob = "s3://...", or the table [storage.blob] (url, access_key, secret_key).
Status read_blob_settings(toml::node_view<toml::node> node, BlobSettings& blob) {
  if (!node) return {};
  if (const auto url = node.value<std::string>(); url && node.is_string()) {
    blob.url = *url;
  } else if (toml::table* section = node.as_table()) {
    for (const auto& [key, value] : *section) {
      if (key != "url" && key != "access_key" && key != "secret_key") {
        return fail(ErrorCode::kInvalidArgument,
                    "storage.blob." + std::string(key.str()) +
                        " is unknown (url, access_key, secret_key)");
      }
      if (!value.is_string()) {
        return fail(ErrorCode::kInvalidArgument,
                    "storage.blob." + std::string(key.str()) + " must be a string");
      }
    }
    blob.url = (*section)["url"].value_or(std::string());
    blob.access_key = (*section)["access_key"].value_or(std::string());
    blob.secret_key = (*section)["secret_key"].value_or(std::string());
    if (blob.access_key.empty() != blob.secret_key.empty()) {
      return fail(ErrorCode::kInvalidArgument,
                  "storage.blob: give access_key and secret_key, or neither");
    }
  } else {
    return fail(ErrorCode::kInvalidArgument,
                "storage.blob must be an s3:// URL or a table with url, access_key, secret_key");
  }
  if (!blob.url.empty()) CV_TRY(remote::parse_s3_blob_url(blob.url));
  return {};
}

}  // namespace

Result<Config> load_config(const std::optional<std::filesystem::path>& file) {
  Config config;
  if (!file) return config;
  config.config_file = *file;
  toml::table table;
  try {
    table = toml::parse_file(file->string());
  } catch (const toml::parse_error& e) {
    return fail(ErrorCode::kInvalidArgument, file->string() + ": " + std::string(e.description()));
  }
  if (auto listen = table["server"]["listen"].value<std::string>()) {
    CV_TRY(parse_listen(*listen, config));
  }
  config.region = table["server"]["region"].value_or(config.region);
  config.domain = table["server"]["domain"].value_or(config.domain);
  const int64_t network = table["server"]["network_threads"].value_or(int64_t{2});
  const int64_t workers = table["server"]["worker_threads"].value_or(int64_t{64});
  if (network < 1 || network > 64 || workers < 1 || workers > 1024) {
    return fail(ErrorCode::kInvalidArgument, "thread counts out of range");
  }
  config.network_threads = static_cast<size_t>(network);
  config.worker_threads = static_cast<size_t>(workers);
  const int64_t background_nice =
      table["server"]["background_nice"].value_or(int64_t{config.background_nice});
  if (background_nice < 0 || background_nice > 19) {
    return fail(ErrorCode::kInvalidArgument, "server.background_nice must be 0-19");
  }
  config.background_nice = static_cast<int>(background_nice);
  for (auto [key, value] : {std::pair{"idle_timeout_seconds", &config.idle_timeout_seconds},
                            std::pair{"header_timeout_seconds", &config.header_timeout_seconds},
                            std::pair{"read_timeout_seconds", &config.read_timeout_seconds},
                            std::pair{"write_timeout_seconds", &config.write_timeout_seconds}}) {
    *value = table["server"][key].value_or(*value);
    if (*value < 1 || *value > 86400) {
      return fail(ErrorCode::kInvalidArgument, "server." + std::string(key) + " must be 1-86400");
    }
  }
  const int64_t per_address = table["server"]["max_connections_per_address"].value_or(
      static_cast<int64_t>(config.max_connections_per_address));
  if (per_address < 0 || per_address > 1000000) {
    return fail(ErrorCode::kInvalidArgument,
                "server.max_connections_per_address must be 0-1000000 (0: unlimited)");
  }
  config.max_connections_per_address = static_cast<size_t>(per_address);
  if (auto data = table["storage"]["data"].value<std::string>()) config.data_dir = *data;
  if (auto key = table["storage"]["master_key_file"].value<std::string>()) {
    config.master_key_file = *key;
  }
  const int64_t threshold = table["storage"]["inline_threshold"].value_or(int64_t{128 * 1024});
  if (threshold < 0 || threshold > 1024 * 1024) {
    return fail(ErrorCode::kInvalidArgument, "storage.inline_threshold must be 0-1048576");
  }
  config.inline_threshold = static_cast<uint64_t>(threshold);
  const int64_t object_cache =
      table["storage"]["object_cache_mib"].value_or(int64_t{24});
  if (object_cache < 0 || object_cache > 65536) {
    return fail(ErrorCode::kInvalidArgument, "storage.object_cache_mib must be 0-65536");
  }
  config.object_cache_mib = static_cast<size_t>(object_cache);
  CV_TRY(read_blob_settings(table["storage"]["blob"], config.blob));
  if (const toml::node* node = table["storage"]["meta"].node()) {
    const auto url = node->value<std::string>();
    if (!node->is_string() || !valid_meta_url(*url)) {
      return fail(ErrorCode::kInvalidArgument,
                  "storage.meta must be a postgres:// URL (empty: SQLite in the data folder)");
    }
    config.meta_url = *url;
  }
  config.gc_interval_seconds = table["gc"]["interval_seconds"].value_or(int64_t{30});
  if (auto path = table["tiers"]["standard_ia"].value<std::string>())
    config.standard_ia_dir = *path;
  if (auto path = table["tiers"]["glacier"].value<std::string>()) config.glacier_dir = *path;
  config.metrics_bearer_token =
      table["metrics"]["bearer_token"].value_or(config.metrics_bearer_token);
  config.health_min_free_ratio =
      table["health"]["min_free_ratio"].value_or(config.health_min_free_ratio);
  if (!(config.health_min_free_ratio >= 0 && config.health_min_free_ratio <= 1)) {
    return fail(ErrorCode::kInvalidArgument, "health.min_free_ratio must be 0-1");
  }
  const int64_t reserve =
      table["health"]["reserve_bytes"].value_or(static_cast<int64_t>(config.health_reserve_bytes));
  if (reserve < 0 || reserve > (int64_t{1} << 30)) {
    return fail(ErrorCode::kInvalidArgument, "health.reserve_bytes must be 0-1073741824");
  }
  config.health_reserve_bytes = static_cast<uint64_t>(reserve);
  config.metrics_enabled = table["metrics"]["enabled"].value_or(config.metrics_enabled);
  if (auto listen = table["metrics"]["listen"].value<std::string>(); listen && !listen->empty()) {
    auto [address, port] = CV_TRY(split_listen(*listen));
    config.metrics_listen_address = std::move(address);
    config.metrics_listen_port = port;
  }
  if (auto path = table["console"]["assets"].value<std::string>()) {
    config.console_assets_dir = *path;
  }
  CV_TRY(load_sign_in_throttle(table["console"].as_table(), config.sign_in_throttle));
  config.lifecycle_day_seconds =
      table["lifecycle"]["day_seconds"].value_or(config.lifecycle_day_seconds);
  config.lifecycle_interval_seconds =
      table["lifecycle"]["interval_seconds"].value_or(config.lifecycle_interval_seconds);
  if (!(config.lifecycle_day_seconds >= 0.001 && config.lifecycle_day_seconds <= 864000) ||
      !(config.lifecycle_interval_seconds >= 0.01 && config.lifecycle_interval_seconds <= 86400)) {
    return fail(ErrorCode::kInvalidArgument,
                "lifecycle.day_seconds must be 0.001-864000 and lifecycle.interval_seconds "
                "0.01-86400");
  }
  config.events_retention_seconds =
      table["events"]["retention_seconds"].value_or(config.events_retention_seconds);
  if (config.events_retention_seconds < 60 || config.events_retention_seconds > 31'536'000) {
    return fail(ErrorCode::kInvalidArgument, "events.retention_seconds must be 60-31536000");
  }
  config.events_retry_first_seconds =
      table["events"]["retry_first_seconds"].value_or(config.events_retry_first_seconds);
  config.events_retry_max_seconds =
      table["events"]["retry_max_seconds"].value_or(config.events_retry_max_seconds);
  config.events_max_attempts = table["events"]["max_attempts"].value_or(config.events_max_attempts);
  if (!(config.events_retry_first_seconds >= 0.001 && config.events_retry_first_seconds <= 3600) ||
      !(config.events_retry_max_seconds >= config.events_retry_first_seconds &&
        config.events_retry_max_seconds <= 86400) ||
      config.events_max_attempts < 1 || config.events_max_attempts > 1000) {
    return fail(ErrorCode::kInvalidArgument,
                "events.retry_first_seconds must be 0.001-3600, events.retry_max_seconds at "
                "least that and at most 86400, events.max_attempts 1-1000");
  }
  if (auto url = table["server"]["public_url"].value<std::string>()) {
    config.public_url = *url;
    while (config.public_url.ends_with('/')) config.public_url.pop_back();
    if (!config.public_url.starts_with("http://") && !config.public_url.starts_with("https://")) {
      return fail(ErrorCode::kInvalidArgument,
                  "server.public_url must start with http:// or https://");
    }
  }
  if (auto rules = table["activity"]["rules"].value<std::string>()) {
    config.activity_rules_file = *rules;
  }
  config.activity_ingest_interval_seconds = table["activity"]["ingest_interval_seconds"].value_or(
      config.activity_ingest_interval_seconds);
  if (config.activity_ingest_interval_seconds < 60 ||
      config.activity_ingest_interval_seconds > 604800) {
    return fail(ErrorCode::kInvalidArgument, "activity.ingest_interval_seconds must be 60-604800");
  }
  if (const toml::node* sources = table["activity"]["sources"].node()) {
    const toml::array* list = sources->as_array();
    if (list == nullptr) {
      return fail(ErrorCode::kInvalidArgument, "activity.sources must be a list of strings");
    }
    for (const toml::node& source : *list) {
      auto text = source.value<std::string>();
      if (!text || text->empty()) {
        return fail(ErrorCode::kInvalidArgument, "activity.sources must be a list of strings");
      }
      config.activity_sources.push_back(*text);
    }
  }
  CV_TRY(load_trail(table, config.trail));
  CV_TRY(load_tls(table, config.tls));
  config.sigv2 = table["auth"]["sigv2"].value_or(config.sigv2);
  CV_TRY(load_access(table, config.access));
  CV_TRY(load_log(table, config.log));
  CV_TRY(load_notify_targets(table, config.notify_targets));
  CV_TRY(load_alarm_settings(table, config.alarms));
  CV_TRY(load_replication_remotes(table, config.replication_remotes));
  return config;
}

std::string console_base_url(const Config& config) {
  if (!config.public_url.empty()) return config.public_url;
  const bool v6 = config.listen_address.find(':') != std::string::npos;
  const std::string host = config.listen_address == "0.0.0.0" ? "127.0.0.1"
                           : v6                               ? "[" + config.listen_address + "]"
                                                              : config.listen_address;
  return "http://" + host + ":" + std::to_string(config.listen_port);
}

}  // namespace cv::app
