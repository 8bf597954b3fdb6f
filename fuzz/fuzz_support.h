// Helpers shared by the libFuzzer harnesses: a ByteSource that hands out its bytes in pieces
// of fuzzer-chosen sizes, a one-key credential store, and line splitting of the input.
// Fuzzing only; not part of the server.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "core/byte_source.h"
#include "core/http_message.h"

namespace cv::fuzz {

// Aborts (a finding for libFuzzer) when a documented contract does not hold.
#define CV_FUZZ_CHECK(condition)                                                              \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: contract violated: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)

// With CV_FUZZ_TRACE set in the environment, prints what a call returned (to check that the
// seeds reach the paths they are meant to: `CV_FUZZ_TRACE=1 ./xml_fuzz corpus/xml_fuzz/*`).
template <typename T>
void trace(const char* what, const Result<T>& result) {
  static const bool enabled = std::getenv("CV_FUZZ_TRACE") != nullptr;
  if (!enabled) return;
  if (result) {
    std::fprintf(stderr, "%s: ok\n", what);
  } else {
    std::fprintf(stderr, "%s: %s %s\n", what,
                 std::string(error_code_name(result.error().code)).c_str(),
                 result.error().message.c_str());
  }
}

// Reads bytes and numbers from the end of the input while the body comes from the front:
// the layout libFuzzer's mutations keep stable.
class InputTail {
 public:
  explicit InputTail(std::string_view& data) : data_(data) {}
  uint8_t byte() {
    if (data_.empty()) return 0;
    const auto value = static_cast<uint8_t>(data_.back());
    data_.remove_suffix(1);
    return value;
  }
  uint64_t u64() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | byte();
    return value;
  }

 private:
  std::string_view& data_;
};

// Hands out `data` in pieces whose sizes cycle through `piece_sizes` (1..255; 0 entries are
// skipped), as a slow socket does; with `fail_at`, the read that would cross that offset
// fails with InternalError (a dropped connection).
class PieceSource final : public ByteSource {
 public:
  PieceSource(std::string data, std::vector<uint8_t> piece_sizes,
              std::optional<size_t> fail_at = std::nullopt)
      : data_(std::move(data)), pieces_(std::move(piece_sizes)), fail_at_(fail_at) {
    std::erase(pieces_, 0);
    if (pieces_.empty()) pieces_.push_back(255);
  }
  Result<size_t> read(std::span<char> out) override {
    CV_FUZZ_CHECK(!out.empty());
    size_t n = std::min({out.size(), data_.size() - offset_, size_t{pieces_[next_]}});
    next_ = (next_ + 1) % pieces_.size();
    if (fail_at_ && offset_ + n > *fail_at_) return fail(ErrorCode::kInternalError, "dropped");
    std::memcpy(out.data(), data_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string data_;
  std::vector<uint8_t> pieces_;
  std::optional<size_t> fail_at_;
  size_t offset_ = 0;
  size_t next_ = 0;
};

// One access key: kAccessKey / kSecretKey, owned by kUserId.
inline constexpr std::string_view kAccessKey = "AKIAIOSFODNN7EXAMPLE";
inline constexpr std::string_view kSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr std::string_view kUserId = "fuzz-user";

class OneKeyStore final : public auth::CredentialStore {
 public:
  Result<std::optional<auth::Credentials>> find(std::string_view access_key_id) override {
    if (access_key_id != kAccessKey) return std::optional<auth::Credentials>();
    return std::optional<auth::Credentials>(
        auth::Credentials{std::string(kAccessKey), std::string(kSecretKey), std::string(kUserId)});
  }
};

// Takes the text up to the next '\n' (dropping a '\r' before it) off the front of `rest`;
// the whole rest when there is no '\n'.
inline std::string_view take_line(std::string_view& rest) {
  const size_t newline = rest.find('\n');
  std::string_view line = rest.substr(0, newline);
  rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

// "name: value" header lines up to an empty line (or the end), added to `headers`.
inline void take_headers(std::string_view& rest, Headers& headers) {
  while (!rest.empty()) {
    const std::string_view line = take_line(rest);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    headers.add(name, value);
  }
}

// A request as the http layer fills it: method line, target line (path?query), header lines.
inline Request take_request(std::string_view& rest) {
  Request request;
  request.method = std::string(take_line(rest));
  request.target = std::string(take_line(rest));
  const size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  request.params = parse_query(request.query).value_or(QueryParams{});
  take_headers(rest, request.headers);
  return request;
}

}  // namespace cv::fuzz
