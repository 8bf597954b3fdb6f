// AwsChunkedSource: an incremental decoder of aws-chunked bodies. It holds one 64 KiB buffer
// of raw bytes and never the whole body.
#include <algorithm>
#include <cstring>

#include "auth/aws_chunked.h"
#include "auth/chunk_signature.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

constexpr size_t kBufferSize = 64 * 1024;
constexpr size_t kMaxLineLength = 4096;
// Data reads at least this large bypass the buffer when it is empty.
constexpr size_t kDirectReadMinimum = 16 * 1024;
constexpr std::string_view kChunkSignaturePrefix = "chunk-signature=";
constexpr std::string_view kTrailerSignatureName = "x-amz-trailer-signature";

enum class Framing {
  kSigned,           // signed chunks, no trailer
  kSignedTrailer,    // signed chunks, signed trailer
  kUnsignedTrailer,  // "size\r\n" chunks, unsigned trailer
  kUnsigned,         // aws-chunked without streaming signatures: nothing to check
};

enum class Phase { kChunkHeader, kChunkData, kChunkEnd, kTrailers, kDone };

Framing framing_for(PayloadKind kind) {
  switch (kind) {
    case PayloadKind::kStreamingSigned:
      return Framing::kSigned;
    case PayloadKind::kStreamingSignedTrailer:
      return Framing::kSignedTrailer;
    case PayloadKind::kStreamingUnsignedTrailer:
      return Framing::kUnsignedTrailer;
    case PayloadKind::kUnsigned:
    case PayloadKind::kSha256:
      break;
  }
  return Framing::kUnsigned;
}

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<uint64_t> parse_hex_size(std::string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    value = value * 16 + static_cast<uint64_t>(digit);
  }
  return value;
}

Error incomplete_body(std::string message) {
  return Error{ErrorCode::kIncompleteBody, std::move(message), ""};
}

Error signature_mismatch() {
  return Error{ErrorCode::kSignatureDoesNotMatch,
               "The request signature we calculated does not match the signature you provided. "
               "Check your key and signing method.",
               ""};
}

// A line read from the buffer: its text, or why there is none.
enum class LineStatus { kLine, kNeedMore, kEnd };

}  // namespace

struct AwsChunkedSource::State {
  State(ByteSource& raw_body, const Identity& identity, std::optional<uint64_t> length)
      : raw(raw_body),
        framing(framing_for(identity.payload)),
        signing_key(identity.signing_key),
        amz_date(identity.amz_date),
        scope(identity.scope),
        previous_signature(identity.seed_signature),
        decoded_length(length),
        buffer(kBufferSize, '\0') {}

  bool signed_chunks() const {
    return framing == Framing::kSigned || framing == Framing::kSignedTrailer;
  }

  Result<size_t> decode(std::span<char> out);
  // Reads more raw bytes after the buffered ones; false at the end of the raw body.
  Result<bool> fill();
  // Takes the next CRLF-terminated line from the buffer, reading more only when `may_block`.
  // kEnd: the raw body ended exactly at a line boundary.
  Result<LineStatus> next_line(bool may_block, std::string& line);
  Status start_chunk(std::string_view header);
  Status consume_data(std::string_view data);
  Status finish_chunk(std::string_view data_sha256);
  Status add_trailer(std::string_view line);
  Status finish();

  ByteSource& raw;
  const Framing framing;
  const std::string signing_key;
  const std::string amz_date;
  const std::string scope;
  std::string previous_signature;
  const std::optional<uint64_t> decoded_length;
  uint64_t decoded = 0;

  std::string buffer;  // raw bytes [begin, end)
  size_t begin = 0;
  size_t end = 0;
  bool raw_ended = false;

  Phase phase = Phase::kChunkHeader;
  uint64_t chunk_remaining = 0;
  std::string chunk_signature_text;
  Digest chunk_hash{Digest::Algorithm::kSha256};

  std::vector<std::pair<std::string, std::string>> trailers;
  std::string canonical_trailers;
  std::optional<std::string> trailer_signature_text;
  std::optional<Error> error;  // sticky: every read after a failure repeats it
};

