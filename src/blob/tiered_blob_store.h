// TieredBlobStore: one BlobStore over several, one per storage location (tier), so that
// everything that opens, removes or lists blobs by id stays unaware of tiers.
//
// Blobs of the default location keep the ids their store gives them; blobs of a named
// location get "<location>:<id>" (ids of the underlying stores never contain ':').
// create()/create_in("") write to the default store, create_in(name) to that location's.
// Thread-safe once set up: add_location() must be called before the store is shared.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "blob/blob_store.h"

namespace cv::blob {

class TieredBlobStore final : public BlobStore {
 public:
  explicit TieredBlobStore(std::unique_ptr<BlobStore> default_store);

  // Adds a named location; `name` is non-empty and contains no ':'.
  void add_location(std::string name, std::unique_ptr<BlobStore> store);
  bool has_location(std::string_view name) const;
  // The location part of a blob id ("" for the default store).
  static std::string_view location_of(std::string_view blob_id);

  Result<std::unique_ptr<BlobWriter>> create() override;
  Result<std::unique_ptr<BlobWriter>> create_in(std::string_view location) override;
  Result<std::unique_ptr<BlobReader>> open(std::string_view blob_id) override;
  Status remove(std::string_view blob_id) override;
  // The copy lands in the same location as the original.
  Result<std::string> copy_range(std::string_view blob_id, uint64_t offset,
                                 uint64_t length) override;
  bool serves_files(std::string_view blob_id) const override;
  Result<std::vector<std::string>> list() override;
  Status remove_incomplete() override;

 private:
  struct Resolved {
    BlobStore* store = nullptr;
    std::string_view location;
    std::string_view local_id;
  };
  Result<Resolved> resolve(std::string_view blob_id) const;

  std::unique_ptr<BlobStore> default_store_;
  std::map<std::string, std::unique_ptr<BlobStore>, std::less<>> locations_;
};

}  // namespace cv::blob
