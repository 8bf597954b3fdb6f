#include "remote/remote_s3_client.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "auth/sigv4.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "remote/endpoint.h"
#include "remote/http_transport.h"
#include "remote/object_headers.h"
#include "remote/s3_documents.h"

namespace cv::remote {
namespace {

constexpr uint64_t kMaxSinglePut = 5ull << 30;  // S3's PutObject and UploadPart limit
constexpr uint32_t kMaxPartNumber = 10000;
constexpr int kMaxListPages = 20;  // 10,000 parts at 1,000 a page, with room to spare

// The endpoint answered a body's ETag; compare it with the MD5 of what was sent when it is one.
RemoteStatus check_etag(const std::string& etag, const HttpReply& reply) {
  if (!is_md5_etag(etag) ||
      reply.headers.contains("x-amz-server-side-encryption-customer-algorithm")) {
    return {};
  }
  const std::string_view sse = reply.headers.get("x-amz-server-side-encryption");
  if (sse.starts_with("aws:kms")) return {};
  if (to_lower(etag) != hex_encode(reply.body_md5)) {
    return std::unexpected(protocol_error("the ETag " + etag +
                                              " is not the MD5 of the body sent (" +
                                              hex_encode(reply.body_md5) + ")",
                                          true, ErrorCode::kBadDigest));
  }
  return {};
}

std::optional<std::string> header_value(const Headers& headers, std::string_view name) {
  if (const std::string* value = headers.find(name)) return *value;
  return std::nullopt;
}

}  // namespace

struct RemoteS3Client::Address {
  EndpointAddress endpoint;
};

// One S3 request as the operations describe it.
struct RemoteS3Client::Call {
  std::string method;
  std::string_view bucket;
  std::string_view key;
  QueryParams query;
  ObjectHeaders headers;
  std::string body_text;
  ByteSource* body_source = nullptr;
  uint64_t body_size = 0;
  std::chrono::seconds stall{0};
  bool error_in_body = false;  // a 200 answer may still be an <Error> document
  ErrorCode not_found = ErrorCode::kNoSuchKey;
};

struct RemoteS3Client::Answer {
  HttpReply reply;
};

RemoteResult<std::unique_ptr<RemoteS3Client>> RemoteS3Client::create(RemoteEndpoint endpoint,
                                                                     const Clock& clock) {
  auto address = parse_endpoint(endpoint.url);
  if (!address) return std::unexpected(std::move(address).error());
  if (endpoint.access_key.empty() || endpoint.secret_key.empty() || endpoint.region.empty()) {
    return std::unexpected(
        argument_error("a remote endpoint needs a region, an access key and a secret key"));
  }
  TransportOptions options;
  options.connect_timeout = endpoint.timeouts.connect;
  options.stall_time = endpoint.timeouts.stall;
  options.stall_bytes_per_second = endpoint.timeouts.stall_bytes_per_second;
  options.verify_tls = endpoint.verify_tls;
  options.ca_file = endpoint.ca_file;
  options.max_response_body = std::max<size_t>(endpoint.max_range_bytes, 1 << 20);
  auto http = std::make_unique<HttpTransport>(std::move(options));
  std::unique_ptr<RemoteS3Client> client(
      new RemoteS3Client(std::move(endpoint), clock, std::move(http)));
  client->address_ = std::make_unique<Address>(Address{std::move(*address)});
  return client;
}

RemoteS3Client::RemoteS3Client(RemoteEndpoint endpoint, const Clock& clock,
                               std::unique_ptr<HttpTransport> http)
    : endpoint_(std::move(endpoint)), clock_(clock), http_(std::move(http)) {}

RemoteS3Client::~RemoteS3Client() = default;

RemoteResult<RemoteS3Client::Answer> RemoteS3Client::send(const Call& call) {
  RequestTarget target =
      address(address_->endpoint, endpoint_.path_style, call.bucket, call.key, call.query);
  ObjectHeaders headers = call.headers;
  if (!endpoint_.session_token.empty()) {
    headers.emplace_back("x-amz-security-token", endpoint_.session_token);
  }
  auth::SigningRequest signing{.method = call.method,
                               .host = target.host,
                               .path = target.path,
                               .query = target.query,
                               .headers = headers};
  // A body in memory is signed; a streamed one is UNSIGNED-PAYLOAD (see the header).
  if (!call.body_source) signing.payload_hash = hex_encode(sha256(call.body_text));
  const auth::SigningCredentials credentials{.access_key_id = endpoint_.access_key,
                                             .secret_key = endpoint_.secret_key,
                                             .region = endpoint_.region};
  HttpCall http{.method = call.method,
                .url = std::move(target.url),
                .headers = auth::sign_request(signing, credentials, clock_.now()),
                .body_text = call.body_text,
                .body_source = call.body_source,
                .body_size = call.body_size,
                .stall_time = call.stall};
  http.headers.insert(http.headers.end(), headers.begin(), headers.end());

  auto reply = http_->perform(http);
  if (!reply) return std::unexpected(std::move(reply).error());
  std::string resource = "/" + std::string(call.bucket);
  if (!call.key.empty()) resource += "/" + std::string(call.key);
  const bool failed = reply->status >= 300;
  if (failed || call.error_in_body) {
    std::optional<ErrorDocument> document = parse_error_document(reply->body);
    if (failed || document) {
      if (!document) document.emplace();
      // A bucket in another region (AWS answers 301, without a body to a HEAD) says where.
      if (const std::string* region = reply->headers.find("x-amz-bucket-region");
          region && *region != endpoint_.region) {
        if (document->message.empty())
          document->message = "HTTP status " + std::to_string(reply->status);
        document->message += " (the bucket is in region " + *region + ")";
      }
      std::string request_id = document->request_id.empty()
                                   ? std::string(reply->headers.get("x-amz-request-id"))
                                   : document->request_id;
      return std::unexpected(answer_error(reply->status, document->code,
                                          std::move(document->message), std::move(resource),
                                          std::move(request_id), call.not_found));
    }
  }
  return Answer{std::move(*reply)};
}

RemoteResult<BucketInfo> RemoteS3Client::head_bucket(std::string_view bucket) {
  auto answer = send({.method = "HEAD", .bucket = bucket, .not_found = ErrorCode::kNoSuchBucket});
  if (!answer) return std::unexpected(std::move(answer).error());
  return BucketInfo{std::string(answer->reply.headers.get("x-amz-bucket-region"))};
}

RemoteResult<ObjectInfo> RemoteS3Client::head_object(std::string_view bucket, std::string_view key,
                                                     std::optional<std::string_view> version_id) {
  Call call{.method = "HEAD", .bucket = bucket, .key = key};
  if (version_id) call.query.emplace_back("versionId", *version_id);
  auto answer = send(call);
  if (!answer) return std::unexpected(std::move(answer).error());
  return object_info_from_headers(answer->reply.headers);
}

RemoteResult<PutResult> RemoteS3Client::put_object(std::string_view bucket, std::string_view key,
                                                   ByteSource& body, uint64_t size,
                                                   const ObjectHeaders& headers) {
  if (key.empty()) return std::unexpected(argument_error("an object key is required"));
  if (size > kMaxSinglePut) {
    return std::unexpected(argument_error("a single PUT takes at most 5 GiB; use multipart"));
  }
  if (auto checked = check_object_headers(headers); !checked)
    return std::unexpected(checked.error());
  auto answer = send({.method = "PUT",
                      .bucket = bucket,
                      .key = key,
                      .headers = headers,
                      .body_source = &body,
                      .body_size = size});
  if (!answer) return std::unexpected(std::move(answer).error());
  PutResult result{.etag = unquote_etag(answer->reply.headers.get("etag")),
                   .version_id = header_value(answer->reply.headers, "x-amz-version-id"),
                   .bytes_sent = answer->reply.body_bytes_sent};
  if (auto checked = check_etag(result.etag, answer->reply); !checked) {
    return std::unexpected(checked.error());
  }
  return result;
}

RemoteResult<std::string> RemoteS3Client::create_multipart_upload(std::string_view bucket,
                                                                  std::string_view key,
                                                                  const ObjectHeaders& headers) {
  if (key.empty()) return std::unexpected(argument_error("an object key is required"));
  if (auto checked = check_object_headers(headers); !checked)
    return std::unexpected(checked.error());
  Call call{.method = "POST", .bucket = bucket, .key = key, .query = {{"uploads", ""}}};
  for (const auto& header : headers) {
    if (!ascii_iequals(header.first, "content-md5")) call.headers.push_back(header);  // of no body
  }
  auto answer = send(call);
  if (!answer) return std::unexpected(std::move(answer).error());
  std::optional<std::string> upload_id = parse_upload_id(answer->reply.body);
  if (!upload_id) {
    return std::unexpected(protocol_error("CreateMultipartUpload answered without an UploadId",
                                          false, ErrorCode::kMalformedXML));
  }
  return std::move(*upload_id);
}

RemoteResult<PartInfo> RemoteS3Client::upload_part(std::string_view bucket, std::string_view key,
                                                   std::string_view upload_id, uint32_t part_number,
                                                   ByteSource& body, uint64_t size) {
  if (part_number < 1 || part_number > kMaxPartNumber) {
    return std::unexpected(argument_error("part numbers are 1 to 10000"));
  }
  if (size > kMaxSinglePut) return std::unexpected(argument_error("a part takes at most 5 GiB"));
  auto answer = send(
      {.method = "PUT",
       .bucket = bucket,
       .key = key,
       .query = {{"partNumber", std::to_string(part_number)}, {"uploadId", std::string(upload_id)}},
       .body_source = &body,
       .body_size = size});
  if (!answer) return std::unexpected(std::move(answer).error());
  PartInfo part{.part_number = part_number,
                .size = answer->reply.body_bytes_sent,
                .etag = unquote_etag(answer->reply.headers.get("etag"))};
  if (part.etag.empty()) {
    return std::unexpected(
        protocol_error("UploadPart answered without an ETag", true, ErrorCode::kInternalError));
  }
  if (auto checked = check_etag(part.etag, answer->reply); !checked) {
    return std::unexpected(checked.error());
  }
  return part;
}

RemoteResult<std::vector<PartInfo>> RemoteS3Client::list_parts(std::string_view bucket,
                                                               std::string_view key,
                                                               std::string_view upload_id) {
  std::vector<PartInfo> parts;
  uint32_t marker = 0;
  for (int page_number = 0; page_number < kMaxListPages; ++page_number) {
    Call call{.method = "GET",
              .bucket = bucket,
              .key = key,
              .query = {{"uploadId", std::string(upload_id)}, {"max-parts", "1000"}},
              .not_found = ErrorCode::kNoSuchUpload};
    if (marker > 0) call.query.emplace_back("part-number-marker", std::to_string(marker));
    auto answer = send(call);
    if (!answer) return std::unexpected(std::move(answer).error());
    std::optional<PartsPage> page = parse_parts_page(answer->reply.body);
    if (!page) {
      return std::unexpected(protocol_error("ListParts answered with a malformed document", false,
                                            ErrorCode::kMalformedXML));
    }
    for (ListedPart& listed : page->parts) {
      parts.push_back({listed.part_number, listed.size, std::move(listed.etag)});
    }
    if (!page->truncated) return parts;
    if (page->next_marker <= marker) {
      return std::unexpected(
          protocol_error("ListParts is truncated but its marker does not advance", false,
                         ErrorCode::kMalformedXML));
    }
    marker = page->next_marker;
  }
  return std::unexpected(
      protocol_error("ListParts did not end within 20 pages", false, ErrorCode::kMalformedXML));
}

RemoteResult<ListedObjects> RemoteS3Client::list_objects_v2(std::string_view bucket,
                                                            std::string_view prefix,
                                                            std::string_view continuation_token) {
  Call call{.method = "GET",
            .bucket = bucket,
            .query = {{"list-type", "2"}, {"prefix", std::string(prefix)}},
            .not_found = ErrorCode::kNoSuchBucket};
  if (!continuation_token.empty()) {
    call.query.emplace_back("continuation-token", std::string(continuation_token));
  }
  auto answer = send(call);
  if (!answer) return std::unexpected(std::move(answer).error());
  std::optional<ObjectsPage> page = parse_objects_page(answer->reply.body);
  if (!page) {
    return std::unexpected(protocol_error("ListObjectsV2 answered with a malformed document", false,
                                          ErrorCode::kMalformedXML));
  }
  ListedObjects listed{.truncated = page->truncated,
                       .next_continuation_token = std::move(page->next_continuation_token)};
  for (ListedObject& object : page->objects) {
    ObjectInfo info;
    info.size = object.size;
    info.etag = std::move(object.etag);
    listed.objects.emplace_back(std::move(object.key), std::move(info));
  }
  return listed;
}

namespace {

// The ranges of one object, fetched one at a time as the reader asks.
class RangedObjectSource final : public ByteSource {
 public:
  using Fetch = std::function<RemoteResult<std::string>(uint64_t offset, uint64_t length)>;
  RangedObjectSource(Fetch fetch, uint64_t size, uint64_t piece)
      : fetch_(std::move(fetch)), size_(size), piece_(std::max<uint64_t>(piece, 1)) {}

