#include "core/clock.h"

#include <cstdio>
#include <cstring>
#include <ctime>

namespace cv {
namespace {

std::tm to_utc_tm(TimePoint t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::optional<TimePoint> from_utc_tm(std::tm tm, int64_t extra_nanos = 0) {
  tm.tm_isdst = 0;
  const std::time_t secs = timegm(&tm);
  if (secs == static_cast<std::time_t>(-1)) return std::nullopt;
  // A TimePoint counts nanoseconds in 64 bits (years 1678 to 2262); a date outside that
  // (an HTTP date in year 9999) is refused rather than overflowing the conversion.
  constexpr int64_t kMinSeconds =
      std::chrono::duration_cast<std::chrono::seconds>(TimePoint::duration::min()).count() + 1;
  constexpr int64_t kMaxSeconds =
      std::chrono::duration_cast<std::chrono::seconds>(TimePoint::duration::max()).count() - 1;
  if (secs < kMinSeconds || secs > kMaxSeconds) return std::nullopt;
  return std::chrono::system_clock::from_time_t(secs) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             std::chrono::nanoseconds(extra_nanos));
}

std::string strftime_utc(TimePoint t, const char* format) {
  const std::tm tm = to_utc_tm(t);
  char buf[64];
  const size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::optional<TimePoint> strptime_utc(std::string_view text, const char* format) {
  std::string copy(text);
  std::tm tm{};
  const char* end = strptime(copy.c_str(), format, &tm);
  // The whole text must be consumed; a NUL byte inside it must not end it early.
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return from_utc_tm(tm);
}

}  // namespace

int64_t to_unix_nanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_nanos(int64_t nanos) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(nanos)));
}

std::string format_amz_date(TimePoint t) { return strftime_utc(t, "%Y%m%dT%H%M%SZ"); }

std::optional<TimePoint> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  return strptime_utc(text, "%Y%m%dT%H%M%SZ");
}

// Written digit by digit (listings format one per entry; strftime cost a microsecond each).
// A TimePoint's years (1677-2262) always have four digits.
std::string format_iso8601(TimePoint t) {
  const int64_t millis =
      std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
  constexpr int64_t kMillisPerDay = 86'400'000;
  int64_t days = millis / kMillisPerDay;
  int64_t of_day = millis % kMillisPerDay;
  if (of_day < 0) {
    of_day += kMillisPerDay;
    --days;
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's civil_from_days).
  const int64_t z = days + 719'468;
  const int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const int64_t day_of_era = z - era * 146'097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  char text[] = "YYYY-MM-DDTHH:MM:SS.mmmZ";
  const auto put = [&text](size_t at, int64_t value, size_t digits) {
    for (size_t i = digits; i-- > 0; value /= 10) text[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, month, 2);
  put(8, day, 2);
  put(11, of_day / 3'600'000, 2);
  put(14, of_day / 60'000 % 60, 2);
  put(17, of_day / 1000 % 60, 2);
  put(20, of_day % 1000, 3);
  return std::string(text, sizeof text - 1);
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  // Accepts YYYY-MM-DDTHH:MM:SS[.fff...]Z
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  std::string_view base = text.substr(0, 19);
  int64_t nanos = 0;
  std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest.front() != '.' || rest.size() < 2 || rest.size() > 10) return std::nullopt;
    int64_t scale = 100000000;
    for (char c : rest.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
      nanos += (c - '0') * scale;
      scale /= 10;
    }
  }
  std::string copy(base);
  std::tm tm{};
  const char* end = strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return from_utc_tm(tm, nanos);
}

std::string format_http_date(TimePoint t) { return strftime_utc(t, "%a, %d %b %Y %H:%M:%S GMT"); }

std::optional<TimePoint> parse_http_date(std::string_view text) {
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    if (auto t = strptime_utc(text, format)) return t;
  }
  return std::nullopt;
}

}  // namespace cv
