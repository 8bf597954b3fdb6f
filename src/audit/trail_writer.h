// The audit trail's writer: the AuditSink of a running server (and the engine of `cloudvault
// trail flush` when no server runs).
//
// Records go, in order:
// 1. record() puts the request's AuditEvent on a bounded queue (capacity
//    TrailWriterOptions::queue_capacity; when full, record() waits for room, so requests slow
//    down rather than lose records).
// 2. The writer's thread appends the queued records to the MetaStore (one transaction per
//    batch) every append_interval (100 ms), and as soon as half the queue's capacity waits,
//    so the queue (its memory, bounded by the capacity) seldom fills and requests seldom
//    wait for room. That is the durability bound: a record taken by
//    record() more than append_interval plus one commit (well under 1 s) before a kill -9 is
//    in the store. Records of the trail bucket's own data events are dropped (no loop).
// 3. Rolling (roll_once): when the oldest record no file holds has waited roll_seconds, or
//    roll_records are waiting, a log file is claimed in the store (its key and records fixed in
//    one transaction), written gzipped as {"Records":[...]} to the folder (and the trail
//    bucket), then marked written with the SHA-256 of its uncompressed bytes. A file claimed
//    but not written (a crash in between) is written again, same key and records, by
//    recover_once(), which start() and every roll run first.
// 4. Digests (digest_once): one per hour boundary passed (also for an hour without files), or
//    now when forced (flush), listing the written files not yet digested, chained to the
//    previous digest (its hash and signature) and signed with Ed25519 over CloudTrail's
//    signing string (trail_files.h). The signature's hex goes beside the file in the folder
//    as <digest key>.sig and, in the trail bucket, into the digest object's metadata
//    (x-amz-meta-signature, x-amz-meta-signature-algorithm), as CloudTrail does. Files
//    claimed before the chain's last digest ended (late: written after a crash) go to a
//    backfill digest (<digest key>_backfill.json.gz), outside the chain, as AWS does.
//
// Blocking work (the store, files, the bucket) runs on the writer's own thread once start()ed;
// the *_once() entry points run one step on the caller's thread for tests and for the CLI.
// Thread-safe: record() and flush() from any thread; the *_once() steps from one thread at a
// time and not while the thread runs.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "audit/audit_sink.h"
#include "audit/trail_folder.h"
#include "core/clock.h"
#include "core/ed25519.h"
#include "core/error.h"
#include "meta/meta_store.h"

namespace cv::audit {

inline constexpr std::string_view kTrailName = "cloudvault";

// What one periodic roll of the writer's thread did: log files and digests written.
struct TrailRollReport {
  size_t files = 0;
  size_t digests = 0;
};

struct TrailWriterOptions {
  std::filesystem::path folder;  // the files go under <folder>/AWSLogs/...
  std::string account_id;
  std::string region = "us-east-1";
  int64_t roll_seconds = 300;
  size_t roll_records = 10000;
  // At ~1.5 KiB an event, 4,096 queued events (plus as many being appended) are ~12 MiB.
  size_t queue_capacity = 4096;
  std::chrono::milliseconds append_interval{100};
  // How often the thread considers rolling and digests (it always appends first).
  std::chrono::milliseconds roll_check_interval{1000};
  // Told of each periodic roll (on the writer's thread) that wrote a file or a digest, or
  // failed, with how long it took. Empty: failures are logged with spdlog::error instead.
  std::function<void(const Result<TrailRollReport>& report,
                     std::chrono::steady_clock::duration took)>
      on_roll;
};

class TrailWriter final : public AuditSink {
 public:
  // `bucket` (may be null: folder only) and everything else must outlive the writer.
  TrailWriter(meta::MetaStore& meta, const Clock& clock, const SigningKey& key, TrailBucket* bucket,
              TrailWriterOptions options);
  ~TrailWriter() override;  // stop()
  TrailWriter(const TrailWriter&) = delete;
  TrailWriter& operator=(const TrailWriter&) = delete;

  void record(AuditEvent event) override;

  // Writes claimed-but-unwritten files, then starts the thread.
  Status start();
  // Appends what is queued and stops the thread. Idempotent.
  void stop();
  // Appends what is queued, closes every waiting record into log files and writes a digest
  // ending now; on the writer's thread when it runs (waiting for it), else on the caller's.
  Status flush();

  // For metrics (thread-safe): records held in memory not yet appended to the store, and log
  // files this writer has written since it was made.
  size_t queued_records();
  uint64_t files_written() const { return files_written_.load(std::memory_order_relaxed); }

  // One step each (see the contract above); each returns how many it did.
  Result<size_t> append_once();
  Result<size_t> recover_once();
  Result<size_t> roll_once(int64_t now_ns, bool force);
  Result<size_t> digest_once(int64_t now_ns, bool force);

 private:
  // Queued events that wake the writer before append_interval ends (at least 1).
  size_t half_capacity() const { return std::max<size_t>(options_.queue_capacity / 2, 1); }
  void loop();
  Status flush_now();
  Status write_claimed(const meta::TrailLogFile& file);
  // Writes one digest over [start, end) listing `files`; nullopt (and nothing kept) when
  // another process moved the chain meanwhile.
  Result<std::optional<meta::TrailDigest>> write_digest(
      int64_t start_ns, int64_t end_ns, const std::vector<meta::TrailLogFile>& files, bool backfill,
      const std::optional<meta::TrailDigest>& previous);
  Status deliver(std::string_view key, std::string_view bytes, const ObjectMetadata& metadata);

  meta::MetaStore& meta_;
  const Clock& clock_;
  const SigningKey& key_;
  TrailBucket* bucket_;
  TrailWriterOptions options_;
  int64_t chain_start_ns_ = 0;  // where the first digest starts when there is none yet:
                                // the hour the writer was made in

  std::mutex mutex_;
  std::condition_variable room_;  // the queue has room
  std::condition_variable wake_;  // stop or flush asked
  std::condition_variable flushed_;
  std::deque<AuditEvent> queue_;
  std::vector<meta::TrailRecord> unsaved_;  // a batch whose append failed, retried first
  bool stopping_ = false;
  uint64_t flush_asked_ = 0;
  uint64_t flush_done_ = 0;
  Status flush_status_;
  std::atomic<uint64_t> files_written_{0};
  std::thread thread_;
};

}  // namespace cv::audit
