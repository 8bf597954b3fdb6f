// Time as the protocol sees it. Code takes a Clock& so tests can pin "now".
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cv {

using TimePoint = std::chrono::system_clock::time_point;

// Thread-safe source of the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock tests set by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint t) : now_(t) {}
  TimePoint now() const override { return now_; }
  void set(TimePoint t) { now_ = t; }
  void advance(std::chrono::nanoseconds d) { now_ += d; }

 private:
  TimePoint now_;
};

int64_t to_unix_nanos(TimePoint t);
TimePoint from_unix_nanos(int64_t nanos);

// "20130524T000000Z" (SigV4 X-Amz-Date).
std::string format_amz_date(TimePoint t);
std::optional<TimePoint> parse_amz_date(std::string_view text);
// "2009-10-12T17:50:30.000Z" (S3 XML timestamps).
std::string format_iso8601(TimePoint t);
std::optional<TimePoint> parse_iso8601(std::string_view text);
// "Wed, 21 Oct 2015 07:28:00 GMT" (HTTP Date, Last-Modified). Parsing also accepts the
// obsolete RFC 850 and asctime forms as HTTP requires.
std::string format_http_date(TimePoint t);
std::optional<TimePoint> parse_http_date(std::string_view text);

}  // namespace cv
