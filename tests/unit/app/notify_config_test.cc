// [notify.targets.NAME], [replication.remotes.NAME] and [server] public_url in the config file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/config.h"

namespace cv::app {
namespace {

namespace fs = std::filesystem;
using workers::notify::TargetType;

Result<Config> load_text(const std::string& name, const std::string& text) {
  const fs::path dir =
      fs::temp_directory_path() / ("cv-notify-config-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".toml");
  std::ofstream(file) << text;
  return load_config(file);
}

std::string error_of(const std::string& text) {
  auto config = load_text("bad", text);
  return config ? "" : config.error().message;
}

TEST(NotifyConfig, TheIssuesShapeParses) {
  auto config = load_text("good", R"(
[server]
public_url = "https://vault.example.com/"

[notify.targets.hook]
type = "webhook"
url = "http://127.0.0.1:8080/events"
secret = "k3y"

[notify.targets.mail]
type = "smtp"
url = "smtp://127.0.0.1:2525"
from = "cloudvault@example.com"
to = ["me@example.com", "you@example.com"]
username = "cv"
password = "pw"
timeout_seconds = 30
verify_tls = false

[notify.targets.team]
type = "slack"
url = "https://hooks.slack.com/services/T/B/X"

[notify.targets.guild]
type = "discord"
url = "https://discord.com/api/webhooks/1/abc"

[replication.remotes.offsite]
endpoint = "https://s3.eu-west-1.amazonaws.com/"
region = "eu-west-1"
access_key = "AK"
secret_key = "SK"
)");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->public_url, "https://vault.example.com");
  EXPECT_EQ(console_base_url(*config), "https://vault.example.com");
  ASSERT_EQ(config->notify_targets.size(), 4u);
  const auto& guild = config->notify_targets[0];
  EXPECT_EQ(guild.name, "guild");
  EXPECT_EQ(guild.type, TargetType::kDiscord);
  const auto& hook = config->notify_targets[1];
  EXPECT_EQ(hook.name, "hook");
  EXPECT_EQ(hook.type, TargetType::kWebhook);
  EXPECT_EQ(hook.secret, "k3y");
  EXPECT_EQ(hook.timeout, std::chrono::seconds(10));
  EXPECT_TRUE(hook.verify_tls);
  const auto& mail = config->notify_targets[2];
  EXPECT_EQ(mail.type, TargetType::kSmtp);
  EXPECT_EQ(mail.from, "cloudvault@example.com");
  EXPECT_EQ(mail.to, (std::vector<std::string>{"me@example.com", "you@example.com"}));
  EXPECT_EQ(mail.username, "cv");
  EXPECT_EQ(mail.password, "pw");
  EXPECT_EQ(mail.timeout, std::chrono::seconds(30));
  EXPECT_FALSE(mail.verify_tls);
  EXPECT_EQ(config->notify_targets[3].type, TargetType::kSlack);
  ASSERT_EQ(config->replication_remotes.size(), 1u);
  const auto& remote = config->replication_remotes[0];
  EXPECT_EQ(remote.name, "offsite");
  EXPECT_EQ(remote.endpoint, "https://s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(remote.region, "eu-west-1");
  EXPECT_EQ(remote.access_key, "AK");
  EXPECT_EQ(remote.secret_key, "SK");
  EXPECT_TRUE(remote.path_style);
  EXPECT_TRUE(remote.verify_tls);
  EXPECT_EQ(remote.ca_file, "");
}

TEST(NotifyConfig, RemoteOptions) {
  auto config = load_text("remote", R"(
[replication.remotes.lab]
endpoint = "https://rgw.lab:7480"
access_key = "AK"
secret_key = "SK"
path_style = false
verify_tls = false
ca_file = "/etc/ssl/lab.pem"
)");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const auto& remote = config->replication_remotes.at(0);
  EXPECT_EQ(remote.region, "us-east-1");
  EXPECT_FALSE(remote.path_style);
  EXPECT_FALSE(remote.verify_tls);
  EXPECT_EQ(remote.ca_file, "/etc/ssl/lab.pem");
}

TEST(NotifyConfig, DefaultPublicUrlIsTheListenAddress) {
  auto config = load_text("listen", "[server]\nlisten = \"0.0.0.0:9100\"\n");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(console_base_url(*config), "http://127.0.0.1:9100");
  EXPECT_TRUE(config->notify_targets.empty());
}

TEST(NotifyConfig, MistakesAreNamedPrecisely) {
  EXPECT_EQ(error_of("[notify.targets.x]\ntype = \"pigeon\"\nurl = \"http://a\"\n"),
            "notify.targets.x: unknown type \"pigeon\" (webhook, smtp, slack or discord)");
  EXPECT_EQ(error_of("[notify.targets.x]\nurl = \"http://a\"\n"),
            "notify.targets.x: type is required");
  EXPECT_EQ(error_of("[notify.targets.x]\ntype = \"webhook\"\nsecret = \"k\"\n"),
            "notify.targets.x: url is required");
  EXPECT_EQ(
      error_of("[notify.targets.x]\ntype = \"webhook\"\nurl = \"ftp://a/b\"\nsecret = \"k\"\n"),
      "notify.targets.x: url of a webhook target must start with http:// or https://");
  EXPECT_EQ(
      error_of("[notify.targets.x]\ntype = \"webhook\"\nurl = \"http://a/b\"\nsecert = \"k\"\n"),
      "notify.targets.x: unknown key \"secert\" for type webhook");
  EXPECT_EQ(
      error_of(
          "[notify.targets.m]\ntype = \"smtp\"\nurl = \"smtp://a:25\"\nfrom = \"a@b\"\nto = []\n"),
      "notify.targets.m: to must name at least one recipient");
  EXPECT_EQ(error_of("[notify.targets.m]\ntype = \"smtp\"\nurl = \"smtp://a:25\"\nfrom = "
                     "\"a@b\"\nto = \"c@d\"\n"),
            "notify.targets.m: to must be an array of addresses, e.g. [\"me@example.com\"]");
  EXPECT_EQ(error_of("[notify.targets.m]\ntype = \"smtp\"\nurl = \"https://a\"\nfrom = \"a@b\"\nto "
                     "= [\"c@d\"]\n"),
            "notify.targets.m: url of an smtp target must start with smtp:// or smtps://");
  EXPECT_EQ(
      error_of("[notify.targets.s]\ntype = \"slack\"\nurl = \"https://h/x\"\nto = [\"c@d\"]\n"),
      "notify.targets.s: unknown key \"to\" for type slack");
  EXPECT_EQ(
      error_of(
          "[notify.targets.s]\ntype = \"slack\"\nurl = \"https://h/x\"\ntimeout_seconds = \"5\"\n"),
      "notify.targets.s: timeout_seconds must be an integer");
  EXPECT_EQ(error_of("[notify.targets.\"a b\"]\ntype = \"slack\"\nurl = \"https://h/x\"\n"),
            "notify.targets.a b: names are 1-64 letters, digits, '.', '_' or '-'");
  EXPECT_EQ(error_of("[replication.remotes.r]\nendpoint = \"s3.example.com\"\naccess_key = "
                     "\"a\"\nsecret_key = \"s\"\n"),
            "replication.remotes.r: endpoint must start with http:// or https://");
  EXPECT_EQ(error_of("[replication.remotes.r]\nendpoint = \"https://s3\"\naccess_key = \"a\"\n"),
            "replication.remotes.r: secret_key is required");
  EXPECT_EQ(error_of("[server]\npublic_url = \"vault.example.com\"\n"),
            "server.public_url must start with http:// or https://");
}

}  // namespace
}  // namespace cv::app
