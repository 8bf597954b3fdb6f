#include "audit/trail_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

#include "audit/gzip.h"
#include "audit/spool_record.h"
#include "audit/trail_digest.h"
#include "audit/trail_files.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "core/ids.h"

namespace cv::audit {
namespace {

constexpr int64_t kSecondNs = 1'000'000'000;
constexpr int64_t kHourNs = 3600 * kSecondNs;
constexpr size_t kMaxFilesPerRoll = 1000;

int64_t floor_to(int64_t ns, int64_t unit) { return ns - ((ns % unit) + unit) % unit; }

// A log file's records are read back from the store this many at a time: with roll_records
// at 10,000 the writer holds a tenth of the file's records and their JSON, not all of it.
constexpr size_t kRollPageRecords = 1000;

std::string backfill_key(std::string key) {
  constexpr std::string_view kSuffix = ".json.gz";
  key.insert(key.size() - kSuffix.size(), "_backfill");
  return key;
}

}  // namespace

TrailWriter::TrailWriter(meta::MetaStore& meta, const Clock& clock, const SigningKey& key,
                         TrailBucket* bucket, TrailWriterOptions options)
    : meta_(meta), clock_(clock), key_(key), bucket_(bucket), options_(std::move(options)) {
  options_.roll_records = std::max<size_t>(options_.roll_records, 1);
  options_.queue_capacity = std::max<size_t>(options_.queue_capacity, 1);
  // Before the chain's first digest, the hour the writer starts in is the first one digested.
  chain_start_ns_ = floor_to(to_unix_nanos(clock_.now()), kHourNs);
}

TrailWriter::~TrailWriter() { stop(); }

void TrailWriter::record(AuditEvent event) {
  // The trail bucket's own data events would make files that make records: not logged.
  if (bucket_ != nullptr && event.bucket == bucket_->name() && is_data_event(event.event_name)) {
    return;
  }
  if (event.time_ns == 0) event.time_ns = to_unix_nanos(clock_.now());
  std::unique_lock lock(mutex_);
  room_.wait(lock, [&] { return queue_.size() < options_.queue_capacity || stopping_; });
  queue_.push_back(std::move(event));
  if (queue_.size() == half_capacity()) wake_.notify_one();
}

Status TrailWriter::start() {
  CV_TRY(recover_once());
  std::lock_guard lock(mutex_);
  if (!thread_.joinable()) {
    stopping_ = false;
    thread_ = std::thread([this] { loop(); });
  }
  return {};
}

void TrailWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  room_.notify_all();
  thread_.join();
  std::lock_guard lock(mutex_);
  flushed_.notify_all();
}

Status TrailWriter::flush() {
  std::unique_lock lock(mutex_);
  if (!thread_.joinable() || stopping_) {
    lock.unlock();
    return flush_now();
  }
  const uint64_t asked = ++flush_asked_;
  wake_.notify_all();
  flushed_.wait(lock, [&] { return flush_done_ >= asked || stopping_; });
  if (flush_done_ < asked) return fail(ErrorCode::kServiceUnavailable, "the trail writer stopped");
  return flush_status_;
}

void TrailWriter::loop() {
  auto next_roll = std::chrono::steady_clock::now() + options_.roll_check_interval;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.append_interval, [&] {
      return stopping_ || flush_asked_ != flush_done_ || queue_.size() >= half_capacity();
    });
    if (stopping_) break;
    const uint64_t asked = flush_asked_;
    const bool flushing = asked != flush_done_;
    lock.unlock();
    if (flushing) {
      Status status = flush_now();
      lock.lock();
      flush_done_ = asked;
      flush_status_ = std::move(status);
      flushed_.notify_all();
      continue;
    }
    if (auto appended = append_once(); !appended) {
      spdlog::error("audit trail: cannot append records: {}", appended.error().message);
    }
    if (std::chrono::steady_clock::now() >= next_roll) {
      next_roll = std::chrono::steady_clock::now() + options_.roll_check_interval;
      const int64_t now = to_unix_nanos(clock_.now());
      const auto started = std::chrono::steady_clock::now();
      Result<TrailRollReport> report = TrailRollReport{};
      if (auto rolled = roll_once(now, false); !rolled) {
        report = fail(
            Error{rolled.error().code, "cannot roll a log file: " + rolled.error().message, {}});
      } else if (auto digested = digest_once(now, false); !digested) {
        report = fail(
            Error{digested.error().code, "cannot write a digest: " + digested.error().message, {}});
      } else {
        report = TrailRollReport{*rolled, *digested};
      }
      if (options_.on_roll) {
        if (!report || report->files + report->digests > 0) {
          options_.on_roll(report, std::chrono::steady_clock::now() - started);
        }
      } else if (!report) {
        spdlog::error("audit trail: {}", report.error().message);
      }
    }
    lock.lock();
  }
  lock.unlock();
  if (auto appended = append_once(); !appended) {
    spdlog::error("audit trail: records lost at shutdown: {}", appended.error().message);
  }
}

