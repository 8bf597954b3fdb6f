// The console API over a real vault: sign-in, cookies, CSRF and Origin checks, buckets, the
// folder listing's search, sorts and cursors, pre-signed version links, version restore and
// deletion; sign-in throttling; and the session store's expiry rules.
#include "console/console_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <vector>

#include "console/console_api_fixture.h"

namespace cv::console {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::ConsoleApiTest;

TEST_F(ConsoleApiTest, SignInSetsAStrictHttpOnlyCookie) {
  Response response =
      call("POST", "session", R"({"accessKeyId":"AKALICE","secretAccessKey":"alice-secret"})");
  ASSERT_EQ(response.status, 201);
  const std::string cookie(response.headers.get("set-cookie"));
  EXPECT_TRUE(cookie.starts_with("cv_session=")) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("accessKeyId").as_string(), "AKALICE");
  EXPECT_EQ(body.at("csrfToken").as_string().size(), 64u);
  EXPECT_EQ(body.find("secretAccessKey"), body.end());
}

TEST_F(ConsoleApiTest, BadCredentialsAreRefusedAlike) {
  for (const auto* body : {R"({"accessKeyId":"AKALICE","secretAccessKey":"wrong"})",
                           R"({"accessKeyId":"AKNOBODY","secretAccessKey":"alice-secret"})"}) {
    Response response = call("POST", "session", body);
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(error_code(response), "InvalidCredentials");
    EXPECT_FALSE(response.headers.find("set-cookie"));
  }
  EXPECT_EQ(call("POST", "session", "not json").status, 400);
  EXPECT_EQ(call("POST", "session", R"({"accessKeyId":7})").status, 400);
}

TEST_F(ConsoleApiTest, RepeatedWrongSecretsAreThrottledWithoutCheckingTheSecret) {
  const std::string wrong = R"({"accessKeyId":"AKALICE","secretAccessKey":"wrong"})";
  const std::string right = R"({"accessKeyId":"AKALICE","secretAccessKey":"alice-secret"})";
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(call("POST", "session", wrong).status, 401) << i;  // 5 free, the 6th locks 1 s
  }
  for (const std::string& body : {wrong, right}) {
    Response throttled = call("POST", "session", body);
    ASSERT_EQ(throttled.status, 429) << throttled.body;
    EXPECT_EQ(error_code(throttled), "TooManySignIns");
    EXPECT_EQ(throttled.headers.get("retry-after"), "1");
    const auto error = boost::json::parse(throttled.body).at("error").as_object();
    EXPECT_EQ(error.at("retryAfterSeconds").as_int64(), 1);
    EXPECT_EQ(error.at("message").as_string(), "Too many failed sign-ins; try again in 1 s.");
    EXPECT_FALSE(throttled.headers.find("set-cookie"));
  }
  // Another key from the same address is still let in; alice once her lockout is over.
  sign_in("AKBOB", "bob-secret");
  clock_.advance(std::chrono::seconds(1));
  sign_in("AKALICE", "alice-secret");
  // Her success cleared her record: failures are free again.
  EXPECT_EQ(call("POST", "session", wrong).status, 401);
  EXPECT_EQ(call("POST", "session", right).status, 201);
}

TEST_F(ConsoleApiTest, RoutesNeedASession) {
  Response response = call("GET", "buckets");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(error_code(response), "SignInRequired");
  Headers forged;
  forged.set("cookie", "cv_session=" + std::string(64, '0'));
  EXPECT_EQ(call("GET", "buckets", {}, forged).status, 401);
}

TEST_F(ConsoleApiTest, StateChangesNeedTheCsrfTokenAndTheSameOrigin) {
  const auto session = sign_in("AKALICE", "alice-secret");
  Response missing = call("POST", "buckets", R"({"name":"photos"})", signed_in(session, false));
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(error_code(missing), "CsrfTokenMismatch");
  Headers foreign = signed_in(session);
  foreign.set("origin", "https://evil.example");
  Response cross = call("POST", "buckets", R"({"name":"photos"})", foreign);
  EXPECT_EQ(cross.status, 403);
  EXPECT_EQ(error_code(cross), "ForeignOrigin");
  Headers same = signed_in(session);
  same.set("origin", "http://127.0.0.1:9000");
  EXPECT_EQ(call("POST", "buckets", R"({"name":"photos"})", same).status, 201);
  // Reads need no token.
  EXPECT_EQ(call("GET", "buckets", {}, signed_in(session, false)).status, 200);
}

