#include "core/storage_full.h"

#include <string>

namespace cv {
namespace {

constexpr std::string_view kStorageFullPrefix = "Storage is full: ";

}  // namespace

Error storage_full_error(std::string_view what, bool quota) {
  std::string message(kStorageFullPrefix);
  message += quota ? "the disk quota is exhausted" : "no space is left on the device";
  message += "; ";
  message += what;
  message += " could not be written. Retry once space has been freed.";
  return Error{ErrorCode::kSlowDown, std::move(message), {}};
}

bool is_storage_full(const Error& error) {
  return error.code == ErrorCode::kSlowDown && error.message.starts_with(kStorageFullPrefix);
}

}  // namespace cv
