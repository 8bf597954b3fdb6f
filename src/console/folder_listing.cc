#include "console/folder_listing.h"

#include <algorithm>
#include <charconv>

#include "core/encoding.h"

namespace cv::console {
namespace {

// Entries asked of the vault per list call while scanning (its maximum page).
constexpr uint32_t kScanPage = 1000;

Error bad_cursor() {
  return Error{ErrorCode::kInvalidRequest,
               "This page cursor (after) was not made by this listing: start again from the "
               "first page.",
               {}};
}

// The part of `key` the page shows as its name: after the prefix, without a folder's '/'.
std::string_view name_of(std::string_view key, std::string_view prefix) {
  std::string_view name = key.substr(std::min(prefix.size(), key.size()));
  if (name.ends_with('/')) name.remove_suffix(1);
  return name;
}

// Whether `name` contains `needle`, which is already lower-case (ASCII case folding).
bool contains_folded(std::string_view name, std::string_view needle) {
  if (needle.empty()) return true;
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return std::search(name.begin(), name.end(), needle.begin(), needle.end(),
                     [&](char a, char b) { return lower(a) == b; }) != name.end();
}

FolderEntry entry_of(meta::ObjectVersion& object) {
  return FolderEntry{std::move(object.key), object.size, object.mtime_ns, std::move(object.etag),
                     std::move(object.storage_class)};
}

// A page in name order built from vault batches, each holding sub-folders and objects in key
// order: merges them back into key order and keeps the entries whose name matches, up to
// `limit`.
class KeyOrderPage {
 public:
  KeyOrderPage(const FolderQuery& query, std::string_view needle)
      : query_(query), needle_(needle) {}

  // Takes one batch; false when a match came after `limit` were kept: the page is complete
  // and its `next` is the last key kept.
  bool take(std::vector<std::string>& folders, const std::vector<meta::ObjectVersion*>& objects) {
    size_t o = 0;
    size_t p = 0;
    while (o < objects.size() || p < folders.size()) {
      const bool folder =
          p < folders.size() && (o == objects.size() || folders[p] < objects[o]->key);
      const std::string& key = folder ? folders[p] : objects[o]->key;
      if (contains_folded(name_of(key, query_.prefix), needle_)) {
        if (kept_ == query_.limit) {
          page_.next = last_kept_;
          return false;
        }
        last_kept_ = key;
        ++kept_;
        if (folder) {
          page_.folders.push_back(std::move(folders[p]));
        } else {
          page_.objects.push_back(entry_of(*objects[o]));
        }
      }
      folder ? ++p : ++o;
    }
    return true;
  }

  bool full() const { return kept_ == query_.limit; }

  // The page so far; with `more` (the level goes on) and a full page, `next` is the last key
  // kept.
  FolderPage finish(bool more) {
    if (more && full()) page_.next = last_kept_;
    return std::move(page_);
  }