TEST_F(ConsoleApiTest, BucketsAreListedCreatedAndDeletedPerUser) {
  const auto alice = sign_in("AKALICE", "alice-secret");
  const auto bob = sign_in("AKBOB", "bob-secret");
  ASSERT_EQ(call("POST", "buckets", R"({"name":"alice-photos"})", signed_in(alice)).status, 201);
  Response invalid = call("POST", "buckets", R"({"name":"Bad_Name"})", signed_in(alice));
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(error_code(invalid), "InvalidBucketName");

  StringSource body("hello");
  vault::PutObjectInput put{"alice-photos", "a.txt", {}, &body, 5, {}};
  put.attributes.owner_id = std::string(64, 'a');
  ASSERT_TRUE(temp_.vault().put_object(put));

  const auto listed =
      boost::json::parse(call("GET", "buckets", {}, signed_in(alice)).body).as_object();
  const auto& buckets = listed.at("buckets").as_array();
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].at("name").as_string(), "alice-photos");
  EXPECT_EQ(buckets[0].at("objects").to_number<uint64_t>(), 1u);
  EXPECT_EQ(buckets[0].at("bytes").to_number<uint64_t>(), 5u);
  EXPECT_TRUE(boost::json::parse(call("GET", "buckets", {}, signed_in(bob)).body)
                  .at("buckets")
                  .as_array()
                  .empty());

  Response not_theirs = call("DELETE", "buckets/alice-photos", {}, signed_in(bob));
  EXPECT_EQ(not_theirs.status, 404);
  Response not_empty = call("DELETE", "buckets/alice-photos", {}, signed_in(alice));
  EXPECT_EQ(not_empty.status, 409);
  EXPECT_EQ(error_code(not_empty), "BucketNotEmpty");
  ASSERT_TRUE(temp_.vault().delete_object("alice-photos", "a.txt"));
  EXPECT_EQ(call("DELETE", "buckets/alice-photos", {}, signed_in(alice)).status, 204);
}

TEST_F(ConsoleApiTest, SignOutEndsTheSessionAndDeletedKeysEndTheirs) {
  const auto alice = sign_in("AKALICE", "alice-secret");
  EXPECT_EQ(call("GET", "session", {}, signed_in(alice)).status, 200);
  Response out = call("DELETE", "session", {}, signed_in(alice));
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.headers.get("set-cookie").find("Max-Age=0"), std::string_view::npos);
  EXPECT_EQ(call("GET", "session", {}, signed_in(alice)).status, 401);

  const auto bob = sign_in("AKBOB", "bob-secret");
  keys_.keys.erase("AKBOB");
  EXPECT_EQ(call("GET", "buckets", {}, signed_in(bob)).status, 401);
}

TEST_F(ConsoleApiTest, UnknownRoutesAndMethods) {
  const auto alice = sign_in("AKALICE", "alice-secret");
  EXPECT_EQ(call("GET", "nothing-here", {}, signed_in(alice)).status, 404);
  EXPECT_EQ(call("PUT", "buckets", {}, signed_in(alice)).status, 405);
}

using Keys = std::vector<std::string>;

TEST_F(ConsoleApiTest, FolderListingSearchesNamesWithinTheLevelCaseInsensitively) {
  const auto alice = alice_with_bucket("files");
  put("files", "docs/Annual-Report.PDF", "a");
  put("files", "docs/notes.txt", "b");
  put("files", "docs/reports/q1.txt", "c");
  put("files", "docs/drafts/report.txt", "d");
  put("files", "docs-report.txt", "e");

  Listed found = listing(alice, "bucket=files&prefix=docs/&search=REPORT");
  EXPECT_EQ(found.folders, Keys{"docs/reports/"});  // drafts/ holds a match but is not one
  EXPECT_EQ(found.keys, Keys{"docs/Annual-Report.PDF"});
  EXPECT_EQ(found.next, "");
  // The prefix is not part of the name.
  EXPECT_TRUE(listing(alice, "bucket=files&prefix=docs/&search=docs").keys.empty());
  // A search applies to the other orders alike.
  Listed by_size = listing(alice, "bucket=files&prefix=docs/&search=report&sort=size");
  EXPECT_EQ(by_size.folders, Keys{"docs/reports/"});
  EXPECT_EQ(by_size.keys, Keys{"docs/Annual-Report.PDF"});
  EXPECT_TRUE(listing(alice, "bucket=files&prefix=docs/&search=nothing-like-it").keys.empty());
}

TEST_F(ConsoleApiTest, AFoldersOwnMarkerObjectIsNotListedInIt) {
  const auto alice = alice_with_bucket("files");
  ASSERT_EQ(call("POST", "folders", R"({"bucket":"files","prefix":"new/"})", signed_in(alice)).status,
            201);
  EXPECT_EQ(listing(alice, "bucket=files&prefix=").folders, Keys{"new/"});
  for (const std::string order : {"", "&sort=size", "&sort=name&order=desc"}) {
    Listed inside = listing(alice, "bucket=files&prefix=new/" + order);
    EXPECT_TRUE(inside.keys.empty() && inside.folders.empty()) << order;
  }
  put("files", "new/a.txt", "a");
  EXPECT_EQ(listing(alice, "bucket=files&prefix=new/").keys, Keys{"new/a.txt"});
  EXPECT_EQ(listing(alice, "bucket=files&prefix=new/&sort=modified").keys, Keys{"new/a.txt"});
}

