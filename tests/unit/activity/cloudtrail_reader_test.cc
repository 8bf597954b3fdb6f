// CloudTrailReader: every documented shape, any chunking, gzip (also concatenated members),
// and errors that keep the records before them.
#include "activity/cloudtrail_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

namespace cv::activity {
namespace {

struct Collected final : RecordSink {
  std::vector<boost::json::object> records;
  std::vector<std::string> malformed;
  void on_record(const boost::json::object& record) override {
    records.push_back(boost::json::object(record, boost::json::storage_ptr()));
  }
  void on_malformed_record(std::string reason) override { malformed.push_back(reason); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& r : records) out.emplace_back(r.at("eventName").as_string());
    return out;
  }
};

std::string gzip(std::string_view data) {
  z_stream stream{};
  deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// Feeds `bytes` in pieces of `chunk` bytes; returns the first error's message, or "".
std::string read_in_chunks(Collected& sink, std::string_view bytes, size_t chunk) {
  CloudTrailReader reader(sink);
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    auto fed = reader.feed(bytes.substr(at, chunk));
    if (!fed) return fed.error().message;
  }
  auto done = reader.finish();
  return done ? "" : done.error().message;
}

const std::string kTrail = R"({"Records": [
  {"eventVersion": "1.09", "eventName": "RunInstances", "eventTime": "2024-10-04T12:00:00Z",
   "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/a"}, "n": [1, 2.5, -3, true, null]},
  {"eventName": "CreateBucket", "requestParameters": {"bucketName": "b\u00e9", "x": {}}},
  {"eventName": "PutObject", "new": {"deep": [[[]]]}}
], "Extra": {"ignored": [1, 2]}})";

TEST(CloudTrailReader, ReadsRecordsOfALogFileInAnyChunking) {
  for (size_t chunk : {1, 2, 7, 64, 100000}) {
    Collected sink;
    EXPECT_EQ(read_in_chunks(sink, kTrail, chunk), "") << chunk;
    EXPECT_EQ(sink.names(), (std::vector<std::string>{"RunInstances", "CreateBucket", "PutObject"}))
        << chunk;
    EXPECT_TRUE(sink.malformed.empty());
    ASSERT_EQ(sink.records.size(), 3u);
    EXPECT_EQ(sink.records[0].at("n").as_array().size(), 5u);
    EXPECT_EQ(sink.records[0].at("userIdentity").at("arn").as_string(), "arn:aws:iam::1:user/a");
    EXPECT_EQ(sink.records[1].at("requestParameters").at("bucketName").as_string(), "b\xc3\xa9");
  }
}

TEST(CloudTrailReader, ReadsGzipAlsoWithConcatenatedMembers) {
  std::string one = gzip(kTrail);
  for (size_t chunk : {1, 5, 4096}) {  // the magic bytes may arrive one at a time
    Collected sink;
    EXPECT_EQ(read_in_chunks(sink, one, chunk), "");
    EXPECT_EQ(sink.records.size(), 3u);
  }
  Collected tiny;  // a one-byte document
  EXPECT_EQ(read_in_chunks(tiny, "7", 1), "");

  // Two members: JSON lines of one record each, as `cat a.gz b.gz` makes.
  std::string two = gzip("{\"eventName\":\"A\"}\n") + gzip("{\"eventName\":\"B\"}\n");
  Collected lines;
  EXPECT_EQ(read_in_chunks(lines, two, 3), "");
  EXPECT_EQ(lines.names(), (std::vector<std::string>{"A", "B"}));
}

TEST(CloudTrailReader, ReadsLookupEventsOutputFromItsCloudTrailEventStrings) {
  const std::string lookup = R"({"Events": [
    {"EventId": "e1", "EventName": "Outer", "ReadOnly": "false",
     "CloudTrailEvent": "{\"eventName\":\"CreateRole\",\"eventID\":\"e1\"}"},
    {"EventId": "e2", "CloudTrailEvent": "not json"},
    {"EventId": "e3", "CloudTrailEvent": 5}
  ], "NextToken": "abc"})";
  Collected sink;
  EXPECT_EQ(read_in_chunks(sink, lookup, 11), "");
  EXPECT_EQ(sink.names(), std::vector<std::string>{"CreateRole"});
  ASSERT_EQ(sink.malformed.size(), 2u);
  EXPECT_NE(sink.malformed[0].find("CloudTrailEvent is not JSON"), std::string::npos);
  EXPECT_EQ(sink.malformed[1], "CloudTrailEvent is not a string");
}

