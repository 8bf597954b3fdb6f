#include "s3/range.h"

#include <charconv>

#include "core/encoding.h"

namespace cv::s3 {
namespace {

std::optional<uint64_t> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<std::optional<ByteRange>> resolve_range(std::string_view header, uint64_t size) {
  header = trim(header);
  if (!header.starts_with("bytes=")) return std::optional<ByteRange>();
  std::string_view spec = trim(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return std::optional<ByteRange>();
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::optional<ByteRange>();
  const std::string_view first = trim(spec.substr(0, dash));
  const std::string_view last = trim(spec.substr(dash + 1));
  if (first.empty()) {  // suffix range: the last N bytes
    const auto suffix = parse_number(last);
    if (!suffix) return std::optional<ByteRange>();
    if (*suffix == 0 || size == 0) return fail(ErrorCode::kInvalidRange);
    const uint64_t length = std::min(*suffix, size);
    return std::optional<ByteRange>(ByteRange{size - length, length});
  }
  const auto start = parse_number(first);
  if (!start) return std::optional<ByteRange>();
  std::optional<uint64_t> end;
  if (!last.empty()) {
    end = parse_number(last);
    if (!end || *end < *start) return std::optional<ByteRange>();
  }
  if (*start >= size) return fail(ErrorCode::kInvalidRange);
  const uint64_t stop = std::min(end.value_or(size - 1), size - 1);
  return std::optional<ByteRange>(ByteRange{*start, stop - *start + 1});
}

}  // namespace cv::s3