TEST_F(ConsoleApiTest, DeletedKeysAreListedAndTheirVersionsShownToRestoreOne) {
  const auto alice = alice_with_bucket("kept");
  ASSERT_TRUE(temp_.vault().set_versioning("kept", vault::Versioning::kEnabled));
  const auto old_version = put("kept", "docs/gone.txt", "precious");
  put("kept", "docs/alive.txt", "here");
  put("kept", "docs/sub/also-gone.txt", "x");
  for (int i = 0; i < 5; ++i) put("kept", "docs/z" + std::to_string(i) + ".txt", "z");
  ASSERT_TRUE(temp_.vault().delete_object("kept", "docs/gone.txt"));
  ASSERT_TRUE(temp_.vault().delete_object("kept", "docs/sub/also-gone.txt"));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(temp_.vault().delete_object("kept", "docs/z" + std::to_string(i) + ".txt"));
  }

  EXPECT_EQ(listing(alice, "bucket=kept&prefix=docs/").keys, Keys{"docs/alive.txt"});
  Listed deleted = listing(alice, "bucket=kept&prefix=docs/&deleted=true");
  EXPECT_EQ(deleted.folders, Keys{"docs/sub/"});
  EXPECT_EQ(deleted.keys, (Keys{"docs/gone.txt", "docs/z0.txt", "docs/z1.txt", "docs/z2.txt",
                                "docs/z3.txt", "docs/z4.txt"}));
  Listed paged = all_pages(alice, "bucket=kept&prefix=docs/&deleted=true&limit=2");
  EXPECT_EQ(paged.keys, deleted.keys);
  EXPECT_EQ(listing(alice, "bucket=kept&prefix=docs/&deleted=true&search=GONE").keys,
            Keys{"docs/gone.txt"});
  EXPECT_EQ(call("GET", "objects?bucket=kept&prefix=&deleted=true&sort=size", {},
                 signed_in(alice, false))
                .status,
            400);

  Response details = call("GET", "object?bucket=kept&key=docs/gone.txt", {}, signed_in(alice, false));
  ASSERT_EQ(details.status, 200) << details.body;
  const auto shown = boost::json::parse(details.body).as_object();
  EXPECT_TRUE(shown.at("deleted").as_bool());
  const auto& versions = shown.at("versions").as_array();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_TRUE(versions[0].at("deleteMarker").as_bool());
  EXPECT_TRUE(versions[0].at("latest").as_bool());
  EXPECT_EQ(versions[1].at("versionId").as_string(), old_version.version_id);

  Response restored = call("POST", "versions/restore",
                           R"({"bucket":"kept","key":"docs/gone.txt","versionId":")" +
                               old_version.version_id + R"("})",
                           signed_in(alice));
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(listing(alice, "bucket=kept&prefix=docs/").keys,
            (Keys{"docs/alive.txt", "docs/gone.txt"}));
  EXPECT_FALSE(boost::json::parse(call("GET", "object?bucket=kept&key=docs/gone.txt", {},
                                       signed_in(alice, false))
                                      .body)
                   .at("deleted")
                   .as_bool());
  EXPECT_EQ(call("GET", "object?bucket=kept&key=docs/never.txt", {}, signed_in(alice, false))
                .status,
            404);
}

TEST_F(ConsoleApiTest, AFolderIsDeletedWithEverythingInItAndNothingElse) {
  const auto alice = alice_with_bucket("files");
  ASSERT_EQ(call("POST", "folders", R"({"bucket":"files","prefix":"trip/"})", signed_in(alice)).status,
            201);
  put("files", "trip/a.jpg", "a");
  put("files", "trip/day 2/b.jpg", "b");
  put("files", "trip-notes.txt", "kept: shares the prefix without the slash");
  put("files", "other/c.jpg", "kept");
  Response gone = call("POST", "folders/delete", R"({"bucket":"files","prefix":"trip/"})",
                       signed_in(alice));
  ASSERT_EQ(gone.status, 200) << gone.body;
  const auto answer = boost::json::parse(gone.body);
  EXPECT_EQ(answer.at("deleted").to_number<uint64_t>(), 3u);  // the marker and two objects
  EXPECT_FALSE(answer.at("more").as_bool());
  EXPECT_EQ(listing(alice, "bucket=files&prefix=").folders, Keys{"other/"});
  EXPECT_EQ(listing(alice, "bucket=files&prefix=").keys, Keys{"trip-notes.txt"});

  for (const std::string body : {R"({"bucket":"files","prefix":"trip"})",
                                 R"({"bucket":"files","prefix":""})",
                                 R"({"bucket":"files","prefix":"../"})"}) {
    Response refused = call("POST", "folders/delete", body, signed_in(alice));
    EXPECT_EQ(refused.status, 400) << body;
    EXPECT_EQ(error_code(refused), "InvalidFolderName") << body;
  }
  const auto bob = sign_in("AKBOB", "bob-secret");
  EXPECT_EQ(call("POST", "folders/delete", R"({"bucket":"files","prefix":"other/"})", signed_in(bob))
                .status,
            404);
  EXPECT_EQ(listing(alice, "bucket=files&prefix=other/").keys, Keys{"other/c.jpg"});
}

