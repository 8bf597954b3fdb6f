// SQL for multipart uploads and their parts. Writes run on the writer connection inside a
// transaction; reads on a reader connection (multi-statement reads open their own read
// transaction).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// kNoSuchBucket.
Status insert_upload(Connection& db, const MultipartUpload& upload);
Result<std::optional<MultipartUpload>> read_upload(Connection& db, std::string_view bucket,
                                                   std::string_view upload_id);
// Replaces a part with the same number (its blob loses the reference). kNoSuchUpload.
Status write_part(Connection& db, const Part& part);
// Parts with bodies, by number. kNoSuchUpload.
Result<std::vector<Part>> read_parts(Connection& db, std::string_view upload_id);
// kNoSuchUpload.
Result<ListPartsPage> read_part_page(Connection& db, std::string_view upload_id,
                                     uint32_t part_number_marker, uint32_t max_parts);
// kNoSuchBucket.
Result<ListUploadsPage> read_upload_page(Connection& db, const ListUploadsQuery& query);
// Stores `object` as the current version, removes the upload and its parts; blobs of parts
// not in object.blobs become garbage. kNoSuchUpload (also when the upload belongs to
// another bucket or key).
Status finish_upload(Connection& db, std::string_view upload_id, const ObjectVersion& object);
// kNoSuchUpload.
Status remove_upload(Connection& db, std::string_view bucket, std::string_view upload_id);

}  // namespace cv::meta::sqlite
