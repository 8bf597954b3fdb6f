#include "meta/sqlite/blob_ref_ops.h"

#include <limits>

namespace cv::meta::sqlite {

Status add_blob_ref(Connection& db, std::string_view blob_id) {
  auto stmt =
      CV_TRY(db.prepare("INSERT INTO blob_refs(blob_id, refs) VALUES(?1, 1) "
                        "ON CONFLICT(blob_id) DO UPDATE SET refs = blob_refs.refs + 1"));
  stmt.bind_text(1, blob_id);
  return stmt.run();
}

Status drop_blob_ref(Connection& db, std::string_view blob_id) {
  int64_t remaining = 0;
  {
    auto stmt = CV_TRY(
        db.prepare("UPDATE blob_refs SET refs = refs - 1 WHERE blob_id = ?1 RETURNING refs"));
    stmt.bind_text(1, blob_id);
    if (CV_TRY(stmt.step())) remaining = stmt.column_int(0);
  }
  if (remaining > 0) return {};
  {
    auto stmt = CV_TRY(db.prepare("DELETE FROM blob_refs WHERE blob_id = ?1"));
    stmt.bind_text(1, blob_id);
    CV_TRY(stmt.run());
  }
  auto stmt = CV_TRY(db.prepare("INSERT INTO garbage(blob_id) VALUES(?1) ON CONFLICT DO NOTHING"));
  stmt.bind_text(1, blob_id);
  return stmt.run();
}

Status add_blob_refs(Connection& db, const std::vector<BlobRef>& blobs) {
  for (const BlobRef& blob : blobs) CV_TRY(add_blob_ref(db, blob.blob_id));
  return {};
}

Status drop_blob_refs(Connection& db, const std::vector<BlobRef>& blobs) {
  for (const BlobRef& blob : blobs) CV_TRY(drop_blob_ref(db, blob.blob_id));
  return {};
}

Result<std::vector<std::string>> read_garbage(Connection& db, size_t max) {
  auto stmt = CV_TRY(db.prepare("SELECT blob_id FROM garbage ORDER BY id LIMIT ?1"));
  stmt.bind_int(1,
                static_cast<int64_t>(std::min<size_t>(max, std::numeric_limits<int64_t>::max())));
  std::vector<std::string> blob_ids;
  while (CV_TRY(stmt.step())) blob_ids.push_back(stmt.column_string(0));
  return blob_ids;
}

Status remove_garbage(Connection& db, const std::vector<std::string>& blob_ids) {
  auto stmt = CV_TRY(db.prepare("DELETE FROM garbage WHERE blob_id = ?1"));
  for (const std::string& blob_id : blob_ids) {
    stmt.bind_text(1, blob_id);
    CV_TRY(stmt.run());
    stmt.rewind();
  }
  return {};
}

Result<bool> read_blob_in_use(Connection& db, std::string_view blob_id) {
  auto stmt = CV_TRY(db.prepare("SELECT 1 FROM blob_refs WHERE blob_id = ?1"));
  stmt.bind_text(1, blob_id);
  return stmt.step();
}

}  // namespace cv::meta::sqlite
