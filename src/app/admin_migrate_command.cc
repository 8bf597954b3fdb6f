// `cloudvault admin migrate --to postgres://...`: the data folder's SQLite metadata copied into
// an empty PostgreSQL database and verified (meta/postgres/copy_from_sqlite.h). The folder's
// lock is taken exclusively, so it refuses while a server (or another admin verb) uses it; the
// SQLite file is left as it was, so going back is starting without --meta.
#include <boost/json.hpp>

#include <cstdio>

#include "app/commands.h"
#include "app/data_folder_lock.h"
#include "app/progress_bar.h"
#include "meta/postgres/copy_from_sqlite.h"
#include "meta/postgres/pg_pool.h"

namespace cv::app {

int admin_migrate(const Config& config, const std::string& to) {
  if (to.empty() || !valid_meta_url(to)) {
    std::fprintf(stderr, "cloudvault: --to must be a postgres:// URL\n");
    return 2;
  }
  if (!config.meta_url.empty()) {
    std::fprintf(stderr,
                 "cloudvault: this configuration's metadata is in PostgreSQL already (%s)\n",
                 meta::postgres::redact_conninfo(config.meta_url).c_str());
    return 1;
  }
  auto lock = DataFolderLock::acquire(config.data_dir, DataFolderLock::Mode::kExclusive,
                                      /*wait=*/false);
  if (!lock) {
    std::fprintf(stderr, "cloudvault: %s is in use (a running server?); stop it first: %s\n",
                 config.data_dir.c_str(), lock.error().message.c_str());
    return 1;
  }
  ProgressBar bar = ProgressBar::on_stderr("copying metadata to PostgreSQL", "rows");
  auto report = meta::postgres::copy_sqlite_to_postgres(
      config.data_dir / "meta.db", to,
      [&bar](uint64_t done, uint64_t total) { bar.update(done, total); });
  if (!report) {
    std::fprintf(stderr, "cloudvault: %s\n", report.error().message.c_str());
    return 1;
  }
  bar.finish();
  boost::json::array tables;
  for (const auto& table : report->tables) {
    tables.push_back({{"table", table.name}, {"rows", table.rows}, {"sha256", table.sha256_hex}});
  }
  const boost::json::object summary{{"to", meta::postgres::redact_conninfo(to)},
                                    {"rows", report->rows},
                                    {"verified", true},
                                    {"tables", std::move(tables)}};
  std::printf("%s\n", boost::json::serialize(summary).c_str());
  std::fprintf(stderr,
               "cloudvault: copied and verified %llu rows in %zu tables; start the server with "
               "--meta (or [storage] meta) naming that database\n",
               static_cast<unsigned long long>(report->rows), report->tables.size());
  return 0;
}

}  // namespace cv::app
