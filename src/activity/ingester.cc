#include "activity/ingester.h"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "activity/cloudtrail_reader.h"
#include "activity/event_normalizer.h"

namespace cv::activity {

namespace {

constexpr size_t kReasonsPerFile = 20;

// Normalises, scores and batches the records of one file into the store.
class StoringSink final : public RecordSink {
 public:
  StoringSink(meta::MetaStore& store, const ScoringRules& rules, size_t batch_size,
              IngestReport& report, std::string file)
      : store_(store),
        rules_(rules),
        batch_size_(batch_size),
        report_(report),
        file_(std::move(file)) {
    batch_.reserve(batch_size);
  }

  void on_record(boost::json::object record) override {
    ++records_;
    auto event = normalize_record(record);
    if (!event) {
      malformed(event.error().message);
      return;
    }
    event->scoring = rules_.score(*event);
    batch_.push_back(std::move(*event));
    if (batch_.size() >= batch_size_) flush();
  }
  void on_malformed_record(std::string reason) override {
    ++records_;
    malformed(std::move(reason));
  }

  // Stores what is batched; the store's error, if any, is kept in store_error().
  void flush() {
    if (batch_.empty() || store_error_) return;
    auto written = store_.put_activity_events(batch_);
    batch_.clear();
    if (!written) {
      store_error_ = written.error();
      return;
    }
    report_.records_new += written->added;
    report_.records_duplicate += written->duplicates;
  }
  const std::optional<Error>& store_error() const { return store_error_; }
  uint64_t records() const { return records_; }

 private:
  void malformed(std::string reason) {
    ++report_.malformed_records;
    if (reasons_++ < kReasonsPerFile) {
      report_.problems.push_back({file_, fmt::format("record {}: {}", records_, reason)});
    }
  }

  meta::MetaStore& store_;
  const ScoringRules& rules_;
  size_t batch_size_;
  IngestReport& report_;
  std::string file_;
  std::vector<meta::ActivityEvent> batch_;
  std::optional<Error> store_error_;
  uint64_t records_ = 0;
  size_t reasons_ = 0;
};

// Streams the file through the reader. Returns the file-level problem (nullopt: read to
// its end) or, as an error, a store failure.
Result<std::optional<std::string>> read_file(TrailSource& source, const SourceFile& file,
                                             StoringSink& sink) {
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
    if (sink.store_error()) return std::unexpected(*sink.store_error());
    if (!fed) {
      problem = fed.error().message;
      break;
    }
  }
  sink.flush();
  if (sink.store_error()) return std::unexpected(*sink.store_error());
  return problem;
}

}  // namespace

Ingester::Ingester(meta::MetaStore& store, const ScoringRules& rules, Clock& clock,
                   size_t batch_size)
    : store_(store), rules_(rules), clock_(clock), batch_size_(batch_size) {}

Result<IngestReport> Ingester::ingest(TrailSource& source) {
  IngestReport report;
  const std::string source_name = source.name();
  for (const SourceFile& file : CV_TRY(source.list())) {
    auto checkpoint = CV_TRY(store_.get_activity_file(source_name, file.path));
    if (checkpoint && checkpoint->size == file.size && checkpoint->etag == file.etag) {
      ++report.files_skipped;
      continue;
    }
    ++report.files_read;
    StoringSink sink(store_, rules_, batch_size_, report, file.path);
    auto problem = CV_TRY(read_file(source, file, sink));
    if (problem) {
      ++report.malformed_files;
      report.problems.push_back({file.path, *problem});
      continue;
    }
    CV_TRY(store_.put_activity_file(meta::ActivityFileCheckpoint{
        source_name, file.path, file.size, file.etag, static_cast<int64_t>(sink.records()),
        to_unix_nanos(clock_.now())}));
  }
  return report;
}

}  // namespace cv::activity
