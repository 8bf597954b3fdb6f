#include "audit/trail_digest.h"

#include <algorithm>

#include "audit/trail_files.h"

namespace cv::audit {
namespace {

namespace json = boost::json;

json::value nullable(const std::string& text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

}  // namespace

json::object digest_document(const DigestFacts& facts) {
  json::array files;
  std::optional<int64_t> oldest;
  std::optional<int64_t> newest;
  for (const DigestedLogFile& file : facts.log_files) {
    files.push_back(json::object{{"s3Bucket", file.bucket},
                                 {"s3Object", file.key},
                                 {"hashValue", file.sha256_hex},
                                 {"hashAlgorithm", "SHA-256"},
                                 {"newestEventTime", digest_time(file.newest_event_ns)},
                                 {"oldestEventTime", digest_time(file.oldest_event_ns)}});
    oldest = std::min(oldest.value_or(file.oldest_event_ns), file.oldest_event_ns);
    newest = std::max(newest.value_or(file.newest_event_ns), file.newest_event_ns);
  }
  const PreviousDigest none;
  const PreviousDigest& previous = facts.previous ? *facts.previous : none;
  return json::object{
      {"awsAccountId", facts.account_id},
      {"digestStartTime", digest_time(facts.start_ns)},
      {"digestEndTime", digest_time(facts.end_ns)},
      {"digestS3Bucket", facts.bucket},
      {"digestS3Object", facts.key},
      {"digestPublicKeyFingerprint", facts.public_key_fingerprint},
      {"digestSignatureAlgorithm", kDigestSignatureAlgorithm},
      {"newestEventTime", newest ? json::value(digest_time(*newest)) : json::value(nullptr)},
      {"oldestEventTime", oldest ? json::value(digest_time(*oldest)) : json::value(nullptr)},
      {"previousDigestS3Bucket", nullable(previous.bucket)},
      {"previousDigestS3Object", nullable(previous.key)},
      {"previousDigestHashValue", nullable(previous.sha256_hex)},
      {"previousDigestHashAlgorithm",
       facts.previous ? json::value("SHA-256") : json::value(nullptr)},
      {"previousDigestSignature", nullable(previous.signature)},
      {"logFiles", std::move(files)}};
}

}  // namespace cv::audit