TEST_F(ConsoleApiTest, FolderListingSortsBySizeModifiedAndTypeFoldersFirst) {
  const auto alice = alice_with_bucket("files");
  put("files", "b.TXT", "12345");  // oldest
  put("files", "a.jpg", "123");
  put("files", "zz/inside", "x");  // folder zz/
  put("files", "c.txt", "1");
  put("files", "d", "1234567");    // no extension
  put("files", "aa/inside", "x");  // folder aa/
  put("files", "e.png", "123");    // newest

  const std::string base = "bucket=files&prefix=";
  Listed size = listing(alice, base + "&sort=size");
  EXPECT_EQ(size.folders, (Keys{"aa/", "zz/"}));
  EXPECT_EQ(size.keys, (Keys{"c.txt", "a.jpg", "e.png", "b.TXT", "d"}));  // 3-byte tie by name
  Listed size_desc = listing(alice, base + "&sort=size&order=desc");
  EXPECT_EQ(size_desc.folders, (Keys{"aa/", "zz/"}));
  EXPECT_EQ(size_desc.keys, (Keys{"d", "b.TXT", "a.jpg", "e.png", "c.txt"}));

  EXPECT_EQ(listing(alice, base + "&sort=modified").keys,
            (Keys{"b.TXT", "a.jpg", "c.txt", "d", "e.png"}));
  EXPECT_EQ(listing(alice, base + "&sort=modified&order=desc").keys,
            (Keys{"e.png", "d", "c.txt", "a.jpg", "b.TXT"}));

  // Types: "" < jpg < png < txt (lower-cased), ties by name.
  EXPECT_EQ(listing(alice, base + "&sort=type").keys,
            (Keys{"d", "a.jpg", "e.png", "b.TXT", "c.txt"}));
  EXPECT_EQ(listing(alice, base + "&sort=type&order=desc").keys,
            (Keys{"b.TXT", "c.txt", "e.png", "a.jpg", "d"}));

  // Name: ascending interleaves by key (the fast cursor); descending reverses folders too.
  Listed name = listing(alice, base + "&sort=name&order=asc");
  EXPECT_EQ(name.folders, (Keys{"aa/", "zz/"}));
  EXPECT_EQ(name.keys, (Keys{"a.jpg", "b.TXT", "c.txt", "d", "e.png"}));
  Listed name_desc = listing(alice, base + "&order=desc");
  EXPECT_EQ(name_desc.folders, (Keys{"zz/", "aa/"}));
  EXPECT_EQ(name_desc.keys, (Keys{"e.png", "d", "c.txt", "b.TXT", "a.jpg"}));
}

TEST_F(ConsoleApiTest, FolderListingCursorsPageThroughEveryOrder) {
  const auto alice = alice_with_bucket("files");
  Keys keys;
  Keys matching;
  for (int i = 0; i < 23; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "photos/img%02d%s", i, i % 3 == 0 ? "-cat.jpg" : ".jpg");
    // Sizes run against names, so the size order is the reverse of the name order.
    put("files", name, std::string(100 - i, 'x'));
    keys.emplace_back(name);
    if (i % 3 == 0) matching.emplace_back(name);
  }
  put("files", "photos/albums/one", "x");
  put("files", "photos/cats/one", "x");
  const std::string base = "bucket=files&prefix=photos/&limit=2";

  int pages = 0;
  Listed by_name = all_pages(alice, base, &pages);
  EXPECT_EQ(by_name.folders, (Keys{"photos/albums/", "photos/cats/"}));
  EXPECT_EQ(by_name.keys, keys);
  EXPECT_EQ(pages, 13);  // 25 entries, 2 a page

  // A search in name order scans on with the key cursor: only matches, `limit` at a time.
  Listed search = all_pages(alice, base + "&search=CAT", &pages);
  EXPECT_EQ(search.folders, Keys{"photos/cats/"});
  EXPECT_EQ(search.keys, matching);
  EXPECT_EQ(pages, 5);  // 9 matches
  Listed first = listing(alice, base + "&search=cat");
  EXPECT_EQ(first.keys, Keys{"photos/img00-cat.jpg"});
  EXPECT_EQ(first.folders, Keys{"photos/cats/"});
  EXPECT_EQ(first.next, "photos/img00-cat.jpg");

  Listed by_size = all_pages(alice, base + "&sort=size", &pages);
  EXPECT_EQ(by_size.folders, (Keys{"photos/albums/", "photos/cats/"}));
  EXPECT_EQ(by_size.keys, Keys(keys.rbegin(), keys.rend()));
  EXPECT_EQ(pages, 13);
  Listed offset_first = listing(alice, base + "&sort=size");
  EXPECT_TRUE(offset_first.next.starts_with("@2.")) << offset_first.next;  // and a snapshot
  Listed third = listing(alice, base + "&sort=size&order=desc&after=@4");
  EXPECT_EQ(third.keys, (Keys{"photos/img02.jpg", "photos/img03-cat.jpg"}));
  EXPECT_TRUE(third.next.starts_with("@6.")) << third.next;
  // Past the end: an empty last page, not an error.
  Listed past = listing(alice, base + "&sort=size&after=@100");
  EXPECT_TRUE(past.keys.empty() && past.folders.empty() && past.next.empty());

  Listed by_type_desc = all_pages(alice, base + "&sort=type&order=desc&search=cat");
  EXPECT_EQ(by_type_desc.folders, Keys{"photos/cats/"});
  EXPECT_EQ(by_type_desc.keys, matching);  // all jpg: by name
}

