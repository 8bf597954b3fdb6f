// A real PostgreSQL server for tests. Under ctest the cluster the pg_cluster fixture started
// (tests/support/pg-test-cluster.sh) is shared: $CV_TEST_PG_HOST names its socket folder, and
// each test process only makes databases on it. Run by hand (no $CV_TEST_PG_HOST), it starts
// its own: Debian's binaries (the newest /usr/lib/postgresql/*/bin, or $CV_PG_BINDIR), a fresh
// cluster initdb'd into a temporary folder, listening only on a Unix socket in that folder (no
// TCP port), fsync off. initdb and postgres refuse to run as root, so under root they run as
// the `postgres` user (made by Debian's postgresql-common) and the folder is handed to it.
// Its own cluster is stopped (immediate shutdown) and removed when destroyed.
#pragma once

#include <pqxx/pqxx>
#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace cv::meta::testing {

class PostgresTestServer {
 public:
  PostgresTestServer() {
    if (const char* shared = std::getenv("CV_TEST_PG_HOST"); shared && *shared) {
      folder_ = shared;
      return;
    }
    bindir_ = find_bindir();
    std::string pattern = (std::filesystem::temp_directory_path() / "cv-pg-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    folder_ = pattern;
    if (::geteuid() == 0) {
      const passwd* user = ::getpwnam("postgres");
      if (!user) throw std::runtime_error("running as root and there is no `postgres` user");
      if (::chown(folder_.c_str(), user->pw_uid, user->pw_gid) != 0) {
        throw std::runtime_error("cannot hand " + folder_.string() + " to postgres");
      }
      as_user_ = "runuser -u postgres -- ";
    }
    run(bindir_ + "/initdb -D " + data() + " -A trust -U cloudvault -E UTF8 --locale=C"
        " --no-sync > " + folder_.string() + "/initdb.log 2>&1");
    run(bindir_ + "/pg_ctl -D " + data() + " -l " + folder_.string() + "/server.log -w -t 60" +
        " -o \"-k " + folder_.string() +
        " -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=200\" start > /dev/null");
    started_ = true;
  }
  ~PostgresTestServer() {
    if (bindir_.empty()) return;  // the shared cluster: the fixture stops it
    if (started_) {
      (void)std::system((as_user_ + bindir_ + "/pg_ctl -D " + data() +
                         " -m immediate -w stop > /dev/null 2>&1").c_str());
    }
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  PostgresTestServer(const PostgresTestServer&) = delete;
  PostgresTestServer& operator=(const PostgresTestServer&) = delete;

  // A libpq connection string for `database` on this server.
  std::string conninfo(const std::string& database = "postgres") const {
    return "host=" + folder_.string() + " user=cloudvault dbname=" + database;
  }

  // Creates a new, empty database and returns its connection string.
  std::string create_database() {
    // Unique across the test processes sharing one cluster.
    const std::string name =
        "t" + std::to_string(::getpid()) + "_" + std::to_string(next_database_++);
    pqxx::connection admin(conninfo());
    pqxx::nontransaction txn(admin);
    txn.exec("CREATE DATABASE " + name + " TEMPLATE template0");
    return conninfo(name);
  }

  const std::filesystem::path& folder() const { return folder_; }

 private:
  static std::string find_bindir() {
    if (const char* env = std::getenv("CV_PG_BINDIR"); env && *env) return env;
    std::string best;
    int best_version = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      const std::string name = entry.path().filename().string();
      const int version = std::atoi(name.c_str());
      if (version > best_version && std::filesystem::exists(entry.path() / "bin" / "initdb")) {
        best_version = version;
        best = (entry.path() / "bin").string();
      }
    }
    if (best.empty()) {
      throw std::runtime_error(
          "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (scripts/install-deps.sh "
          "installs Debian's postgresql), and CV_PG_BINDIR is not set");
    }
    return best;
  }
  std::string data() const { return folder_.string() + "/data"; }
  void run(const std::string& command) const {
    if (std::system((as_user_ + command).c_str()) != 0) {
      throw std::runtime_error("failed: " + command + " (logs in " + folder_.string() + ")");
    }
  }

  std::string bindir_;
  std::filesystem::path folder_;
  std::string as_user_;
  bool started_ = false;
  std::atomic<int> next_database_{0};
};

}  // namespace cv::meta::testing
