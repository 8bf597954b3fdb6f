// Random identifiers. All are unguessable (CSPRNG) and safe in paths and URLs.
#pragma once

#include <span>
#include <string>

namespace cv {

// `bytes` random bytes as lowercase hex.
std::string random_hex(size_t bytes);
// The same for identifiers that are not secrets (request, event, version and blob ids):
// drawn from a per-thread buffer of 4 KiB that RAND_bytes refills, one RAND_bytes call per
// many ids instead of one each. Never for keys, tokens or anything that authenticates.
std::string random_id_hex(size_t bytes);
// `out.size()` bytes of that per-thread buffer (as random_id_hex).
void random_id_bytes(std::span<unsigned char> out);
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
