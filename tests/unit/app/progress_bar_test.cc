#include "app/progress_bar.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "app/migration_report.h"

namespace cv::app {
namespace {

TEST(ProgressFormat, NumbersDurationsAndRates) {
  EXPECT_EQ(group_thousands(0), "0");
  EXPECT_EQ(group_thousands(999), "999");
  EXPECT_EQ(group_thousands(1000), "1,000");
  EXPECT_EQ(group_thousands(1234567), "1,234,567");
  EXPECT_EQ(format_duration(0.42), "0.4s");
  EXPECT_EQ(format_duration(12.4), "12s");
  EXPECT_EQ(format_duration(185), "3m05s");
  EXPECT_EQ(format_duration(7380), "2h03m");
  EXPECT_EQ(format_rate(0), "-");
  EXPECT_EQ(format_rate(2.5), "2.5/s");
  EXPECT_EQ(format_rate(128), "128/s");
  EXPECT_EQ(format_rate(1500), "1.5k/s");
  EXPECT_EQ(format_rate(2.3e6), "2.3M/s");
}

TEST(ProgressFormat, BarWithKnownTotalShowsRateAndEta) {
  const std::string line = render_progress_line("rotate-master", "secrets", 512, 1024, 4.0, 80);
  // The bar takes the columns the rest leaves: 80 in all.
  EXPECT_EQ(line,
            "rotate-master [############------------] 512/1,024 secrets  50%  128/s  ETA 4.0s");
  EXPECT_EQ(line.size(), 80u);
  EXPECT_EQ(render_progress_line("x", "items", 10, 10, 2.0, 60),
            "x [#########################] 10/10 items  100%  5.0/s  done");
  // Nothing done yet: no rate, no ETA.
  EXPECT_EQ(render_progress_line("x", "items", 0, 10, 0.0, 60),
            "x [-------------------------------] 0/10 items  0%  -  ETA -");
  EXPECT_LE(render_progress_line(std::string(100, 'l'), "items", 1, 3, 1.0, 80).size(), 80u);
}

TEST(ProgressFormat, UnknownTotalShowsCountRateAndElapsed) {
  EXPECT_EQ(render_progress_line("lifecycle run", "keys", 1234, 0, 2.0),
            "lifecycle run 1,234 keys  617/s  2.0s");
  EXPECT_EQ(render_progress_summary("lifecycle run", "keys", 1234, 2.0),
            "lifecycle run: 1,234 keys in 2.0s (617/s)");
}

// A ProgressBar writing into a temporary file with a clock the test moves.
class FedProgress : public ::testing::Test {
 protected:
  void SetUp() override { out_ = std::tmpfile(); }
  void TearDown() override { std::fclose(out_); }
  std::string written() {
    std::fflush(out_);
    std::rewind(out_);
    std::string text;
    char buffer[512];
    while (size_t got = std::fread(buffer, 1, sizeof buffer, out_)) text.append(buffer, got);
    return text;
  }
  ProgressBar::Now clock() {
    return [this] { return std::chrono::steady_clock::time_point(now_); };
  }

  std::FILE* out_ = nullptr;
  std::chrono::milliseconds now_{1000};
};

TEST_F(FedProgress, OffATerminalOnlyTheSummaryIsWritten) {
  ProgressBar bar("lifecycle run", "keys", out_, /*terminal=*/false, clock());
  for (uint64_t done = 1; done <= 100; ++done) {
    now_ += std::chrono::milliseconds(20);
    bar.callback()(done, 0);
  }
  bar.finish();
  EXPECT_EQ(written(), "lifecycle run: 100 keys in 2.0s (50/s)\n");
}

TEST_F(FedProgress, OnATerminalTheBarIsRedrawnAtMostEveryTenthOfASecond) {
  ProgressBar bar("resealing", "secrets", out_, /*terminal=*/true, clock());
  for (uint64_t done = 1; done <= 50; ++done) {
    now_ += std::chrono::milliseconds(10);
    bar.update(done, 50);
  }
  bar.finish();
  const std::string text = written();
  // The first update, one every 100 ms of the 500 ms after it, and the final state.
  size_t draws = 0;
  for (size_t at = text.find('\r'); at != std::string::npos; at = text.find('\r', at + 1)) ++draws;
  EXPECT_EQ(draws, 6u) << text;
  EXPECT_NE(text.find("\rresealing [#"), std::string::npos) << text;
  EXPECT_NE(text.find("50/50 secrets  100%  100/s  done\x1b[K\n"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\nresealing: 50 secrets in 0.5s (100/s)\n")) << text;
}

TEST_F(FedProgress, AJobMayEndWithASummaryOfItsOwn) {
  ProgressBar bar("metadata migration", "steps", out_, /*terminal=*/true, clock());
  now_ += std::chrono::milliseconds(300);
  bar.update(2, 2);
  bar.finish(migration_summary(14, 16, bar.elapsed_seconds()));
  const std::string text = written();
  EXPECT_TRUE(text.starts_with("\rmetadata migration [###")) << text;
  EXPECT_TRUE(
      text.ends_with("] 2/2 steps  100%  6.7/s  done\x1b[K\n"
                     "migrated the metadata store from schema 14 to 16 in 0.3s\n"))
      << text;
}

}  // namespace
}  // namespace cv::app
