#include "activity/ingester.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "activity/cloudtrail_reader.h"
#include "activity/event_normalizer.h"

namespace cv::activity {

namespace {

constexpr size_t kReasonsPerFile = 20;

// Writes batches to the store on a thread of its own, one batch in flight, so reading and
// parsing the next batch overlaps the store's transaction. Counts go into the report once
// written; the first store error is kept and stops further writes.
class BatchWriter {
 public:
  BatchWriter(meta::MetaStore& store, IngestReport& report)
      : store_(store), report_(report), thread_([this] { run(); }) {}
  ~BatchWriter() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  // Hands `batch` over (leaving it empty) once the previous one is written.
  void submit(std::vector<meta::ActivityEvent>& batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !busy_; });
    pending_.swap(batch);
    batch.clear();
    busy_ = true;
    changed_.notify_all();
  }
  // Waits until every submitted batch is written; the first store error, if any.
  std::optional<Error> wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !busy_; });
    return error_;
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return busy_ || stopping_; });
      if (!busy_) return;
      bool skip = error_.has_value();
      lock.unlock();
      Result<meta::ActivityWriteCount> written = meta::ActivityWriteCount{};
      if (!skip) written = store_.put_activity_events(pending_);
      lock.lock();
      if (!written) {
        error_ = written.error();
      } else {
        report_.records_new += written->added;
        report_.records_duplicate += written->duplicates;
      }
      busy_ = false;
      changed_.notify_all();
    }
  }

  meta::MetaStore& store_;
  IngestReport& report_;  // its record counts guarded by mutex_ while a batch is in flight
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<meta::ActivityEvent> pending_;  // owned by the thread while busy_
  bool busy_ = false;
  bool stopping_ = false;
  std::optional<Error> error_;
  std::thread thread_;  // last: starts once everything above is ready
};

// Normalises, scores and batches the records of one file into the store.
class StoringSink final : public RecordSink {
 public:
  StoringSink(BatchWriter& writer, const ScoringRules& rules, size_t batch_size,
              IngestReport& report, std::string file)
      : writer_(writer),
        rules_(rules),
        batch_size_(batch_size),
        report_(report),
        file_(std::move(file)) {
    batch_.reserve(batch_size);
  }

  void on_record(const boost::json::object& record) override {
    ++records_;
    auto event = normalize_record(record);
    if (!event) {
      malformed(event.error().message);
      return;
    }
    event->scoring = rules_.score(*event);
    batch_.push_back(std::move(*event));
    if (batch_.size() >= batch_size_) writer_.submit(batch_);
  }
  void on_malformed_record(std::string reason) override {
    ++records_;
    malformed(std::move(reason));
  }

  // Hands over what is batched and waits for every write; the store's error, if any.
  std::optional<Error> finish() {
    if (!batch_.empty()) writer_.submit(batch_);
    return writer_.wait();
  }
  uint64_t records() const { return records_; }

 private:
  void malformed(std::string reason) {
    ++malformed_records_;
    if (reasons_++ < kReasonsPerFile) {
      problems_.push_back({file_, fmt::format("record {}: {}", records_, reason)});
    }
  }

 public:
  // Malformed records are reported once the file's writes are done (the report's record
  // counts are the writer's meanwhile).
  void report_malformed() {
    report_.malformed_records += malformed_records_;
    for (auto& problem : problems_) report_.problems.push_back(std::move(problem));
    problems_.clear();
    malformed_records_ = 0;
  }

 private:
  BatchWriter& writer_;
  const ScoringRules& rules_;
  size_t batch_size_;
  IngestReport& report_;
  std::string file_;
  std::vector<meta::ActivityEvent> batch_;
  uint64_t records_ = 0;
  uint64_t malformed_records_ = 0;
  std::vector<IngestProblem> problems_;
  size_t reasons_ = 0;
};

// Streams the file through the reader. Returns the file-level problem (nullopt: read to
// its end) or, as an error, a store failure.
Result<std::optional<std::string>> read_file(TrailSource& source, const SourceFile& file,
                                             StoringSink& sink, std::mutex& report_mutex) {
  auto opened = source.open(file);
  if (!opened) return std::optional<std::string>(opened.error().message);
  CloudTrailReader reader(sink);
  std::array<char, 256 * 1024> buffer;
  std::optional<std::string> problem;
  while (true) {
    auto n = (*opened)->read(buffer);
    if (!n) {
      problem = n.error().message;
      break;
    }
    if (*n == 0) {
      if (auto done = reader.finish(); !done) problem = done.error().message;
      break;
    }
    auto fed = reader.feed(std::string_view(buffer.data(), *n));
    if (!fed) {
      problem = fed.error().message;
      break;
    }
  }
  auto store_error = sink.finish();
  {
    std::lock_guard lock(report_mutex);
    sink.report_malformed();
  }
  if (store_error) return std::unexpected(*store_error);
  return problem;
}

}  // namespace

Ingester::Ingester(meta::MetaStore& store, const ScoringRules& rules, Clock& clock,
                   size_t batch_size, size_t reader_threads)
    : store_(store),
      rules_(rules),
      clock_(clock),
      batch_size_(batch_size),
      reader_threads_(std::max<size_t>(reader_threads, 1)) {}

Result<IngestReport> Ingester::ingest(TrailSource& source, const ProgressCallback& progress) {
  IngestReport report;
  const std::string source_name = source.name();
  const std::vector<SourceFile> files = CV_TRY(source.list());
  BatchWriter writer(store_, report);
  // Files are read by reader_threads_ threads at once (each file by one), all feeding the
  // one writer; file counts and problems are kept under `mutex`.
  std::mutex mutex;
  std::atomic<size_t> next{0};
  std::optional<Error> failure;  // guarded by mutex
  // Under mutex: one file more is done.
  const auto file_done = [&] {
    if (progress) progress(report.files_read + report.files_skipped, files.size());
  };
  auto read_files = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      const SourceFile& file = files[i];
      {
        std::lock_guard lock(mutex);
        if (failure) return;
      }
      auto checkpoint = store_.get_activity_file(source_name, file.path);
      if (!checkpoint) {
        std::lock_guard lock(mutex);
        failure = checkpoint.error();
        return;
      }
      if (*checkpoint && (*checkpoint)->size == file.size && (*checkpoint)->etag == file.etag) {
        std::lock_guard lock(mutex);
        ++report.files_skipped;
        file_done();
        continue;
      }
      StoringSink sink(writer, rules_, batch_size_, report, file.path);
      auto problem = read_file(source, file, sink, mutex);
      Status checkpointed;
      if (problem && !*problem) {
        checkpointed = store_.put_activity_file(meta::ActivityFileCheckpoint{
            source_name, file.path, file.size, file.etag, static_cast<int64_t>(sink.records()),
            to_unix_nanos(clock_.now())});
      }
      std::lock_guard lock(mutex);
      ++report.files_read;
      file_done();
      if (!problem) {
        failure = problem.error();
        return;
      }
      if (*problem) {
        ++report.malformed_files;
        report.problems.push_back({file.path, **problem});
      }
      if (!checkpointed) {
        failure = checkpointed.error();
        return;
      }
    }
  };
  std::vector<std::thread> readers;
  for (size_t t = 1; t < reader_threads_; ++t) readers.emplace_back(read_files);
  read_files();
  for (std::thread& reader : readers) reader.join();
  if (failure) return std::unexpected(*failure);
  // Problems by file, each file's in the order found, however the threads interleaved.
  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [](const IngestProblem& a, const IngestProblem& b) { return a.file < b.file; });
  return report;
}

}  // namespace cv::activity