TEST_F(ConsoleApiTest, SortedPagesAreSlicesOfOneSnapshotWhileItLasts) {
  const auto alice = alice_with_bucket("files");
  for (int i = 0; i < 6; ++i) put("files", "docs/f" + std::to_string(i), std::string(10 + i, 'x'));
  const std::string base = "bucket=files&prefix=docs/&sort=size&limit=2";
  Listed first = listing(alice, base);
  EXPECT_EQ(first.keys, (Keys{"docs/f0", "docs/f1"}));
  // Written after the first page: the pages of this listing do not see it (no entry twice,
  // none skipped); a new listing does.
  put("files", "docs/a-small", "x");
  Listed second = listing(alice, base + "&after=" + first.next);
  EXPECT_EQ(second.keys, (Keys{"docs/f2", "docs/f3"}));
  EXPECT_EQ(listing(alice, base).keys, (Keys{"docs/a-small", "docs/f0"}));
  // The snapshot serves only its own query: another order recomputes from the offset.
  const std::string offset_only = second.next.substr(0, second.next.find('.'));
  Listed other_order =
      listing(alice, "bucket=files&prefix=docs/&sort=size&order=desc&limit=2&after=" + second.next);
  EXPECT_EQ(other_order.keys, (Keys{"docs/f1", "docs/f0"}));
  EXPECT_EQ(listing(alice, base + "&after=" + offset_only).keys, (Keys{"docs/f3", "docs/f4"}));
  // Once it expires, the same cursor reads the level afresh at that offset.
  clock_.advance(std::chrono::minutes(6));
  EXPECT_EQ(listing(alice, base + "&after=" + second.next).keys, (Keys{"docs/f3", "docs/f4"}));
}

TEST_F(ConsoleApiTest, FolderListingRefusesBadCursorsSortsAndOrders) {
  const auto alice = alice_with_bucket("files");
  put("files", "docs/a.txt", "a");
  for (const std::string query :
       {"bucket=files&prefix=docs/&sort=size&after=docs/a.txt",
        "bucket=files&prefix=docs/&sort=size&after=@",
        "bucket=files&prefix=docs/&sort=modified&after=@-1",
        "bucket=files&prefix=docs/&sort=type&after=@12x",
        "bucket=files&prefix=docs/&sort=type&after=@1.", "bucket=files&prefix=docs/&sort=type&after=@1.x",
        "bucket=files&prefix=docs/&order=desc&after=@99999999999999999999999",
        "bucket=files&prefix=docs/&after=elsewhere/b.txt", "bucket=files&prefix=docs/&sort=color",
        "bucket=files&prefix=docs/&order=up"}) {
    Response response = call("GET", "objects?" + query, {}, signed_in(alice, false));
    EXPECT_EQ(response.status, 400) << query;
    EXPECT_EQ(error_code(response), "InvalidRequest") << query;
    const auto message = boost::json::parse(response.body).at("error").at("message").as_string();
    EXPECT_FALSE(message.empty());
  }
}

TEST_F(ConsoleApiTest, PresignNamesAVersionAndShowsInline) {
  const auto alice = alice_with_bucket("history");
  ASSERT_TRUE(temp_.vault().set_versioning("history", vault::Versioning::kEnabled));
  const auto old_version = put("history", "notes/plan.txt", "first draft");
  put("history", "notes/plan.txt", "second draft");
  const auto presign = [&](const std::string& body) {
    return call("POST", "presign", body, signed_in(alice));
  };

  Response signed_link = presign(R"({"bucket":"history","key":"notes/plan.txt","method":"GET",)"
                                 R"("versionId":")" +
                                 old_version.version_id + R"("})");
  ASSERT_EQ(signed_link.status, 200) << signed_link.body;
  const std::string url(boost::json::parse(signed_link.body).at("url").as_string());
  EXPECT_NE(url.find("versionId=" + old_version.version_id), std::string::npos) << url;
  EXPECT_NE(url.find("X-Amz-Signature="), std::string::npos);
  EXPECT_EQ(url.find("response-content-disposition"), std::string::npos);

  Response unknown = presign(
      R"({"bucket":"history","key":"notes/plan.txt","method":"GET","versionId":"0123abc"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(error_code(unknown), "NoSuchVersion");
  Response for_put = presign(R"({"bucket":"history","key":"notes/plan.txt","method":"PUT",)"
                             R"("versionId":")" +
                             old_version.version_id + R"("})");
  EXPECT_EQ(for_put.status, 400);
  EXPECT_EQ(error_code(for_put), "InvalidRequest");

  Response inline_link =
      presign(R"({"bucket":"history","key":"notes/plan.txt","method":"GET","inline":true})");
  ASSERT_EQ(inline_link.status, 200) << inline_link.body;
  const std::string inline_url(boost::json::parse(inline_link.body).at("url").as_string());
  EXPECT_NE(inline_url.find("response-content-disposition=inline"), std::string::npos);
  EXPECT_EQ(inline_url.find("attachment"), std::string::npos);
  Response download_link =
      presign(R"({"bucket":"history","key":"notes/plan.txt","method":"GET","download":true})");
  const std::string download_url(boost::json::parse(download_link.body).at("url").as_string());
  EXPECT_NE(download_url.find("response-content-disposition=attachment"), std::string::npos);
  Response both = presign(
      R"({"bucket":"history","key":"notes/plan.txt","method":"GET","inline":true,"download":true})");
  EXPECT_EQ(both.status, 400);
  Response not_a_flag =
      presign(R"({"bucket":"history","key":"notes/plan.txt","method":"GET","inline":"yes"})");
  EXPECT_EQ(not_a_flag.status, 400);
}

