// The MetaStore conformance tests for the audit trail (fixture in meta_store_conformance.h):
// the spool appends in order, claims never share a record and survive as unwritten files, a
// digest lists files once and moves the chain head only from the head it expects, and
// lookups filter and page newest first.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

TrailRecord make_record(int n, const std::string& user = "alice",
                        const std::string& bucket = "photos", const std::string& key = "a.jpg",
                        const std::string& event = "GetObject", const std::string& error = "") {
  TrailRecord record;
  record.event_time_ns = 1'700'000'000'000'000'000 + int64_t{n} * 1'000'000'000;
  record.event_id = "id-" + std::to_string(n);
  record.event_source = "s3.amazonaws.com";
  record.event_name = event;
  record.user_name = user;
  record.access_key_id = "AK" + user;
  record.bucket = bucket;
  record.key = key;
  record.error_code = error;
  record.read_only = event.starts_with("Get") || event.starts_with("List");
  record.record_json = R"({"eventID":"id-)" + std::to_string(n) + R"("})";
  return record;
}

std::vector<std::string> jsons(const std::vector<TrailRecord>& records) {
  std::vector<std::string> out;
  for (const TrailRecord& record : records) out.push_back(record.record_json);
  return out;
}

std::vector<std::string> ids(const TrailPage& page) {
  std::vector<std::string> out;
  for (const TrailRecord& record : page.records) out.push_back(record.event_id);
  return out;
}

TEST_P(MetaStoreConformance, TrailClaimsTakeTheOldestUnfiledRecordsUpToTheLimit) {
  auto empty = store().claim_trail_file("k0", 1, 10);
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_FALSE(empty->has_value());  // no record: no file
  ASSERT_TRUE(store().append_trail_records({make_record(1), make_record(2), make_record(3)}));
  auto backlog = store().trail_backlog(100);
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->records, 3u);
  EXPECT_EQ(backlog->oldest_event_ns, make_record(1).event_time_ns);

  auto first = store().claim_trail_file("k1", 100, 2);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->record_count, 2u);
  auto records = store().trail_file_records((*first)->id, 0, 1000000);
  ASSERT_TRUE(records);
  EXPECT_EQ(jsons(*records),
            (std::vector<std::string>{make_record(1).record_json, make_record(2).record_json}));
  auto second = store().claim_trail_file("k2", 200, 10);
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ((*second)->record_count, 1u);
  EXPECT_EQ(jsons(*store().trail_file_records((*second)->id, 0, 1000000)),
            std::vector<std::string>{make_record(3).record_json});
  EXPECT_EQ(store().trail_backlog(100)->records, 0u);

  // Both are claimed but unwritten until marked.
  auto unwritten = store().unwritten_trail_files();
  ASSERT_TRUE(unwritten);
  ASSERT_EQ(unwritten->size(), 2u);
  EXPECT_EQ(unwritten->at(0).key, "k1");
  ASSERT_TRUE(store().mark_trail_file_written((*first)->id, "ab", 10, 20));
  unwritten = store().unwritten_trail_files();
  ASSERT_EQ(unwritten->size(), 1u);
  EXPECT_EQ(unwritten->at(0).key, "k2");
  auto undigested = store().undigested_trail_files();
  ASSERT_TRUE(undigested);
  ASSERT_EQ(undigested->size(), 1u);
  EXPECT_EQ(undigested->at(0).sha256_hex, "ab");
  EXPECT_EQ(undigested->at(0).oldest_event_ns, 10);
  EXPECT_EQ(undigested->at(0).newest_event_ns, 20);
  EXPECT_FALSE(store().mark_trail_file_written(999, "x", 0, 0));
}