Status TrailWriter::flush_now() {
  CV_TRY(append_once());
  const int64_t now = to_unix_nanos(clock_.now());
  CV_TRY(roll_once(now, true));
  CV_TRY(digest_once(now, true));
  return {};
}

Result<size_t> TrailWriter::append_once() {
  // While the store refuses a batch, the queue is left to fill, so record() waits rather
  // than memory growing without bound.
  std::deque<AuditEvent> taken;
  if (unsaved_.size() < options_.queue_capacity) {
    std::lock_guard lock(mutex_);
    taken.swap(queue_);
  }
  room_.notify_all();
  unsaved_.reserve(unsaved_.size() + taken.size());
  for (AuditEvent& event : taken) unsaved_.push_back(spool_record(std::move(event)));
  if (unsaved_.empty()) return size_t{0};
  CV_TRY(meta_.append_trail_records(unsaved_));
  const size_t appended = unsaved_.size();
  unsaved_.clear();
  return appended;
}

Result<size_t> TrailWriter::recover_once() {
  size_t written = 0;
  for (const meta::TrailLogFile& file : CV_TRY(meta_.unwritten_trail_files())) {
    CV_TRY(write_claimed(file));
    ++written;
  }
  return written;
}

Result<size_t> TrailWriter::roll_once(int64_t now_ns, bool force) {
  size_t written = CV_TRY(recover_once());
  for (size_t round = 0; round < kMaxFilesPerRoll; ++round) {
    const auto backlog = CV_TRY(meta_.trail_backlog(options_.roll_records));
    if (backlog.records == 0) break;
    const bool due = force || backlog.records >= options_.roll_records ||
                     now_ns - backlog.oldest_event_ns >= options_.roll_seconds * kSecondNs;
    if (!due) break;
    const std::string key =
        log_file_key(options_.account_id, options_.region, now_ns, random_hex(8));
    auto claimed = CV_TRY(meta_.claim_trail_file(key, now_ns, options_.roll_records));
    if (!claimed) break;  // another process took them
    CV_TRY(write_claimed(*claimed));
    ++written;
  }
  return written;
}