TEST_F(ConsoleApiTest, RestoringAVersionMakesItsCopyCurrent) {
  const auto alice = alice_with_bucket("history");
  ASSERT_TRUE(temp_.vault().set_versioning("history", vault::Versioning::kEnabled));
  clock_.advance(std::chrono::seconds(1));
  StringSource first("first draft");
  vault::PutObjectInput input{"history", "plan.txt", {}, &first, 11, {}};
  input.attributes.owner_id = std::string(64, 'a');
  input.attributes.content_type = "text/markdown";
  input.attributes.user_metadata = {{"author", "alice"}};
  input.attributes.tags = {{"stage", "draft"}};
  const auto old_version = temp_.vault().put_object(input).value();
  const auto newer = put("history", "plan.txt", "second draft, longer", "text/plain");

  Response restored = call(
      "POST", "versions/restore",
      R"({"bucket":"history","key":"plan.txt","versionId":")" + old_version.version_id + R"("})",
      signed_in(alice));
  ASSERT_EQ(restored.status, 200) << restored.body;
  const auto answer = boost::json::parse(restored.body).as_object();
  EXPECT_EQ(answer.at("key").as_string(), "plan.txt");
  EXPECT_EQ(answer.at("etag").as_string(), old_version.etag);
  const std::string new_id(answer.at("versionId").as_string());
  EXPECT_NE(new_id, old_version.version_id);
  EXPECT_NE(new_id, newer.version_id);

  const auto current = temp_.vault().get_object("history", "plan.txt").value();
  EXPECT_EQ(current.version_id, new_id);
  EXPECT_EQ(current.content_type, "text/markdown");
  EXPECT_EQ(current.user_metadata, (meta::StringPairs{{"author", "alice"}}));
  EXPECT_EQ(current.tags, (meta::StringPairs{{"stage", "draft"}}));
  auto body = temp_.vault().open_body(current, 0, current.size).value();
  EXPECT_EQ(read_all(*body, 1024).value(), "first draft");

  // The details list all three versions with their ETags, the restored copy first.
  Response details = call("GET", "object?bucket=history&key=plan.txt", {}, signed_in(alice));
  ASSERT_EQ(details.status, 200) << details.body;
  const auto versions = boost::json::parse(details.body).at("versions").as_array();
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[0].at("versionId").as_string(), new_id);
  EXPECT_TRUE(versions[0].at("latest").as_bool());
  EXPECT_EQ(versions[0].at("etag").as_string(), old_version.etag);
  EXPECT_EQ(versions[1].at("etag").as_string(), newer.etag);
  EXPECT_FALSE(versions[2].at("deleteMarker").as_bool());

  Response unknown =
      call("POST", "versions/restore",
           R"({"bucket":"history","key":"plan.txt","versionId":"00ff"})", signed_in(alice));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(error_code(unknown), "NoSuchVersion");
  Response no_key = call(
      "POST", "versions/restore",
      R"({"bucket":"history","key":"absent.txt","versionId":")" + old_version.version_id + R"("})",
      signed_in(alice));
  EXPECT_EQ(no_key.status, 404);
  const auto bob = sign_in("AKBOB", "bob-secret");
  Response not_theirs = call(
      "POST", "versions/restore",
      R"({"bucket":"history","key":"plan.txt","versionId":")" + old_version.version_id + R"("})",
      signed_in(bob));
  EXPECT_EQ(not_theirs.status, 404);
  EXPECT_EQ(error_code(not_theirs), "NoSuchBucket");
}