TEST_P(MetaStoreConformance, TrailFileRecordsComeInPagesWithinTheFile) {
  std::vector<TrailRecord> batch;
  for (int n = 0; n < 12; ++n) batch.push_back(make_record(n));
  ASSERT_TRUE(store().append_trail_records(batch));
  auto first = store().claim_trail_file("k1", 100, 5);  // records 0-4
  auto second = store().claim_trail_file("k2", 200, 5);  // records 5-9; 10 and 11 unfiled
  ASSERT_TRUE(first && first->has_value() && second && second->has_value());
  const TrailLogFile& file = **second;
  std::vector<std::string> paged;
  int64_t after = 0;
  size_t pages = 0;
  for (;;) {
    auto page = store().trail_file_records(file.id, after, 2);
    ASSERT_TRUE(page) << page.error().message;
    if (page->empty()) break;
    ++pages;
    EXPECT_LE(page->size(), 2u);
    for (const TrailRecord& record : *page) {
      EXPECT_GT(record.seq, after);
      EXPECT_GE(record.seq, file.first_seq);
      EXPECT_LE(record.seq, file.last_seq);
      paged.push_back(record.record_json);
    }
    after = page->back().seq;
  }
  EXPECT_EQ(pages, 3u);  // 2 + 2 + 1: never a record of the next file or an unfiled one
  std::vector<std::string> expected;
  for (int n = 5; n < 10; ++n) expected.push_back(make_record(n).record_json);
  EXPECT_EQ(paged, expected);
  // A page starting before the file starts at its first record.
  auto from_start = store().trail_file_records(file.id, 0, 1);
  ASSERT_TRUE(from_start && from_start->size() == 1u);
  EXPECT_EQ(from_start->front().seq, file.first_seq);
  auto past_end = store().trail_file_records(file.id, file.last_seq, 10);
  ASSERT_TRUE(past_end);
  EXPECT_TRUE(past_end->empty());
}

TEST_P(MetaStoreConformance, ConcurrentTrailClaimsNeverShareARecord) {
  std::vector<TrailRecord> batch;
  for (int n = 0; n < 200; ++n) batch.push_back(make_record(n));
  ASSERT_TRUE(store().append_trail_records(batch));
  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> claimers;
  for (int t = 0; t < 4; ++t) {
    claimers.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        auto file =
            store().claim_trail_file("t" + std::to_string(t) + "-" + std::to_string(i), i, 7);
        if (!file || !file->has_value()) return;
        auto records = store().trail_file_records((*file)->id, 0, 1000000);
        if (!records) return;
        for (auto& record : *records) seen[t].push_back(record.record_json);
      }
    });
  }
  for (auto& claimer : claimers) claimer.join();
  std::multiset<std::string> all;
  for (auto& part : seen) all.insert(part.begin(), part.end());
  EXPECT_EQ(all.size(), 200u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 200u);
  for (const auto& json : all) EXPECT_EQ(all.count(json), 1u) << json;
}

// Claims race appends: each file holds a contiguous seq range, ranges never overlap, and
// every record appended ends up in exactly one file.
TEST_P(MetaStoreConformance, TrailClaimsRacingAppendsTakeDisjointContiguousRanges) {
  constexpr int kBatches = 40;
  constexpr int kPerBatch = 5;
  std::atomic<bool> appending{true};
  std::thread appender([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<TrailRecord> batch;
      for (int n = 0; n < kPerBatch; ++n) batch.push_back(make_record(b * kPerBatch + n));
      EXPECT_TRUE(store().append_trail_records(batch));
    }
    appending = false;
  });
  std::vector<std::vector<TrailLogFile>> files(2);
  std::vector<std::thread> claimers;
  for (int t = 0; t < 2; ++t) {
    claimers.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        const bool last_round = !appending;
        auto file = store().claim_trail_file("r" + std::to_string(t) + "-" + std::to_string(i),
                                             i, 3);
        ASSERT_TRUE(file) << file.error().message;
        if (file->has_value()) {
          files[t].push_back(**file);
        } else if (last_round) {
          return;
        }
      }
    });
  }
  appender.join();
  for (auto& claimer : claimers) claimer.join();
  std::vector<TrailLogFile> all = files[0];
  all.insert(all.end(), files[1].begin(), files[1].end());
  std::sort(all.begin(), all.end(),
            [](const TrailLogFile& a, const TrailLogFile& b) { return a.first_seq < b.first_seq; });
  std::multiset<std::string> seen;
  int64_t previous_last = 0;
  for (const TrailLogFile& file : all) {
    EXPECT_GT(file.first_seq, previous_last) << file.key;  // no overlap
    EXPECT_LE(file.first_seq, file.last_seq);
    previous_last = file.last_seq;
    auto records = store().trail_file_records(file.id, 0, 1000000);
    ASSERT_TRUE(records);
    EXPECT_EQ(records->size(), file.record_count);
    for (const TrailRecord& record : *records) {
      EXPECT_GE(record.seq, file.first_seq);
      EXPECT_LE(record.seq, file.last_seq);
      seen.insert(record.record_json);
    }
  }
  EXPECT_EQ(seen.size(), size_t{kBatches * kPerBatch});
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  EXPECT_EQ(store().trail_backlog(1000)->records, 0u);
}

