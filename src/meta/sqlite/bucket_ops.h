// SQL for buckets, their configuration documents and usage. Writes run on the writer
// connection inside a transaction; reads on any connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// kNoSuchBucket unless the bucket exists.
Status require_bucket(Connection& db, std::string_view name);

// kBucketAlreadyOwnedByYou / kBucketAlreadyExists when the name is taken.
Status insert_bucket(Connection& db, const Bucket& bucket);
Result<std::optional<Bucket>> read_bucket(Connection& db, std::string_view name);
// read_bucket with the bucket's configuration documents in `configs` (by kind), in one read
// transaction.
Result<std::optional<Bucket>> read_bucket_with_configs(Connection& db, std::string_view name);
Result<std::vector<Bucket>> read_buckets(Connection& db);
// kNoSuchBucket, kBucketNotEmpty (any object version or upload); drops the configs too.
Status remove_bucket(Connection& db, std::string_view name);
Result<BucketUsage> read_bucket_usage(Connection& db, std::string_view name);

Status write_bucket_config(Connection& db, std::string_view bucket, std::string_view kind,
                           std::string_view document);
Result<std::optional<std::string>> read_bucket_config(Connection& db, std::string_view bucket,
                                                      std::string_view kind);
Status remove_bucket_config(Connection& db, std::string_view bucket, std::string_view kind);

Status write_account_config(Connection& db, std::string_view kind, std::string_view document);
Result<std::optional<std::string>> read_account_config(Connection& db, std::string_view kind);
Status remove_account_config(Connection& db, std::string_view kind);

}  // namespace cv::meta::sqlite
