// Where the records of requests go: the trail writer (audit/trail_writer.h) takes them off the
// request path; the layers that serve requests only see this interface.
#pragma once

#include "audit/cloudtrail_record.h"

namespace cv::audit {

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Takes one request's record. Thread-safe and cheap: it queues the record and returns. When
  // the queue is at its bound it waits for room (the server slows down rather than lose a
  // record), so it is never called on a network thread. Records of one thread are kept in
  // the order given.
  virtual void record(AuditEvent event) = 0;
};

}  // namespace cv::audit
