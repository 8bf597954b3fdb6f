#include "audit/trail_files.h"

#include <array>
#include <ctime>

namespace cv::audit {
namespace {

std::string utc(int64_t time_ns, const char* format) {
  const std::time_t seconds = static_cast<std::time_t>(time_ns / 1'000'000'000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 64> text{};
  std::strftime(text.data(), text.size(), format, &parts);
  return text.data();
}

std::string folder(std::string_view account, std::string_view kind, std::string_view region,
                   int64_t time_ns) {
  return "AWSLogs/" + std::string(account) + "/" + std::string(kind) + "/" +
         std::string(region) + "/" + utc(time_ns, "%Y/%m/%d") + "/";
}

}  // namespace

std::string log_file_key(std::string_view account, std::string_view region, int64_t time_ns,
                         std::string_view unique) {
  return folder(account, "CloudTrail", region, time_ns) + std::string(account) +
         "_CloudTrail_" + std::string(region) + "_" + utc(time_ns, "%Y%m%dT%H%MZ") + "_" +
         std::string(unique) + ".json.gz";
}

std::string digest_file_key(std::string_view account, std::string_view region,
                            std::string_view trail, int64_t time_ns) {
  return folder(account, "CloudTrail-Digest", region, time_ns) + std::string(account) +
         "_CloudTrail-Digest_" + std::string(region) + "_" + std::string(trail) + "_" +
         std::string(region) + "_" + utc(time_ns, "%Y%m%dT%H%M%SZ") + ".json.gz";
}

std::string digest_time(int64_t time_ns) { return utc(time_ns, "%Y-%m-%dT%H:%M:%SZ"); }

std::string digest_signing_string(std::string_view digest_end_time,
                                  std::string_view bucket_and_key,
                                  std::string_view digest_sha256_hex,
                                  std::string_view previous_signature) {
  std::string text;
  text.append(digest_end_time).append("\n");
  text.append(bucket_and_key).append("\n");
  text.append(digest_sha256_hex).append("\n");
  text.append(previous_signature.empty() ? std::string_view("null") : previous_signature);
  return text;
}

}  // namespace cv::audit
