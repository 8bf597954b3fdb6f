// SQL for object lock: a version's retention and legal hold changed after its write. Runs on
// the writer connection inside a transaction, so the rules are judged against the row as it
// is when the change commits.
#pragma once

#include <string_view>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// Replaces the retention of a version (the current one when version_id is empty) under the
// rules of RetentionChange. kNoSuchBucket, kNoSuchKey (no current version), kNoSuchVersion,
// kMethodNotAllowed (a delete marker), kAccessDenied (the rules refuse the change).
Status write_object_retention(Connection& db, std::string_view bucket, std::string_view key,
                              std::string_view version_id, const RetentionChange& change);
// Places (on) or removes a version's legal hold; errors as write_object_retention.
Status write_object_legal_hold(Connection& db, std::string_view bucket, std::string_view key,
                               std::string_view version_id, bool on);

}  // namespace cv::meta::sqlite
