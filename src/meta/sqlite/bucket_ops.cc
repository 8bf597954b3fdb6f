#include "meta/sqlite/bucket_ops.h"

namespace cv::meta::sqlite {
namespace {

Bucket bucket_from_row(const Statement& row) {
  return Bucket{row.column_string(0), row.column_string(1), row.column_string(2),
                row.column_int(3)};
}

std::unexpected<Error> no_such_bucket(std::string_view name) {
  return fail(ErrorCode::kNoSuchBucket, {}, std::string(name));
}

}  // namespace

Status require_bucket(Connection& db, std::string_view name) {
  auto stmt = CV_TRY(db.prepare("SELECT 1 FROM buckets WHERE name = ?1"));
  stmt.bind_text(1, name);
  if (!CV_TRY(stmt.step())) return no_such_bucket(name);
  return {};
}

Status insert_bucket(Connection& db, const Bucket& bucket) {
  {
    auto existing = CV_TRY(db.prepare("SELECT owner_id FROM buckets WHERE name = ?1"));
    existing.bind_text(1, bucket.name);
    if (CV_TRY(existing.step())) {
      bool ours = existing.column_bytes(0) == bucket.owner_id;
      return fail(ours ? ErrorCode::kBucketAlreadyOwnedByYou : ErrorCode::kBucketAlreadyExists, {},
                  bucket.name);
    }
  }
  auto stmt = CV_TRY(
      db.prepare("INSERT INTO buckets(name, owner_id, region, created_ns) VALUES(?1, ?2, ?3, ?4)"));
  stmt.bind_text(1, bucket.name)
      .bind_text(2, bucket.owner_id)
      .bind_text(3, bucket.region)
      .bind_int(4, bucket.created_ns);
  CV_TRY(stmt.run());
  for (const auto& [kind, document] : bucket.configs) {
    CV_TRY(write_bucket_config(db, bucket.name, kind, document));
  }
  return {};
}

Result<std::optional<Bucket>> read_bucket(Connection& db, std::string_view name) {
  auto stmt =
      CV_TRY(db.prepare("SELECT name, owner_id, region, created_ns FROM buckets WHERE name = ?1"));
  stmt.bind_text(1, name);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return bucket_from_row(stmt);
}

Result<std::optional<Bucket>> read_bucket_with_configs(Connection& db, std::string_view name) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  auto bucket = CV_TRY(read_bucket(db, name));
  if (!bucket) return bucket;
  auto stmt = CV_TRY(
      db.prepare("SELECT kind, document FROM bucket_configs WHERE bucket = ?1 ORDER BY kind"));
  stmt.bind_text(1, name);
  while (CV_TRY(stmt.step())) bucket->configs.emplace_back(stmt.column_string(0), stmt.column_string(1));
  return bucket;
}

Result<std::vector<Bucket>> read_buckets(Connection& db) {
  auto stmt =
      CV_TRY(db.prepare("SELECT name, owner_id, region, created_ns FROM buckets ORDER BY name"));
  std::vector<Bucket> buckets;
  while (CV_TRY(stmt.step())) buckets.push_back(bucket_from_row(stmt));
  return buckets;
}

Status remove_bucket(Connection& db, std::string_view name) {
  CV_TRY(require_bucket(db, name));
  {
    auto in_use =
        CV_TRY(db.prepare("SELECT EXISTS(SELECT 1 FROM objects WHERE bucket = ?1) "
                          "OR EXISTS(SELECT 1 FROM uploads WHERE bucket = ?1)"));
    in_use.bind_text(1, name);
    if (CV_TRY(in_use.step()) && in_use.column_int(0) != 0) {
      return fail(ErrorCode::kBucketNotEmpty, {}, std::string(name));
    }
  }
  {
    auto configs = CV_TRY(db.prepare("DELETE FROM bucket_configs WHERE bucket = ?1"));
    configs.bind_text(1, name);
    CV_TRY(configs.run());
  }
  auto stmt = CV_TRY(db.prepare("DELETE FROM buckets WHERE name = ?1"));
  stmt.bind_text(1, name);
  return stmt.run();
}

Result<BucketUsage> read_bucket_usage(Connection& db, std::string_view name) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  CV_TRY(require_bucket(db, name));
  // The counters the objects triggers keep (migration 15): one row per storage class.
  auto stmt =
      CV_TRY(db.prepare("SELECT sum(objects), sum(bytes), "
                        "sum(objects + noncurrent_versions + delete_markers), "
                        "sum(bytes + noncurrent_bytes) FROM storage_usage WHERE bucket = ?1"));
  stmt.bind_text(1, name);
  BucketUsage usage;
  if (CV_TRY(stmt.step())) {  // sums of no rows are NULL, read as 0
    usage.objects = static_cast<uint64_t>(stmt.column_int(0));
    usage.bytes = static_cast<uint64_t>(stmt.column_int(1));
    usage.versions = static_cast<uint64_t>(stmt.column_int(2));
    usage.version_bytes = static_cast<uint64_t>(stmt.column_int(3));
  }
  return usage;
}

Status write_bucket_config(Connection& db, std::string_view bucket, std::string_view kind,
                           std::string_view document) {
  CV_TRY(require_bucket(db, bucket));
  auto stmt =
      CV_TRY(db.prepare("INSERT INTO bucket_configs(bucket, kind, document) VALUES(?1, ?2, ?3) "
                        "ON CONFLICT(bucket, kind) DO UPDATE SET document = excluded.document"));
  stmt.bind_text(1, bucket).bind_text(2, kind).bind_text(3, document);
  return stmt.run();
}

Result<std::optional<std::string>> read_bucket_config(Connection& db, std::string_view bucket,
                                                      std::string_view kind) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  CV_TRY(require_bucket(db, bucket));
  auto stmt =
      CV_TRY(db.prepare("SELECT document FROM bucket_configs WHERE bucket = ?1 AND kind = ?2"));
  stmt.bind_text(1, bucket).bind_text(2, kind);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return stmt.column_string(0);
}

Status remove_bucket_config(Connection& db, std::string_view bucket, std::string_view kind) {
  CV_TRY(require_bucket(db, bucket));
  auto stmt = CV_TRY(db.prepare("DELETE FROM bucket_configs WHERE bucket = ?1 AND kind = ?2"));
  stmt.bind_text(1, bucket).bind_text(2, kind);
  return stmt.run();
}

Status write_account_config(Connection& db, std::string_view kind, std::string_view document) {
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO account_configs(kind, document) VALUES(?1, ?2) "
      "ON CONFLICT(kind) DO UPDATE SET document = excluded.document"));
  stmt.bind_text(1, kind).bind_text(2, document);
  return stmt.run();
}

Result<std::optional<std::string>> read_account_config(Connection& db, std::string_view kind) {
  auto stmt = CV_TRY(db.prepare("SELECT document FROM account_configs WHERE kind = ?1"));
  stmt.bind_text(1, kind);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return std::optional<std::string>(stmt.column_string(0));
}

Status remove_account_config(Connection& db, std::string_view kind) {
  auto stmt = CV_TRY(db.prepare("DELETE FROM account_configs WHERE kind = ?1"));
  stmt.bind_text(1, kind);
  return stmt.run();
}

}  // namespace cv::meta::sqlite
