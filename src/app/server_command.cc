// `cloudvault server`: opens the data folder, wires the layers together and serves until
// SIGINT or SIGTERM; SIGHUP re-reads the configuration file's notification targets and
// replication remotes (app/config_reload.h) and the TLS certificate and key files.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <vips/vips.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "activity/scheduled_ingest.h"
#include "app/alarm_rule_book.h"
#include "app/migration_report.h"
#include "app/operations_view.h"
#include "app/access_log.h"
#include "app/activity_reports.h"
#include "app/activity_sources.h"
#include "app/console_gate.h"
#include "app/catalogs.h"
#include "app/change_file.h"
#include "app/commands.h"
#include "app/config_reload.h"
#include "app/data_dir.h"
#include "app/data_folder_lock.h"
#include "app/front_door.h"
#include "app/job_metrics.h"
#include "app/job_log.h"
#include "app/master_key.h"
#include "app/master_key_rotation.h"
#include "app/notify_targets.h"
#include "app/periodic_task.h"
#include "app/readiness.h"
#include "app/remote_clients.h"
#include "app/scrape_gauges.h"
#include "app/sealed_values.h"
#include "app/space_reserve.h"
#include "app/server_log.h"
#include "app/trail_identity.h"
#include "app/trail_service.h"
#include "app/wiring.h"
#include "audit/request_capture.h"
#include "console/asset_server.h"
#include "console/console_api.h"
#include "core/encoding.h"
#include "http/server.h"
#include "http/tls_context.h"
#include "iam/caller_directory.h"
#include "iam/iam_directory.h"
#include "iam/user_directory.h"
#include "iam_api/iam_api.h"
#include "s3/s3_api.h"
#include "vault/vault.h"
#include "workers/alarms/alarm_engine.h"
#include "workers/alarms/metric_history.h"
#include "workers/garbage_collector.h"
#include "workers/lifecycle_worker.h"
#include "workers/notify/notification_delivery.h"
#include "workers/notify/targets/target_catalog.h"
#include "workers/outbox/outbox_consumer.h"
#include "workers/replicate/replication_worker.h"

namespace cv::app {
namespace {

class OwnerNames final : public s3::OwnerDirectory {
 public:
  OwnerNames(iam::UserDirectory& users, meta::MetaStore& meta) : users_(users), meta_(meta) {}
  std::string display_name(std::string_view user_id) override {
    return users_.display_name(user_id);
  }
  // A scan of the users: grants by e-mail are rare and users few.
  std::optional<std::string> user_id_for_email(std::string_view email) override {
    const auto users = meta_.list_users();
    if (!users) return std::nullopt;
    const std::string wanted = to_lower(email);
    for (const auto& user : *users) {
      if (!user.email.empty() && to_lower(user.email) == wanted) return user.id;
    }
    return std::nullopt;
  }
  bool user_exists(std::string_view user_id) override {
    const auto user = meta_.get_user(user_id);
    return user && user->has_value();
  }