  Result<size_t> read(std::span<char> out) override {
    if (used_ == buffer_.size()) {
      if (offset_ >= size_) return size_t{0};
      uint64_t length = std::min(piece_, size_ - offset_);
      auto fetched = fetch_(offset_, length);
      if (!fetched) return std::unexpected(fetched.error().error);
      buffer_ = std::move(*fetched);
      used_ = 0;
      offset_ += length;
    }
    size_t n = std::min(out.size(), buffer_.size() - used_);
    std::memcpy(out.data(), buffer_.data() + used_, n);
    used_ += n;
    return n;
  }

 private:
  Fetch fetch_;
  uint64_t size_;
  uint64_t piece_;
  uint64_t offset_ = 0;  // of the next range to fetch
  std::string buffer_;
  size_t used_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> RemoteS3Client::open_object(std::string bucket, std::string key,
                                                        uint64_t size, std::string etag,
                                                        uint64_t piece) {
  auto fetch = [this, bucket = std::move(bucket), key = std::move(key), etag = std::move(etag)](
                   uint64_t offset, uint64_t length) {
    return get_range(bucket, key, offset, length, etag);
  };
  return std::make_unique<RangedObjectSource>(std::move(fetch), size,
                                              std::min<uint64_t>(piece, max_range()));
}

RemoteResult<std::string> RemoteS3Client::get_range(std::string_view bucket, std::string_view key,
                                                    uint64_t offset, uint64_t length,
                                                    std::string_view etag) {
  if (length == 0 || length > max_range()) {
    return std::unexpected(argument_error("a ranged GET takes 1 byte to max_range_bytes"));
  }
  Call call{.method = "GET", .bucket = bucket, .key = key};
  call.headers.emplace_back(
      "range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
  if (!etag.empty()) call.headers.emplace_back("if-match", "\"" + std::string(etag) + "\"");
  auto answer = send(call);
  if (!answer) return std::unexpected(std::move(answer).error());
  if (answer->reply.body.size() != length) {
    return std::unexpected(protocol_error("GetObject answered a range of the wrong size", true,
                                          ErrorCode::kInternalError));
  }
  return std::move(answer->reply.body);
}

RemoteResult<ListedUploads> RemoteS3Client::list_multipart_uploads(
    std::string_view bucket, std::string_view prefix, std::string_view key_marker,
    std::string_view upload_id_marker) {
  Call call{.method = "GET",
            .bucket = bucket,
            .query = {{"uploads", ""}, {"prefix", std::string(prefix)}},
            .not_found = ErrorCode::kNoSuchBucket};
  if (!key_marker.empty()) call.query.emplace_back("key-marker", std::string(key_marker));
  if (!upload_id_marker.empty()) {
    call.query.emplace_back("upload-id-marker", std::string(upload_id_marker));
  }
  auto answer = send(call);
  if (!answer) return std::unexpected(std::move(answer).error());
  std::optional<UploadsPage> page = parse_uploads_page(answer->reply.body);
  if (!page) {
    return std::unexpected(protocol_error(
        "ListMultipartUploads answered with a malformed document", false, ErrorCode::kMalformedXML));
  }
  ListedUploads listed{.truncated = page->truncated,
                       .next_key_marker = std::move(page->next_key_marker),
                       .next_upload_id_marker = std::move(page->next_upload_id_marker)};
  for (ListedUpload& upload : page->uploads) {
    listed.uploads.push_back({std::move(upload.key), std::move(upload.upload_id)});
  }
  return listed;
}

RemoteResult<PutResult> RemoteS3Client::complete_multipart_upload(
    std::string_view bucket, std::string_view key, std::string_view upload_id,
    const std::vector<PartInfo>& parts) {
  std::vector<ListedPart> listed;
  listed.reserve(parts.size());
  for (const PartInfo& part : parts) listed.push_back({part.part_number, part.size, part.etag});
  auto answer = send({.method = "POST",
                      .bucket = bucket,
                      .key = key,
                      .query = {{"uploadId", std::string(upload_id)}},
                      .headers = {{"Content-Type", "application/xml"}},
                      .body_text = complete_document(listed),
                      .stall = endpoint_.timeouts.complete_stall,
                      .error_in_body = true,
                      .not_found = ErrorCode::kNoSuchUpload});
  if (!answer) return std::unexpected(std::move(answer).error());
  std::optional<std::string> etag = parse_complete_etag(answer->reply.body);
  if (!etag) {
    return std::unexpected(protocol_error("CompleteMultipartUpload answered without an ETag", true,
                                          ErrorCode::kMalformedXML));
  }
  return PutResult{.etag = std::move(*etag),
                   .version_id = header_value(answer->reply.headers, "x-amz-version-id")};
}

RemoteStatus RemoteS3Client::abort_multipart_upload(std::string_view bucket, std::string_view key,
                                                    std::string_view upload_id) {
  auto answer = send({.method = "DELETE",
                      .bucket = bucket,
                      .key = key,
                      .query = {{"uploadId", std::string(upload_id)}},
                      .not_found = ErrorCode::kNoSuchUpload});
  if (!answer && answer.error().error.code != ErrorCode::kNoSuchUpload) {
    return std::unexpected(std::move(answer).error());
  }
  return {};
}

RemoteStatus RemoteS3Client::put_object_tagging(
    std::string_view bucket, std::string_view key,
    const std::vector<std::pair<std::string, std::string>>& tags,
    std::optional<std::string_view> version_id) {
  if (key.empty()) return std::unexpected(argument_error("an object key is required"));
  Call call{.method = "PUT", .bucket = bucket, .key = key, .query = {{"tagging", ""}}};
  if (version_id) call.query.emplace_back("versionId", *version_id);
  call.body_text = tagging_document(tags);
  call.headers.emplace_back("Content-MD5", base64_encode(md5(call.body_text)));
  auto answer = send(call);
  if (!answer) return std::unexpected(std::move(answer).error());
  return {};
}

RemoteResult<DeleteResult> RemoteS3Client::delete_object(
    std::string_view bucket, std::string_view key, std::optional<std::string_view> version_id) {
  if (key.empty()) return std::unexpected(argument_error("an object key is required"));
  Call call{.method = "DELETE", .bucket = bucket, .key = key};
  if (version_id) call.query.emplace_back("versionId", *version_id);
  auto answer = send(call);
  if (!answer) return std::unexpected(std::move(answer).error());
  return DeleteResult{.version_id = header_value(answer->reply.headers, "x-amz-version-id"),
                      .delete_marker = answer->reply.headers.get("x-amz-delete-marker") == "true"};
}

}  // namespace cv::remote