TEST_F(ConsoleApiTest, ADeleteMarkerCannotBeRestoredAndVersionsDeleteForGood) {
  const auto alice = alice_with_bucket("history");
  ASSERT_TRUE(temp_.vault().set_versioning("history", vault::Versioning::kEnabled));
  const auto first = put("history", "plan.txt", "first");
  const auto second = put("history", "plan.txt", "second");
  const auto marker = temp_.vault().delete_object("history", "plan.txt").value();
  ASSERT_TRUE(marker.delete_marker);

  Response refused =
      call("POST", "versions/restore",
           R"({"bucket":"history","key":"plan.txt","versionId":")" + marker.version_id + R"("})",
           signed_in(alice));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(error_code(refused), "InvalidRequest");
  EXPECT_EQ(boost::json::parse(refused.body).at("error").at("message").as_string(),
            "A delete marker has no content to restore.");

  // Deleting a version by id removes it for good; the others stay.
  Response bad_entry =
      call("POST", "delete", R"({"bucket":"history","keys":["other.txt",{"key":"plan.txt"}]})",
           signed_in(alice));
  EXPECT_EQ(bad_entry.status, 400);
  Response deleted = call("POST", "delete",
                          R"({"bucket":"history","keys":[{"key":"plan.txt","versionId":")" +
                              first.version_id + R"("}]})",
                          signed_in(alice));
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  const auto result = boost::json::parse(deleted.body).as_object();
  ASSERT_EQ(result.at("deleted").as_array().size(), 1u);
  EXPECT_EQ(result.at("deleted").as_array()[0].at("versionId").as_string(), first.version_id);
  EXPECT_EQ(temp_.vault().get_version("history", "plan.txt", first.version_id).error().code,
            ErrorCode::kNoSuchVersion);
  EXPECT_TRUE(temp_.vault().get_version("history", "plan.txt", second.version_id));

  // The marker itself can go the same way, which brings the second version back.
  call("POST", "delete",
       R"({"bucket":"history","keys":[{"key":"plan.txt","versionId":")" + marker.version_id +
           R"("}]})",
       signed_in(alice));
  EXPECT_EQ(temp_.vault().get_object("history", "plan.txt").value().version_id, second.version_id);
}

TEST_F(ConsoleApiTest, ObjectDetailsShowEachVersionsReplicationStatus) {
  const auto alice = alice_with_bucket("synced");
  ASSERT_EQ(
      call("PUT", "buckets/synced/versioning", R"({"status":"Enabled"})", signed_in(alice)).status,
      200);
  const meta::ObjectVersion first = put("synced", "a.txt", "one");
  const meta::ObjectVersion second = put("synced", "a.txt", "two");
  put("synced", "plain.txt", "never replicated");
  ASSERT_TRUE(
      temp_.meta().set_replication_status("synced", "a.txt", first.version_id, "COMPLETED"));
  ASSERT_TRUE(temp_.meta().set_replication_status("synced", "a.txt", second.version_id, "PENDING"));
  const auto shown = boost::json::parse(
      call("GET", "object?bucket=synced&key=a.txt", {}, signed_in(alice, false)).body);
  EXPECT_EQ(shown.at("replicationStatus").as_string(), "PENDING");
  const auto& versions = shown.at("versions").as_array();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].at("versionId").as_string(), second.version_id);
  EXPECT_EQ(versions[0].at("replicationStatus").as_string(), "PENDING");
  EXPECT_EQ(versions[1].at("replicationStatus").as_string(), "COMPLETED");
  const auto plain = boost::json::parse(
      call("GET", "object?bucket=synced&key=plain.txt", {}, signed_in(alice, false)).body);
  EXPECT_EQ(plain.at("replicationStatus").as_string(), "");
}

TEST_F(ConsoleApiTest, VersioningIsShownAndTurnedOnOrSuspendedPerBucket) {
  const auto alice = alice_with_bucket("papers");
  const auto versioning_of = [&] {
    const auto listed = boost::json::parse(call("GET", "buckets", {}, signed_in(alice)).body);
    return std::string(listed.at("buckets").at(0).at("versioning").as_string());
  };
  EXPECT_EQ(versioning_of(), "Off");
  Response on = call("PUT", "buckets/papers/versioning", R"({"status":"Enabled"})", signed_in(alice));
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(versioning_of(), "Enabled");
  EXPECT_EQ(temp_.vault().versioning("papers").value(), vault::Versioning::kEnabled);
  EXPECT_EQ(call("PUT", "buckets/papers/versioning", R"({"status":"Suspended"})", signed_in(alice))
                .status,
            200);
  EXPECT_EQ(versioning_of(), "Suspended");
  Response off = call("PUT", "buckets/papers/versioning", R"({"status":"Off"})", signed_in(alice));
  EXPECT_EQ(off.status, 400);
  EXPECT_EQ(error_code(off), "InvalidRequest");
  const auto bob = sign_in("AKBOB", "bob-secret");
  EXPECT_EQ(
      call("PUT", "buckets/papers/versioning", R"({"status":"Enabled"})", signed_in(bob)).status,
      404);
  EXPECT_EQ(call("PUT", "buckets/papers/x/versioning", R"({"status":"Enabled"})", signed_in(alice))
                .status,
            404);
}

