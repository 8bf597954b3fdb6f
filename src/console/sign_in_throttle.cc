#include "console/sign_in_throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <tuple>

namespace cv::console {
namespace {

// Whole seconds until `later`, rounded up, at least 1.
std::chrono::seconds seconds_until(TimePoint later, TimePoint now) {
  const auto wait = std::chrono::ceil<std::chrono::seconds>(later - now);
  return std::max(wait, std::chrono::seconds(1));
}

}  // namespace

SignInThrottle::SignInThrottle(const Clock& clock, SignInThrottlePolicy policy)
    : clock_(clock), policy_(policy) {}

std::string SignInThrottle::address_bucket(std::string_view address) {
  std::string text(address.substr(0, 64));
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  std::string host = text.substr(0, text.find('%'));  // without an IPv6 zone ("%eth0")
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET6, host.c_str(), bytes.data()) != 1) return text;
  char formatted[INET6_ADDRSTRLEN] = {};
  constexpr std::array<unsigned char, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin())) {
    inet_ntop(AF_INET, bytes.data() + 12, formatted, sizeof formatted);
    return formatted;
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  inet_ntop(AF_INET6, bytes.data(), formatted, sizeof formatted);
  return std::string(formatted) + "/64";
}

std::chrono::seconds SignInThrottle::lockout_after(uint32_t failures,
                                                   uint32_t free_failures) const {
  if (failures <= free_failures) return std::chrono::seconds(0);
  const uint32_t doublings = failures - free_failures - 1;
  const int64_t first = policy_.first_lockout.count();
  const int64_t cap = policy_.max_lockout.count();
  if (doublings >= 62 || first > (cap >> doublings)) return policy_.max_lockout;
  return std::min(std::chrono::seconds(first << doublings), policy_.max_lockout);
}

void SignInThrottle::make_room(Table& table, TimePoint now) {
  if (table.size() < policy_.max_records) return;
  std::erase_if(table, [&](const auto& entry) {
    const Record& record = entry.second;
    return record.locked_until <= now && now - record.last_failure >= policy_.forget_after;
  });
  while (!table.empty() && table.size() >= policy_.max_records) {
    auto first_free =
        std::min_element(table.begin(), table.end(), [](const auto& a, const auto& b) {
          return std::tie(a.second.locked_until, a.second.last_failure) <
                 std::tie(b.second.locked_until, b.second.last_failure);
        });
    table.erase(first_free);
  }
}

const SignInThrottle::Record& SignInThrottle::count_failure(Table& table, std::string_view name,
                                                            uint32_t free_failures, TimePoint now) {
  auto found = table.find(name);
  if (found == table.end()) {
    make_room(table, now);
    found = table.emplace(std::string(name), Record{}).first;
  } else if (found->second.locked_until <= now &&
             now - found->second.last_failure >= policy_.forget_after) {
    found->second = Record{};  // forgotten: counting starts again
  }
  Record& record = found->second;
  record.failures += record.failures < UINT32_MAX ? 1 : 0;
  record.last_failure = now;
  record.locked_until = now + lockout_after(record.failures, free_failures);
  return record;
}

SignInThrottle::Attempt SignInThrottle::admit(std::string_view address,
                                              std::string_view access_key) {
  const TimePoint now = clock_.now();
  const std::string address_name = address_bucket(address);
  const std::string_view key_name = access_key.substr(0, kMaxTrackedKeyBytes);
  Attempt attempt;
  std::lock_guard lock(mutex_);
  TimePoint locked_until = now;
  if (auto found = keys_.find(key_name); found != keys_.end() && found->second.locked_until > now) {
    attempt.key_locked = true;
    locked_until = std::max(locked_until, found->second.locked_until);
  }
  if (auto found = addresses_.find(address_name);
      found != addresses_.end() && found->second.locked_until > now) {
    attempt.address_locked = true;
    locked_until = std::max(locked_until, found->second.locked_until);
  }
  if (attempt.key_locked || attempt.address_locked) {
    attempt.refused = true;
    attempt.retry_after = seconds_until(locked_until, now);
    return attempt;
  }
  const Record& key = count_failure(keys_, key_name, policy_.free_failures_per_key, now);
  attempt.key_failures = key.failures;
  const TimePoint key_locked_until = key.locked_until;
  const Record& from =
      count_failure(addresses_, address_name, policy_.free_failures_per_address, now);
  attempt.address_failures = from.failures;
  attempt.lockout =
      std::chrono::ceil<std::chrono::seconds>(std::max(key_locked_until, from.locked_until) - now);
  return attempt;
}

void SignInThrottle::succeeded(std::string_view address, std::string_view access_key) {
  const std::string address_name = address_bucket(address);
  const std::string_view key_name = access_key.substr(0, kMaxTrackedKeyBytes);
  std::lock_guard lock(mutex_);
  if (auto found = keys_.find(key_name); found != keys_.end()) keys_.erase(found);
  if (auto found = addresses_.find(address_name); found != addresses_.end()) {
    addresses_.erase(found);
  }
}

size_t SignInThrottle::tracked_keys() {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

size_t SignInThrottle::tracked_addresses() {
  std::lock_guard lock(mutex_);
  return addresses_.size();
}

}  // namespace cv::console
