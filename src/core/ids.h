// Random identifiers. All are unguessable (CSPRNG) and safe in paths and URLs.
#pragma once

#include <string>

namespace cv {

// `bytes` random bytes as lowercase hex.
std::string random_hex(size_t bytes);
// 16 uppercase hex characters, as S3's x-amz-request-id.
std::string new_request_id();
// Identifier of a blob file: 32 hex characters.
std::string new_blob_id();
// Multipart upload id: URL-safe, 43 characters.
std::string new_upload_id();
// Access key id ("CV" + 18 uppercase alphanumerics) and a 40-character secret.
std::string new_access_key_id();
std::string new_secret_key();

}  // namespace cv