TEST_F(ConsoleApiTest, UploadSignerSignsEachRequestOfAnUploadAndNothingElse) {
  const auto alice = alice_with_bucket("inbox");
  const auto sign = [&](const std::string& fields) {
    return call("POST", "uploads/sign", R"({"bucket":"inbox","key":"a b/c.bin",)" + fields + "}",
                signed_in(alice));
  };
  const auto url_of = [](const Response& response) {
    return std::string(boost::json::parse(response.body).at("url").as_string());
  };
  struct Step {
    std::string fields;
    std::string query;  // what the signed URL must ask S3 for
  };
  for (const Step& step : std::vector<Step>{
           {R"("method":"PUT")", "?X-Amz-Algorithm="},
           {R"("method":"POST")", "&uploads=&"},
           {R"("method":"PUT","uploadId":"u1","partNumber":7)", "partNumber=7&uploadId=u1"},
           {R"("method":"GET","uploadId":"u1")", "&uploadId=u1"},
           {R"("method":"POST","uploadId":"u1")", "&uploadId=u1"},
           {R"("method":"DELETE","uploadId":"u1")", "&uploadId=u1"},
       }) {
    Response signed_url = sign(step.fields);
    ASSERT_EQ(signed_url.status, 200) << step.fields << signed_url.body;
    const std::string url = url_of(signed_url);
    EXPECT_TRUE(url.starts_with("http://127.0.0.1:9000/inbox/a%20b/c.bin?")) << url;
    EXPECT_NE(url.find(step.query), std::string::npos) << step.fields << " " << url;
    EXPECT_NE(url.find("X-Amz-Expires=3600"), std::string::npos) << url;
    EXPECT_NE(url.find("X-Amz-Credential=AKALICE%2F"), std::string::npos) << url;
  }
  // Not upload requests: deleting or reading an object, parts without an upload, bad numbers.
  for (const std::string fields :
       {R"("method":"DELETE")", R"("method":"GET")", R"("method":"HEAD")",
        R"("method":"PUT","partNumber":1)", R"("method":"PUT","uploadId":"u","partNumber":0)",
        R"("method":"PUT","uploadId":"u","partNumber":10001)",
        R"("method":"PUT","uploadId":"u","partNumber":"2")", R"("method":"POST","uploadId":"")",
        R"("method":"POST","uploadId":7)"}) {
    Response refused = sign(fields);
    EXPECT_EQ(refused.status, 400) << fields;
    EXPECT_EQ(error_code(refused), "InvalidRequest") << fields;
  }
  Response bad_key = call("POST", "uploads/sign",
                          R"({"bucket":"inbox","key":")" + std::string(1100, 'k') +
                              R"(","method":"PUT"})",
                          signed_in(alice));
  EXPECT_EQ(bad_key.status, 400) << bad_key.body;
  for (const std::string key : {"../up.txt", "a/../../up.txt", "a/./b", "a/..", "."}) {
    Response dotted = call("POST", "uploads/sign",
                           R"({"bucket":"inbox","key":")" + key + R"(","method":"PUT"})",
                           signed_in(alice));
    EXPECT_EQ(dotted.status, 400) << key;
  }
  EXPECT_EQ(call("POST", "uploads/sign", R"({"bucket":"inbox","key":"a/..b/.c.","method":"PUT"})",
                 signed_in(alice))
                .status,
            200);
  const auto bob = sign_in("AKBOB", "bob-secret");
  Response not_theirs = call("POST", "uploads/sign", R"({"bucket":"inbox","key":"k","method":"PUT"})",
                             signed_in(bob));
  EXPECT_EQ(not_theirs.status, 404);
  EXPECT_EQ(error_code(not_theirs), "NoSuchBucket");
  Response no_csrf = call("POST", "uploads/sign", R"({"bucket":"inbox","key":"k","method":"PUT"})",
                          signed_in(alice, false));
  EXPECT_EQ(no_csrf.status, 403);
}

TEST(SessionStoreTest, SessionsExpireWhenIdleOrTooOldAndTheOldestMakeRoom) {
  ManualClock clock(from_unix_nanos(1'800'000'000'000'000'000));
  SessionStore store(clock, SessionLimits{.idle = std::chrono::seconds(600),
                                          .lifetime = std::chrono::seconds(3600),
                                          .max_sessions = 2});
  const Session first = store.open("u1", "k1");
  clock.advance(minutes(9));
  EXPECT_TRUE(store.find(first.token));  // used: idle time starts again
  clock.advance(minutes(9));
  EXPECT_TRUE(store.find(first.token));
  clock.advance(minutes(11));
  EXPECT_FALSE(store.find(first.token));  // idle too long

  const Session a = store.open("u1", "k1");
  for (int i = 0; i < 6; ++i) {
    clock.advance(minutes(9));
    ASSERT_TRUE(store.find(a.token));
  }
  clock.advance(minutes(9));
  EXPECT_FALSE(store.find(a.token));  // past its lifetime though in use

  const Session b = store.open("u1", "k1");
  clock.advance(std::chrono::seconds(1));
  const Session c = store.open("u2", "k2");
  clock.advance(std::chrono::seconds(1));
  const Session d = store.open("u3", "k3");
  EXPECT_FALSE(store.find(b.token));  // the oldest made room
  EXPECT_TRUE(store.find(c.token));
  EXPECT_TRUE(store.find(d.token));
  store.close_key("k2");
  EXPECT_FALSE(store.find(c.token));
  EXPECT_NE(d.token, d.csrf_token);
  EXPECT_EQ(d.token.size(), 64u);
}

}  // namespace
}  // namespace cv::console
