#include "auth/signing_key_cache.h"

#include "auth/canonical_request.h"
#include "auth/sigv4.h"

namespace cv::auth {

SigningKeyCache::SigningKeyCache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

std::string SigningKeyCache::get(std::string_view secret, std::string_view date,
                                 std::string_view region, std::string_view service) {
  std::string lookup;
  lookup.reserve(secret.size() + date.size() + region.size() + service.size() + 3);
  lookup += secret;
  lookup.push_back('\0');
  lookup += date;
  lookup.push_back('\0');
  lookup += region;
  lookup.push_back('\0');
  lookup += service;
  {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(lookup); it != index_.end()) {
      recent_.splice(recent_.begin(), recent_, it->second);
      return it->second->second;
    }
  }
  // Derive outside the lock; a concurrent miss for the same key derives it twice, harmlessly.
  std::string key = derive_signing_key(secret, date, region, service);
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(lookup); it != index_.end()) return key;
  recent_.emplace_front(lookup, key);
  index_.emplace(std::move(lookup), recent_.begin());
  if (recent_.size() > capacity_) {
    index_.erase(recent_.back().first);
    recent_.pop_back();
  }
  return key;
}

}  // namespace cv::auth
