// AwsChunkedSource: the signed, signed-trailer and unsigned-trailer forms, read with every
// buffer size, and each way a body can be broken.
#include "auth/aws_chunked.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "auth/chunk_signature.h"
#include "auth/sigv4.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

constexpr std::string_view kSeed =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

// Hands out at most `step` bytes per read, as a slow socket does.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string data, size_t step) : data_(std::move(data)), step_(step) {}
  Result<size_t> read(std::span<char> out) override {
    const size_t n = std::min({out.size(), step_, data_.size() - offset_});
    std::memcpy(out.data(), data_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t step_;
  size_t offset_ = 0;
};

std::string test_payload(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
  return out;
}

Identity streaming_identity(PayloadKind kind) {
  Identity identity;
  identity.anonymous = false;
  identity.payload = kind;
  identity.seed_signature = std::string(kSeed);
  identity.signing_key = derive_signing_key("secret", "20250301", "us-east-1", "s3");
  identity.amz_date = "20250301T120000Z";
  identity.scope = "20250301/us-east-1/s3/aws4_request";
  return identity;
}

std::string encode(const Identity& identity, std::string_view payload, size_t chunk_size,
                   const std::vector<std::pair<std::string, std::string>>& trailers = {}) {
  return encode_aws_chunked(payload, chunk_size, identity.signing_key, identity.amz_date,
                            identity.scope, identity.seed_signature, trailers);
}

// Reads `source` to the end with reads of `buffer_size` bytes.
Result<std::string> read_with(ByteSource& source, size_t buffer_size) {
  std::string out;
  std::string buffer(buffer_size, '\0');
  while (true) {
    const size_t n = CV_TRY(source.read(std::span<char>(buffer.data(), buffer.size())));
    if (n == 0) return out;
    if (n > buffer_size) return fail(ErrorCode::kInternalError, "read past the buffer");
    out.append(buffer.data(), n);
  }
}

ErrorCode decode_error(const Identity& identity, std::string body,
                       std::optional<uint64_t> decoded_length = {}) {
  StringSource raw(std::move(body));
  AwsChunkedSource decoded(raw, identity, decoded_length);
  auto result = read_with(decoded, 4096);
  if (result) return ErrorCode::kNotModified;  // stands for "no error"
  // The error is sticky.
  std::array<char, 16> more;
  auto again = decoded.read(more);
  EXPECT_FALSE(again);
  if (!again) {
    EXPECT_EQ(again.error().code, result.error().code);
  }
  return result.error().code;
}

TEST(AwsChunkedSourceTest, DecodesWithEveryReadAndBufferSize) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingSigned);
  const std::string payload = test_payload(200'000);
  const std::string body = encode(identity, payload, 65536);
  for (const size_t raw_step : {size_t{1}, size_t{3}, size_t{67}, size_t{8192}, body.size()}) {
    for (const size_t buffer_size : {size_t{1}, size_t{7}, size_t{4096}, size_t{1} << 20}) {
      if (raw_step == 1 && buffer_size > 7) continue;  // slow and adds nothing
      TrickleSource raw(body, raw_step);
      AwsChunkedSource decoded(raw, identity, payload.size());
      auto result = read_with(decoded, buffer_size);
      ASSERT_TRUE(result) << raw_step << "/" << buffer_size << ": " << result.error().message;
      EXPECT_EQ(*result, payload) << raw_step << "/" << buffer_size;
    }
  }
}

TEST(AwsChunkedSourceTest, EmptyAndTinyPayloads) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingSigned);
  for (const size_t size : {size_t{0}, size_t{1}, size_t{2}, size_t{100}}) {
    const std::string payload = test_payload(size);
    StringSource raw(encode(identity, payload, 1));
    AwsChunkedSource decoded(raw, identity, size);
    auto result = read_with(decoded, 3);
    ASSERT_TRUE(result) << size << ": " << result.error().message;
    EXPECT_EQ(*result, payload);
  }
}

