#include "app/access_log.h"

#include "app/server_log.h"

namespace cv::app {

LogFields access_fields(const AccessRecord& record, LogFormat format) {
  LogFields fields(format);
  if (format == LogFormat::kJson) fields.add("type", "access");
  fields.tag("access")
      .add("request_id", record.request_id)
      .add("remote", record.remote_address)
      .add("user", record.user.empty() ? std::string_view("anonymous") : record.user)
      .add("api", record.api)
      .add("operation",
           record.operation.empty() ? std::string_view("UnknownOperation") : record.operation)
      .add("bucket", record.bucket)
      .add("key", record.key)
      .add("status", record.status)
      .add("error", record.error_code)
      .add("bytes_in", record.bytes_in)
      .add("bytes_out", record.bytes_out)
      .add_millis("duration_ms", record.duration_ms)
      .add("user_agent", record.user_agent);
  return fields;
}

bool AccessLog::enabled() const { return log_.access_enabled(); }

void AccessLog::write(const AccessRecord& record) {
  log_.write_batched(LogLevel::kInfo, access_fields(record, log_.format()));
}

void AccessLog::end_batch() { log_.end_batch(); }

}  // namespace cv::app
