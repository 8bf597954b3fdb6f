// Fuzzes FormDataReader and form_boundary (src/s3/form_data.h): multipart/form-data bodies
// as browsers send them to PostObject, arriving in pieces of varying sizes and read with
// varying buffer sizes; parts are read fully, partly or skipped.
//
// Input: the body from the front (its first line is also tried as a Content-Type); from the
// back one byte each for the boundary choice (bit 7: the boundary of that Content-Type, bit 6:
// the body starts after that line), the flags, and a few piece/read sizes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "s3/form_data.h"

namespace cv::fuzz {
namespace {

constexpr std::array<std::string_view, 4> kBoundaries = {"----WebKitFormBoundary7MA4YWxkTrZu0gW",
                                                         "b", "XyZ", "boundary-with-some-length"};
constexpr int kMaxParts = 256;

void fuzz_form(std::string_view input) {
  InputTail tail(input);
  const uint8_t choice = tail.byte();
  const uint8_t flags = tail.byte();
  std::vector<uint8_t> pieces;
  for (int i = 0, n = 1 + tail.byte() % 4; i < n; ++i) pieces.push_back(tail.byte());
  std::vector<size_t> read_sizes;
  for (int i = 0, n = 1 + tail.byte() % 4; i < n; ++i) {
    const uint8_t b = tail.byte();
    read_sizes.push_back(b & 0x80 ? size_t{b & 0x7fu} * 1024 + 1 : size_t{b} + 1);
  }

  std::string_view after_first_line = input;
  const std::string_view content_type = take_line(after_first_line);
  const auto found = s3::form_boundary(content_type);
  if (found) CV_FUZZ_CHECK(!found->empty() && found->size() <= 200);
  s3::form_boundary(input);

  std::string boundary(kBoundaries[choice % kBoundaries.size()]);
  if ((choice & 0x80) && found) boundary = *found;
  const std::string delimiter = "\r\n--" + boundary;

  // The body is the whole input, or (choice bit 6) what follows the Content-Type line.
  PieceSource raw(std::string(choice & 0x40 ? after_first_line : input), pieces);
  s3::FormDataReader reader(raw, boundary);
  std::string buffer;
  size_t read_index = 0;
  for (int part_index = 0; part_index < kMaxParts; ++part_index) {
    auto part = reader.next_part();
    trace("FormDataReader::next_part", part);
    if (!part) return;
    if (!*part) {
      // After the closing delimiter there is nothing more.
      auto again = reader.next_part();
      CV_FUZZ_CHECK(again && !*again);
      return;
    }
    // 0: skip the content, 1: read one piece of it, 2 and 3: read all of it.
    const int how = (flags >> (2 * (part_index % 4))) & 3;
    if (how == 0) continue;
    std::string content;
    while (true) {
      buffer.resize(read_sizes[read_index++ % read_sizes.size()]);
      auto n = reader.read(std::span<char>(buffer.data(), buffer.size()));
      if (!n) trace("FormDataReader::read", n);
      if (!n) return;
      CV_FUZZ_CHECK(*n <= buffer.size());
      if (*n == 0) break;
      content.append(buffer.data(), *n);
      if (how == 1) break;
    }
    if (how >= 2) {
      // Content runs up to the first delimiter, never across one.
      CV_FUZZ_CHECK(content.find(delimiter) == std::string::npos);
      auto again = reader.read(std::span<char>(buffer.data(), buffer.size()));
      CV_FUZZ_CHECK(again && *again == 0);
    }
  }
}

}  // namespace
}  // namespace cv::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::fuzz::fuzz_form(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
