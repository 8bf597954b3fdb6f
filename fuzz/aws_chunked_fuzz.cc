// Fuzzes AwsChunkedSource (src/auth/aws_chunked.h): raw aws-chunked bodies in each framing,
// and validly signed bodies that are then damaged in one place, read with varying buffer
// sizes from a raw body that arrives in varying pieces.
//
// Input: the body from the front; from the back one byte each for the mode, flags, the
// damage, and a few piece/read sizes (see take_config).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/aws_chunked.h"
#include "auth/sigv4.h"
#include "fuzz_support.h"

namespace cv::fuzz {
namespace {

constexpr std::string_view kSeed =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

auth::Identity streaming_identity(auth::PayloadKind kind) {
  auth::Identity identity;
  identity.anonymous = false;
  identity.payload = kind;
  identity.seed_signature = std::string(kSeed);
  identity.signing_key = auth::derive_signing_key("secret", "20250301", "us-east-1", "s3");
  identity.amz_date = "20250301T120000Z";
  identity.scope = "20250301/us-east-1/s3/aws4_request";
  return identity;
}

struct Config {
  uint8_t mode = 0;
  uint8_t flags = 0;
  uint64_t number = 0;
  std::vector<uint8_t> pieces;
  std::vector<size_t> read_sizes;
};

Config take_config(std::string_view& data) {
  InputTail tail(data);
  Config config;
  config.mode = tail.byte();
  config.flags = tail.byte();
  config.number = tail.u64();
  const int pieces = 1 + tail.byte() % 4;
  for (int i = 0; i < pieces; ++i) config.pieces.push_back(tail.byte());
  const int reads = 1 + tail.byte() % 4;
  for (int i = 0; i < reads; ++i) {
    const uint8_t b = tail.byte();
    // Small reads, and reads up to 64 KiB (the decoder reads straight into large buffers).
    config.read_sizes.push_back(b & 0x80 ? size_t{b & 0x7fu} * 512 + 1 : size_t{b} + 1);
  }
  return config;
}

struct Outcome {
  bool ok = false;
  std::string decoded;
};

// Reads `source` to its end or first error, checking the ByteSource contract on the way.
Outcome drain(auth::AwsChunkedSource& source, const std::vector<size_t>& read_sizes,
              std::optional<uint64_t> decoded_length) {
  Outcome outcome;
  std::string buffer;
  for (size_t i = 0;; ++i) {
    buffer.resize(read_sizes[i % read_sizes.size()]);
    auto n = source.read(std::span<char>(buffer.data(), buffer.size()));
    if (!n) {
      trace("AwsChunkedSource::read", n);
      // Sticky: the same failure again.
      const auto again = source.read(std::span<char>(buffer.data(), buffer.size()));
      CV_FUZZ_CHECK(!again && again.error().code == n.error().code);
      return outcome;
    }
    CV_FUZZ_CHECK(*n <= buffer.size());
    if (*n == 0) {
      trace("AwsChunkedSource::read (end)", n);
      if (decoded_length) CV_FUZZ_CHECK(outcome.decoded.size() == *decoded_length);
      const auto again = source.read(std::span<char>(buffer.data(), buffer.size()));
      CV_FUZZ_CHECK(again && *again == 0);
      outcome.ok = true;
      return outcome;
    }
    outcome.decoded.append(buffer.data(), *n);
  }
}

// Raw bodies in one of the four framings.
void fuzz_raw(std::string_view body, const Config& config) {
  static constexpr std::array kKinds = {
      auth::PayloadKind::kStreamingSigned, auth::PayloadKind::kStreamingSignedTrailer,
      auth::PayloadKind::kStreamingUnsignedTrailer, auth::PayloadKind::kSha256};
  const auth::Identity identity = streaming_identity(kKinds[config.mode % kKinds.size()]);
  std::optional<uint64_t> decoded_length;
  if (config.flags & 1) {
    decoded_length = config.flags & 2 ? config.number : config.number % (body.size() + 2);
  }
  std::optional<size_t> fail_at;
  if (config.flags & 4) fail_at = config.number % (body.size() + 1);
  PieceSource raw(std::string(body), config.pieces, fail_at);
  auth::AwsChunkedSource source(raw, identity, decoded_length);
  const Outcome outcome = drain(source, config.read_sizes, decoded_length);
  if (outcome.ok) {
    // A decoded body never has more bytes than the raw one.
    CV_FUZZ_CHECK(outcome.decoded.size() <= body.size());
  }
}

// A validly signed body (with trailers when the flags say so), damaged at one offset unless
// the flags say otherwise: undamaged, it must decode to the payload.
void fuzz_signed(std::string_view payload, const Config& config) {
  const bool with_trailers = config.flags & 1;
  const auth::Identity identity =
      streaming_identity(with_trailers ? auth::PayloadKind::kStreamingSignedTrailer
                                       : auth::PayloadKind::kStreamingSigned);
  std::vector<std::pair<std::string, std::string>> trailers;
  if (with_trailers) {
    trailers.emplace_back("x-amz-checksum-crc32", "AAAAAA==");
    if (config.flags & 2) trailers.emplace_back("x-amz-meta-fuzz", "value");
  }
  const size_t chunk_size = 1 + config.number % 300;
  std::string body =
      auth::encode_aws_chunked(payload, chunk_size, identity.signing_key, identity.amz_date,
                               identity.scope, identity.seed_signature, trailers);
  const uint8_t damage = (config.flags >> 2) % 4;  // 0: none, 1: flip, 2: cut, 3: insert
  const size_t at = static_cast<size_t>((config.number >> 16) % (body.size() + 1));
  if (damage == 1 && at < body.size()) {
    body[at] = static_cast<char>(body[at] ^ (1 + (config.number >> 56) % 255));
  } else if (damage == 2) {
    body.resize(at);
  } else if (damage == 3) {
    body.insert(at, 1, static_cast<char>(config.number >> 56));
  }
  std::optional<uint64_t> decoded_length;
  if (config.flags & 0x10) decoded_length = payload.size();
  PieceSource raw(body, config.pieces);
  auth::AwsChunkedSource source(raw, identity, decoded_length);
  const Outcome outcome = drain(source, config.read_sizes, decoded_length);
  if (damage == 0) {
    CV_FUZZ_CHECK(outcome.ok);
    CV_FUZZ_CHECK(outcome.decoded == payload);
    CV_FUZZ_CHECK(source.trailers() == trailers);
  }
}

}  // namespace
}  // namespace cv::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const cv::fuzz::Config config = cv::fuzz::take_config(input);
  if (config.mode & 0x80) {
    cv::fuzz::fuzz_signed(input, config);
  } else {
    cv::fuzz::fuzz_raw(input, config);
  }
  return 0;
}
