#include "s3/request_body.h"

#include "core/encoding.h"
#include "core/hash.h"
#include "vault/checksum.h"

namespace cv::s3 {
namespace {

constexpr std::string_view kChecksumPrefix = "x-amz-checksum-";

// Passes bytes through and, at the end, compares their SHA-256 with the signed hash.
class Sha256CheckingSource final : public ByteSource {
 public:
  Sha256CheckingSource(ByteSource& inner, std::string expected_hex)
      : inner_(inner), expected_hex_(std::move(expected_hex)) {}
  Result<size_t> read(std::span<char> out) override {
    const size_t n = CV_TRY(inner_.read(out));
    if (n > 0) {
      digest_.update(std::string_view(out.data(), n));
    } else if (!checked_) {
      checked_ = true;
      if (!constant_time_equal(hex_encode(digest_.finish()), expected_hex_)) {
        return fail(ErrorCode::kXAmzContentSHA256Mismatch,
                    "The provided 'x-amz-content-sha256' header does not match what was "
                    "computed.");
      }
    }
    return n;
  }

 private:
  ByteSource& inner_;
  std::string expected_hex_;
  Digest digest_{Digest::Algorithm::kSha256};
  bool checked_ = false;
};

std::optional<uint64_t> parse_length(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

// Bytes of a raw checksum of `algorithm`.
size_t checksum_size(vault::ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case vault::ChecksumAlgorithm::kCrc32:
    case vault::ChecksumAlgorithm::kCrc32c:
      return 4;
    case vault::ChecksumAlgorithm::kCrc64Nvme:
      return 8;
    case vault::ChecksumAlgorithm::kSha1:
      return 20;
    case vault::ChecksumAlgorithm::kSha256:
      return 32;
    case vault::ChecksumAlgorithm::kNone:
      return 0;
  }
  return 0;
}

// InvalidRequest, as S3 words it, unless `value` is the base64 of a checksum of `algorithm`.
Status check_checksum_value(vault::ChecksumAlgorithm algorithm, std::string_view value) {
  const auto raw = base64_decode(trim(value));
  if (!raw || raw->size() != checksum_size(algorithm)) {
    return fail(ErrorCode::kInvalidRequest, "Value for x-amz-checksum-" +
                                                to_lower(vault::checksum_name(algorithm)) +
                                                " header is invalid.");
  }
  return {};
}

bool is_streaming(auth::PayloadKind kind) {
  return kind == auth::PayloadKind::kStreamingSigned ||
         kind == auth::PayloadKind::kStreamingSignedTrailer ||
         kind == auth::PayloadKind::kStreamingUnsignedTrailer;
}

}  // namespace

Result<vault::ChecksumAlgorithm> requested_checksum(const Headers& headers) {
  for (std::string_view name : {"x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"}) {
    if (const std::string* value = headers.find(name)) {
      auto algorithm = vault::parse_checksum_name(*value);
      if (!algorithm) {
        return fail(ErrorCode::kInvalidArgument, "Checksum algorithm is not supported: " + *value);
      }
      return *algorithm;
    }
  }
  for (const auto& [name, value] : headers.fields()) {
    if (name.starts_with(kChecksumPrefix) && name != "x-amz-checksum-algorithm" &&
        name != "x-amz-checksum-type" && name != "x-amz-checksum-mode") {
      auto algorithm = vault::parse_checksum_name(name.substr(kChecksumPrefix.size()));
      if (!algorithm) {
        return fail(ErrorCode::kInvalidArgument, "Checksum algorithm is not supported: " + name);
      }
      return *algorithm;
    }
  }
  if (const std::string* trailer = headers.find("x-amz-trailer")) {
    const std::string name = to_lower(trim(*trailer));
    if (name.starts_with(kChecksumPrefix)) {
      auto algorithm = vault::parse_checksum_name(name.substr(kChecksumPrefix.size()));
      if (!algorithm) {
        return fail(ErrorCode::kInvalidArgument, "Checksum algorithm is not supported: " + name);
      }
      return *algorithm;
    }
  }
  return vault::ChecksumAlgorithm::kNone;
}

RequestBody::~RequestBody() = default;

Result<std::unique_ptr<RequestBody>> RequestBody::open(Request& request,
                                                       const auth::Identity& identity) {
  std::unique_ptr<RequestBody> body(new RequestBody());
  body->request_ = &request;
  body->top_ = request.body;
  body->length_ = request.content_length;
  if (is_streaming(identity.payload)) {
    const std::string* decoded = request.headers.find("x-amz-decoded-content-length");
    std::optional<uint64_t> decoded_length;
    if (decoded) {
      decoded_length = parse_length(*decoded);
      if (!decoded_length) {
        return fail(ErrorCode::kInvalidArgument, "x-amz-decoded-content-length is not a number");
      }
    } else if (identity.payload == auth::PayloadKind::kStreamingSigned) {
      return fail(ErrorCode::kMissingContentLength,
                  "You must provide the x-amz-decoded-content-length header.");
    }
    body->chunked_ =
        std::make_unique<auth::AwsChunkedSource>(*request.body, identity, decoded_length);
    body->top_ = body->chunked_.get();
    body->length_ = decoded_length;
  } else if (!request.content_length && !request.headers.contains("transfer-encoding")) {
    return fail(ErrorCode::kMissingContentLength);
  }
  if (identity.payload == auth::PayloadKind::kSha256) {
    body->sha256_ = std::make_unique<Sha256CheckingSource>(*body->top_, identity.payload_sha256);
    body->top_ = body->sha256_.get();
  }
  body->algorithm_ = CV_TRY(requested_checksum(request.headers));
  if (body->algorithm_ != vault::ChecksumAlgorithm::kNone) {
    const std::string header =
        std::string(kChecksumPrefix) + to_lower(vault::checksum_name(body->algorithm_));
    if (const std::string* value = request.headers.find(header)) {
      CV_TRY(check_checksum_value(body->algorithm_, *value));
    }
  }
  if (const std::string* md5 = request.headers.find("content-md5")) {
    auto raw = base64_decode(trim(*md5));
    if (!raw || raw->size() != 16) {
      return fail(ErrorCode::kInvalidDigest, "The Content-MD5 you specified is not valid.");
    }
    body->content_md5_ = std::move(*raw);
  }
  return body;
}

namespace {

bool has_integrity_header(const Headers& headers, vault::ChecksumAlgorithm algorithm) {
  if (headers.contains("content-md5")) return true;
  if (algorithm == vault::ChecksumAlgorithm::kNone) return false;
  const std::string header =
      std::string(kChecksumPrefix) + to_lower(vault::checksum_name(algorithm));
  return headers.contains(header) || headers.contains("x-amz-trailer");
}

}  // namespace

Result<std::string> read_request_document(Request& request, const auth::Identity& identity,
                                          size_t limit, IntegrityHeader integrity) {
  if (!request.content_length && !request.headers.contains("transfer-encoding")) {
    request.content_length = 0;
  }
  auto body = CV_TRY(RequestBody::open(request, identity));
  if (integrity == IntegrityHeader::kRequired &&
      !has_integrity_header(request.headers, body->checksum_algorithm())) {
    return fail(ErrorCode::kInvalidRequest,
                "Missing required header for this request: Content-MD5");
  }
  std::string text = CV_TRY(read_all(body->source(), limit));
  vault::BodyDigests digests;
  digests.size = text.size();
  digests.md5 = md5(text);
  digests.checksum = vault::compute_checksum(body->checksum_algorithm(), text);
  CV_TRY(body->check()(digests));
  return text;
}

vault::BodyCheck RequestBody::check() const {
  return [this](const vault::BodyDigests& digests) -> Status {
    if (content_md5_ && !constant_time_equal(*content_md5_, digests.md5)) {
      return fail(ErrorCode::kBadDigest,
                  "The Content-MD5 you specified did not match what we received.");
    }
    if (algorithm_ == vault::ChecksumAlgorithm::kNone) return {};
    const std::string header =
        std::string(kChecksumPrefix) + to_lower(vault::checksum_name(algorithm_));
    const std::string* expected = request_->headers.find(header);
    if (!expected && chunked_) {
      for (const auto& [name, value] : chunked_->trailers()) {
        if (name == header) expected = &value;
      }
    }
    if (!expected) return {};  // algorithm named without a value: compute and store only
    CV_TRY(check_checksum_value(algorithm_, *expected));
    if (base64_encode(digests.checksum) != trim(*expected)) {
      return fail(ErrorCode::kBadDigest,
                  "The " + std::string(vault::checksum_name(algorithm_)) +
                      " you specified did not match the calculated checksum.");
    }
    return {};
  };
}

}  // namespace cv::s3