Result<bool> AwsChunkedSource::State::fill() {
  if (raw_ended) return false;
  if (begin > 0) {
    std::memmove(buffer.data(), buffer.data() + begin, end - begin);
    end -= begin;
    begin = 0;
  }
  if (end == buffer.size()) return true;  // full: the caller's limit check fires
  const size_t n = CV_TRY(raw.read(std::span<char>(buffer.data() + end, buffer.size() - end)));
  if (n == 0) {
    raw_ended = true;
    return false;
  }
  end += n;
  return true;
}

Result<LineStatus> AwsChunkedSource::State::next_line(bool may_block, std::string& line) {
  size_t searched = begin;
  while (true) {
    const std::string_view window(buffer.data() + begin, end - begin);
    const size_t crlf = window.find("\r\n", searched > begin ? searched - begin - 1 : 0);
    if (crlf != std::string_view::npos) {
      line.assign(window.substr(0, crlf));
      begin += crlf + 2;
      return LineStatus::kLine;
    }
    if (window.size() > kMaxLineLength) {
      return fail(ErrorCode::kInvalidArgument, "aws-chunked line too long");
    }
    if (!may_block) return LineStatus::kNeedMore;
    const size_t before = end - begin;
    if (!CV_TRY(fill())) {
      if (end == begin) return LineStatus::kEnd;
      return fail(incomplete_body("The request body ended inside an aws-chunked line."));
    }
    searched = begin + before;
  }
}

Status AwsChunkedSource::State::start_chunk(std::string_view header) {
  const size_t semicolon = header.find(';');
  const auto size = parse_hex_size(header.substr(0, semicolon));
  if (!size) return fail(ErrorCode::kInvalidArgument, "Invalid aws-chunked chunk size.");
  if (signed_chunks()) {
    const std::string_view extension =
        semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    if (!extension.starts_with(kChunkSignaturePrefix) ||
        extension.size() != kChunkSignaturePrefix.size() + 64 ||
        !is_lower_hex(extension.substr(kChunkSignaturePrefix.size()))) {
      return fail(ErrorCode::kInvalidArgument, "Invalid aws-chunked chunk signature.");
    }
    chunk_signature_text.assign(extension.substr(kChunkSignaturePrefix.size()));
  }
  if (decoded_length && *size > *decoded_length - decoded) {
    return fail(
        incomplete_body("The decoded body is longer than x-amz-decoded-content-length announced."));
  }
  if (*size == 0) {
    CV_TRY(finish_chunk(signed_chunks() ? sha256({}) : std::string()));
    phase = Phase::kTrailers;
    return {};
  }
  chunk_remaining = *size;
  phase = Phase::kChunkData;
  return {};
}

Status AwsChunkedSource::State::consume_data(std::string_view data) {
  if (signed_chunks()) chunk_hash.update(data);
  decoded += data.size();
  chunk_remaining -= data.size();
  if (chunk_remaining == 0) phase = Phase::kChunkEnd;
  return {};
}

Status AwsChunkedSource::State::finish_chunk(std::string_view data_sha256) {
  if (!signed_chunks()) return {};
  const std::string expected =
      chunk_signature(signing_key, amz_date, scope, previous_signature, data_sha256);
  if (!constant_time_equal(expected, chunk_signature_text)) return fail(signature_mismatch());
  previous_signature = std::move(chunk_signature_text);
  chunk_signature_text.clear();
  return {};
}

Status AwsChunkedSource::State::add_trailer(std::string_view line) {
  if (framing == Framing::kSigned) {
    return fail(ErrorCode::kMalformedTrailerError,
                "A trailer was sent although x-amz-content-sha256 announced none.");
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return fail(ErrorCode::kMalformedTrailerError, "The request contained a malformed trailer.");
  }
  std::string name = to_lower(trim(line.substr(0, colon)));
  const std::string_view value = trim(line.substr(colon + 1));
  if (name.empty()) {
    return fail(ErrorCode::kMalformedTrailerError, "The request contained a malformed trailer.");
  }
  if (trailer_signature_text) {
    return fail(ErrorCode::kMalformedTrailerError,
                "x-amz-trailer-signature must be the last trailer.");
  }
  if (name == kTrailerSignatureName) {
    trailer_signature_text.emplace(value);
    return {};
  }
  canonical_trailers += name;
  canonical_trailers.push_back(':');
  canonical_trailers += value;
  canonical_trailers.push_back('\n');
  trailers.emplace_back(std::move(name), std::string(value));
  return {};
}

