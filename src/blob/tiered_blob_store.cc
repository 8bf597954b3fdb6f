#include "blob/tiered_blob_store.h"

#include <stdexcept>

namespace cv::blob {
namespace {

std::string qualified(std::string_view location, std::string_view local_id) {
  if (location.empty()) return std::string(local_id);
  std::string id(location);
  id += ':';
  id += local_id;
  return id;
}

// Prefixes the committed id with the writer's location.
class LocatedWriter final : public BlobWriter {
 public:
  LocatedWriter(std::unique_ptr<BlobWriter> inner, std::string location)
      : inner_(std::move(inner)), location_(std::move(location)) {}
  Status append(std::string_view bytes) override { return inner_->append(bytes); }
  uint64_t size() const override { return inner_->size(); }
  Result<std::string> commit() override {
    std::string id = CV_TRY(inner_->commit());
    return qualified(location_, id);
  }

 private:
  std::unique_ptr<BlobWriter> inner_;
  std::string location_;
};

}  // namespace

TieredBlobStore::TieredBlobStore(std::unique_ptr<BlobStore> default_store)
    : default_store_(std::move(default_store)) {}

void TieredBlobStore::add_location(std::string name, std::unique_ptr<BlobStore> store) {
  if (name.empty() || name.find(':') != std::string::npos) {
    throw std::invalid_argument("blob location names are non-empty and have no ':'");
  }
  locations_[std::move(name)] = std::move(store);
}

bool TieredBlobStore::has_location(std::string_view name) const {
  return name.empty() || locations_.contains(name);
}

std::string_view TieredBlobStore::location_of(std::string_view blob_id) {
  const size_t colon = blob_id.find(':');
  return colon == std::string_view::npos ? std::string_view() : blob_id.substr(0, colon);
}

Result<TieredBlobStore::Resolved> TieredBlobStore::resolve(std::string_view blob_id) const {
  const size_t colon = blob_id.find(':');
  if (colon == std::string_view::npos) return Resolved{default_store_.get(), {}, blob_id};
  const std::string_view location = blob_id.substr(0, colon);
  const auto found = locations_.find(location);
  if (found == locations_.end()) {
    return fail(ErrorCode::kInternalError,
                "blob store: blob " + std::string(blob_id) + " is in an unconfigured location");
  }
  return Resolved{found->second.get(), location, blob_id.substr(colon + 1)};
}

Result<std::unique_ptr<BlobWriter>> TieredBlobStore::create() { return default_store_->create(); }

Result<std::unique_ptr<BlobWriter>> TieredBlobStore::create_in(std::string_view location) {
  if (location.empty()) return create();
  const auto found = locations_.find(location);
  if (found == locations_.end()) {
    return fail(ErrorCode::kInvalidArgument,
                "blob store: no location named " + std::string(location));
  }
  auto writer = CV_TRY(found->second->create());
  return std::unique_ptr<BlobWriter>(
      std::make_unique<LocatedWriter>(std::move(writer), std::string(location)));
}

Result<std::unique_ptr<BlobReader>> TieredBlobStore::open(std::string_view blob_id) {
  const Resolved resolved = CV_TRY(resolve(blob_id));
  return resolved.store->open(resolved.local_id);
}

Status TieredBlobStore::remove(std::string_view blob_id) {
  const Resolved resolved = CV_TRY(resolve(blob_id));
  return resolved.store->remove(resolved.local_id);
}

Result<std::string> TieredBlobStore::copy_range(std::string_view blob_id, uint64_t offset,
                                                uint64_t length) {
  const Resolved resolved = CV_TRY(resolve(blob_id));
  std::string copy = CV_TRY(resolved.store->copy_range(resolved.local_id, offset, length));
  return qualified(resolved.location, copy);
}

bool TieredBlobStore::serves_files(std::string_view blob_id) const {
  const auto resolved = resolve(blob_id);
  return resolved && resolved->store->serves_files(resolved->local_id);
}

Result<std::vector<std::string>> TieredBlobStore::list() {
  std::vector<std::string> ids = CV_TRY(default_store_->list());
  for (const auto& [name, store] : locations_) {
    for (const std::string& id : CV_TRY(store->list())) ids.push_back(qualified(name, id));
  }
  return ids;
}

Status TieredBlobStore::remove_incomplete() {
  CV_TRY(default_store_->remove_incomplete());
  for (const auto& [name, store] : locations_) CV_TRY(store->remove_incomplete());
  return {};
}

}  // namespace cv::blob
