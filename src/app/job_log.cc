#include "app/job_log.h"

namespace cv::app {
namespace {

bool any_work(const JobCounts& counts) {
  for (const auto& [name, count] : counts) {
    if (count > 0) return true;
  }
  return false;
}

LogFields job_fields(LogFormat format, std::string_view job, const JobLabels& labels,
                     std::string_view event) {
  LogFields fields(format);
  if (format == LogFormat::kJson) fields.add("type", "job");
  fields.tag("job").add("job", job);
  for (const auto& [name, value] : labels) fields.add(name, value);
  fields.add("event", event);
  return fields;
}

void add_counts(LogFields& fields, const JobCounts& counts) {
  for (const auto& [name, count] : counts) fields.add(name, count);
}

}  // namespace

JobPass::JobPass(ServerLog& log, std::string_view job, JobLabels labels)
    : log_(log), job_(job), labels_(std::move(labels)), started_(std::chrono::steady_clock::now()) {
  if (log_.writes(LogLevel::kDebug)) log_.write(LogLevel::kDebug, fields("start"));
}

LogFields JobPass::fields(std::string_view event) const {
  return job_fields(log_.format(), job_, labels_, event);
}

double JobPass::elapsed_ms() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
      .count();
}

void JobPass::end(const JobCounts& counts) {
  const LogLevel level = any_work(counts) ? LogLevel::kInfo : LogLevel::kDebug;
  if (!log_.writes(level)) return;
  LogFields record = fields("end");
  record.add_millis("duration_ms", elapsed_ms());
  add_counts(record, counts);
  log_.write(level, record);
}

void JobPass::failed(std::string_view error, const JobCounts& counts) {
  LogFields record = fields("failure");
  record.add_millis("duration_ms", elapsed_ms());
  add_counts(record, counts);
  record.add("error", error);
  log_.write(LogLevel::kError, record);
}

void log_job_outcome(ServerLog& log, std::string_view job, const JobLabels& labels,
                     std::chrono::steady_clock::duration took, const JobCounts& counts,
                     std::string_view error) {
  const bool failed = !error.empty();
  const LogLevel level =
      failed ? LogLevel::kError : (any_work(counts) ? LogLevel::kInfo : LogLevel::kDebug);
  if (!log.writes(level)) return;
  LogFields record = job_fields(log.format(), job, labels, failed ? "failure" : "end");
  record.add_millis("duration_ms", std::chrono::duration<double, std::milli>(took).count());
  add_counts(record, counts);
  if (failed) record.add("error", error);
  log.write(level, record);
}

}  // namespace cv::app
