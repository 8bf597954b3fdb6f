// The sign-in throttle on a hand-set clock: free failures, lockouts that double up to the
// cap, refusals that do not count, resets on success, keys and addresses apart, forgetting,
// the table bound, address buckets, and concurrent guesses.
#include "console/sign_in_throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace cv::console {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

class SignInThrottleTest : public ::testing::Test {
 protected:
  // Admits one attempt that then fails (nothing is called back); expects it admitted.
  SignInThrottle::Attempt fail(std::string_view address, std::string_view key) {
    SignInThrottle::Attempt attempt = throttle_.admit(address, key);
    EXPECT_FALSE(attempt.refused) << address << " " << key;
    return attempt;
  }

  ManualClock clock_{from_unix_nanos(1'800'000'000'000'000'000)};
  SignInThrottlePolicy policy_{.free_failures_per_key = 3,
                               .free_failures_per_address = 6,
                               .first_lockout = seconds(1),
                               .max_lockout = seconds(60),
                               .forget_after = hours(1),
                               .max_records = 100};
  SignInThrottle throttle_{clock_, policy_};
};

TEST_F(SignInThrottleTest, LockoutsDoubleAfterTheFreeFailuresUpToTheCap) {
  for (uint32_t i = 1; i <= 3; ++i) {
    const auto attempt = fail("10.0.0.1", "AKALICE");
    EXPECT_EQ(attempt.key_failures, i);
    EXPECT_EQ(attempt.lockout, seconds(0));
  }
  EXPECT_FALSE(throttle_.admit("10.0.0.1", "AKALICE").refused);  // the 4th: checked, locks 1 s
  std::vector<int64_t> lockouts;
  for (int i = 0; i < 9; ++i) {
    const auto refused = throttle_.admit("10.0.0.1", "AKALICE");
    ASSERT_TRUE(refused.refused);
    EXPECT_TRUE(refused.key_locked);
    lockouts.push_back(refused.retry_after.count());
    // Still locked a moment before the end; admitted at the end.
    clock_.advance(refused.retry_after - milliseconds(1));
    EXPECT_TRUE(throttle_.admit("10.0.0.1", "AKALICE").refused);
    clock_.advance(milliseconds(1));
    const auto next = fail("10.0.0.1", "AKALICE");
    EXPECT_EQ(next.key_failures, 5u + i);
  }
  EXPECT_EQ(lockouts, (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 60, 60, 60}));
}

TEST_F(SignInThrottleTest, RefusedAttemptsAreNotCountedAndDoNotExtendTheLockout) {
  for (int i = 0; i < 4; ++i) fail("10.0.0.1", "AKALICE");
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(throttle_.admit("10.0.0.1", "AKALICE").refused);
  }
  clock_.advance(seconds(1));
  EXPECT_EQ(fail("10.0.0.1", "AKALICE").key_failures, 5u);  // 50 refusals did not count
}

TEST_F(SignInThrottleTest, RetryAfterIsRoundedUpToWholeSeconds) {
  for (int i = 0; i < 5; ++i) {
    fail("10.0.0.1", "AKALICE");
    clock_.advance(seconds(1));
  }
  // The 5th failure locked for 2 s; 1.3 s of it are left after 0.7 s more.
  clock_.advance(milliseconds(-300));
  EXPECT_EQ(throttle_.admit("10.0.0.1", "AKALICE").retry_after, seconds(2));
  clock_.advance(milliseconds(1299));
  EXPECT_EQ(throttle_.admit("10.0.0.1", "AKALICE").retry_after, seconds(1));
}

TEST_F(SignInThrottleTest, ASuccessClearsTheKeyAndTheAddress) {
  for (int i = 0; i < 4; ++i) fail("10.0.0.1", "AKALICE");
  clock_.advance(seconds(1));
  fail("10.0.0.1", "AKALICE");  // the 5th: admitted (and then it succeeds)
  throttle_.succeeded("10.0.0.1", "AKALICE");
  EXPECT_EQ(throttle_.tracked_keys(), 0u);
  EXPECT_EQ(throttle_.tracked_addresses(), 0u);
  for (uint32_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(fail("10.0.0.1", "AKALICE").key_failures, i);  // free failures again
  }
}

TEST_F(SignInThrottleTest, AKeyIsLockedFromEveryAddressAndOtherKeysStayOpen) {
  for (int i = 0; i < 4; ++i) fail("10.0.0." + std::to_string(i), "AKALICE");
  const auto elsewhere = throttle_.admit("192.168.7.7", "AKALICE");
  EXPECT_TRUE(elsewhere.refused);
  EXPECT_TRUE(elsewhere.key_locked);
  EXPECT_FALSE(elsewhere.address_locked);
  // The addresses have one failure each, far below theirs: other keys are admitted.
  EXPECT_FALSE(throttle_.admit("10.0.0.1", "AKBOB").refused);
}

