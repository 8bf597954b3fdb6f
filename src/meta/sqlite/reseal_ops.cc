#include "meta/sqlite/reseal_ops.h"

#include <vector>

#include "meta/sqlite/record_codec.h"

namespace cv::meta::sqlite {
namespace {

using Kind = MetaStore::SealedSecret::Kind;
using Table = ResealCursor::Table;

struct Row {
  int64_t id = 0;      // objects
  std::string name;    // access_key_id, upload_id or target name
  std::string owner;   // for messages
  std::string column;  // sealed_secret, or the storage JSON
};

// Rows of a table keyed by text: (key, sealed column) after `after` in key order.
Result<std::vector<Row>> read_text_keyed(Connection& db, std::string_view sql,
                                         const std::string& after, size_t limit) {
  std::vector<Row> rows;
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_text(1, after).bind_int(2, static_cast<int64_t>(limit));
  while (CV_TRY(stmt.step())) {
    rows.push_back(Row{0, stmt.column_string(0), stmt.column_string(0), stmt.column_string(1)});
  }
  return rows;
}

Result<std::vector<Row>> read_rows(Connection& db, const ResealCursor& cursor, size_t limit) {
  switch (cursor.table) {
    case Table::kAccessKeys:
      return read_text_keyed(db,
                             "SELECT access_key_id, sealed_secret FROM access_keys "
                             "WHERE access_key_id > ?1 ORDER BY access_key_id LIMIT ?2",
                             cursor.after_text, limit);
    case Table::kUploads:
      return read_text_keyed(
          db,
          "SELECT upload_id, storage FROM uploads "
          "WHERE upload_id > ?1 AND storage IS NOT NULL ORDER BY upload_id LIMIT ?2",
          cursor.after_text, limit);
    case Table::kNotifyTargets:
      return read_text_keyed(db,
                             "SELECT name, sealed_secrets FROM notify_targets "
                             "WHERE name > ?1 ORDER BY name LIMIT ?2",
                             cursor.after_text, limit);
    case Table::kObjects:
    case Table::kDone:
      break;
  }
  std::vector<Row> rows;
  if (cursor.table != Table::kObjects) return rows;
  auto stmt =
      CV_TRY(db.prepare("SELECT id, bucket, key, version_id, storage FROM objects "
                        "WHERE id > ?1 AND storage IS NOT NULL ORDER BY id LIMIT ?2"));
  stmt.bind_int(1, cursor.after_id).bind_int(2, static_cast<int64_t>(limit));
  while (CV_TRY(stmt.step())) {
    rows.push_back(Row{
        stmt.column_int(0),
        {},
        stmt.column_string(1) + "/" + stmt.column_string(2) + "?versionId=" + stmt.column_string(3),
        stmt.column_string(4)});
  }
  return rows;
}

// Reseals the row's secret; returns the new column value, or nullopt when the row holds no
// secret under the master key (a plain or SSE-C body).
Result<std::optional<std::string>> reseal_row(const MetaStore::ResealFunction& reseal, Table table,
                                              const Row& row, uint64_t& visited) {
  if (table == Table::kAccessKeys || table == Table::kNotifyTargets) {
    ++visited;
    const Kind kind =
        table == Table::kAccessKeys ? Kind::kAccessKeySecret : Kind::kNotifyTargetSecrets;
    return std::optional<std::string>(CV_TRY(reseal({kind, row.owner, row.column})));
  }
  Encryption encryption;
  std::optional<Restore> restore;
  CV_TRY(decode_storage(row.column, encryption, restore));
  if (encryption.mode != EncryptionMode::kS3) return std::optional<std::string>();
  ++visited;
  const Kind kind = table == Table::kObjects ? Kind::kObjectDataKey : Kind::kUploadDataKey;
  encryption.wrapped_key = CV_TRY(reseal({kind, row.owner, encryption.wrapped_key}));
  return std::optional<std::string>(encode_storage(encryption, restore));
}

Status write_row(Connection& db, Table table, const Row& row, const std::string& column) {
  if (table == Table::kAccessKeys) {
    auto stmt =
        CV_TRY(db.prepare("UPDATE access_keys SET sealed_secret = ?2 WHERE access_key_id = ?1"));
    stmt.bind_text(1, row.name).bind_blob(2, column);
    return stmt.run();
  }
  if (table == Table::kNotifyTargets) {
    auto stmt = CV_TRY(db.prepare("UPDATE notify_targets SET sealed_secrets = ?2 WHERE name = ?1"));
    stmt.bind_text(1, row.name).bind_blob(2, column);
    return stmt.run();
  }
  if (table == Table::kObjects) {
    auto stmt = CV_TRY(db.prepare("UPDATE objects SET storage = ?2 WHERE id = ?1"));
    stmt.bind_int(1, row.id).bind_text(2, column);
    return stmt.run();
  }
  auto stmt = CV_TRY(db.prepare("UPDATE uploads SET storage = ?2 WHERE upload_id = ?1"));
  stmt.bind_text(1, row.name).bind_text(2, column);
  return stmt.run();
}

}  // namespace

Status reseal_batch(Connection& db, const MetaStore::ResealFunction& reseal, size_t batch_size,
                    ResealCursor& cursor) {
  if (cursor.table == Table::kDone) return {};
  const size_t limit = batch_size == 0 ? 1 : batch_size;
  const std::vector<Row> rows = CV_TRY(read_rows(db, cursor, limit));
  for (const Row& row : rows) {
    const auto column = CV_TRY(reseal_row(reseal, cursor.table, row, cursor.visited));
    if (column && *column != row.column) CV_TRY(write_row(db, cursor.table, row, *column));
    cursor.after_text = row.name;
    cursor.after_id = row.id;
  }
  if (rows.size() < limit) {
    cursor.table = static_cast<Table>(static_cast<int>(cursor.table) + 1);
    cursor.after_text.clear();
    cursor.after_id = 0;
  }
  return {};
}

}  // namespace cv::meta::sqlite
