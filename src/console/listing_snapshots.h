// Sorted folder levels kept for a while, so that the pages after the first of an order that
// reads the whole level (size, date, type, name descending) are slices of the order the first
// page computed rather than a new read and sort of the level. The pages of one snapshot are
// consistent with each other: the level as it was when the first page was asked for.
//
// A snapshot is found only with the fingerprint it was kept under (the user and the query),
// so a cursor of one user or query never reads another's. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace cv::console {

// One folder level in its final order: sub-folders first, then objects.
template <typename Entry>
struct SortedLevel {
  std::vector<std::string> folders;
  std::vector<Entry> objects;
  size_t size() const { return folders.size() + objects.size(); }
};

struct SnapshotLimits {
  std::chrono::seconds lifetime{std::chrono::minutes(5)};
  // Across all snapshots (an entry is about 150 bytes: 400,000 is about 60 MB); the oldest
  // are dropped to stay under it. A level larger than this is not kept (its pages are read
  // again).
  size_t max_entries = 400'000;
};

template <typename Entry>
class ListingSnapshots {
 public:
  using Level = SortedLevel<Entry>;

  explicit ListingSnapshots(const Clock& clock, SnapshotLimits limits = {})
      : clock_(clock), limits_(limits) {}

  // Keeps `level` under `fingerprint`; the id to find it by, or 0 when it is too large to keep.
  uint64_t keep(std::string fingerprint, std::shared_ptr<const Level> level) {
    const size_t size = level->size();
    if (size > limits_.max_entries) return 0;
    std::lock_guard lock(mutex_);
    drop_expired();
    while (!kept_.empty() && entries_ + size > limits_.max_entries) drop_oldest();
    const uint64_t id = ++last_id_;
    kept_.push_back({id, std::move(fingerprint), clock_.now(), std::move(level)});
    entries_ += size;
    return id;
  }

  // The level kept under `id`, if it is still kept and was kept under `fingerprint`.
  std::shared_ptr<const Level> find(uint64_t id, std::string_view fingerprint) {
    std::lock_guard lock(mutex_);
    drop_expired();
    for (const Kept& kept : kept_) {
      if (kept.id == id) return kept.fingerprint == fingerprint ? kept.level : nullptr;
    }
    return nullptr;
  }

 private:
  struct Kept {
    uint64_t id;
    std::string fingerprint;
    TimePoint created;
    std::shared_ptr<const Level> level;
  };

  void drop_oldest() {
    entries_ -= kept_.front().level->size();
    kept_.pop_front();
  }
  void drop_expired() {
    const TimePoint now = clock_.now();
    while (!kept_.empty() && now - kept_.front().created >= limits_.lifetime) drop_oldest();
  }

  const Clock& clock_;
  const SnapshotLimits limits_;
  std::mutex mutex_;
  std::list<Kept> kept_;  // oldest first
  size_t entries_ = 0;
  uint64_t last_id_ = 0;
};

}  // namespace cv::console
