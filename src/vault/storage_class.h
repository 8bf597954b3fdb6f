// The storage classes this server keeps, each a real tier: STANDARD (the default blob
// location, small bodies inline), STANDARD_IA (its own location, zstd frames) and GLACIER
// (an archive location, zstd frames at a higher level, readable only through a restored
// copy). Ordered from warmest to coldest.
#pragma once

#include <optional>
#include <string_view>

namespace cv::vault {

enum class StorageClass { kStandard, kStandardIa, kGlacier };

// "STANDARD", "STANDARD_IA", "GLACIER"; nullopt for any other name.
std::optional<StorageClass> parse_storage_class(std::string_view name);
std::string_view storage_class_name(StorageClass storage_class);
// The blob location of the class ("" for the default location).
std::string_view storage_location(StorageClass storage_class);
// The zstd level bodies are compressed with in the class; 0 for none.
int compression_level(StorageClass storage_class);
// Whether reading needs a restored copy first.
inline bool is_archive(StorageClass storage_class) {
  return storage_class == StorageClass::kGlacier;
}

}  // namespace cv::vault
