// One folder level of a bucket as the console's file list shows it: its sub-folders and
// objects, filtered by a name search, sorted, and paged with an opaque cursor.
//
// Stateless and thread-safe (every call reads the vault afresh).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "console/listing_snapshots.h"
#include "core/error.h"
#include "vault/vault.h"

namespace cv::console {

enum class SortField { kName, kSize, kModified, kType };

struct FolderQuery {
  std::string owner;  // the user asking: snapshots of sorted levels serve them alone
  std::string bucket;
  std::string prefix;  // the folder level: "" for the bucket's root, else usually "a/b/"
  // Keeps entries whose name (the part after `prefix`, without a folder's trailing '/')
  // contains it, ASCII letters compared case-insensitively; "" keeps everything.
  std::string search;
  SortField sort = SortField::kName;
  bool descending = false;
  // Lists, instead of the level's objects, its deleted keys: those whose current version is a
  // delete marker (versioned buckets), in name order (the only order allowed with it).
  bool deleted = false;
  std::string after;  // the `next` of the previous page; "" for the first page
  uint32_t limit = 200;
};

struct FolderEntry {
  std::string key;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string etag;
  std::string storage_class;
};

using FolderSnapshots = ListingSnapshots<FolderEntry>;

struct FolderPage {
  std::vector<std::string> folders;  // sub-folder prefixes ("a/b/c/")
  std::vector<FolderEntry> objects;
  std::optional<std::string> next;  // the cursor of the following page; nullopt at the end
};

// "name", "size", "modified", "type"; nullopt for anything else.
std::optional<SortField> parse_sort_field(std::string_view name);
// An object's type: the text after the last '.' of its name, lower-cased; "" without a dot.
std::string file_type(std::string_view name);

// One page of the folder level. The cursor contract is the same for every order: the page
// passes `next` back as `after`, unchanged, with the same query. Underneath:
//  - name ascending: vault list pages in key order, `next` a key (or sub-folder prefix);
//    with a search, pages are scanned until `limit` entries match or the level ends.
//    Folders and objects interleave in key order.
//  - name descending, size, modified, type: the whole level is read and sorted; folders come
//    first (by name, reversed only for name descending), then the objects (ties by name,
//    ascending); `next` is "@<offset>.<snapshot>" into that order, and with `snapshots` the
//    sorted level is kept there so later pages are slices of it ("@<offset>" alone, or an
//    expired snapshot, reads and sorts the level again).
//  - deleted: the vault's version listing in key order, `next` a key as for name order;
//    every sub-folder is listed (deleted keys may sit in any of them).
// Fails with InvalidRequest for a cursor such a listing cannot have given (an offset cursor
// in name-ascending order is taken as a key, as S3's StartAfter would); vault errors pass
// through.
Result<FolderPage> list_folder_level(vault::Vault& vault, const FolderQuery& query,
                                     FolderSnapshots* snapshots = nullptr);

}  // namespace cv::console