TEST_F(SignInThrottleTest, AnAddressIsLockedForEveryKey) {
  // Six keys, one failure each (none is near its own limit), then a seventh.
  for (int i = 0; i < 7; ++i) fail("10.0.0.9", "AKSPRAY" + std::to_string(i));
  const auto refused = throttle_.admit("10.0.0.9", "AKBOB");
  EXPECT_TRUE(refused.refused);
  EXPECT_TRUE(refused.address_locked);
  EXPECT_FALSE(refused.key_locked);
  EXPECT_EQ(refused.retry_after, seconds(1));
  EXPECT_FALSE(throttle_.admit("10.0.0.10", "AKBOB").refused);  // from elsewhere: admitted
}

TEST_F(SignInThrottleTest, UnknownAndKnownKeysAreThrottledAlike) {
  // The throttle never sees whether a key exists: any string is tracked the same way.
  for (int i = 0; i < 4; ++i) fail("10.0.0.1", "NO-SUCH-KEY");
  EXPECT_TRUE(throttle_.admit("10.0.0.2", "NO-SUCH-KEY").refused);
}

TEST_F(SignInThrottleTest, RecordsAreForgottenAfterAQuietHour) {
  for (int i = 0; i < 3; ++i) fail("10.0.0.1", "AKALICE");
  clock_.advance(minutes(59));
  EXPECT_EQ(fail("10.0.0.1", "AKALICE").lockout, seconds(1));  // the 4th, within the hour
  clock_.advance(hours(1));
  const auto fresh = fail("10.0.0.1", "AKALICE");
  EXPECT_EQ(fresh.key_failures, 1u);
  EXPECT_EQ(fresh.address_failures, 1u);
}

TEST_F(SignInThrottleTest, TheTablesStayWithinTheirBoundDroppingTheLeastLockedFirst) {
  // A key locked out for a minute, then 300 keys from 300 addresses with one failure each.
  SignInThrottle::Attempt guess;
  do {
    guess = throttle_.admit("10.1.0.1", "AKVICTIM");
    if (guess.refused) clock_.advance(guess.retry_after);
  } while (guess.refused || guess.lockout < seconds(60));
  ASSERT_TRUE(throttle_.admit("10.9.9.9", "AKVICTIM").refused);
  for (int i = 0; i < 300; ++i) {
    fail("10.2." + std::to_string(i / 200) + "." + std::to_string(i % 200),
         "AKFLOOD" + std::to_string(i));
    EXPECT_LE(throttle_.tracked_keys(), policy_.max_records);
    EXPECT_LE(throttle_.tracked_addresses(), policy_.max_records);
  }
  EXPECT_EQ(throttle_.tracked_keys(), policy_.max_records);
  // The locked key was kept: free records went first.
  EXPECT_TRUE(throttle_.admit("10.9.9.9", "AKVICTIM").refused);
  // Forgotten records are swept once quiet for an hour.
  clock_.advance(hours(2));
  fail("10.3.0.1", "AKLATE");
  EXPECT_EQ(throttle_.tracked_keys(), 1u);
}

TEST_F(SignInThrottleTest, LongKeysAreTrackedByTheirFirstBytes) {
  const std::string long_key(10'000, 'K');
  for (int i = 0; i < 4; ++i) fail("10.0.0.1", long_key + std::to_string(i));
  EXPECT_TRUE(throttle_.admit("10.0.0.2", std::string(kMaxTrackedKeyBytes, 'K')).refused);
}

TEST(SignInThrottleAddressTest, IPv6IsTrackedPerSlash64AndMappedIPv4AsIPv4) {
  EXPECT_EQ(SignInThrottle::address_bucket("203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(SignInThrottle::address_bucket("::ffff:203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(SignInThrottle::address_bucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            "2001:db8:1:2::/64");
  EXPECT_EQ(SignInThrottle::address_bucket("2001:db8:1:2::1"),
            SignInThrottle::address_bucket("2001:db8:1:2:ffff::9"));
  EXPECT_EQ(SignInThrottle::address_bucket("fe80::1%eth0"), "fe80::/64");
  EXPECT_EQ(SignInThrottle::address_bucket("::1"), "::/64");
  EXPECT_EQ(SignInThrottle::address_bucket(""), "");
}

TEST(SignInThrottleAddressTest, OneHostsIPv6AddressesShareOneRecord) {
  ManualClock clock(from_unix_nanos(1'800'000'000'000'000'000));
  SignInThrottle throttle(clock, SignInThrottlePolicy{.free_failures_per_address = 2});
  for (int i = 1; i <= 3; ++i) {
    EXPECT_FALSE(
        throttle.admit("2001:db8::" + std::to_string(i), "AK" + std::to_string(i)).refused);
  }
  EXPECT_TRUE(throttle.admit("2001:db8::99", "AKOTHER").address_locked);
}

TEST(SignInThrottleConcurrencyTest, ConcurrentGuessesPastTheFreeOnesAreAdmittedOnce) {
  ManualClock clock(from_unix_nanos(1'800'000'000'000'000'000));
  SignInThrottle throttle(
      clock, SignInThrottlePolicy{.free_failures_per_key = 3, .first_lockout = seconds(60)});
  std::atomic<int> admitted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!throttle.admit("10.0.0." + std::to_string(t), "AKALICE").refused) ++admitted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // Three free failures and the one that started the lockout; the clock stood still.
  EXPECT_EQ(admitted.load(), 4);
}

}  // namespace
}  // namespace cv::console
