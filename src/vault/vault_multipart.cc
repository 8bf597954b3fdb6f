#include <algorithm>

#include "core/encoding.h"
#include "core/hash.h"
#include "core/ids.h"
#include "vault/body_encryption.h"
#include "vault/checksum.h"
#include "vault/stored_body.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

std::string_view strip_quotes(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

}  // namespace

Result<meta::MultipartUpload> Vault::create_upload(std::string_view bucket, std::string_view key,
                                                   const meta::ObjectVersion& attributes,
                                                   const EncryptionRequest& encryption) {
  CV_TRY(validate_key(key));
  if (!parse_storage_class(attributes.storage_class)) {
    return fail(ErrorCode::kInvalidStorageClass, "The storage class you specified is not valid",
                attributes.storage_class);
  }
  const auto state = CV_TRY(bucket_state(bucket));
  const auto algorithm =
      parse_checksum_name(attributes.checksum_algorithm).value_or(ChecksumAlgorithm::kNone);
  std::string checksum_type = attributes.checksum_type;
  if (checksum_type.empty()) {
    checksum_type = default_checksum_type(algorithm);
  } else if (algorithm == ChecksumAlgorithm::kNone) {
    return fail(ErrorCode::kInvalidRequest,
                "The x-amz-checksum-type header can only be used with the "
                "x-amz-checksum-algorithm header.");
  } else if (!checksum_type_allowed(algorithm, checksum_type)) {
    return fail(ErrorCode::kInvalidRequest,
                "The " + checksum_type + " checksum type cannot be used with the " +
                    std::string(checksum_name(algorithm)) + " checksum algorithm.");
  }
  // The lock asked for is checked now and kept with the upload; the default retention is
  // applied when the object is completed.
  CV_TRY(lock_for_new_version(*state, attributes.lock, to_unix_nanos(clock_.now())));
  meta::MultipartUpload upload;
  upload.upload_id = new_upload_id();
  upload.bucket = bucket;
  upload.key = key;
  upload.initiated_ns = to_unix_nanos(clock_.now());
  upload.owner_id = attributes.owner_id;
  upload.object = attributes;
  upload.object.bucket = bucket;
  upload.object.key = key;
  upload.object.checksum_type = std::move(checksum_type);
  std::string data_key;  // shared by the parts; kept wrapped in upload.object.encryption
  upload.object.encryption = CV_TRY(new_encryption(*state, encryption, data_key));
  CV_TRY(meta_.create_upload(upload));
  return upload;
}

Result<meta::MultipartUpload> Vault::get_upload(std::string_view bucket, std::string_view key,
                                                std::string_view upload_id) {
  auto upload = CV_TRY(meta_.get_upload(bucket, upload_id));
  if (!upload || upload->key != key) {
    CV_TRY(get_bucket(bucket));
    return fail(ErrorCode::kNoSuchUpload, {}, std::string(upload_id));
  }
  return std::move(*upload);
}

Result<meta::Part> Vault::upload_part(std::string_view bucket, std::string_view key,
                                      std::string_view upload_id, uint32_t part_number,
                                      ByteSource& body, std::optional<uint64_t> expected_size,
                                      ChecksumAlgorithm algorithm, const BodyCheck& check,
                                      const CustomerKey* customer_key) {
  if (part_number < 1 || part_number > options_.max_parts) {
    return fail(ErrorCode::kInvalidArgument,
                "Part number must be an integer between 1 and 10000, inclusive");
  }
  const auto upload = CV_TRY(get_upload(bucket, key, upload_id));
  const auto upload_algorithm =
      parse_checksum_name(upload.object.checksum_algorithm).value_or(ChecksumAlgorithm::kNone);
  if (algorithm == ChecksumAlgorithm::kNone) {
    algorithm = upload_algorithm;
  } else if (upload_algorithm != ChecksumAlgorithm::kNone && algorithm != upload_algorithm) {
    // The parts of an upload carry the checksum its creation named, as S3 requires.
    return fail(ErrorCode::kInvalidRequest,
                "Checksum Type mismatch occurred, expected checksum Type: " +
                    to_lower(checksum_name(upload_algorithm)) +
                    ", actual checksum Type: " + to_lower(checksum_name(algorithm)));
  }
  const StorageClass storage_class =
      parse_storage_class(upload.object.storage_class).value_or(StorageClass::kStandard);
  const std::string data_key =
      CV_TRY(data_key_for(upload.object.encryption, customer_key, KeyUse::kUploadPart, upload_id));
  StoredBody stored = CV_TRY(store_body(body, expected_size, options_.max_part_size, false,
                                        algorithm, check, storage_class, data_key));
  meta::Part part;
  part.upload_id = upload_id;
  part.part_number = part_number;
  part.etag = upload.object.encryption.mode == meta::EncryptionMode::kCustomer
                  ? customer_etag(data_key, stored.digests.md5)
                  : hex_encode(stored.digests.md5);
  part.size = stored.digests.size;
  part.mtime_ns = to_unix_nanos(clock_.now());
  part.checksum_value =
      stored.digests.checksum.empty() ? "" : base64_encode(stored.digests.checksum);
  part.blob = stored.blob;
  if (auto status = meta_.put_part(part); !status) {
    if (stored.blob) (void)blobs_.remove(stored.blob->blob_id);
    return fail(status.error());
  }
  return part;
}

