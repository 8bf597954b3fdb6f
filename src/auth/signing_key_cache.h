// A small LRU of derived SigV4 signing keys, so the verifier's hot path does one HMAC per
// request instead of five. Internal to the auth layer.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace cv::auth {

// Thread-safe (one mutex). Holds at most `capacity` keys; each entry is keyed by the secret,
// date, region and service, so a rotated secret or a new day simply misses.
class SigningKeyCache {
 public:
  explicit SigningKeyCache(size_t capacity);
  // The raw signing key for `service` ("s3" unless given), derived on a miss.
  std::string get(std::string_view secret, std::string_view date, std::string_view region,
                  std::string_view service = "s3");

 private:
  using Entry = std::pair<std::string, std::string>;  // (lookup key, signing key)
  const size_t capacity_;
  std::mutex mutex_;
  std::list<Entry> recent_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace cv::auth