TEST(AwsChunkedSourceTest, BadChunkSignature) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingSigned);
  const std::string body = encode(identity, test_payload(1000), 300);
  // Every chunk signature (including the final one) is checked.
  size_t at = 0;
  int signatures = 0;
  while ((at = body.find("chunk-signature=", at)) != std::string::npos) {
    std::string tampered = body;
    char& c = tampered[at + 16 + 10];
    c = c == '0' ? '1' : '0';
    EXPECT_EQ(decode_error(identity, tampered), ErrorCode::kSignatureDoesNotMatch) << at;
    at += 16;
    ++signatures;
  }
  EXPECT_EQ(signatures, 5);
  // So are the data and the seed.
  std::string tampered = body;
  tampered[tampered.find("\r\n") + 5] ^= 1;
  EXPECT_EQ(decode_error(identity, tampered), ErrorCode::kSignatureDoesNotMatch);
  Identity other_seed = identity;
  other_seed.seed_signature[0] = other_seed.seed_signature[0] == '4' ? '5' : '4';
  EXPECT_EQ(decode_error(other_seed, body), ErrorCode::kSignatureDoesNotMatch);
  // Chunks cannot be reordered or dropped.
  const std::string chunk1 = body.substr(0, body.find("\r\n", body.find("\r\n") + 2) + 2);
  EXPECT_EQ(decode_error(identity, body.substr(chunk1.size())), ErrorCode::kSignatureDoesNotMatch);
}

TEST(AwsChunkedSourceTest, TruncatedBody) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingSigned);
  const std::string payload = test_payload(100);
  const std::string body = encode(identity, payload, 40);
  // Any cut before the final CRLF fails; the final CRLF itself may be missing.
  for (size_t cut = 0; cut + 2 < body.size(); ++cut) {
    EXPECT_EQ(decode_error(identity, body.substr(0, cut)), ErrorCode::kIncompleteBody) << cut;
  }
  EXPECT_EQ(decode_error(identity, body.substr(0, body.size() - 2), 100), ErrorCode::kNotModified);
  EXPECT_EQ(decode_error(identity, body, 100), ErrorCode::kNotModified);
}

TEST(AwsChunkedSourceTest, DecodedLengthMustMatch) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingSigned);
  const std::string body = encode(identity, test_payload(1000), 300);
  EXPECT_EQ(decode_error(identity, body, 1000), ErrorCode::kNotModified);
  EXPECT_EQ(decode_error(identity, body, 999), ErrorCode::kIncompleteBody);
  EXPECT_EQ(decode_error(identity, body, 1001), ErrorCode::kIncompleteBody);
  EXPECT_EQ(decode_error(identity, body, 0), ErrorCode::kIncompleteBody);
  EXPECT_EQ(decode_error(identity, body, std::nullopt), ErrorCode::kNotModified);
}

