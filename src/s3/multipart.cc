// CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts.
#include <array>
#include <charconv>

#include "core/clock.h"
#include "core/encoding.h"
#include "s3/acl_access.h"
#include "s3/call.h"
#include "s3/conditions.h"
#include "s3/encryption_headers.h"
#include "s3/object_headers.h"
#include "s3/request_body.h"
#include "s3/xml.h"
#include "vault/checksum.h"

namespace cv::s3 {
namespace {

std::string upload_id_param(const Call& call) {
  const std::string* id = find_param(call.request.params, "uploadId");
  return id ? *id : std::string();
}

constexpr std::array kChecksumElements = {"ChecksumCRC32", "ChecksumCRC32C", "ChecksumSHA1",
                                          "ChecksumSHA256", "ChecksumCRC64NVME"};

// x-amz-checksum-type as S3 spells it (FULL_OBJECT, COMPOSITE), "" when absent;
// InvalidRequest for another value.
Result<std::string> checksum_type_header(const Headers& headers) {
  const std::string* value = headers.find("x-amz-checksum-type");
  if (!value) return std::string();
  const std::string type = std::string(trim(*value));
  if (type != vault::kFullObject && type != vault::kComposite) {
    return fail(ErrorCode::kInvalidRequest, "Value for x-amz-checksum-type header is invalid.");
  }
  return type;
}

// CompleteMultipartUpload's x-amz-checksum-<algorithm> names the whole object's checksum, not
// the request document's: taken out of the headers before the document is read. Returns the
// algorithm's name and the value ("", "" when none).
std::pair<std::string, std::string> take_object_checksum(Headers& headers) {
  for (const auto& [name, value] : headers.fields()) {
    if (!name.starts_with("x-amz-checksum-") || name == "x-amz-checksum-type" ||
        name == "x-amz-checksum-algorithm" || name == "x-amz-checksum-mode") {
      continue;
    }
    const std::string header = name;  // `name` lives in the list remove() edits
    std::pair<std::string, std::string> found{header.substr(15), std::string(trim(value))};
    headers.remove(header);
    return found;
  }
  return {};
}

}  // namespace

Result<uint32_t> part_number_of(const Call& call) {
  const std::string* text = find_param(call.request.params, "partNumber");
  uint32_t number = 0;
  if (!text ||
      std::from_chars(text->data(), text->data() + text->size(), number).ptr !=
          text->data() + text->size() ||
      number < 1 || number > 10000) {
    return fail(ErrorCode::kInvalidArgument,
                "Part number must be an integer between 1 and 10000, inclusive");
  }
  return number;
}

Result<Response> create_multipart_upload(const Services& services, Call& call) {
  auto attributes = CV_TRY(attributes_from_headers(call.request.headers));
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  auto access = CV_TRY(new_object_access(services, call, bucket));
  attributes.owner_id = std::move(access.owner_id);
  attributes.acl = std::move(access.acl);  // the completed object's
  const auto algorithm = CV_TRY(requested_checksum(call.request.headers));
  attributes.checksum_algorithm = std::string(vault::checksum_name(algorithm));
  attributes.checksum_type = CV_TRY(checksum_type_header(call.request.headers));
  const auto encryption = CV_TRY(encryption_request(call.request.headers));
  const auto upload = CV_TRY(
      services.vault.create_upload(call.route.bucket, call.route.key, attributes, encryption));
  XmlWriter xml("InitiateMultipartUploadResult");
  add_text(xml.root(), "Bucket", call.route.bucket);
  add_text(xml.root(), "Key", call.route.key);
  add_text(xml.root(), "UploadId", upload.upload_id);
  Response response = xml_response(xml.str());
  if (algorithm != vault::ChecksumAlgorithm::kNone) {
    response.headers.add("x-amz-checksum-algorithm", vault::checksum_name(algorithm));
    response.headers.add("x-amz-checksum-type", upload.object.checksum_type);
  }
  add_encryption_headers(upload.object.encryption, response.headers);
  return response;
}

Result<Response> upload_part(const Services& services, Call& call) {
  const uint32_t number = CV_TRY(part_number_of(call));
  const auto key = CV_TRY(customer_key(call.request.headers, KeyHeaders::kObject, true));
  auto body = CV_TRY(RequestBody::open(call.request, call.identity));
  const auto part = CV_TRY(services.vault.upload_part(
      call.route.bucket, call.route.key, upload_id_param(call), number, body->source(),
      body->length(), body->checksum_algorithm(), body->check(), key ? &*key : nullptr));
  Response response = empty_response(200);
  const auto upload =
      CV_TRY(services.vault.get_upload(call.route.bucket, call.route.key, upload_id_param(call)));
  add_encryption_headers(upload.object.encryption, response.headers);
  response.headers.add("etag", quoted_etag(part.etag));
  if (!part.checksum_value.empty() &&
      body->checksum_algorithm() != vault::ChecksumAlgorithm::kNone) {
    response.headers.add(
        "x-amz-checksum-" + to_lower(vault::checksum_name(body->checksum_algorithm())),
        part.checksum_value);
  }
  return response;
}

Result<Response> complete_multipart_upload(const Services& services, Call& call) {
  const auto condition = CV_TRY(write_condition(call.request.headers));
  const std::string checksum_type = CV_TRY(checksum_type_header(call.request.headers));
  const auto [whole_algorithm, whole_checksum] = take_object_checksum(call.request.headers);
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kOptional));
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "CompleteMultipartUpload",
                                        XmlLimits{.max_elements = 60'000}));
  std::vector<vault::CompletedPart> parts;
  for (auto node : root.children()) {
    if (local_name(node) != "Part") continue;
    vault::CompletedPart part;
    const std::string number = child_text(node, "PartNumber");
    if (number.empty() ||
        std::from_chars(number.data(), number.data() + number.size(), part.part_number).ptr !=
            number.data() + number.size()) {
      return fail(ErrorCode::kMalformedXML);
    }
    part.etag = child_text(node, "ETag");
    for (const char* name : kChecksumElements) {
      if (auto value = child_text(node, name); !value.empty()) part.checksum = value;
    }
    parts.push_back(std::move(part));
  }
  if (!checksum_type.empty() || !whole_algorithm.empty()) {
    // What the request says of the whole must agree with how the upload was created.
    const auto upload =
        CV_TRY(services.vault.get_upload(call.route.bucket, call.route.key, upload_id_param(call)));
    if (!checksum_type.empty() && checksum_type != upload.object.checksum_type) {
      return fail(ErrorCode::kInvalidRequest,
                  "The upload was created using the " +
                      (upload.object.checksum_type.empty() ? std::string("null")
                                                           : upload.object.checksum_type) +
                      " checksum mode. The complete request must use the same checksum mode.");
    }
    if (!whole_algorithm.empty() &&
        !ascii_iequals(whole_algorithm, upload.object.checksum_algorithm)) {
      return fail(ErrorCode::kInvalidRequest,
                  "The upload was created using a " +
                      (upload.object.checksum_algorithm.empty()
                           ? std::string("null")
                           : to_lower(upload.object.checksum_algorithm)) +
                      " checksum. The complete request must use the same checksum algorithm.");
    }
  }
  const auto object = CV_TRY(
      services.vault.complete_upload(call.route.bucket, call.route.key, upload_id_param(call),
                                     parts, call.origin(), condition, whole_checksum));
  XmlWriter xml("CompleteMultipartUploadResult");
  add_text(xml.root(), "Location",
           "/" + call.route.bucket + "/" + uri_encode(call.route.key, false));
  add_text(xml.root(), "Bucket", call.route.bucket);
  add_text(xml.root(), "Key", call.route.key);
  add_text(xml.root(), "ETag", quoted_etag(object.etag));
  if (!object.checksum_value.empty()) {
    add_text(xml.root(), "Checksum" + std::string(object.checksum_algorithm),
             object.checksum_value);
    add_text(xml.root(), "ChecksumType", object.checksum_type);
  }
  Response response = xml_response(xml.str());
  add_version_header(services, call, object.version_id, response.headers);
  add_encryption_headers(object.encryption, response.headers);
  return response;
}

