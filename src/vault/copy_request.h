// What a server-side copy asks of the vault (Vault::copy_object, Vault::copy_part in
// vault_copy.cc): the source and what the caller checks on it, the destination, and the
// attributes the caller has decided. The S3 API (CopyObject, UploadPartCopy) and the
// console (restore a version, rename) fill these; the copy itself is written once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/error.h"
#include "meta/types.h"
#include "vault/encryption.h"

namespace cv::vault {

// The version a copy reads, and the caller's checks on it. The vault runs them in this order:
// the lookup (get_object: NoSuchBucket, NoSuchKey, NoSuchVersion, MethodNotAllowed for a
// delete marker named by id), `admit`, its own read checks (InvalidObjectState for an
// archived version without a finished restore; the customer key as
// Vault::check_customer_key), then `preconditions`; only then is a byte read.
struct CopySource {
  std::string bucket;
  std::string key;
  std::string version_id;  // empty: the current version
  // The key an SSE-C source was stored with (nullopt: none came).
  std::optional<CustomerKey> customer_key;
  // The caller's read permission on the loaded version (S3: the source's ACL when no policy
  // allows the read); may be empty. Its error ends the copy as it is.
  std::function<Status(const meta::ObjectVersion&)> admit;
  // When set, returned instead of any failure of the lookup: a caller that may not read the
  // source must not learn whether it exists.
  std::optional<Error> lookup_error;
  // Checks on the readable version before any byte is read (S3: the x-amz-copy-source-if-*
  // conditions); may be empty. Its error ends the copy as it is.
  std::function<Status(const meta::ObjectVersion&)> preconditions;
};

// S3's x-amz-metadata-directive / x-amz-tagging-directive.
enum class CopyDirective { kCopy, kReplace };

struct CopyObjectRequest {
  CopySource source;
  std::string bucket;  // the destination
  std::string key;
  // What the copy gets besides its body:
  //   content_type, headers, user_metadata: used with metadata == kReplace, else the source's;
  //   tags: used with tagging == kReplace, else the source's;
  //   checksum_algorithm: empty is the source's;
  //   lock, owner_id, acl: as given (the caller decides them; the source's are never copied).
  meta::ObjectVersion attributes;
  CopyDirective metadata = CopyDirective::kCopy;
  CopyDirective tagging = CopyDirective::kCopy;
  // The copy's storage class; empty: none asked for, STANDARD (never the source's unless the
  // caller passes it). attributes.storage_class is not used.
  std::string storage_class;
  // The destination's encryption; kNone: the destination bucket's default. SSE-C brings the
  // new key here (the source's is CopySource::customer_key), so a copy can re-key.
  EncryptionRequest encryption;
  // If-None-Match / If-Match on the destination, checked when the copy commits.
  meta::WriteCondition condition;
};

struct CopiedObject {
  meta::ObjectVersion object;     // the new version, without body
  std::string source_version_id;  // the version read ("null" in an unversioned bucket)
};

// An inclusive byte range of the source (x-amz-copy-source-range: bytes=first-last).
struct CopyRange {
  uint64_t first = 0;
  uint64_t last = 0;
};

struct CopyPartRequest {
  CopySource source;
  std::optional<CopyRange> range;  // nullopt: the whole source
  std::string bucket;              // the upload's
  std::string key;
  std::string upload_id;
  uint32_t part_number = 0;
  // The upload's SSE-C key, which every part of an SSE-C upload brings.
  std::optional<CustomerKey> customer_key;
};

}  // namespace cv::vault