TEST_P(MetaStoreConformance, TrailDigestsChainFromTheExpectedHeadAndListFilesOnce) {
  ASSERT_TRUE(store().append_trail_records({make_record(1), make_record(2)}));
  auto file = *store().claim_trail_file("log1", 5, 1);
  auto unwritten = *store().claim_trail_file("log2", 6, 1);
  ASSERT_TRUE(store().mark_trail_file_written(file->id, "h1", 1, 2));
  EXPECT_FALSE(store().trail_chain_head()->has_value());

  TrailDigest first{"d1", 0, 3600'000'000'000, "s1", "sig1", false};
  // An unwritten file cannot be listed, and nothing of the digest is recorded.
  auto refused = store().put_trail_digest(first, {unwritten->id}, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(store().list_trail_digests()->empty());

  ASSERT_TRUE(store().put_trail_digest(first, {file->id}, ""));
  auto head = store().trail_chain_head();
  ASSERT_TRUE(head && head->has_value());
  EXPECT_EQ((*head)->key, "d1");
  EXPECT_EQ((*head)->signature_hex, "sig1");
  EXPECT_TRUE(store().undigested_trail_files()->empty());

  // A second writer that still believes there is no head is refused.
  TrailDigest stale{"d2-stale", 0, 7200'000'000'000, "s", "sig", false};
  auto moved = store().put_trail_digest(stale, {}, "");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kPreconditionFailed);
  // A file is listed by one digest only.
  TrailDigest again{"d2", 3600'000'000'000, 7200'000'000'000, "s2", "sig2", false};
  EXPECT_FALSE(store().put_trail_digest(again, {file->id}, "d1"));
  ASSERT_TRUE(store().put_trail_digest(again, {}, "d1"));
  EXPECT_EQ((*store().trail_chain_head())->key, "d2");

  // A backfill digest leaves the head where it is.
  ASSERT_TRUE(store().mark_trail_file_written(unwritten->id, "h2", 1, 2));
  TrailDigest backfill{"d2_backfill", 0, 7300'000'000'000, "s3", "sig3", true};
  ASSERT_TRUE(store().put_trail_digest(backfill, {unwritten->id}, "anything"));
  EXPECT_EQ((*store().trail_chain_head())->key, "d2");
  auto digests = store().list_trail_digests();
  ASSERT_TRUE(digests);
  ASSERT_EQ(digests->size(), 3u);
  EXPECT_EQ(digests->at(2).key, "d2_backfill");
  EXPECT_TRUE(digests->at(2).backfill);
}

TEST_P(MetaStoreConformance, TrailLookupFiltersAndPagesNewestFirst) {
  ASSERT_TRUE(store().append_trail_records({
      make_record(1, "alice", "photos", "2024/a.jpg", "PutObject"),
      make_record(2, "bob", "photos", "2024/b.jpg", "GetObject", "AccessDenied"),
      make_record(3, "alice", "docs", "x.pdf", "GetObject"),
      make_record(4, "alice", "photos", "2025/c.jpg", "GetObject", "NoSuchKey"),
      make_record(5, "alice", "photos", "2024/d.jpg", "DeleteObject"),
  }));
  auto lookup = [&](TrailQuery query) {
    auto page = store().lookup_trail(query);
    EXPECT_TRUE(page) << page.error().message;
    return page ? ids(*page) : std::vector<std::string>{};
  };
  EXPECT_EQ(lookup({}), (std::vector<std::string>{"id-5", "id-4", "id-3", "id-2", "id-1"}));
  EXPECT_EQ(lookup({.user_name = "bob"}), std::vector<std::string>{"id-2"});
  EXPECT_EQ(lookup({.access_key_id = "AKbob"}), std::vector<std::string>{"id-2"});
  EXPECT_EQ(lookup({.bucket = "photos", .key_prefix = "2024/"}),
            (std::vector<std::string>{"id-5", "id-2", "id-1"}));
  EXPECT_EQ(lookup({.event_name = "GetObject"}),
            (std::vector<std::string>{"id-4", "id-3", "id-2"}));
  EXPECT_EQ(lookup({.errors_only = true}), (std::vector<std::string>{"id-4", "id-2"}));
  EXPECT_EQ(lookup({.error_code = "NoSuchKey"}), std::vector<std::string>{"id-4"});
  EXPECT_EQ(lookup({.read_only = false}), (std::vector<std::string>{"id-5", "id-1"}));
  EXPECT_EQ(
      lookup({.from_ns = make_record(2).event_time_ns, .to_ns = make_record(4).event_time_ns}),
      (std::vector<std::string>{"id-3", "id-2"}));

  TrailQuery paged{.user_name = "alice", .max = 2};
  auto first = store().lookup_trail(paged);
  ASSERT_TRUE(first);
  EXPECT_EQ(ids(*first), (std::vector<std::string>{"id-5", "id-4"}));
  ASSERT_NE(first->next_before_seq, 0);
  paged.before_seq = first->next_before_seq;
  auto second = store().lookup_trail(paged);
  ASSERT_TRUE(second);
  EXPECT_EQ(ids(*second), (std::vector<std::string>{"id-3", "id-1"}));
  EXPECT_EQ(second->next_before_seq, 0);
  EXPECT_EQ(second->records.at(0).record_json, make_record(3).record_json);
  EXPECT_EQ(second->records.at(0).bucket, "docs");
}

// A lookup examines at most max_examined records per call: a sparse filter gets empty pages
// with continuations until it reaches the match, then no continuation past the oldest record.
TEST_P(MetaStoreConformance, TrailLookupWithASparseFilterPagesThroughBoundedWindows) {
  std::vector<TrailRecord> batch;
  batch.push_back(make_record(0, "carol"));
  for (int n = 1; n < 100; ++n) batch.push_back(make_record(n, "alice"));
  batch.push_back(make_record(100, "carol"));
  ASSERT_TRUE(store().append_trail_records(batch));

  TrailQuery query{.user_name = "carol", .max = 10, .max_examined = 30};
  std::vector<std::string> found;
  std::vector<size_t> page_sizes;
  for (int calls = 0; calls < 20; ++calls) {
    auto page = store().lookup_trail(query);
    ASSERT_TRUE(page) << page.error().message;
    for (const TrailRecord& record : page->records) found.push_back(record.event_id);
    page_sizes.push_back(page->records.size());
    if (page->next_before_seq == 0) break;
    ASSERT_TRUE(query.before_seq == 0 || page->next_before_seq < query.before_seq);
    query.before_seq = page->next_before_seq;
  }
  EXPECT_EQ(found, (std::vector<std::string>{"id-100", "id-0"}));
  // 101 records, 30 examined per call: four calls, the middle ones empty.
  EXPECT_EQ(page_sizes, (std::vector<size_t>{1, 0, 0, 1}));
}

// With from_ns, the lookup stops at the written log files that hold only older records: no
// continuation into them.
TEST_P(MetaStoreConformance, TrailLookupFromATimeStopsAtOlderLogFiles) {
  std::vector<TrailRecord> batch;
  for (int n = 0; n < 50; ++n) batch.push_back(make_record(n));
  ASSERT_TRUE(store().append_trail_records(batch));
  auto file = store().claim_trail_file("old", 1, 40);
  ASSERT_TRUE(file && file->has_value());
  ASSERT_TRUE(store().mark_trail_file_written((*file)->id, "h", make_record(0).event_time_ns,
                                              make_record(39).event_time_ns));
  TrailQuery query{.from_ns = make_record(45).event_time_ns, .max = 50, .max_examined = 8};
  auto page = store().lookup_trail(query);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(ids(*page), (std::vector<std::string>{"id-49", "id-48", "id-47", "id-46", "id-45"}));
  ASSERT_NE(page->next_before_seq, 0);  // records 40-41 are unfiled: not known to be older
  query.before_seq = page->next_before_seq;
  page = store().lookup_trail(query);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->records.empty());
  EXPECT_EQ(page->next_before_seq, 0);  // below is the file whose newest record is older
}

}  // namespace
}  // namespace cv::meta::conformance
