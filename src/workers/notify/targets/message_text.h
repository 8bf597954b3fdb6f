// The human side of a NotificationMessage, shared by the e-mail, Slack and Discord targets:
// a one-line headline ("Uploaded photos/a.jpg to backup (3.2 MB)") and labelled facts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "workers/notify/targets/notification_target.h"

namespace cv::workers::notify {

// "0 bytes", "1 byte", "999 bytes", "3.2 kB", "3.2 MB", "12 GB" (decimal units, as people read
// file sizes; one decimal below 10).
std::string human_size(uint64_t bytes);

// "Uploaded photos/a.jpg to backup (3.2 MB)", "Deleted photos/a.jpg from backup",
// "Restored photos/a.jpg in backup (3.2 MB)", "CloudVault test notification for backup";
// a digest: "Backed up 5 objects (16 MB) from photos to backup".
std::string headline(const NotificationMessage& message);

// Labelled facts in reading order (What, Bucket, Key, Size, Version, ETag, By, When, Link),
// omitting the empty ones. A digest: What, Bucket, Backed up to, Objects, Size, Period, Link.
std::vector<std::pair<std::string, std::string>> summary_fields(const NotificationMessage& message);

// How many versions a digest's text lists by name.
inline constexpr size_t kDigestListed = 50;

// A digest's versions as lines people read: "photos/a.jpg (3.2 MB)" for the first
// kDigestListed, then "and 12 more" when there are more. Empty for other messages.
std::vector<std::string> digest_lines(const NotificationMessage& message);

// "2026-12-05 14:02:03 UTC".
std::string format_when(TimePoint time);

// The console's page of the folder holding `key` (the console addresses folders as
// "#/b/<bucket>/<prefix>", each segment percent-encoded), under `public_url` (e.g.
// "https://vault.example.com"). Empty when public_url is.
std::string console_object_url(std::string_view public_url, std::string_view bucket,
                               std::string_view key);

// True for s3:TestEvent.
bool is_test_event(const NotificationMessage& message);

}  // namespace cv::workers::notify