TEST(AwsChunkedSourceTest, MalformedFraming) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingSigned);
  const std::string sig(64, 'a');
  // Size not hex, signature missing or short.
  EXPECT_EQ(decode_error(identity, "zz;chunk-signature=" + sig + "\r\n"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(decode_error(identity, "5\r\nhello\r\n"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(decode_error(identity, "5;chunk-signature=abc\r\nhello\r\n"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(decode_error(identity, "5;chunk-signature=" + std::string(64, 'A') + "\r\nhello\r\n"),
            ErrorCode::kInvalidArgument);
  // A chunk longer than its size.
  EXPECT_EQ(decode_error(identity, "3;chunk-signature=" + sig + "\r\nhello\r\n"),
            ErrorCode::kInvalidArgument);
  // An endless header line.
  EXPECT_EQ(decode_error(identity, std::string(10000, '1')), ErrorCode::kInvalidArgument);
  // A trailer although none was announced.
  std::string body = encode(identity, "hello", 5);
  body.insert(body.size() - 2, "x-amz-checksum-crc32:AAAAAA==\r\n");
  EXPECT_EQ(decode_error(identity, body), ErrorCode::kMalformedTrailerError);
}

TEST(AwsChunkedSourceTest, SignedTrailer) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingSignedTrailer);
  const std::string payload = test_payload(70'000);
  Crc32 crc;
  crc.update(payload);
  const std::string checksum = base64_encode(crc_bytes(crc.value()));
  const std::string body = encode(identity, payload, 65536, {{"x-amz-checksum-crc32", checksum}});
  for (const size_t raw_step : {size_t{5}, body.size()}) {
    TrickleSource raw(body, raw_step);
    AwsChunkedSource decoded(raw, identity, payload.size());
    auto result = read_with(decoded, 1000);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, payload);
    ASSERT_EQ(decoded.trailers().size(), 1u);
    EXPECT_EQ(decoded.trailers()[0].first, "x-amz-checksum-crc32");
    EXPECT_EQ(decoded.trailers()[0].second, checksum);
  }

  std::string tampered = body;
  tampered.replace(tampered.find(checksum), checksum.size(), "AAAAAA==");
  EXPECT_EQ(decode_error(identity, tampered), ErrorCode::kSignatureDoesNotMatch);

  const size_t signature_line = body.find("x-amz-trailer-signature:");
  std::string unsigned_trailer = body.substr(0, signature_line) + "\r\n";
  EXPECT_EQ(decode_error(identity, unsigned_trailer), ErrorCode::kMalformedTrailerError);

  std::string after_signature = body.substr(0, body.size() - 2) + "x-amz-meta-x:y\r\n\r\n";
  EXPECT_EQ(decode_error(identity, after_signature), ErrorCode::kMalformedTrailerError);

  std::string no_colon = body;
  no_colon.replace(no_colon.find("x-amz-checksum-crc32:"), 21, "x-amz-checksum-crc32 ");
  EXPECT_EQ(decode_error(identity, no_colon), ErrorCode::kMalformedTrailerError);
}

TEST(AwsChunkedSourceTest, TrailerSignatureCoversTheTrailerText) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingSignedTrailer);
  const std::string previous = chunk_signature(identity.signing_key, identity.amz_date,
                                               identity.scope, identity.seed_signature, sha256(""));
  const std::string body =
      "0;chunk-signature=" + previous +
      "\r\nx-amz-checksum-sha256:abc=\r\nx-amz-trailer-signature:" +
      trailer_signature(identity.signing_key, identity.amz_date, identity.scope, previous,
                        "x-amz-checksum-sha256:abc=\n") +
      "\r\n\r\n";
  StringSource raw(body);
  AwsChunkedSource decoded(raw, identity, 0);
  auto result = read_with(decoded, 16);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, "");
  ASSERT_EQ(decoded.trailers().size(), 1u);
  EXPECT_EQ(decoded.trailers()[0].second, "abc=");
}

TEST(AwsChunkedSourceTest, UnsignedTrailerForm) {
  const Identity identity = streaming_identity(PayloadKind::kStreamingUnsignedTrailer);
  const std::string body =
      "5\r\nhello\r\n"
      "6\r\n world\r\n"
      "0\r\n"
      "X-Amz-Checksum-CRC32 : DUoRhQ==\r\n"
      "\r\n";
  for (const size_t raw_step : {size_t{1}, size_t{4}, body.size()}) {
    TrickleSource raw(body, raw_step);
    AwsChunkedSource decoded(raw, identity, 11);
    auto result = read_with(decoded, 4);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, "hello world");
    ASSERT_EQ(decoded.trailers().size(), 1u);
    EXPECT_EQ(decoded.trailers()[0].first, "x-amz-checksum-crc32");
    EXPECT_EQ(decoded.trailers()[0].second, "DUoRhQ==");
  }
  EXPECT_EQ(decode_error(identity, "5\r\nhello\r\n0\r\n\r\n", 11), ErrorCode::kIncompleteBody);
  EXPECT_EQ(decode_error(identity, "5\r\nhel"), ErrorCode::kIncompleteBody);
  EXPECT_EQ(decode_error(identity, "5\r\nhello\r\n0\r\nbroken\r\n\r\n"),
            ErrorCode::kMalformedTrailerError);
}

TEST(AwsChunkedSourceTest, SignedFormDoesNotReturnZeroBeforeTheEnd) {
  // The data comes out before the trailer is checked, but the read that would end the body
  // fails instead.
  const Identity identity = streaming_identity(PayloadKind::kStreamingSignedTrailer);
  const std::string payload = test_payload(10);
  std::string body = encode(identity, payload, 10, {{"x-amz-checksum-crc32", "x"}});
  body.replace(body.find("x-amz-checksum-crc32:x"), 22, "x-amz-checksum-crc32:y");
  StringSource raw(body);
  AwsChunkedSource decoded(raw, identity, 10);
  std::array<char, 10> buffer;
  auto first = decoded.read(buffer);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, 10u);
  auto second = decoded.read(buffer);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kSignatureDoesNotMatch);
}

}  // namespace
}  // namespace cv::auth