Result<Response> abort_multipart_upload(const Services& services, Call& call) {
  CV_TRY(services.vault.abort_upload(call.route.bucket, call.route.key, upload_id_param(call)));
  return empty_response(204);
}

Result<Response> list_parts(const Services& services, Call& call) {
  uint32_t marker = 0;
  uint32_t max_parts = 1000;
  if (const std::string* text = find_param(call.request.params, "part-number-marker")) {
    if (std::from_chars(text->data(), text->data() + text->size(), marker).ptr !=
        text->data() + text->size()) {
      return fail(ErrorCode::kInvalidArgument, "Invalid part-number-marker");
    }
  }
  if (const std::string* text = find_param(call.request.params, "max-parts")) {
    if (std::from_chars(text->data(), text->data() + text->size(), max_parts).ptr !=
        text->data() + text->size()) {
      return fail(ErrorCode::kInvalidArgument, "Invalid max-parts");
    }
    max_parts = std::min<uint32_t>(max_parts, 1000);
  }
  const auto upload =
      CV_TRY(services.vault.get_upload(call.route.bucket, call.route.key, upload_id_param(call)));
  const auto page = CV_TRY(services.vault.list_parts(call.route.bucket, call.route.key,
                                                     upload.upload_id, marker, max_parts));
  XmlWriter xml("ListPartsResult");
  auto root = xml.root();
  add_text(root, "Bucket", call.route.bucket);
  add_text(root, "Key", call.route.key);
  add_text(root, "UploadId", upload.upload_id);
  add_text(root, "PartNumberMarker", std::to_string(marker));
  add_text(root, "NextPartNumberMarker", std::to_string(page.next_part_number_marker));
  add_text(root, "MaxParts", std::to_string(max_parts));
  add_text(root, "IsTruncated", page.truncated ? "true" : "false");
  for (const char* element : {"Initiator", "Owner"}) {
    auto owner = root.append_child(element);
    add_text(owner, "ID", upload.owner_id);
    add_text(owner, "DisplayName", services.owners.display_name(upload.owner_id));
  }
  add_text(root, "StorageClass",
           upload.object.storage_class.empty() ? "STANDARD" : upload.object.storage_class);
  if (!upload.object.checksum_algorithm.empty()) {
    add_text(root, "ChecksumAlgorithm", upload.object.checksum_algorithm);
    add_text(root, "ChecksumType", upload.object.checksum_type);
  }
  for (const auto& part : page.parts) {
    auto node = root.append_child("Part");
    add_text(node, "PartNumber", std::to_string(part.part_number));
    add_text(node, "LastModified", format_iso8601(from_unix_nanos(part.mtime_ns)));
    add_text(node, "ETag", quoted_etag(part.etag));
    add_text(node, "Size", std::to_string(part.size));
    if (!part.checksum_value.empty() && !upload.object.checksum_algorithm.empty()) {
      add_text(node, "Checksum" + upload.object.checksum_algorithm, part.checksum_value);
    }
  }
  return xml_response(xml.str());
}

}  // namespace cv::s3
