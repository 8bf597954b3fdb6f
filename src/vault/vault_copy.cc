// Server-side copies: CopyObject and UploadPartCopy for the S3 API, restore and rename for
// the console. The source is read through ReadableBody, so the read checks are GET's.
#include "vault/vault.h"

namespace cv::vault {
namespace {

// The source version after the lookup and the caller's admission (CopySource's order).
Result<meta::ObjectVersion> admitted_source(Vault& vault, const CopySource& source) {
  auto found = vault.get_object(source.bucket, source.key, source.version_id);
  if (!found) return fail(source.lookup_error ? *source.lookup_error : found.error());
  if (source.admit) CV_TRY(source.admit(*found));
  return std::move(*found);
}

Status check_preconditions(const CopySource& source, const meta::ObjectVersion& object) {
  if (source.preconditions) CV_TRY(source.preconditions(object));
  return {};
}

const CustomerKey* key_of(const std::optional<CustomerKey>& key) { return key ? &*key : nullptr; }

// Copying a version onto its own key must change something; naming an older version is how
// S3 restores it, and is allowed.
bool changes_nothing(const CopyObjectRequest& request, const meta::ObjectVersion& source) {
  return source.bucket == request.bucket && source.key == request.key &&
         request.source.version_id.empty() && request.metadata == CopyDirective::kCopy &&
         request.storage_class.empty() && request.encryption.mode == meta::EncryptionMode::kNone;
}

}  // namespace

Result<CopiedObject> Vault::copy_object(const CopyObjectRequest& request,
                                        const ChangeOrigin& origin) {
  const meta::ObjectVersion source = CV_TRY(admitted_source(*this, request.source));
  const ReadableBody body = CV_TRY(readable_body(source, key_of(request.source.customer_key)));
  CV_TRY(check_preconditions(request.source, source));
  if (changes_nothing(request, source)) {
    return fail(ErrorCode::kInvalidRequest,
                "This copy request is illegal because it is trying to copy an object to itself "
                "without changing the object's metadata, storage class, website redirect "
                "location or encryption attributes.");
  }
  PutObjectInput input;
  input.bucket = request.bucket;
  input.key = request.key;
  input.attributes = request.attributes;
  if (request.metadata == CopyDirective::kCopy) {
    input.attributes.content_type = source.content_type;
    input.attributes.headers = source.headers;
    input.attributes.user_metadata = source.user_metadata;
  }
  if (request.tagging == CopyDirective::kCopy) input.attributes.tags = source.tags;
  input.attributes.storage_class =
      request.storage_class.empty() ? "STANDARD" : request.storage_class;
  if (input.attributes.checksum_algorithm.empty()) {
    input.attributes.checksum_algorithm = source.checksum_algorithm;
  }
  const auto stream = CV_TRY(body.open(0, source.size));
  input.body = stream.get();
  input.expected_size = source.size;
  input.encryption = request.encryption;
  input.event_name = "s3:ObjectCreated:Copy";
  input.condition = request.condition;
  input.origin = origin;
  auto copy = CV_TRY(put_object(input));
  return CopiedObject{std::move(copy), source.version_id};
}

Result<meta::Part> Vault::copy_part(const CopyPartRequest& request) {
  const meta::ObjectVersion source = CV_TRY(admitted_source(*this, request.source));
  const ReadableBody body = CV_TRY(readable_body(source, key_of(request.source.customer_key)));
  CV_TRY(check_preconditions(request.source, source));
  uint64_t offset = 0;
  uint64_t length = source.size;
  if (request.range) {
    if (request.range->last < request.range->first || request.range->last >= source.size) {
      return fail(
          ErrorCode::kInvalidRange,
          "Range specified is not valid for source object of size: " + std::to_string(source.size));
    }
    offset = request.range->first;
    length = request.range->last - request.range->first + 1;
  }
  const auto stream = CV_TRY(body.open(offset, length));
  return upload_part(request.bucket, request.key, request.upload_id, request.part_number, *stream,
                     length, ChecksumAlgorithm::kNone, {}, key_of(request.customer_key));
}

}  // namespace cv::vault