Status TrailWriter::write_claimed(const meta::TrailLogFile& file) {
  // {"Records":[r1,r2,...]}, compressed and hashed a page of records at a time.
  GzipWriter gzip;
  Digest body_sha256(Digest::Algorithm::kSha256);
  std::string piece = R"({"Records":[)";
  int64_t oldest = 0;
  int64_t newest = 0;
  int64_t after_seq = 0;
  bool first = true;
  for (;;) {
    const auto page = CV_TRY(meta_.trail_file_records(file.id, after_seq, kRollPageRecords));
    for (const meta::TrailRecord& record : page) {
      if (!first) piece += ',';
      first = false;
      piece += record.record_json;
      oldest = oldest == 0 ? record.event_time_ns : std::min(oldest, record.event_time_ns);
      newest = std::max(newest, record.event_time_ns);
    }
    if (page.size() < kRollPageRecords) break;
    after_seq = page.back().seq;
    gzip.append(piece);
    body_sha256.update(piece);
    piece.clear();
  }
  piece += "]}";
  gzip.append(piece);
  body_sha256.update(piece);
  CV_TRY(deliver(file.key, gzip.finish(), {}));
  CV_TRY(meta_.mark_trail_file_written(file.id, hex_encode(body_sha256.finish()), oldest,
                                       newest));
  files_written_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

size_t TrailWriter::queued_records() {
  std::lock_guard lock(mutex_);
  return queue_.size() + unsaved_.size();
}

Status TrailWriter::deliver(std::string_view key, std::string_view bytes,
                            const ObjectMetadata& metadata) {
  CV_TRY(write_file_durably(options_.folder, key, bytes));
  if (bucket_ != nullptr) CV_TRY(bucket_->put(key, bytes, "application/x-gzip", metadata));
  return {};
}

Result<size_t> TrailWriter::digest_once(int64_t now_ns, bool force) {
  const int64_t now = floor_to(now_ns, kSecondNs);
  std::optional<meta::TrailDigest> previous = CV_TRY(meta_.trail_chain_head());
  std::vector<meta::TrailLogFile> files = CV_TRY(meta_.undigested_trail_files());
  size_t written = 0;
  int64_t start = 0;
  if (previous) {
    start = previous->end_ns;
    std::vector<meta::TrailLogFile> late;
    std::erase_if(files, [&](const meta::TrailLogFile& file) {
      if (file.created_ns >= start) return false;
      late.push_back(file);
      return true;
    });
    if (!late.empty()) {
      const int64_t late_start = floor_to(late.front().created_ns, kSecondNs);
      if (CV_TRY(write_digest(late_start, std::max(now, late_start + kSecondNs), late, true,
                              std::nullopt))) {
        ++written;
      }
    }
  } else {
    start = chain_start_ns_;
    if (!files.empty()) start = std::min(start, floor_to(files.front().created_ns, kHourNs));
  }
  // One digest per hour boundary passed, with or without files.
  for (int64_t boundary = floor_to(start, kHourNs) + kHourNs; boundary <= now;
       boundary += kHourNs) {
    std::vector<meta::TrailLogFile> hour;
    std::erase_if(files, [&](const meta::TrailLogFile& file) {
      if (file.created_ns >= boundary) return false;
      hour.push_back(file);
      return true;
    });
    auto digest = CV_TRY(write_digest(start, boundary, hour, false, previous));
    if (!digest) return written;  // another process moved the chain: next time
    previous = digest;
    start = boundary;
    ++written;
  }
  if (force && (!files.empty() || now > start)) {
    if (CV_TRY(write_digest(start, std::max(now, start + kSecondNs), files, false, previous))) {
      ++written;
    }
  }
  return written;
}

Result<std::optional<meta::TrailDigest>> TrailWriter::write_digest(
    int64_t start_ns, int64_t end_ns, const std::vector<meta::TrailLogFile>& files, bool backfill,
    const std::optional<meta::TrailDigest>& previous) {
  const std::string bucket = bucket_ != nullptr ? bucket_->name() : std::string();
  std::string key = digest_file_key(options_.account_id, options_.region, kTrailName, end_ns);
  if (backfill) key = backfill_key(std::move(key));
  DigestFacts facts;
  facts.account_id = options_.account_id;
  facts.start_ns = start_ns;
  facts.end_ns = end_ns;
  facts.bucket = bucket;
  facts.key = key;
  facts.public_key_fingerprint = key_.fingerprint();
  if (previous) {
    facts.previous =
        PreviousDigest{bucket, previous->key, previous->sha256_hex, previous->signature_hex};
  }
  std::vector<int64_t> file_ids;
  for (const meta::TrailLogFile& file : files) {
    facts.log_files.push_back(DigestedLogFile{bucket, file.key, file.sha256_hex,
                                              file.oldest_event_ns, file.newest_event_ns});
    file_ids.push_back(file.id);
  }
  const std::string document = boost::json::serialize(digest_document(facts));
  const std::string sha256_hex = hex_encode(sha256(document));
  const std::string signature_hex = hex_encode(key_.sign(digest_signing_string(
      digest_time(end_ns), bucket + "/" + key, sha256_hex,
      previous ? std::string_view(previous->signature_hex) : std::string_view())));

  const std::string compressed = gzip_compress(document);
  CV_TRY(write_file_durably(options_.folder, key, compressed));
  CV_TRY(write_file_durably(options_.folder, key + ".sig", signature_hex));
  if (bucket_ != nullptr) {
    CV_TRY(bucket_->put(key, compressed, "application/x-gzip",
                        {{"signature", signature_hex},
                         {"signature-algorithm", std::string(kDigestSignatureAlgorithm)}}));
  }
  meta::TrailDigest digest{key, start_ns, end_ns, sha256_hex, signature_hex, backfill};
  auto recorded =
      meta_.put_trail_digest(digest, file_ids, previous ? previous->key : std::string());
  if (!recorded) {
    if (recorded.error().code != ErrorCode::kPreconditionFailed) {
      return std::unexpected(recorded.error());
    }
    std::error_code ignored;  // another process wrote this hour's digest: ours is void
    std::filesystem::remove(options_.folder / key, ignored);
    std::filesystem::remove(options_.folder / (key + ".sig"), ignored);
    return std::optional<meta::TrailDigest>{};
  }
  return std::optional<meta::TrailDigest>(std::move(digest));
}

}  // namespace cv::audit
