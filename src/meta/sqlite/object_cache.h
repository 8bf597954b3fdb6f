// The SQLite store's cache of keys' current versions (GetObject/HeadObject without a version
// id read them), bounded in bytes, exact under the store's own writes.
//
// Exactness. Every row the store's writer connection inserts, updates or deletes in `objects`
// is reported by SQLite's update hook; after each transaction (before any caller of that
// transaction is answered) the writer calls forget_rows() with them, which drops the entries
// holding those rows. A key's current version can only change through its current row (its
// is_latest is cleared, its columns are updated in place, or it is deleted), so every entry
// holds either the key's current version or nothing. A fill races the writer: the reader
// takes a ticket before its read transaction begins, and fill() keeps the row only if no
// forget of that row (nor a forget_all()) came after the ticket; a forget that came before
// the ticket was committed before the read began, so the read saw it.
//
// Other processes (the `cloudvault admin` verbs write the same database while a server
// runs) are not seen by the hook: the writer checks `PRAGMA data_version` on its connection
// (it changes only on other connections' commits, and this process's other connections only
// read) at least every kOtherWritersInterval and calls forget_all() when it moved. So another
// process's change is seen within that interval plus one batch.
//
// Thread-safe: one mutex; a hit copies a shared pointer under it.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "meta/types.h"

namespace cv::meta::sqlite {

class ObjectCache {
 public:
  static constexpr std::chrono::milliseconds kOtherWritersInterval{100};

  // `max_bytes`: the entries' estimated footprint at most (estimated_bytes); an entry larger
  // than a sixteenth of it is never kept. 0 disables the cache (no fill keeps anything).
  explicit ObjectCache(size_t max_bytes);
  ObjectCache(const ObjectCache&) = delete;
  ObjectCache& operator=(const ObjectCache&) = delete;

  // The key's current version, when cached.
  std::shared_ptr<const ObjectVersion> find(std::string_view bucket, std::string_view key);

  // Taken before the read whose result is passed to fill().
  uint64_t ticket();
  // Keeps `version` (read from row `row_id` after `ticket` was taken) as its key's current
  // version, unless the row (or everything) was forgotten since the ticket. Evicts entries
  // (CLOCK: one not looked up since the hand last passed) to stay within max_bytes.
  void fill(uint64_t ticket, int64_t row_id, std::shared_ptr<const ObjectVersion> version);

  // Drops the entries of these rows (the writer, after a transaction that changed them).
  void forget_rows(std::span<const int64_t> row_ids);
  // Drops everything (another process wrote the database).
  void forget_all();

  // The estimate fill() budgets with: the version's heap strings and vectors plus the
  // entry's bookkeeping.
  static size_t estimated_bytes(const ObjectVersion& version);

  struct Stats {
    size_t entries = 0;
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  Stats stats() const;

 private:
  struct Slot {
    std::string name;  // bucket '/' key (bucket names have no '/')
    int64_t row_id = 0;
    size_t bytes = 0;
    bool referenced = false;
    bool used = false;
    std::shared_ptr<const ObjectVersion> version;
  };
  static constexpr size_t kStripes = 1024;
  static std::string name_of(std::string_view bucket, std::string_view key);
  static size_t stripe_of(int64_t row_id) { return static_cast<uint64_t>(row_id) % kStripes; }
  void erase_slot(size_t slot);  // mutex_ held
  bool evict_one();              // mutex_ held; false when nothing could be evicted

  const size_t max_bytes_;
  mutable std::mutex mutex_;
  // guarded by mutex_:
  std::vector<Slot> slots_;
  std::vector<size_t> free_slots_;
  std::unordered_map<std::string, size_t> by_name_;
  std::unordered_map<int64_t, size_t> by_row_;
  size_t hand_ = 0;
  size_t bytes_ = 0;
  uint64_t epoch_ = 0;               // bumped by every forget
  uint64_t forgot_all_at_ = 0;       // epoch_ of the last forget_all
  std::array<uint64_t, kStripes> forgot_at_{};  // epoch_ of the last forget of a row, by stripe
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace cv::meta::sqlite
