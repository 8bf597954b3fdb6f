// The access log (issue 15, "Logs"): one structured record per request, written by the front
// door when the exchange has ended, at level info:
//
//   {"time":"2026-12-07T01:55:00.123Z","level":"info","type":"access",
//    "request_id":"187E1B7A59D0C3F2","remote":"127.0.0.1","user":"root","api":"s3",
//    "operation":"GetObject","bucket":"photos","key":"2026/cat.jpg","status":200,"error":"",
//    "bytes_in":0,"bytes_out":5120,"duration_ms":0.412,"user_agent":"Boto3/1.26.27 ..."}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "app/log_line.h"

namespace cv::app {

class ServerLog;

struct AccessRecord {
  std::string request_id;  // the x-amz-request-id the response carried
  std::string remote_address;
  std::string user;            // the caller's user name; empty: anonymous
  std::string_view api;        // "s3", "console", "iam", "sts", "other"
  std::string_view operation;  // Response::operation; empty: unknown
  std::string bucket;
  std::string key;
  int status = 0;
  std::string error_code;  // empty on success
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  double duration_ms = 0;
  std::string user_agent;
};

// The record's fields in `format` (the text format starts with the word "access").
LogFields access_fields(const AccessRecord& record, LogFormat format);

// Writes access records into the server's log in batches (server_log.h, write_batched): a
// record's line is written by the next end_batch() — which the http servers call after each
// batch of completions (http::ServerOptions::on_completion_batch_end, wired in
// server_command.cc), where every record is made — with the other lines of the batch in
// one write, or sooner when the batch buffer is full. `log` must outlive it. Thread-safe.
class AccessLog {
 public:
  explicit AccessLog(ServerLog& log) : log_(log) {}
  // Whether records are written at all ([log] access, level info or lower).
  bool enabled() const;
  // Adds the record to the batch being gathered; end_batch() must follow.
  void write(const AccessRecord& record);
  // Writes the records added so far (ServerLog::end_batch).
  void end_batch();

 private:
  ServerLog& log_;
};

}  // namespace cv::app
