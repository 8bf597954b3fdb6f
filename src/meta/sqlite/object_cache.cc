#include "meta/sqlite/object_cache.h"

namespace cv::meta::sqlite {

ObjectCache::ObjectCache(size_t max_bytes) : max_bytes_(max_bytes) {}

std::string ObjectCache::name_of(std::string_view bucket, std::string_view key) {
  std::string name;
  name.reserve(bucket.size() + 1 + key.size());
  name.append(bucket).append(1, '/').append(key);
  return name;
}

size_t ObjectCache::estimated_bytes(const ObjectVersion& version) {
  size_t bytes = sizeof(ObjectVersion) + sizeof(Slot) + 64;  // the map nodes, the control block
  const auto strings = {&version.bucket,          &version.key,           &version.version_id,
                        &version.etag,            &version.owner_id,      &version.storage_class,
                        &version.content_type,    &version.checksum_algorithm,
                        &version.checksum_value,  &version.checksum_type, &version.inline_data,
                        &version.replication_status, &version.acl};
  for (const std::string* text : strings) bytes += text->capacity();
  bytes += version.key.size() + version.bucket.size() + 1;  // the slot's name
  for (const auto* pairs : {&version.headers, &version.user_metadata, &version.tags}) {
    for (const auto& [name, value] : *pairs) {
      bytes += sizeof(name) + sizeof(value) + name.capacity() + value.capacity();
    }
  }
  for (const std::string& checksum : version.part_checksums) {
    bytes += sizeof(checksum) + checksum.capacity();
  }
  bytes += version.blobs.size() * (sizeof(BlobRef) + 32);
  return bytes;
}

std::shared_ptr<const ObjectVersion> ObjectCache::find(std::string_view bucket,
                                                       std::string_view key) {
  if (max_bytes_ == 0) return nullptr;
  const std::string name = name_of(bucket, key);
  std::lock_guard lock(mutex_);
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  Slot& slot = slots_[it->second];
  slot.referenced = true;
  return slot.version;
}

uint64_t ObjectCache::ticket() {
  std::lock_guard lock(mutex_);
  return epoch_;
}

void ObjectCache::fill(uint64_t ticket, int64_t row_id,
                       std::shared_ptr<const ObjectVersion> version) {
  if (max_bytes_ == 0 || !version) return;
  const size_t bytes = estimated_bytes(*version);
  if (bytes > max_bytes_ / 16) return;
  std::string name = name_of(version->bucket, version->key);
  std::lock_guard lock(mutex_);
  if (forgot_all_at_ > ticket || forgot_at_[stripe_of(row_id)] > ticket) return;
  if (const auto it = by_name_.find(name); it != by_name_.end()) erase_slot(it->second);
  if (const auto it = by_row_.find(row_id); it != by_row_.end()) erase_slot(it->second);
  while (bytes_ + bytes > max_bytes_) {
    if (!evict_one()) return;
  }
  size_t index;
  if (free_slots_.empty()) {
    index = slots_.size();
    slots_.emplace_back();
  } else {
    index = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& slot = slots_[index];
  slot.name = std::move(name);
  slot.row_id = row_id;
  slot.bytes = bytes;
  slot.referenced = false;
  slot.used = true;
  slot.version = std::move(version);
  by_name_.emplace(slot.name, index);
  by_row_.emplace(row_id, index);
  bytes_ += bytes;
}

void ObjectCache::forget_rows(std::span<const int64_t> row_ids) {
  if (row_ids.empty()) return;
  std::lock_guard lock(mutex_);
  ++epoch_;
  for (const int64_t row_id : row_ids) {
    forgot_at_[stripe_of(row_id)] = epoch_;
    if (const auto it = by_row_.find(row_id); it != by_row_.end()) erase_slot(it->second);
  }
}

void ObjectCache::forget_all() {
  std::lock_guard lock(mutex_);
  forgot_all_at_ = ++epoch_;
  slots_.clear();
  free_slots_.clear();
  by_name_.clear();
  by_row_.clear();
  hand_ = 0;
  bytes_ = 0;
}

ObjectCache::Stats ObjectCache::stats() const {
  std::lock_guard lock(mutex_);
  return {by_name_.size(), bytes_, hits_, misses_};
}

void ObjectCache::erase_slot(size_t index) {
  Slot& slot = slots_[index];
  by_name_.erase(slot.name);
  by_row_.erase(slot.row_id);
  bytes_ -= slot.bytes;
  slot = Slot{};
  free_slots_.push_back(index);
}

bool ObjectCache::evict_one() {
  // Two sweeps at most: the first clears every reference bit it passes.
  for (size_t step = 0; step < 2 * slots_.size(); ++step) {
    if (hand_ >= slots_.size()) hand_ = 0;
    Slot& slot = slots_[hand_];
    const size_t index = hand_++;
    if (!slot.used) continue;
    if (slot.referenced) {
      slot.referenced = false;
      continue;
    }
    erase_slot(index);
    return true;
  }
  return false;
}

}  // namespace cv::meta::sqlite