 private:
  const FolderQuery& query_;
  std::string_view needle_;
  FolderPage page_;
  size_t kept_ = 0;
  std::string last_kept_;
};

// Name ascending: vault pages in key order from the key cursor, keeping matches until
// `limit` of them are found or the level ends.
Result<FolderPage> list_by_key(vault::Vault& vault, const FolderQuery& query,
                               std::string_view needle) {
  if (!query.after.empty() && !query.after.starts_with(query.prefix)) return fail(bad_cursor());
  meta::ListObjectsQuery list;
  list.bucket = query.bucket;
  list.prefix = query.prefix;
  list.delimiter = "/";
  // Starting after the prefix itself leaves out the folder's own marker object ("a/b/").
  list.start_after = query.after.empty() ? query.prefix : query.after;
  // Without a search every entry is kept: one page of exactly `limit` is the whole answer.
  list.max_keys = needle.empty() ? query.limit : kScanPage;
  KeyOrderPage page(query, needle);
  while (true) {
    meta::ListObjectsPage batch = CV_TRY(vault.list_objects(list));
    std::vector<meta::ObjectVersion*> objects;
    for (meta::ObjectVersion& object : batch.objects) objects.push_back(&object);
    if (!page.take(batch.common_prefixes, objects)) return page.finish(false);
    if (!batch.truncated || page.full()) return page.finish(batch.truncated);
    list.start_after = std::move(batch.last_entry);
  }
}

// Deleted keys, in key order, with every sub-folder (see list_folder_level).
Result<FolderPage> list_deleted(vault::Vault& vault, const FolderQuery& query,
                                std::string_view needle) {
  if (query.sort != SortField::kName || query.descending) {
    return fail(ErrorCode::kInvalidRequest, "Deleted objects are listed by name only.");
  }
  if (!query.after.empty() && !query.after.starts_with(query.prefix)) return fail(bad_cursor());
  meta::ListVersionsQuery list;
  list.bucket = query.bucket;
  list.prefix = query.prefix;
  list.delimiter = "/";
  // After every version of the prefix itself: not the folder's own marker object.
  list.key_marker = query.after.empty() ? query.prefix : query.after;
  list.max_keys = kScanPage;
  KeyOrderPage page(query, needle);
  while (true) {
    meta::ListVersionsPage batch = CV_TRY(vault.list_object_versions(list));
    std::vector<meta::ObjectVersion*> deleted;
    for (meta::ObjectVersion& version : batch.versions) {
      if (version.is_latest && version.is_delete_marker) deleted.push_back(&version);
    }
    if (!page.take(batch.common_prefixes, deleted)) return page.finish(false);
    // A full page ends here only at the level's end: a later batch may hold no match.
    if (!batch.truncated) return page.finish(false);
    list.key_marker = std::move(batch.next_key_marker);
    list.version_id_marker = std::move(batch.next_version_id_marker);
  }
}

// An object of the level with what its order needs.
struct SortRow {
  FolderEntry entry;
  std::string type;  // filled only when sorting by type
};

// "@<offset>" or "@<offset>.<snapshot id>"; "" is the first page.
struct OffsetCursor {
  uint64_t offset = 0;
  uint64_t snapshot = 0;  // 0: none
};

std::optional<OffsetCursor> parse_offset(std::string_view cursor) {
  if (cursor.empty()) return OffsetCursor{};
  if (!cursor.starts_with('@')) return std::nullopt;
  cursor.remove_prefix(1);
  const auto number = [](std::string_view text) -> std::optional<uint64_t> {
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
  };
  const size_t dot = cursor.find('.');
  const std::optional<uint64_t> offset = number(cursor.substr(0, dot));
  if (!offset) return std::nullopt;
  if (dot == std::string_view::npos) return OffsetCursor{*offset, 0};
  const std::optional<uint64_t> snapshot = number(cursor.substr(dot + 1));
  if (!snapshot) return std::nullopt;
  return OffsetCursor{*offset, *snapshot};
}

// Who asks and what: a snapshot serves only the query and user it was made for.
std::string fingerprint_of(const FolderQuery& query) {
  std::string out = query.owner;
  for (std::string_view part : {std::string_view(query.bucket), std::string_view(query.prefix),
                                std::string_view(query.search)}) {
    out += '\0';
    out += part;
  }
  out += '\0';
  out += static_cast<char>('0' + static_cast<int>(query.sort));
  out += query.descending ? 'd' : 'a';
  return out;
}

// The whole level read, filtered and put in its final order.
Result<std::shared_ptr<const SortedLevel<FolderEntry>>> read_sorted_level(
    vault::Vault& vault, const FolderQuery& query, std::string_view needle) {
  meta::ListObjectsQuery list;
  list.bucket = query.bucket;
  list.prefix = query.prefix;
  list.delimiter = "/";
  list.max_keys = kScanPage;
  list.start_after = query.prefix;  // not the folder's own marker object
  auto level = std::make_shared<SortedLevel<FolderEntry>>();
  std::vector<SortRow> rows;
  while (true) {
    meta::ListObjectsPage batch = CV_TRY(vault.list_objects(list));
    for (std::string& folder : batch.common_prefixes) {
      if (contains_folded(name_of(folder, query.prefix), needle)) {
        level->folders.push_back(std::move(folder));
      }
    }
    for (meta::ObjectVersion& object : batch.objects) {
      const std::string_view name = name_of(object.key, query.prefix);
      if (!contains_folded(name, needle)) continue;
      SortRow row{.entry = {}, .type = query.sort == SortField::kType ? file_type(name) : ""};
      row.entry = entry_of(object);
      rows.push_back(std::move(row));
    }
    if (!batch.truncated) break;
    list.start_after = std::move(batch.last_entry);
  }
  // Sub-folders came in key order from the vault.
  if (query.sort == SortField::kName && query.descending) {
    std::reverse(level->folders.begin(), level->folders.end());
  }
  const bool descending = query.descending;
  const SortField sort = query.sort;
  const auto before = [descending, sort](const SortRow& a, const SortRow& b) {
    int primary = 0;  // <0 when a goes first in ascending order
    switch (sort) {
      case SortField::kName:
        primary = a.entry.key.compare(b.entry.key);
        return descending ? primary > 0 : primary < 0;
      case SortField::kSize:
        primary = a.entry.size < b.entry.size ? -1 : a.entry.size > b.entry.size ? 1 : 0;
        break;
      case SortField::kModified:
        primary = a.entry.mtime_ns < b.entry.mtime_ns   ? -1
                  : a.entry.mtime_ns > b.entry.mtime_ns ? 1
                                                        : 0;
        break;
      case SortField::kType:
        primary = a.type.compare(b.type);
        break;
    }
    if (primary != 0) return descending ? primary > 0 : primary < 0;
    return a.entry.key < b.entry.key;  // ties by name, always ascending
  };
  std::sort(rows.begin(), rows.end(), before);
  level->objects.reserve(rows.size());
  for (SortRow& row : rows) level->objects.push_back(std::move(row.entry));
  return std::shared_ptr<const SortedLevel<FolderEntry>>(std::move(level));
}

// Any other order: a slice of the sorted level, kept as a snapshot for the next pages when
// there are some (and a snapshot store is given).
Result<FolderPage> list_by_offset(vault::Vault& vault, const FolderQuery& query,
                                  std::string_view needle, FolderSnapshots* snapshots) {
  const std::optional<OffsetCursor> cursor = parse_offset(query.after);
  if (!cursor) return fail(bad_cursor());
  const std::string fingerprint = fingerprint_of(query);
  std::shared_ptr<const SortedLevel<FolderEntry>> level;
  uint64_t snapshot = 0;
  if (snapshots && cursor->snapshot != 0) {
    level = snapshots->find(cursor->snapshot, fingerprint);
    if (level) snapshot = cursor->snapshot;
  }
  if (!level) level = CV_TRY(read_sorted_level(vault, query, needle));  // new, or expired

  FolderPage page;
  const uint64_t total = level->size();
  const uint64_t start = std::min<uint64_t>(cursor->offset, total);
  const uint64_t end = std::min<uint64_t>(start + query.limit, total);
  const size_t folders = level->folders.size();
  for (uint64_t i = start; i < end; ++i) {
    if (i < folders) {
      page.folders.push_back(level->folders[i]);
    } else {
      page.objects.push_back(level->objects[i - folders]);
    }
  }
  if (end < total) {
    if (snapshots && snapshot == 0) snapshot = snapshots->keep(fingerprint, level);
    page.next = "@" + std::to_string(end);
    if (snapshot != 0) *page.next += "." + std::to_string(snapshot);
  }
  return page;
}

}  // namespace

std::optional<SortField> parse_sort_field(std::string_view name) {
  if (name == "name") return SortField::kName;
  if (name == "size") return SortField::kSize;
  if (name == "modified") return SortField::kModified;
  if (name == "type") return SortField::kType;
  return std::nullopt;
}

std::string file_type(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string() : to_lower(name.substr(dot + 1));
}

Result<FolderPage> list_folder_level(vault::Vault& vault, const FolderQuery& query,
                                     FolderSnapshots* snapshots) {
  const std::string needle = to_lower(query.search);
  if (query.deleted) return list_deleted(vault, query, needle);
  if (query.sort == SortField::kName && !query.descending) {
    return list_by_key(vault, query, needle);
  }
  return list_by_offset(vault, query, needle, snapshots);
}

}  // namespace cv::console
