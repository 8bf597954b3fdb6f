// `cloudvault trail flush|validate|lookup|key` (the audit trail, src/audit).
#include <boost/json.hpp>
#include <cstdio>

#include "app/admin_support.h"
#include "app/commands.h"
#include "app/data_folder_lock.h"
#include "app/migration_report.h"
#include "app/trail_bucket.h"
#include "app/trail_flush_signal.h"
#include "app/trail_setup.h"
#include "audit/trail_validator.h"
#include "audit/trail_writer.h"
#include "core/clock.h"

namespace cv::app {
namespace {

constexpr auto kFlushDeadline = std::chrono::seconds(30);

// The root user's id: the owner of a trail bucket the CLI creates.
Result<std::string> root_user_id(meta::MetaStore& meta) {
  for (const meta::User& user : CV_TRY(meta.list_users())) {
    if (user.is_root) return user.id;
  }
  return fail(ErrorCode::kInternalError,
              "no root user yet: start `cloudvault server` once before using a trail bucket");
}

// No server runs: this process rolls and digests the store's records itself.
int flush_directly(const Config& config, const TrailSetup& setup) {
  return with_vault(config, [&](vault::Vault& vault, meta::MetaStore& meta) {
    std::unique_ptr<VaultTrailBucket> bucket;
    if (!config.trail.bucket.empty()) {
      auto owner = root_user_id(meta);
      if (!owner) return report_error(owner.error());
      auto opened = VaultTrailBucket::open(vault, config.trail.bucket, *owner);
      if (!opened) return report_error(opened.error());
      bucket = std::move(*opened);
    }
    SystemClock clock;
    audit::TrailWriter writer(meta, clock, setup.key, bucket.get(),
                              trail_writer_options(config, setup));
    if (auto flushed = writer.flush(); !flushed) return report_error(flushed.error());
    return 0;
  });
}

std::optional<int64_t> parse_time(const std::optional<std::string>& text, const char* flag,
                                  bool& bad) {
  if (!text) return std::nullopt;
  auto parsed = parse_iso8601(*text);
  if (!parsed) {
    std::fprintf(stderr,
                 "cloudvault: %s must be a UTC time like 2026-12-06T10:00:00Z, not \"%s\"\n", flag,
                 text->c_str());
    bad = true;
    return std::nullopt;
  }
  return to_unix_nanos(*parsed);
}

}  // namespace

int trail_flush(const Config& config) {
  if (!config.trail.enabled) {
    std::fprintf(stderr, "cloudvault: the audit trail is off ([trail] enabled = false)\n");
    return 1;
  }
  auto setup = trail_setup(config);
  if (!setup) return report_error(setup.error());
  // A server holds the folder's lock shared; an exclusive try tells whether one runs.
  auto alone = DataFolderLock::acquire(config.data_dir, DataFolderLock::Mode::kExclusive, false);
  if (!alone && alone.error().code == ErrorCode::kServiceUnavailable) {
    if (auto asked = request_trail_flush(config.data_dir, kFlushDeadline); !asked) {
      return report_error(asked.error());
    }
  } else {
    if (!alone) return report_error(alone.error());
    // Held while this process flushes: a server cannot start in between.
    if (int failed = flush_directly(config, *setup); failed != 0) return failed;
  }
  std::printf("trail flushed to %s\n", setup->folder.c_str());
  return 0;
}

int trail_validate(const Config& config, const std::optional<std::string>& from,
                   const std::optional<std::string>& to) {
  bool bad = false;
  const auto from_ns = parse_time(from, "--from", bad);
  const auto to_ns = parse_time(to, "--to", bad);
  if (bad) return 2;
  auto setup = trail_setup(config);
  if (!setup) return report_error(setup.error());
  auto stores = open_stores_for_cli(config);
  if (!stores) return report_error(stores.error());
  audit::TrailValidationOptions options;
  options.folder = setup->folder;
  options.account_id = setup->account_id;
  options.region = config.region;
  options.public_key = setup->key.public_pem();
  options.from_ns = from_ns.value_or(0);
  options.to_ns = to_ns.value_or(0);
  auto report = audit::validate_trail(*stores->meta, options);
  if (!report) return report_error(report.error());
  for (const std::string& problem : report->problems) std::printf("%s\n", problem.c_str());
  if (!report->intact()) {
    std::printf("trail NOT intact: %zu problem(s) in %zu digest(s) and %zu log file(s)\n",
                report->problems.size(), report->digests_checked, report->log_files_checked);
    return 1;
  }
  std::printf("trail intact: %zu digest(s) and %zu log file(s) checked\n", report->digests_checked,
              report->log_files_checked);
  return 0;
}

int trail_lookup(const Config& config, const TrailLookupFlags& flags) {
  bool bad = false;
  meta::TrailQuery query;
  query.from_ns = parse_time(flags.from, "--from", bad).value_or(0);
  query.to_ns = parse_time(flags.to, "--to", bad).value_or(0);
  if (flags.next) {
    try {
      query.before_seq = std::stoll(*flags.next);
    } catch (const std::exception&) {
      bad = true;
    }
    if (query.before_seq <= 0) {
      std::fprintf(stderr, "cloudvault: --next takes the token a previous lookup printed\n");
      bad = true;
    }
  }
  if (flags.read_only && *flags.read_only != "true" && *flags.read_only != "false") {
    std::fprintf(stderr, "cloudvault: --read-only takes true or false\n");
    bad = true;
  }
  if (bad) return 2;
  query.user_name = flags.user.value_or("");
  query.access_key_id = flags.access_key.value_or("");
  query.bucket = flags.bucket.value_or("");
  query.key_prefix = flags.prefix.value_or("");
  query.event_name = flags.event.value_or("");
  query.errors_only = flags.errors_only;
  if (flags.read_only) query.read_only = *flags.read_only == "true";
  query.max = flags.max;
  auto stores = open_stores_for_cli(config);
  if (!stores) return report_error(stores.error());
  auto page = stores->meta->lookup_trail(query);
  if (!page) return report_error(page.error());
  for (const meta::TrailRecord& record : page->records) {
    if (flags.json) {
      std::printf("%s\n", record.record_json.c_str());
      continue;
    }
    const std::string object = record.bucket.empty() ? "-" : record.bucket + "/" + record.key;
    std::printf(
        "%s  %-28s %-12s %s%s%s\n", format_iso8601(from_unix_nanos(record.event_time_ns)).c_str(),
        record.event_name.c_str(), record.user_name.empty() ? "-" : record.user_name.c_str(),
        object.c_str(), record.error_code.empty() ? "" : "  ", record.error_code.c_str());
  }
  if (page->next_before_seq != 0) {
    if (flags.json) {
      print_json(boost::json::object{{"next", std::to_string(page->next_before_seq)}});
    } else {
      std::printf("next: %lld (more with --next %lld)\n",
                  static_cast<long long>(page->next_before_seq),
                  static_cast<long long>(page->next_before_seq));
    }
  }
  return 0;
}

int trail_key(const Config& config) {
  auto setup = trail_setup(config);
  if (!setup) return report_error(setup.error());
  std::printf("%sfingerprint: %s\n", setup->key.public_pem().c_str(),
              setup->key.fingerprint().c_str());
  return 0;
}

}  // namespace cv::app
