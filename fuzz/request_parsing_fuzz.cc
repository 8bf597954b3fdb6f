// Fuzzes what the S3 layer parses out of a request line and its headers before any body is
// read: the query string, routing (path and virtual-hosted style), Range, the conditional
// headers, x-amz-tagging and the object headers, and the core decoders they use
// (percent-decoding, base64, UTF-8 validation, HTTP/ISO/amz dates).
//
// Input: "METHOD\n", "target\n" (path?query), "name: value\n" header lines, an empty line,
// then the object the request is about: "etag\n" and the rest as its size and mtime.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/encoding.h"
#include "fuzz_support.h"
#include "meta/types.h"
#include "s3/conditions.h"
#include "s3/object_headers.h"
#include "s3/operation.h"
#include "s3/range.h"

namespace cv::fuzz {
namespace {

void check_range(std::string_view header, uint64_t size) {
  auto range = s3::resolve_range(header, size);
  trace("resolve_range", range);
  if (range && *range) {
    // A satisfiable range lies inside the object and is not empty.
    CV_FUZZ_CHECK((*range)->length > 0);
    CV_FUZZ_CHECK((*range)->offset < size);
    CV_FUZZ_CHECK((*range)->length <= size - (*range)->offset);
  }
}

void check_route(const Request& request, const s3::RoutingOptions& options) {
  auto route = s3::route_request(request, options);
  trace("route_request", route);
  if (route) CV_FUZZ_CHECK(!route->name.empty());
}

// The core decoders on one untrusted string, with round-trip checks of their encoders.
void check_text(std::string_view text) {
  for (const bool plus_as_space : {false, true}) {
    if (auto decoded = percent_decode(text, plus_as_space)) {
      CV_FUZZ_CHECK(decoded->size() <= text.size());
    }
  }
  CV_FUZZ_CHECK(percent_decode(uri_encode(text)) == std::string(text));
  CV_FUZZ_CHECK(percent_decode(uri_encode(text, false)) == std::string(text));
  if (auto decoded = base64_decode(text)) CV_FUZZ_CHECK(decoded->size() <= text.size() / 4 * 3);
  CV_FUZZ_CHECK(base64_decode(base64_encode(text)) == std::string(text));
  if (auto decoded = hex_decode(text)) CV_FUZZ_CHECK(hex_encode(*decoded) == to_lower(text));
  is_valid_utf8(text);
  trim_and_collapse(text);
  parse_http_date(text);
  parse_amz_date(text);
  parse_iso8601(text);
}

void fuzz_request(std::string_view input) {
  Request request = take_request(input);
  meta::ObjectVersion object;
  object.etag = std::string(take_line(input));
  InputTail tail(input);
  object.size = tail.u64();
  object.mtime_ns = static_cast<int64_t>(tail.u64());

  parse_query(request.query, true);
  parse_query(request.query, false);
  check_text(request.method);
  check_text(request.path);
  check_text(request.query);
  for (const auto& [name, value] : request.headers.fields()) check_text(value);

  check_route(request, {});
  check_route(request, {.domain = "s3.example.com"});
  check_route(request, {.domain = "localhost"});

  const std::string_view range = request.headers.get("range");
  check_range(range, object.size);
  check_range(range, object.size % 4096);
  check_range(range, 0);
  check_range(request.target, object.size % 4096);

  trace("check_conditions", s3::check_conditions(request.headers, object));
  trace("check_conditions (copy)",
        s3::check_conditions(request.headers, object, "x-amz-copy-source-"));

  if (const std::string* tagging = request.headers.find("x-amz-tagging")) {
    auto tags = s3::parse_tagging_header(*tagging);
    trace("parse_tagging_header", tags);
    if (tags) CV_FUZZ_CHECK(tags->size() <= 10);
  }
  s3::parse_tagging_header(request.query);
  trace("attributes_from_headers", s3::attributes_from_headers(request.headers));
  Headers out;
  s3::write_object_headers(object, true, out);
}

}  // namespace
}  // namespace cv::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::fuzz::fuzz_request(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
