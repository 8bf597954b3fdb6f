// The error of a write refused because the file system holding it is full (ENOSPC, EDQUOT,
// SQLITE_FULL): SlowDown (503, which S3 clients retry with back-off) with a message that
// starts "Storage is full: " (docs/S3_COMPATIBILITY.md). Made where the operating system or
// SQLite reports it (blob/local/posix_io.h, meta/sqlite/connection.h), recognised wherever a
// failure is classified.
#pragma once

#include <string_view>

#include "core/error.h"

namespace cv {

// `what` names what could not be written ("an object's data", "the metadata store"); the
// message carries no path, since it goes to the client. `quota`: EDQUOT rather than ENOSPC.
Error storage_full_error(std::string_view what, bool quota = false);

// Whether `error` is one storage_full_error made.
bool is_storage_full(const Error& error);

}  // namespace cv
