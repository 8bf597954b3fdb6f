// Fuzzes how http::RequestParser frames a request: where the header ends, which body length
// it takes (none, Content-Length or chunked) and which requests it refuses as ambiguous
// (request_parser.h lists the rules). Checks that framing is unambiguous:
//  - the same bytes fed whole and in pieces of fuzzer-chosen sizes (as a slow socket
//    delivers them) give the same outcome: the same error, or the same request, body and
//    number of bytes consumed;
//  - an accepted header carries at most one Content-Length (1*DIGIT), a Transfer-Encoding
//    that is absent or exactly `chunked` (and never on HTTP/1.0), never both, no obs-fold
//    line, and exactly one Host on HTTP/1.1;
//  - a complete body with a Content-Length is exactly that long, and the message ends
//    exactly that many bytes after the header.
//
// Input: the raw request bytes from the front; from the end, one byte N (0-15) and then N
// piece sizes (0 counts as 1).
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.h"
#include "fuzz_support.h"
#include "http/request_parser.h"

namespace cv::fuzz {
namespace {

namespace bhttp = boost::beast::http;

struct Outcome {
  boost::beast::error_code error;  // need_more: the input ended first
  Request request;
  bool header_done = false;
  bool done = false;
  int version = 0;
  bool chunked = false;
  std::optional<uint64_t> content_length;
  std::string body;
  size_t consumed = 0;
};

// Parses `wire`, handing it to the parser in pieces of the given sizes (all at once when
// there are none), keeping unconsumed bytes for the next put() as http::read does.
Outcome parse(std::string_view wire, const std::vector<uint8_t>& pieces) {
  Outcome out;
  http::RequestParser parser(out.request);
  parser.eager(true);
  parser.header_limit(16 * 1024);
  parser.body_limit(1 << 20);
  // De-chunking never makes a body longer than the bytes it came in.
  std::string body(wire.size() + 1, '\0');
  parser.set_body_buffer(std::span<char>(body.data(), body.size()));
  std::string pending;
  size_t offset = 0;
  size_t next_piece = 0;
  for (;;) {
    boost::beast::error_code ec;
    while (!pending.empty() && !parser.is_done()) {
      const size_t used = parser.put(boost::asio::buffer(pending), ec);
      pending.erase(0, used);
      out.consumed += used;
      if (ec || used == 0) break;
    }
    if (ec && ec != bhttp::error::need_more) {
      out.error = ec;
      break;
    }
    if (parser.is_done()) break;
    if (offset == wire.size()) {
      out.error = bhttp::error::need_more;
      break;
    }
    size_t n = wire.size() - offset;
    if (!pieces.empty()) {
      n = std::min<size_t>(n, std::max<size_t>(pieces[next_piece++ % pieces.size()], 1));
    }
    pending.append(wire.substr(offset, n));
    offset += n;
  }
  // The parser must never store more than the buffer holds (need_buffer would say so).
  CV_FUZZ_CHECK(out.error != bhttp::error::need_buffer);
  out.header_done = parser.is_header_done();
  out.done = parser.is_done();
  out.version = parser.version();
  if (out.header_done) {
    out.chunked = parser.chunked();
    if (const auto length = parser.content_length()) out.content_length = *length;
  }
  out.body.assign(body.data(), parser.body_buffer_used());
  CV_FUZZ_CHECK(parser.body_bytes_parsed() == out.body.size());
  return out;
}

size_t count_fields(const Request& request, std::string_view name) {
  size_t count = 0;
  for (const auto& [field, value] : request.headers.fields()) {
    if (field == name) ++count;
  }
  return count;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The contract of an accepted header, checked against the raw bytes and the fields.
void check_accepted(std::string_view wire, const Outcome& out) {
  const Request& request = out.request;
  const size_t lengths = count_fields(request, "content-length");
  const size_t codings = count_fields(request, "transfer-encoding");
  const size_t hosts = count_fields(request, "host");
  CV_FUZZ_CHECK(lengths <= 1);
  CV_FUZZ_CHECK(codings <= 1);
  CV_FUZZ_CHECK(lengths == 0 || codings == 0);
  CV_FUZZ_CHECK(hosts <= 1);
  if (out.version >= 11) CV_FUZZ_CHECK(hosts == 1);
  if (out.version < 11) CV_FUZZ_CHECK(codings == 0);
  if (lengths == 1) {
    CV_FUZZ_CHECK(all_digits(trim(request.headers.get("content-length"))));
    CV_FUZZ_CHECK(out.content_length.has_value());
  } else {
    CV_FUZZ_CHECK(!out.content_length.has_value());
  }
  if (codings == 1)
    CV_FUZZ_CHECK(ascii_iequals(trim(request.headers.get("transfer-encoding")), "chunked"));
  CV_FUZZ_CHECK(out.chunked == (codings == 1));

  // No obs-fold: no line of the header section starts with SP or HTAB.
  const size_t end = wire.find("\r\n\r\n");
  CV_FUZZ_CHECK(end != std::string_view::npos);
  const std::string_view header = wire.substr(0, end + 2);
  for (size_t at = header.find("\r\n"); at != std::string_view::npos && at + 2 < header.size();
       at = header.find("\r\n", at + 2)) {
    CV_FUZZ_CHECK(header[at + 2] != ' ' && header[at + 2] != '\t');
  }

  // A complete body is as long as declared, and the message ends right after it.
  if (out.done && !out.error && out.content_length) {
    CV_FUZZ_CHECK(out.body.size() == *out.content_length);
    CV_FUZZ_CHECK(out.consumed == end + 4 + *out.content_length);
  }
  if (out.done && !out.error && !out.content_length && !out.chunked) {
    CV_FUZZ_CHECK(out.body.empty());
    CV_FUZZ_CHECK(out.consumed == end + 4);
  }
}

void fuzz_framing(std::string_view input) {
  InputTail tail(input);
  const size_t count = tail.byte() % 16;
  std::vector<uint8_t> pieces;
  for (size_t i = 0; i < count; ++i) pieces.push_back(tail.byte());
  const std::string_view wire = input;

  const Outcome whole = parse(wire, {});
  const Outcome split = parse(wire, pieces.empty() ? std::vector<uint8_t>{1} : pieces);
  if (std::getenv("CV_FUZZ_TRACE")) {
    std::fprintf(stderr, "whole: %s header_done=%d done=%d body=%zu consumed=%zu\n",
                 whole.error.message().c_str(), whole.header_done, whole.done, whole.body.size(),
                 whole.consumed);
    std::fprintf(stderr, "split: %s header_done=%d done=%d body=%zu consumed=%zu\n",
                 split.error.message().c_str(), split.header_done, split.done, split.body.size(),
                 split.consumed);
  }

  // The same bytes frame the same way however they arrive. One exception, not a framing
  // difference: once Beast has seen part of a header it waits for the header's end before
  // parsing on, so an input whose header never ends can be refused fed whole (the bad byte is
  // seen at once) but still be waiting for more fed in pieces. Neither accepted a header.
  const auto unfinished = [](const Outcome& o) {
    return o.error == bhttp::error::need_more && !o.header_done;
  };
  if (unfinished(whole) != unfinished(split)) {
    const Outcome& refused = unfinished(whole) ? split : whole;
    CV_FUZZ_CHECK(refused.error && !refused.header_done);
    return;
  }
  CV_FUZZ_CHECK(whole.error == split.error);
  CV_FUZZ_CHECK(whole.header_done == split.header_done);
  CV_FUZZ_CHECK(whole.done == split.done);
  if (whole.header_done && split.header_done) {
    CV_FUZZ_CHECK(whole.request.method == split.request.method);
    CV_FUZZ_CHECK(whole.request.target == split.request.target);
    CV_FUZZ_CHECK(whole.request.headers.fields() == split.request.headers.fields());
    CV_FUZZ_CHECK(whole.chunked == split.chunked);
    CV_FUZZ_CHECK(whole.content_length == split.content_length);
    CV_FUZZ_CHECK(whole.body == split.body);
  }
  if (whole.done && !whole.error) CV_FUZZ_CHECK(whole.consumed == split.consumed);

  // A header the parser let through obeys the framing contract. is_header_done() is also
  // true for a header refused by on_header_impl (a FramingError other than kObsFold, which
  // after the header can only come from a trailer line); Beast's own header refusals and
  // the field-level FramingErrors stop before the header is done.
  const bool refused_in_on_header =
      whole.error.category() == http::framing_category() &&
      whole.error != http::make_error_code(http::FramingError::kObsFold);
  if (whole.header_done && !refused_in_on_header) check_accepted(wire, whole);
}

}  // namespace
}  // namespace cv::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::fuzz::fuzz_framing(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
