// SQL for blob reference counts and the garbage list.
//
// Every object version and part that names a blob holds one reference. A change adds the
// references of what it stores before dropping those of what it replaces, so a blob that
// survives a replacement never touches zero; a count reaching zero moves the blob to
// garbage in the same transaction. Writes run on the writer connection inside a
// transaction.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

Status add_blob_ref(Connection& db, std::string_view blob_id);
Status drop_blob_ref(Connection& db, std::string_view blob_id);
Status add_blob_refs(Connection& db, const std::vector<BlobRef>& blobs);
Status drop_blob_refs(Connection& db, const std::vector<BlobRef>& blobs);

Result<std::vector<std::string>> read_garbage(Connection& db, size_t max);
Status remove_garbage(Connection& db, const std::vector<std::string>& blob_ids);
Result<bool> read_blob_in_use(Connection& db, std::string_view blob_id);

}  // namespace cv::meta::sqlite
