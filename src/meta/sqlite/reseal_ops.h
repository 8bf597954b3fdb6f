// SQL for MetaStore::reseal_master_secrets: one batch of the walk over every secret sealed
// under the master key. Runs on the writer connection inside a transaction; not thread-safe
// on its own (the caller owns the connection).
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "meta/meta_store.h"
#include "meta/sqlite/connection.h"

namespace cv::meta::sqlite {

// Where the walk is: access keys by id, then objects by row id, then uploads by id, then
// notification targets by name.
struct ResealCursor {
  enum class Table { kAccessKeys, kObjects, kUploads, kNotifyTargets, kDone };
  Table table = Table::kAccessKeys;
  // access_key_id / upload_id / target name last visited in the current table
  std::string after_text;
  int64_t after_id = 0;  // object row id last visited
  uint64_t visited = 0;  // secrets handed to reseal so far
};

// Reseals the next secrets after `cursor` (at most `batch_size` rows of the current table,
// moving on to the next table when this one is exhausted) and advances `cursor`. On error
// the caller discards the transaction and the cursor copy it passed.
Status reseal_batch(Connection& db, const MetaStore::ResealFunction& reseal, size_t batch_size,
                    ResealCursor& cursor);

}  // namespace cv::meta::sqlite