TEST(CloudTrailReader, ReadsLakeRowsJsonLinesAndArrays) {
  Collected rows;
  EXPECT_EQ(read_in_chunks(rows, R"({"QueryResultRows": [[{"eventName": "X"}, {"eventID": "1"}],
      [{"eventName": "Y"}]], "QueryStatistics": {"ResultsCount": 2}})",
                           4),
            "");
  EXPECT_EQ(rows.names(), (std::vector<std::string>{"X", "Y"}));
  EXPECT_EQ(rows.records[0].at("eventID").as_string(), "1");

  Collected lines;
  EXPECT_EQ(read_in_chunks(lines,
                           "{\"eventName\":\"L1\",\"a\":{\"b\":1}}\r\n\n{\"eventName\":\"L2\"}", 6),
            "");
  EXPECT_EQ(lines.names(), (std::vector<std::string>{"L1", "L2"}));
  EXPECT_EQ(lines.records[0].at("a").at("b").as_int64(), 1);

  Collected array;
  EXPECT_EQ(read_in_chunks(array, R"([{"eventName": "A1"}, 7, {"eventName": "A2"}])", 3), "");
  EXPECT_EQ(array.names(), (std::vector<std::string>{"A1", "A2"}));
  EXPECT_EQ(array.malformed, std::vector<std::string>{"a record is a number, not an object"});
}

TEST(CloudTrailReader, ScalarElementsAreMalformedRecordsAndTheFileGoesOn) {
  Collected sink;
  EXPECT_EQ(read_in_chunks(sink, R"({"Records": ["x", {"eventName": "Ok"}, null]})", 2), "");
  EXPECT_EQ(sink.names(), std::vector<std::string>{"Ok"});
  EXPECT_EQ(sink.malformed, (std::vector<std::string>{"a record is a string, not an object",
                                                      "a record is a null, not an object"}));
}

TEST(CloudTrailReader, BadJsonStopsTheFileButKeepsEarlierRecords) {
  Collected sink;
  std::string error =
      read_in_chunks(sink, R"({"Records": [{"eventName": "First"}, {"eventName": oops}]})", 8);
  EXPECT_NE(error.find("invalid JSON at byte"), std::string::npos) << error;
  EXPECT_EQ(sink.names(), std::vector<std::string>{"First"});

  Collected cut;
  EXPECT_EQ(read_in_chunks(cut, R"({"Records": [{"eventName": "First"}, {"even)", 8),
            "JSON ends early at byte 43");
  EXPECT_EQ(cut.names(), std::vector<std::string>{"First"});
}

TEST(CloudTrailReader, TruncatedGzipIsReportedAfterTheRecordsBeforeTheCut) {
  std::string records = "{\"Records\":[{\"eventName\":\"First\"}";
  for (int i = 0; i < 2000; ++i)
    records += ",{\"eventName\":\"N" + std::to_string(i * 7919) + "\"}";
  records += "]}";
  std::string compressed = gzip(records);
  Collected sink;
  std::string error = read_in_chunks(sink, compressed.substr(0, compressed.size() / 2), 1000);
  EXPECT_EQ(error, "truncated gzip data");
  ASSERT_FALSE(sink.records.empty());
  EXPECT_LT(sink.records.size(), 2001u);
  EXPECT_EQ(sink.names().front(), "First");

  Collected corrupt;
  std::string damaged = compressed;
  damaged[20] ^= 0x55;
  damaged[21] ^= 0x55;
  damaged[22] ^= 0x55;
  std::string failure = read_in_chunks(corrupt, damaged, 4096);
  EXPECT_FALSE(failure.empty());
}

TEST(CloudTrailReader, AManyRecordFileStreamsThroughInSmallPieces) {
  // 20,000 records fed 4 KiB at a time: each is delivered as it closes.
  Collected sink;
  CloudTrailReader reader(sink);
  ASSERT_TRUE(reader.feed("{\"Records\":["));
  for (int i = 0; i < 20000; ++i) {
    std::string one =
        (i ? "," : "") + std::string("{\"eventName\":\"E\",\"i\":") + std::to_string(i) + "}";
    ASSERT_TRUE(reader.feed(one));
    ASSERT_EQ(sink.records.size(), static_cast<size_t>(i + 1));
  }
  ASSERT_TRUE(reader.feed("]}"));
  ASSERT_TRUE(reader.finish());
  EXPECT_EQ(sink.records.back().at("i").as_int64(), 19999);
}

}  // namespace
}  // namespace cv::activity