Status AwsChunkedSource::State::finish() {
  if (framing == Framing::kSignedTrailer) {
    if (!trailer_signature_text) {
      return fail(ErrorCode::kMalformedTrailerError, "The trailer has no x-amz-trailer-signature.");
    }
    const std::string expected =
        trailer_signature(signing_key, amz_date, scope, previous_signature, canonical_trailers);
    if (!constant_time_equal(expected, *trailer_signature_text)) return fail(signature_mismatch());
  }
  if (decoded_length && decoded != *decoded_length) {
    return fail(incomplete_body(
        "The decoded body is shorter than x-amz-decoded-content-length announced."));
  }
  phase = Phase::kDone;
  return {};
}

Result<size_t> AwsChunkedSource::State::decode(std::span<char> out) {
  size_t produced = 0;
  std::string line;
  while (phase != Phase::kDone && produced < out.size()) {
    // Once some bytes are ready, return them rather than wait for more of the raw body.
    const bool may_block = produced == 0;
    switch (phase) {
      case Phase::kChunkHeader: {
        const LineStatus status = CV_TRY(next_line(may_block, line));
        if (status == LineStatus::kNeedMore) return produced;
        if (status == LineStatus::kEnd) {
          return fail(
              incomplete_body("The request body ended before the final aws-chunked chunk."));
        }
        CV_TRY(start_chunk(line));
        break;
      }
      case Phase::kChunkData: {
        const size_t room = out.size() - produced;
        if (begin == end) {
          if (!may_block) return produced;
          const size_t want = static_cast<size_t>(std::min<uint64_t>(chunk_remaining, room));
          if (want >= kDirectReadMinimum) {
            const size_t n = CV_TRY(raw.read(out.subspan(produced, want)));
            if (n == 0) return fail(incomplete_body("The request body ended inside a chunk."));
            CV_TRY(consume_data(std::string_view(out.data() + produced, n)));
            produced += n;
            break;
          }
          if (!CV_TRY(fill()))
            return fail(incomplete_body("The request body ended inside a chunk."));
        }
        const size_t n = static_cast<size_t>(
            std::min<uint64_t>({chunk_remaining, static_cast<uint64_t>(end - begin), room}));
        std::memcpy(out.data() + produced, buffer.data() + begin, n);
        begin += n;
        CV_TRY(consume_data(std::string_view(out.data() + produced, n)));
        produced += n;
        break;
      }
      case Phase::kChunkEnd: {
        while (end - begin < 2) {
          if (!may_block) return produced;
          if (!CV_TRY(fill()))
            return fail(incomplete_body("The request body ended after a chunk."));
        }
        if (buffer[begin] != '\r' || buffer[begin + 1] != '\n') {
          return fail(ErrorCode::kInvalidArgument, "An aws-chunked chunk is longer than its size.");
        }
        begin += 2;
        CV_TRY(finish_chunk(signed_chunks() ? chunk_hash.finish() : std::string()));
        phase = Phase::kChunkHeader;
        break;
      }
      case Phase::kTrailers: {
        const LineStatus status = CV_TRY(next_line(may_block, line));
        if (status == LineStatus::kNeedMore) return produced;
        if (status == LineStatus::kEnd || line.empty()) {
          CV_TRY(finish());
        } else {
          CV_TRY(add_trailer(line));
        }
        break;
      }
      case Phase::kDone:
        break;
    }
  }
  return produced;
}

AwsChunkedSource::AwsChunkedSource(ByteSource& raw, const Identity& identity,
                                   std::optional<uint64_t> decoded_length)
    : state_(std::make_unique<State>(raw, identity, decoded_length)) {}

AwsChunkedSource::~AwsChunkedSource() = default;

Result<size_t> AwsChunkedSource::read(std::span<char> out) {
  State& state = *state_;
  if (state.error) return fail(*state.error);
  auto result = state.decode(out);
  if (!result) state.error = result.error();
  return result;
}

const std::vector<std::pair<std::string, std::string>>& AwsChunkedSource::trailers() const {
  return state_->trailers;
}

}  // namespace cv::auth
