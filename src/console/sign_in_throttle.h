// Slows down guessing at the console's sign-in: failed attempts are counted per access key
// and per client address, and past a few free failures each new one locks that key (from any
// address) or that address (for every key) out for a time that doubles with each failure, up
// to a cap. A sign-in refused while locked out is not checked at all, so a guess sent during
// a lockout can never succeed, and it does not count as a failure (nor extend the lockout).
//
// admit() counts an admitted attempt as a failure at once; succeeded() takes that back. So
// concurrent guesses cannot all pass the check before the first of them is recorded: past
// the free failures, at most one attempt per lockout period is checked, whatever the number
// of worker threads. An attempt that ends in neither (the credential store failed) stays
// counted as a failure.
//
// A success clears the record of its key and of its address. (Someone holding a valid key
// can thus clear their own address's record; the per-key record is what bounds the guesses
// at any one key, and it is cleared only by that key's own success.)
//
// Unknown and known access keys are treated alike, so a lockout reveals nothing about which
// keys exist. Keys are tracked by their first kMaxTrackedKeyBytes bytes. IPv6 addresses are
// tracked by their /64 prefix (one host commonly holds the whole /64), IPv4-mapped IPv6 ones
// as the IPv4 address.
//
// Memory is bounded: a record is forgotten `forget_after` after its last failure once its
// lockout is over, and each table (keys, addresses) holds at most `max_records`; when full,
// forgotten records are swept and then the record whose lockout ends first is dropped.
//
// Thread-safe: one mutex around both tables. The clock is only read (tests pass a
// ManualClock); it must outlive the throttle.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace cv::console {

struct SignInThrottlePolicy {
  // Failures of one access key (from any address) before it is locked out.
  uint32_t free_failures_per_key = 5;
  // Failures from one address (for any keys) before it is locked out: more than per key, as
  // several people may share an address (an office behind NAT).
  uint32_t free_failures_per_address = 20;
  // The lockout after the first failure past the free ones; it doubles with each further one.
  std::chrono::seconds first_lockout{1};
  std::chrono::seconds max_lockout{std::chrono::minutes(15)};
  // A record with no failure for this long (and no lockout in force) is forgotten.
  std::chrono::seconds forget_after{std::chrono::hours(1)};
  // Records per table (access keys, addresses); about 150 bytes each.
  size_t max_records = 10'000;
};

inline constexpr size_t kMaxTrackedKeyBytes = 128;

class SignInThrottle {
 public:
  SignInThrottle(const Clock& clock, SignInThrottlePolicy policy = {});

  // What admit() decided.
  struct Attempt {
    bool refused = false;
    // When refused: at least 1 s, when the later of the lockouts in force ends; and which.
    std::chrono::seconds retry_after{0};
    bool key_locked = false;
    bool address_locked = false;
    // When admitted: the failures counted so far, this attempt included, and the lockout
    // this attempt has started in case it fails (zero while failures are free).
    uint32_t key_failures = 0;
    uint32_t address_failures = 0;
    std::chrono::seconds lockout{0};
  };

  // Refuses an attempt by `access_key` from `address` while either is locked out; otherwise
  // admits it and counts it as a failure until succeeded() is called for it.
  Attempt admit(std::string_view address, std::string_view access_key);
  // The attempt admitted for this key and address succeeded: both records are cleared.
  void succeeded(std::string_view address, std::string_view access_key);

  // How `address` (as the connection gives it) is tracked: "1.2.3.4", "2001:db8:0:1::/64".
  static std::string address_bucket(std::string_view address);

  const SignInThrottlePolicy& policy() const { return policy_; }
  // Records held (for tests and metrics).
  size_t tracked_keys();
  size_t tracked_addresses();

 private:
  struct Record {
    uint32_t failures = 0;
    TimePoint last_failure;
    TimePoint locked_until;  // not locked when <= now
  };
  using Table = std::map<std::string, Record, std::less<>>;

  std::chrono::seconds lockout_after(uint32_t failures, uint32_t free_failures) const;
  // Counts a failure in `table` under `name` (making room first when it is new).
  const Record& count_failure(Table& table, std::string_view name, uint32_t free_failures,
                              TimePoint now);
  void make_room(Table& table, TimePoint now);

  const Clock& clock_;
  const SignInThrottlePolicy policy_;
  std::mutex mutex_;
  Table keys_;
  Table addresses_;
};

}  // namespace cv::console
