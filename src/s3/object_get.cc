// GetObject and HeadObject: conditions, ranges, partNumber, response-* overrides.
#include <array>
#include <charconv>
#include <optional>

#include "core/clock.h"
#include "core/encoding.h"
#include "s3/call.h"
#include "s3/conditions.h"
#include "s3/encryption_headers.h"
#include "s3/error_response.h"
#include "s3/object_headers.h"
#include "s3/range.h"

namespace cv::s3 {
namespace {

// Bodies up to this size are sent from memory; larger ones stream from the blob store.
constexpr uint64_t kInMemoryBodyLimit = 256 * 1024;

constexpr std::array<std::pair<const char*, const char*>, 6> kOverrides = {{
    {"response-content-type", "content-type"},
    {"response-content-language", "content-language"},
    {"response-expires", "expires"},
    {"response-cache-control", "cache-control"},
    {"response-content-disposition", "content-disposition"},
    {"response-content-encoding", "content-encoding"},
}};

// Objects are served from the console's origin, so a browser must never run one as a page of
// that origin: uploaded HTML or SVG opened from a link gets an opaque origin (CSP sandbox) and
// no type sniffing. PDFs are left unsandboxed because browsers refuse to show them sandboxed;
// their viewer runs no script of the document's.
void isolate_from_the_console(Headers& headers) {
  headers.set("x-content-type-options", "nosniff");
  std::string_view type = headers.get("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!ascii_iequals(type, "application/pdf")) headers.set("content-security-policy", "sandbox");
}

Result<std::optional<uint32_t>> part_number_param(const Call& call) {
  const std::string* text = find_param(call.request.params, "partNumber");
  if (!text) return std::optional<uint32_t>();
  uint32_t number = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), number);
  if (ec != std::errc() || end != text->data() + text->size() || number < 1 || number > 10000) {
    return fail(ErrorCode::kInvalidArgument,
                "Part number must be an integer between 1 and 10000, inclusive");
  }
  return std::optional<uint32_t>(number);
}

// The byte range of part `number` of the object.
Result<ByteRange> part_range(const meta::ObjectVersion& object, uint32_t number) {
  if (object.parts_count == 0) {
    if (number != 1) return fail(ErrorCode::kInvalidPartNumber);
    return ByteRange{0, object.size};
  }
  if (number > object.blobs.size()) return fail(ErrorCode::kInvalidPartNumber);
  uint64_t offset = 0;
  for (uint32_t i = 0; i + 1 < number; ++i) offset += object.blobs[i].size;
  return ByteRange{offset, object.blobs[number - 1].size};
}

Result<Response> read_object(const Services& services, Call& call, bool with_body) {
  CV_TRY(refuse_encryption_header_on_read(call.request.headers));
  const auto provided_key = CV_TRY(customer_key(call.request.headers, KeyHeaders::kObject, false));
  const vault::CustomerKey* key = provided_key ? &*provided_key : nullptr;
  const std::string* version = find_param(call.request.params, "versionId");
  const auto object = CV_TRY(
      services.vault.get_version(call.route.bucket, call.route.key, version ? *version : ""));
  if (object.is_delete_marker) {
    // S3 answers a delete marker with an error that carries the marker's headers.
    const Error error =
        version ? Error{ErrorCode::kMethodNotAllowed, {}, call.route.key}
                : Error{ErrorCode::kNoSuchKey, "The specified key does not exist.", call.route.key};
    Response refusal = error_response(error, call.request);
    refusal.headers.add("x-amz-delete-marker", "true");
    add_version_header(services, call, object.version_id, refusal.headers);
    if (version) refusal.headers.set("allow", "DELETE");
    return refusal;
  }
  // An SSE-C version answers only with its key, HEAD included; an archived version answers
  // HEAD, but its body only through a finished restore. The vault checks both once, before
  // any header of the answer is decided.
  std::optional<vault::ReadableBody> body;
  if (with_body) {
    body.emplace(CV_TRY(services.vault.readable_body(object, key)));
  } else {
    CV_TRY(services.vault.check_customer_key(object, key));
  }
  Response response;
  add_version_header(services, call, object.version_id, response.headers);
  if (auto ok = check_conditions(call.request.headers, object); !ok) {
    if (ok.error().code != ErrorCode::kNotModified) return fail(ok.error());
    response.status = 304;
    response.headers.add("etag", quoted_etag(object.etag));
    response.headers.add("last-modified", format_http_date(from_unix_nanos(object.mtime_ns)));
    return response;
  }
  const auto part_number = CV_TRY(part_number_param(call));
  if (part_number && call.request.headers.contains("range")) {
    return fail(ErrorCode::kInvalidRequest,
                "Cannot specify both Range header and partNumber query parameter");
  }
  std::optional<ByteRange> range;
  if (part_number) {
    range = CV_TRY(part_range(object, *part_number));
  } else if (const std::string* header = call.request.headers.find("range")) {
    auto resolved = resolve_range(*header, object.size);
    if (!resolved) {
      Error error = resolved.error();
      error.resource = call.route.key;
      return fail(error);
    }
    range = *resolved;
  }
  const bool checksum_mode = call.request.headers.get("x-amz-checksum-mode") == "ENABLED";
  // A whole object (or part 1 of a simple one) answers its checksum; a part of a multipart
  // object the part's; a byte range none.
  const bool whole = !range || (part_number && object.parts_count == 0);
  write_object_headers(object, checksum_mode && whole, response.headers);
  if (checksum_mode && part_number && object.parts_count > 0 &&
      *part_number <= object.part_checksums.size() &&
      !object.part_checksums[*part_number - 1].empty()) {
    response.headers.add("x-amz-checksum-" + to_lower(object.checksum_algorithm),
                         object.part_checksums[*part_number - 1]);
    response.headers.add("x-amz-checksum-type", "COMPOSITE");
  }
  add_encryption_headers(object.encryption, response.headers);
  for (const auto& [param, header] : kOverrides) {
    if (const std::string* value = find_param(call.request.params, param)) {
      response.headers.set(header, *value);
    }
  }
  isolate_from_the_console(response.headers);
  uint64_t offset = 0;
  uint64_t length = object.size;
  if (range && range->length > 0) {
    offset = range->offset;
    length = range->length;
    response.status = 206;
    response.headers.add("content-range", "bytes " + std::to_string(offset) + "-" +
                                              std::to_string(offset + length - 1) + "/" +
                                              std::to_string(object.size));
  }
  response.content_length = length;
  if (!with_body || length == 0) return response;
  auto stream = CV_TRY(body->open(offset, length));
  if (length <= kInMemoryBodyLimit) {
    response.body = CV_TRY(read_all(*stream, length));
  } else {
    response.stream = std::move(stream);
  }
  return response;
}

}  // namespace

Result<Response> get_object(const Services& services, Call& call) {
  return read_object(services, call, true);
}

Result<Response> head_object(const Services& services, Call& call) {
  return read_object(services, call, false);
}

}  // namespace cv::s3