Result<meta::ObjectVersion> Vault::complete_upload(std::string_view bucket, std::string_view key,
                                                   std::string_view upload_id,
                                                   const std::vector<CompletedPart>& parts,
                                                   const ChangeOrigin& origin,
                                                   const meta::WriteCondition& condition,
                                                   std::string_view expected_checksum) {
  const auto upload = CV_TRY(get_upload(bucket, key, upload_id));
  const auto state = CV_TRY(bucket_state(bucket));
  if (parts.empty()) {
    return fail(ErrorCode::kMalformedXML, "You must specify at least one part");
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].part_number <= parts[i - 1].part_number) {
      return fail(ErrorCode::kInvalidPartOrder);
    }
  }
  const auto stored_parts = CV_TRY(meta_.get_parts(upload_id));
  const auto algorithm =
      parse_checksum_name(upload.object.checksum_algorithm).value_or(ChecksumAlgorithm::kNone);

  const StorageClass storage_class =
      parse_storage_class(upload.object.storage_class).value_or(StorageClass::kStandard);
  meta::ObjectVersion object = upload.object;
  Digest etag_md5(Digest::Algorithm::kMd5);
  std::vector<PartChecksum> part_checksums;
  object.part_checksums.clear();
  uint64_t total = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& wanted = parts[i];
    auto found = std::find_if(stored_parts.begin(), stored_parts.end(), [&](const meta::Part& p) {
      return p.part_number == wanted.part_number;
    });
    if (found == stored_parts.end() || found->etag != strip_quotes(wanted.etag)) {
      return fail(ErrorCode::kInvalidPart,
                  "One or more of the specified parts could not be found. The part may not have "
                  "been uploaded, or the specified entity tag may not match the part's entity "
                  "tag.");
    }
    if (!wanted.checksum.empty() && wanted.checksum != found->checksum_value) {
      return fail(ErrorCode::kInvalidPart, "The checksum of a part does not match");
    }
    if (!found->blob) return fail(ErrorCode::kInternalError, "part without a body");
    etag_md5.update(*hex_decode(found->etag));
    if (algorithm != ChecksumAlgorithm::kNone) {
      part_checksums.push_back({base64_decode(found->checksum_value).value_or(""), found->size});
      object.part_checksums.push_back(found->checksum_value);
    }
    total += found->size;
    object.blobs.push_back(*found->blob);
    if (object.encryption.mode != meta::EncryptionMode::kNone) {
      // Sealed parts (never compressed): what each occupies follows from its size.
      object.blobs.back().stored_size = sealed_piece_size(found->size);
    } else if (compression_level(storage_class) > 0) {
      // Parts of an upload to a colder class were written as zstd frames (the parts table
      // keeps no codec); what each occupies is read off the blob.
      auto reader = CV_TRY(blobs_.open(found->blob->blob_id));
      object.blobs.back().codec = "zstd";
      object.blobs.back().stored_size = reader->size();
    }
  }
  // Every named part exists (InvalidPart above) before sizes are judged, as S3 does.
  for (size_t i = 0; i + 1 < object.blobs.size(); ++i) {
    if (object.blobs[i].size < options_.min_part_size) {
      return fail(ErrorCode::kEntityTooSmall,
                  "Your proposed upload is smaller than the minimum allowed object size.");
    }
  }
  const std::string count = std::to_string(parts.size());
  object.bucket = bucket;
  object.key = key;
  object.version_id = CV_TRY(next_version_id(*state));
  object.size = total;
  object.etag = hex_encode(etag_md5.finish()) + "-" + count;
  object.mtime_ns = to_unix_nanos(clock_.now());
  object.lock = new_version_lock(upload.object.lock, state->object_lock, object.mtime_ns);
  object.parts_count = static_cast<uint32_t>(parts.size());
  object.inline_data.clear();
  object.checksum_value.clear();
  if (algorithm != ChecksumAlgorithm::kNone) {
    if (object.checksum_type.empty()) object.checksum_type = default_checksum_type(algorithm);
    const std::string raw =
        CV_TRY(multipart_checksum(algorithm, object.checksum_type, part_checksums));
    object.checksum_value = base64_encode(raw);
    if (object.checksum_type == kComposite) object.checksum_value += "-" + count;
  } else {
    object.checksum_type.clear();
  }
  if (!expected_checksum.empty()) {
    // The client's value of the whole: composite values may come with or without "-N".
    const std::string_view ours = object.checksum_value;
    const std::string_view bare = ours.substr(0, ours.find('-'));
    if (algorithm == ChecksumAlgorithm::kNone) {
      return fail(ErrorCode::kInvalidRequest,
                  "The upload was created without a checksum algorithm; the complete request "
                  "cannot carry a checksum.");
    }
    if (expected_checksum != ours && expected_checksum != bare) {
      return fail(ErrorCode::kBadDigest,
                  "The " + std::string(checksum_name(algorithm)) +
                      " you specified did not match the calculated checksum.");
    }
  }
  object.lifecycle_due_ns = first_due(*state, object);
  object.replication_status = initial_replication_status(*state, object);
  CV_TRY(meta_.complete_upload(
      upload_id, object,
      event_of(object, "s3:ObjectCreated:CompleteMultipartUpload", object.mtime_ns, origin),
      condition));
  return object;
}

Status Vault::abort_upload(std::string_view bucket, std::string_view key,
                           std::string_view upload_id) {
  CV_TRY(get_upload(bucket, key, upload_id));
  return meta_.abort_upload(bucket, upload_id);
}

Result<meta::ListPartsPage> Vault::list_parts(std::string_view bucket, std::string_view key,
                                              std::string_view upload_id, uint32_t marker,
                                              uint32_t max_parts) {
  CV_TRY(get_upload(bucket, key, upload_id));
  return meta_.list_parts(upload_id, marker, max_parts);
}

Result<meta::ListUploadsPage> Vault::list_uploads(const meta::ListUploadsQuery& query) {
  CV_TRY(get_bucket(query.bucket));
  return meta_.list_uploads(query);
}

}  // namespace cv::vault
