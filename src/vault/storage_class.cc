#include "vault/storage_class.h"

namespace cv::vault {

std::optional<StorageClass> parse_storage_class(std::string_view name) {
  if (name == "STANDARD" || name.empty()) return StorageClass::kStandard;
  if (name == "STANDARD_IA") return StorageClass::kStandardIa;
  if (name == "GLACIER") return StorageClass::kGlacier;
  return std::nullopt;
}

std::string_view storage_class_name(StorageClass storage_class) {
  switch (storage_class) {
    case StorageClass::kStandard:
      return "STANDARD";
    case StorageClass::kStandardIa:
      return "STANDARD_IA";
    case StorageClass::kGlacier:
      return "GLACIER";
  }
  return "STANDARD";
}

std::string_view storage_location(StorageClass storage_class) {
  return storage_class == StorageClass::kStandard ? std::string_view()
                                                  : storage_class_name(storage_class);
}

int compression_level(StorageClass storage_class) {
  switch (storage_class) {
    case StorageClass::kStandard:
      return 0;
    case StorageClass::kStandardIa:
      return 3;
    case StorageClass::kGlacier:
      return 9;
  }
  return 0;
}

}  // namespace cv::vault
