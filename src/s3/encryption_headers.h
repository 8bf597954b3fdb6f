// Server-side encryption headers: what a request asks for (SSE-S3, SSE-C) or brings to read an
// SSE-C object, and what a response says about an object's encryption.
//
// SSE-S3: x-amz-server-side-encryption: AES256. SSE-KMS (aws:kms, aws:kms:dsse) is refused
// with NotImplemented, since this server has no KMS. SSE-C: the three headers
// x-amz-server-side-encryption-customer-{algorithm,key,key-MD5} (with the prefix
// x-amz-copy-source-server-side-encryption-customer- for the source of a copy).
#pragma once

#include <optional>

#include "core/error.h"
#include "core/http_message.h"
#include "meta/types.h"
#include "vault/encryption.h"

namespace cv::s3 {

// The encryption a write asks for (PutObject, PostObject's fields, CopyObject's destination,
// CreateMultipartUpload). mode kNone when the request names none (the bucket's default then
// applies). Errors as S3 words them: InvalidArgument (unknown algorithm, SSE-C header missing,
// key not 256 bits, MD5 not the key's, both SSE-S3 and SSE-C), InvalidEncryptionAlgorithmError
// (SSE-C algorithm other than AES256), NotImplemented (aws:kms).
Result<vault::EncryptionRequest> encryption_request(const Headers& headers);

// Which SSE-C headers a customer key is read from.
enum class KeyHeaders { kObject, kCopySource };
// The SSE-C key a request brings (GetObject, HeadObject, UploadPart; a copy's source with
// kCopySource), nullopt when it brings none of the headers. The key-MD5 header is optional
// on reads (S3 accepts a GET without it) unless `md5_required`; when present it must match.
Result<std::optional<vault::CustomerKey>> customer_key(const Headers& headers, KeyHeaders which,
                                                       bool md5_required);

// A request bringing an SSE-C key (either header family) over plain HTTP where `policy` does
// not allow secrets there: 400 InvalidRequest "Requests specifying Server Side Encryption with
// Customer provided keys must be made over a secure connection.", as S3 answers.
Status require_secure_customer_key(const Request& request, PlainHttpSecrets policy);

// GET and HEAD take no x-amz-server-side-encryption header (InvalidArgument, as S3).
Status refuse_encryption_header_on_read(const Headers& headers);

// x-amz-server-side-encryption: AES256 for SSE-S3; x-amz-server-side-encryption-customer-
// algorithm and -key-MD5 for SSE-C; nothing for a plain object.
void add_encryption_headers(const meta::Encryption& encryption, Headers& headers);

}  // namespace cv::s3
