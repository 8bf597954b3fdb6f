// A streaming reader of CloudTrail documents: bytes in (plain or gzip, found by its magic
// bytes), one record at a time out. Never holds more than one record and one chunk.
//
// Shapes understood:
//   - a CloudTrail log file: {"Records": [record, ...]}
//   - `aws cloudtrail lookup-events` output: {"Events": [{"EventId": ..,
//     "CloudTrailEvent": "<the record as a JSON string>", ...}, ...], "NextToken": ..}
//   - CloudTrail Lake results: {"QueryResultRows": [[{"eventID": ..}, {"eventTime": ..}, ..],
//     ..]} (each row a list of one-field objects), and JSON lines of records (a Lake export
//     or any tool's), and a top-level array of records.
// The records key must be the first key of the document (as every producer writes it); any
// other keys of the document are skipped. Not thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::activity {

// Receives what a reader finds, in document order.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // A record (a JSON object; no field is checked here). Its memory is the reader's and is
  // reused for the next record: copy what must outlive the call.
  virtual void on_record(const boost::json::object& record) = 0;
  // An element of the records list that is no record; the document goes on.
  virtual void on_malformed_record(std::string reason) = 0;
};

class CloudTrailReader {
 public:
  explicit CloudTrailReader(RecordSink& sink);
  ~CloudTrailReader();
  CloudTrailReader(const CloudTrailReader&) = delete;
  CloudTrailReader& operator=(const CloudTrailReader&) = delete;

  // The next bytes of the document. kInvalidArgument with the reason ("invalid JSON at byte
  // N: ...", "corrupt gzip data: ...") when the document cannot go on; records found before
  // that have been handed to the sink. No call is allowed after an error.
  Status feed(std::string_view bytes);
  // The end of the document: kInvalidArgument when it stops early ("truncated gzip data",
  // "JSON ends early at byte N").
  Status finish();

 private:
  struct State;
  Status feed_known(std::string_view bytes);
  Status feed_plain(std::string_view bytes);
  std::unique_ptr<State> state_;
};

// Parses one record given as JSON text (a lookup-events CloudTrailEvent string).
Result<boost::json::object> parse_record_text(std::string_view text);

}  // namespace cv::activity