 private:
  iam::UserDirectory& users_;
  meta::MetaStore& meta_;
};

// A lifecycle pass's counts, for its "end" record.
JobCounts lifecycle_counts(const workers::LifecycleReport& report) {
  return {{"keys_examined", report.keys_examined},
          {"transitioned", report.transitioned},
          {"expired", report.expired},
          {"noncurrent_deleted", report.noncurrent_deleted},
          {"delete_markers_removed", report.delete_markers_removed},
          {"restores_finished", report.restores_finished},
          {"restores_expired", report.restores_expired},
          {"uploads_aborted", report.uploads_aborted},
          {"conflicts", report.conflicts},
          {"locked_deferred", report.locked_deferred},
          {"failures", report.failures}};
}

// Logs each batch of an outbox consumer's target (notification deliveries, replications).
auto outbox_batch_logger(ServerLog& log, std::string_view job) {
  return [&log, job](const std::string& target,
                     const Result<workers::OutboxTaskRunner::Report>& report,
                     std::chrono::steady_clock::duration took) {
    const JobLabels labels{{"target", target}};
    if (!report) {
      log_job_outcome(log, job, labels, took, {}, report.error().message);
      return;
    }
    log_job_outcome(
        log, job, labels, took,
        {{"done", report->done}, {"retried", report->retried}, {"parked", report->parked}});
  };
}

}  // namespace

int run_server(const Config& configured) {
  Config config = configured;  // its sealed values are opened once the master key is known
  // Signals are taken by sigwait() below; every thread started from here inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  // Blocks of 128 KiB and more (request bodies, XML documents, listing buffers) are mapped
  // and returned to the system when freed. glibc would otherwise raise this threshold after
  // the first such block is freed and keep later ones in the workers' malloc arenas, so RSS
  // would stay at its peak after a burst of large requests (docs/OPERATIONS.md, Memory).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);

  // The log ([log]): every spdlog line from here on, and the access records, go to it.
  auto server_log = ServerLog::open(config.log);
  if (!server_log) {
    std::fprintf(stderr, "cloudvault: %s\n", server_log.error().message.c_str());
    return 1;
  }
  AccessLog access_log(**server_log);

  // Held until exit: a master key rotation refuses to run while a server uses the folder.
  auto folder_lock =
      DataFolderLock::acquire(config.data_dir, DataFolderLock::Mode::kShared, /*wait=*/false);
  if (!folder_lock) {
    std::fprintf(stderr, "cloudvault: %s\n", folder_lock.error().message.c_str());
    return 1;
  }
  // Prometheus metrics on GET /metrics (issue 15); the store reports its group commits.
  Metrics metrics;
  JobMetrics job_metrics(metrics.registry());
  // Room for metadata commits (deletes) once the disk is full: released by the metadata
  // store when a commit finds none, set aside again when there is room.
  SpaceReserve reserve(config.data_dir / "space.reserve", config.health_reserve_bytes);
  // An upgrade of the metadata schema is logged when it is done (no bar: this is a service).
  MigrationReport migration = MigrationReport::to_log();
  StoreOptions store_options = store_options_from(config);
  store_options.full_disk = reserve.full_disk_policy();
  store_options.commits = &job_metrics;
  store_options.on_migration = migration.callback();
  store_options.object_cache_bytes = config.object_cache_mib << 20;
  auto stores = open_stores(config.data_dir, std::move(store_options));
  if (!stores) {
    std::fprintf(stderr, "cloudvault: %s\n", stores.error().message.c_str());
    return 1;
  }
  migration.finish();
  spdlog::info("metadata is kept in {}; object bodies in {}", stores->meta_location,
               stores->blob_location);
  // A master key rotation a crash interrupted is finished before anything is served.
  const auto key_path = master_key_path(config.data_dir, config.master_key_file);
  if (auto finished = finish_interrupted_rotation(*stores->meta, key_path); !finished) {
    std::fprintf(stderr, "cloudvault: cannot finish the interrupted master key rotation: %s\n",
                 finished.error().message.c_str());
    return 1;
  } else if (*finished) {
    spdlog::info("finished an interrupted master key rotation ({} secrets)", (*finished)->secrets);
    stores->master_key = (*finished)->master_key;
  }
  if (auto opened = open_sealed_values(config, stores->master_key); !opened) {
    std::fprintf(stderr, "cloudvault: %s\n", opened.error().message.c_str());
    return 1;
  }
  SystemClock clock;
  // `cloudvault admin backup create` changes buckets while the server runs: follow it.
  ChangeFile bucket_changes(config.data_dir / std::string(kBucketChangesFile));
  vault::VaultOptions vault_options = vault_options_from(config);
  vault_options.other_changes = [&bucket_changes] { return bucket_changes.generation(); };
  vault::Vault vault(*stores->meta, *stores->blobs, clock, vault_options, stores->master_key);
  if (auto swept = vault.sweep_orphans(); !swept) {
    std::fprintf(stderr, "cloudvault: cannot sweep the blob store: %s\n",
                 swept.error().message.c_str());
    return 1;
  } else if (*swept > 0) {
    spdlog::info("removed {} orphaned blobs left by an earlier crash", *swept);
  }

  // Looked at per request (credentials, IAM policies), so at most every kServerLookInterval;
  // the admin commands that change IAM wait that long before they return.
  ChangeFile credential_changes(config.data_dir / "credentials.changed",
                                ChangeFile::kServerLookInterval);
  iam::UserDirectory users(*stores->meta, stores->master_key, clock, credential_changes);
  auto wanted_root = root_credentials_from_env();
  if (!wanted_root) {
    std::fprintf(stderr, "cloudvault: %s\n", wanted_root.error().message.c_str());
    return 1;
  }
  auto root = users.ensure_root(*wanted_root);
  if (!root || !save_root_credentials(config.data_dir, *root)) {
    std::fprintf(stderr, "cloudvault: cannot set up the root user: %s\n",
                 root ? "cannot write root.credentials" : root.error().message.c_str());
    return 1;
  }

  // The audit trail ([trail], src/audit): every request's record goes to `audit_sink`.
  std::unique_ptr<TrailService> trail;
  if (config.trail.enabled) {
    auto started = TrailService::start(
        config, vault, *stores->meta, root->user_id, clock,
        [&log = **server_log](const Result<audit::TrailRollReport>& report,
                              std::chrono::steady_clock::duration took) {
          if (!report) {
            log_job_outcome(log, "trail_roll", {}, took, {}, report.error().message);
          } else {
            log_job_outcome(
                log, "trail_roll", {}, took,
                {{"files_written", report->files}, {"digests_written", report->digests}});
          }
        });
    if (!started) {
      std::fprintf(stderr, "cloudvault: cannot start the audit trail: %s\n",
                   started.error().message.c_str());
      return 1;
    }
    trail = std::move(*started);
  }

  // The configuration file's targets and those of `admin notify add`, followed while it runs.
  ChangeFile notify_changes(config.data_dir / std::string(kNotifyChangesFile));
  NotifyTargetSource target_source(config.notify_targets, *stores->meta, stores->master_key);
  auto notify_targets = workers::notify::LiveTargetCatalog::create(
      [&target_source] { return target_source.load(); },
      [&notify_changes] { return notify_changes.generation(); }, clock, {});
  if (!notify_targets) {
    std::fprintf(stderr, "cloudvault: %s\n", notify_targets.error().message.c_str());
    return 1;
  }
  const NotificationTargetNames target_names(**notify_targets);
  ReplicationRemoteNames remote_names(config.replication_remotes);

  // The audit trail (issue 13): the trail writer, when [trail] enabled; null: nothing is
  // recorded. It must outlive `server` below (records are handed over after responses).
  audit::AuditSink* audit_sink = trail ? &trail->sink() : nullptr;
  audit::CaptureOptions audit_capture;
  if (audit_sink != nullptr) {
    auto trail_account = trail_account_id(config);
    if (!trail_account) {
      std::fprintf(stderr, "cloudvault: %s\n", trail_account.error().message.c_str());
      return 1;
    }
    audit_capture = {audit_sink, *trail_account, config.trail.bucket};
  }

  OwnerNames owners(users, *stores->meta);
  auto account_id = trail_account_id(config);
  if (!account_id) {
    std::fprintf(stderr, "cloudvault: %s\n", account_id.error().message.c_str());
    return 1;
  }
  // IAM: users, groups, roles and their policies (documents checked by the policy language's
  // parser), and the identity policies every request is authorized with.
  iam::IamDirectory iam_directory(
      *stores->meta, users, credential_changes, clock,
      iam::IamDirectoryOptions{*account_id, iam::validate_policy_document});
  iam::CallerDirectory callers(*account_id, &iam_directory, &credential_changes);
  s3::S3Options s3_options;
  s3_options.region = config.region;
  s3_options.account_id = *account_id;
  s3_options.domain = config.domain;
  s3_options.notification_targets = &target_names;
  s3_options.replication_remotes = &remote_names;
  s3_options.audit = audit_capture;
  s3_options.plain_http_secrets = config.tls.allow_plain_sensitive;
  s3_options.sigv2 = config.sigv2;
  s3_options.access = {config.access.object_ownership_default,
                       config.access.block_public_access_default};
  s3::S3Api s3_api(vault, users, owners, callers, clock, s3_options);
  if (VIPS_INIT("cloudvault") != 0) {
    std::fprintf(stderr, "cloudvault: cannot initialise libvips (thumbnails)\n");
    return 1;
  }
  console::SessionStore console_sessions(clock);
  console::ThumbnailCache thumbnails(config.data_dir / "thumbnails");
  const ConsoleDestinations console_destinations(target_names, remote_names);
  console::ConsoleOptions console_options = console_options_from(config);
  console_options.destinations = &console_destinations;
  console_options.audit = audit_capture;
  console_options.region = config.region;
  console_options.plain_http_secrets = config.tls.allow_plain_sensitive;
  // The console's bucket and object routes decide access as the S3 API does (issue 14).
  ConsoleGate console_gate(s3_api, users);
  console_options.access = &console_gate;
  // The activity pages: the rules file and the signing key of `activity attest`.
  auto activity_rules = activity::ScoringRules::load(config.activity_rules_file);
  if (!activity_rules) {
    std::fprintf(stderr, "cloudvault: %s\n", activity_rules.error().message.c_str());
    return 1;
  }
  auto signing_key = server_signing_key(config.data_dir);
  if (!signing_key) {
    std::fprintf(stderr, "cloudvault: %s\n", signing_key.error().message.c_str());
    return 1;
  }
  StoredActivityReports activity_reports(*stores->meta, clock, std::move(*activity_rules),
                                         *signing_key);
  console_options.activity = &activity_reports;
  console_options.iam = &iam_directory;
  console_options.users = &users;
  // Alarms and the dashboard's history (issue 15): the rules in force, and the console's
  // Dashboard page over them and the stored points.
  AlarmRuleBook alarm_rules(config.alarms, *stores->meta);
  OperationsView operations_view(
      *stores->meta, alarm_rules, clock, config.alarms.sample_seconds, config.alarms.history_hours,
      StorageLocations{stores->meta_location, stores->blob_location});
  console_options.operations = &operations_view;
  console::ConsoleApi console_api(vault, users, console_sessions, thumbnails, console_options);
  console::AssetServer console_assets(config.console_assets_dir);
  // The IAM and STS query APIs on the same port.
  iam::SessionIssuer session_issuer(iam_directory, users, callers, clock, *account_id);
  iam_api::IamApiOptions iam_api_options;
  iam_api_options.authorizer = iam_api::policy_iam_authorizer(callers, *account_id, clock);
  iam_api_options.sessions = &session_issuer;
  iam_api_options.audit = audit_capture;
  iam_api::IamApi iam_query_api(iam_directory, users, clock, iam_api_options);
  FrontDoor front_door(s3_api, console_api, console_assets,
                       trail ? trail->public_key_pem() : std::string(), &iam_query_api);
  std::string metrics_token = config.metrics_bearer_token;
  if (const char* from_env = std::getenv("CLOUDVAULT_METRICS_TOKEN"); from_env && *from_env) {
    metrics_token = from_env;
  }
  if (config.metrics_enabled) front_door.serve_metrics(metrics, std::move(metrics_token));
  // Readiness (GET /_cloudvault/ready) and the disk, readiness and master-key gauges.
  const TierFolders tier_folders =
      resolved_tier_folders(config.data_dir, tier_folders_from(config));
  auto readiness = std::make_shared<Readiness>(
      *stores->meta,
      std::vector<WatchedFolder>{{"data", config.data_dir},
                                 {"standard_ia", tier_folders.standard_ia},
                                 {"glacier", tier_folders.glacier}},
      key_path, stores->master_key, ReadinessOptions{config.health_min_free_ratio});
  metrics.add_collectable(readiness);
  front_door.serve_readiness(*readiness);
  front_door.log_access(access_log);

  http::ServerOptions http_options;
  http_options.listen_address = config.listen_address;
  http_options.port = config.listen_port;
  http_options.network_threads = config.network_threads;
  http_options.worker_threads = config.worker_threads;
  http_options.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
  http_options.header_timeout = std::chrono::seconds(config.header_timeout_seconds);
  http_options.read_timeout = std::chrono::seconds(config.read_timeout_seconds);
  http_options.write_timeout = std::chrono::seconds(config.write_timeout_seconds);
  http_options.max_connections_per_address = config.max_connections_per_address;
  http_options.log_error = [](std::string_view message) { spdlog::error("{}", message); };
  // The access records of a batch of completions go out together, in one write.
  if (access_log.enabled()) {
    http_options.on_completion_batch_end = [&access_log] { access_log.end_batch(); };
  }
  // Requests refused as malformed HTTP are recorded in the trail too.
  http_options.on_refusal = [&audit_capture, &config, &front_door](const Request& request,
                                                                   Response& response) {
    audit::record_refusal(request, response, audit_capture, config.region);
    front_door.log_refusal(request, response);
  };
  // HTTPS ([tls] or --tls-cert/--tls-key): the certificate is reloaded on SIGHUP.
  std::shared_ptr<http::TlsCredentials> tls;
  if (!config.tls.cert.empty()) {
    auto loaded = http::TlsCredentials::load(config.tls.cert, config.tls.key);
    if (!loaded) {
      std::fprintf(stderr, "cloudvault: %s\n", loaded.error().message.c_str());
      return 1;
    }
    tls = std::move(*loaded);
    http_options.tls = tls;
    http_options.plain_listen_address = config.tls.plain_listen_address;
    http_options.plain_port = config.tls.plain_listen_port;
  } else if (config.tls.plain_listen_address) {
    std::fprintf(stderr, "cloudvault: tls.plain_listen needs tls.cert and tls.key\n");
    return 1;
  }
  http::Server server(http_options, front_door);
  metrics.add_collectable(std::make_shared<ScrapeGauges>(ScrapeSources{
      .meta = stores->meta.get(),
      .clock = &clock,
      .wal_file = config.data_dir / "meta.db-wal",
      .replicate_consumer = std::string(workers::replicate::kReplicateConsumer),
      .trail = trail ? &trail->writer() : nullptr,
      .connections = [&server] { return server.connections(); },
  }));
  try {
    server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cloudvault: cannot listen on %s:%u: %s\n", config.listen_address.c_str(),
                 config.listen_port, e.what());
    return 1;
  }
  reserve.replenish();
  PeriodicTask reserving(std::chrono::seconds(1), [&reserve] { reserve.replenish(); });
  // The separate metrics listener ([metrics] listen): GET /metrics and health only.
  std::optional<http::Server> metrics_server;
  if (config.metrics_enabled && config.metrics_listen_address) {
    http::ServerOptions metrics_options;
    metrics_options.listen_address = *config.metrics_listen_address;
    metrics_options.port = config.metrics_listen_port;
    metrics_options.network_threads = 1;
    metrics_options.worker_threads = 2;
    metrics_options.log_error = http_options.log_error;
    metrics_options.on_completion_batch_end = http_options.on_completion_batch_end;
    metrics_server.emplace(metrics_options, front_door.metrics_listener());
    try {
      metrics_server->start();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cloudvault: cannot listen on %s:%u for metrics: %s\n",
                   config.metrics_listen_address->c_str(), config.metrics_listen_port, e.what());
      return 1;
    }
  }
  workers::GarbageCollector collector(vault);
  ServerLog& log = **server_log;
  PeriodicTask collecting(std::chrono::seconds(config.gc_interval_seconds), [&] {
    JobPass pass(log, "gc");
    if (auto removed = collector.run_once(); !removed) {
      pass.failed(removed.error().message);
    } else {
      pass.end({{"blobs_removed", *removed}});
    }
  }, config.background_nice);
  // IAM's "last used" of access keys: the verifier notes uses in memory (at most one per key
  // and minute), written here off the request path.
  PeriodicTask key_usage(std::chrono::seconds(10), [&] {
    if (auto flushed = users.flush_key_usage(); !flushed) {
      spdlog::error("recording access key use failed: {}", flushed.error().message);
    }
  });
  workers::LifecycleWorker lifecycle(vault);
  PeriodicTask lifecycle_passes(
      std::chrono::milliseconds(std::llround(config.lifecycle_interval_seconds * 1000)), [&] {
        const auto started = std::chrono::steady_clock::now();
        JobPass pass(log, "lifecycle");
        auto report = lifecycle.run_once(to_unix_nanos(clock.now()));
        if (!report) {
          pass.failed(report.error().message);
        } else {
          job_metrics.lifecycle_pass(std::chrono::steady_clock::now() - started, *report);
          pass.end(lifecycle_counts(*report));
        }
      }, config.background_nice);

  // Event notifications: the outbox's "notify" consumer (workers/notify/notification_delivery.h).
  workers::OutboxConsumerOptions outbox_options;
  outbox_options.retry.first_delay =
      std::chrono::milliseconds(std::llround(config.events_retry_first_seconds * 1000));
  outbox_options.retry.max_delay =
      std::chrono::milliseconds(std::llround(config.events_retry_max_seconds * 1000));
  outbox_options.retry.max_attempts = static_cast<int>(config.events_max_attempts);
  outbox_options.on_batch = outbox_batch_logger(log, "notify");
  outbox_options.thread_nice = config.background_nice;
  job_metrics.notification_targets(target_names.names());
  workers::OutboxConsumerOptions notify_options = outbox_options;
  notify_options.on_report = [&job_metrics](const std::string& target,
                                            const workers::OutboxTaskRunner::Report& run) {
    job_metrics.notification_run(target, run);
  };
  workers::notify::NotificationDelivery notifications(
      vault, **notify_targets, {.region = config.region, .public_url = console_base_url(config)});
  workers::OutboxConsumer notifying(
      *stores->meta, clock, std::string(workers::notify::kNotifyConsumer), notifications.planner(),
      notifications.executors(), notify_options);
  if (auto started = notifying.start(); !started) {
    std::fprintf(stderr, "cloudvault: cannot start notification delivery: %s\n",
                 started.error().message.c_str());
    return 1;
  }

  // Every [metrics] sample_seconds: one snapshot of the metrics feeds the alarms (whose state
  // changes the notify consumer above delivers) and the dashboard's history.
  workers::alarms::AlarmEngine alarm_engine(
      *stores->meta, [&] { return alarm_rules.current(); },
      {.dashboard_url = console_base_url(config) + "/_console/#/dashboard"});
  workers::alarms::MetricHistory metric_history(
      *stores->meta,
      {.resolution_seconds = config.alarms.sample_seconds,
       .fine_retention_ns = config.alarms.history_hours * 3600 * int64_t{1'000'000'000}});
  PeriodicTask sampling(std::chrono::seconds(config.alarms.sample_seconds), [&] {
    const auto snapshot =
        workers::alarms::take_snapshot(metrics.collect(), to_unix_nanos(clock.now()));
    if (config.alarms.enabled) {
      auto changed = alarm_engine.run_once(snapshot);
      if (!changed) {
        spdlog::error("alarm evaluation failed: {}", changed.error().message);
      } else {
        for (const meta::AlarmHistoryEntry& change : *changed) {
          spdlog::log(change.new_state == "ALARM" ? spdlog::level::warn : spdlog::level::info,
                      "alarm {}: {} -> {}: {}", change.name, change.old_state, change.new_state,
                      change.reason);
        }
      }
    }
    if (auto recorded = metric_history.run_once(snapshot); !recorded) {
      spdlog::error("recording the dashboard's history failed: {}", recorded.error().message);
    }
  });

  // Replication (backup): the outbox's "replicate" consumer (workers/replicate/).
  auto remote_clients = RemoteClients::create(config.replication_remotes, clock);
  if (!remote_clients) {
    std::fprintf(stderr, "cloudvault: %s\n", remote_clients.error().message.c_str());
    return 1;
  }
  workers::replicate::ReplicationWorker replication(
      vault, **remote_clients, clock, {.max_attempts = outbox_options.retry.max_attempts});
  // Copies into this server wait on commits: 8 lanes per destination share them. (32 lanes
  // and batches of 1,024 copy a 10,000-object backlog 1.5x as fast but take more from
  // concurrent uploads: BENCHMARKS.md, replication.)
  workers::OutboxConsumerOptions replication_options = outbox_options;
  replication_options.task_parallelism = 8;
  replication_options.on_batch = outbox_batch_logger(log, "replicate");
  workers::OutboxConsumer replicating(
      *stores->meta, clock, std::string(workers::replicate::kReplicateConsumer),
      replication.planner(), replication.executors(), replication_options);
  if (auto started = replicating.start(); !started) {
    std::fprintf(stderr, "cloudvault: cannot start replication: %s\n",
                 started.error().message.c_str());
    return 1;
  }

  // The activity pipeline's periodic ingest of [activity] sources (none: nothing runs).
  activity::ScheduledIngest activity_ingest(
      *stores->meta, clock, config.activity_rules_file, config.activity_sources,
      [&](const std::string& spec) -> Result<std::unique_ptr<activity::TrailSource>> {
        return open_trail_source(config, vault, CV_TRY(source_flags(spec)), clock);
      });
  std::optional<PeriodicTask> activity_passes;
  if (!config.activity_sources.empty()) {
    activity_passes.emplace(std::chrono::seconds(config.activity_ingest_interval_seconds), [&] {
      const auto started = std::chrono::steady_clock::now();
      for (const activity::SourceRun& run : activity_ingest.run_once()) {
        const JobLabels source{{"source", run.source}};
        const auto took = std::chrono::steady_clock::now() - started;
        if (!run.report) {
          log_job_outcome(log, "activity_ingest", source, took, {}, run.report.error().message);
        } else {
          log_job_outcome(log, "activity_ingest", source, took,
                          {{"files_read", run.report->files_read},
                           {"records_new", run.report->records_new},
                           {"malformed_files", run.report->malformed_files}});
        }
      }
    });
  }

  PeriodicTask pruning(std::chrono::seconds(60), [&] {
    JobPass pass(log, "prune_events");
    auto pruned = vault.prune_events(std::chrono::seconds(config.events_retention_seconds));
    if (!pruned) {
      pass.failed(pruned.error().message);
    } else {
      pass.end({{"events_pruned", *pruned}});
    }
  });

  const std::string host = config.listen_address.find(':') != std::string::npos
                               ? "[" + config.listen_address + "]"
                               : config.listen_address;
  const char* scheme = tls ? "https" : "http";
  std::printf("listening on %s://%s:%u\n", scheme, host.c_str(), server.port());
  if (config.tls.plain_listen_address) {
    const std::string& plain = *config.tls.plain_listen_address;
    std::printf("listening on http://%s:%u\n",
                (plain.find(':') != std::string::npos ? "[" + plain + "]" : plain).c_str(),
                server.plain_port());
  }
  if (metrics_server) {
    const std::string& address = *config.metrics_listen_address;
    std::printf("metrics listening on http://%s:%u/metrics\n",
                (address.find(':') != std::string::npos ? "[" + address + "]" : address).c_str(),
                metrics_server->port());
  }
  if (std::filesystem::exists(config.console_assets_dir / "index.html")) {
    std::printf("web console: %s://%s:%u/ (sign in with the access key and secret below)\n", scheme,
                host.c_str(), server.port());
  } else {
    std::printf("web console: not built (no %s; run `make console`)\n",
                (config.console_assets_dir / "index.html").c_str());
  }
  std::printf("region: %s\ndata: %s\naccess key: %s\nsecret key: %s\n", config.region.c_str(),
              config.data_dir.c_str(), root->access_key_id.c_str(), root->secret_key.c_str());
  std::fflush(stdout);

  ConfigReloader reloader(config.config_file, stores->master_key, clock,
                          {target_source, **notify_targets, **remote_clients, remote_names});
  int received = 0;
  while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
    if (tls) {
      // New connections present the new certificate; open ones keep theirs.
      if (auto reloaded = tls->reload(); !reloaded) {
        spdlog::error("SIGHUP: TLS certificate not reloaded, the previous one stays in use: {}",
                      reloaded.error().message);
      } else {
        spdlog::info("SIGHUP: TLS certificate and key reloaded from {} and {}",
                     config.tls.cert.string(), config.tls.key.string());
      }
    }
    if (auto reloaded = reloader.reload(); !reloaded) {
      spdlog::error("SIGHUP: configuration not reloaded: {}", reloaded.error().message);
    } else {
      spdlog::info("SIGHUP: notification targets and replication remotes reloaded from {}",
                   config.config_file.string());
    }
  }
  spdlog::info("signal {} received, shutting down", received);
  if (metrics_server) metrics_server->stop();
  server.stop();
  return 0;
}

}  // namespace cv::app
