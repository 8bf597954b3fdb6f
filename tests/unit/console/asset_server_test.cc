// The console's asset server: content types, caching, the CSP, the index fallback, and no
// way out of the assets folder.
#include "console/asset_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cv::console {
namespace {

namespace fs = std::filesystem;

class AssetServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cv-assets-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "dist" / "assets");
    write(root_ / "dist" / "index.html", "<!doctype html><div id=root></div>");
    write(root_ / "dist" / "assets" / "index-3f2a.js", "console.log(1)");
    write(root_ / "dist" / "assets" / "index-3f2a.css", "body{}");
    write(root_ / "secret.txt", "outside");
  }
  void TearDown() override { fs::remove_all(root_); }

  static void write(const fs::path& path, std::string_view text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  Response get(const std::string& path, const std::string& method = "GET") {
    Request request;
    request.method = method;
    request.path = path;
    return server_.handle(request);
  }

  fs::path root_;
  AssetServer server_{fs::temp_directory_path() / ("cv-assets-" + std::to_string(::getpid())) /
                      "dist"};
};

TEST_F(AssetServerTest, AssetsHaveTheirTypesLongCachingAndTheCsp) {
  Response js = get("/_console/assets/index-3f2a.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js.headers.get("content-security-policy"), kContentSecurityPolicy);
  EXPECT_EQ(js.headers.get("x-content-type-options"), "nosniff");
  EXPECT_EQ(get("/_console/assets/index-3f2a.css").headers.get("content-type"),
            "text/css; charset=utf-8");
  Response head = get("/_console/assets/index-3f2a.js", "HEAD");
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.content_length, 14u);
}

TEST_F(AssetServerTest, PagesFallBackToTheIndexWhichIsRevalidated) {
  for (const char* path : {"/_console/", "/_console/buckets/photos/2026", "/_console/index.html"}) {
    Response page = get(path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body, "<!doctype html><div id=root></div>") << path;
    EXPECT_EQ(page.headers.get("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(page.headers.get("cache-control"), "no-cache");
  }
  EXPECT_EQ(get("/_console/assets/missing.js").status, 404);
}

TEST_F(AssetServerTest, NothingOutsideTheFolderIsServed) {
  for (const char* path :
       {"/_console/../secret.txt", "/_console/%2e%2e/secret.txt",
        "/_console/assets/..%2f..%2fsecret.txt", "/_console//etc/passwd", "/_console/.hidden",
        "/_console/a%5c..%5csecret.txt", "/_console/a%00b"}) {
    Response response = get(path);
    EXPECT_EQ(response.status, 400) << path;
    EXPECT_EQ(response.body.find("outside"), std::string::npos) << path;
  }
}

TEST_F(AssetServerTest, ABrowserVisitToTheRootGoesToTheConsole) {
  Response root = get("/");
  EXPECT_EQ(root.status, 302);
  EXPECT_EQ(root.headers.get("location"), "/_console/");
}

TEST(AssetServerOwnership, OnlyConsolePathsAndUnsignedVisitsToTheRoot) {
  Request request;
  request.method = "GET";
  request.path = "/";
  EXPECT_FALSE(AssetServer::owns(request));  // an S3 client's anonymous ListBuckets
  request.headers.set("accept", "text/html,application/xhtml+xml,*/*;q=0.8");
  EXPECT_TRUE(AssetServer::owns(request));  // a browser
  request.headers.set("authorization", "AWS4-HMAC-SHA256 ...");
  EXPECT_FALSE(AssetServer::owns(request));  // ListBuckets
  request.headers = {};
  request.headers.set("accept", "text/html");
  request.query = "X-Amz-Signature=abc";
  EXPECT_FALSE(AssetServer::owns(request));  // a pre-signed ListBuckets
  request.query.clear();
  request.path = "/_console/api/session";
  EXPECT_FALSE(AssetServer::owns(request));
  request.path = "/_console/assets/a.js";
  EXPECT_TRUE(AssetServer::owns(request));
  request.method = "PUT";
  EXPECT_FALSE(AssetServer::owns(request));
  request.method = "GET";
  request.path = "/bucket/_console/x";
  EXPECT_FALSE(AssetServer::owns(request));
}

TEST(AssetServerMissing, AnUnbuiltConsoleSaysHowToBuildIt) {
  AssetServer server("/nonexistent/cloudvault/console/dist");
  Request request;
  request.method = "GET";
  request.path = "/_console/";
  Response response = server.handle(request);
  EXPECT_EQ(response.status, 503);
  EXPECT_NE(response.body.find("make run"), std::string::npos);
}

}  // namespace
}  // namespace cv::console
