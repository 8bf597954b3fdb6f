// Where CloudTrail puts its files, and what it signs in a digest — the names and strings the
// trail writer and `cloudvault trail validate` must agree on with AWS's own tools:
//   log files  AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
//              <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz
//   digests    AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
//              <account>_CloudTrail-Digest_<region>_<trail>_<region>_<YYYYMMDDTHHmmssZ>.json.gz
// The digest signature covers, as the aws CLI's `cloudtrail validate-logs` recomputes it:
//   digestEndTime "\n" <bucket>/<digest key> "\n" hex(SHA-256(uncompressed digest)) "\n"
//   previousDigestSignature (or "null" for the first digest)
//
// Pure: no I/O; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cv::audit {

// `unique`: 16 characters from [A-Za-z0-9] (the caller's randomness); `time_ns` is when the
// file is delivered.
std::string log_file_key(std::string_view account, std::string_view region, int64_t time_ns,
                         std::string_view unique);
// `time_ns` is the digest's end time.
std::string digest_file_key(std::string_view account, std::string_view region,
                            std::string_view trail, int64_t time_ns);
// CloudTrail's digest times: "2015-08-17T14:01:31Z".
std::string digest_time(int64_t time_ns);
// The string a digest's signature is computed over (see above). `previous_signature` empty:
// the first digest of the chain ("null").
std::string digest_signing_string(std::string_view digest_end_time,
                                  std::string_view bucket_and_key,
                                  std::string_view digest_sha256_hex,
                                  std::string_view previous_signature);

}  // namespace cv::audit
