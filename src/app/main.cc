// cloudvault: the one binary. `cloudvault server` serves S3; `cloudvault admin` manages users
// and keys in the same data folder.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/commands.h"
#include "app/config.h"

namespace {

struct CommonFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
};

void add_common_flags(CLI::App& command, CommonFlags& flags) {
  command.add_option("--config", flags.config_file, "TOML configuration file");
  command.add_option("--data", flags.data_dir, "data folder (default ./data)");
}

std::optional<cv::app::Config> resolve(const CommonFlags& flags) {
  auto config = cv::app::load_config(flags.config_file);
  if (!config) {
    std::fprintf(stderr, "cloudvault: %s\n", config.error().message.c_str());
    return std::nullopt;
  }
  if (flags.data_dir) config->data_dir = *flags.data_dir;
  return *config;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"CloudVault: a self-hosted S3-compatible object store"};
  app.require_subcommand(1);
  CommonFlags flags;
  int exit_code = 0;

  auto* server = app.add_subcommand("server", "serve the S3 API");
  add_common_flags(*server, flags);
  std::optional<std::string> listen;
  std::optional<std::string> domain;
  server->add_option("--listen", listen, "ADDR:PORT to listen on (default 127.0.0.1:9000)");
  server->add_option("--domain", domain, "base domain for virtual-hosted-style requests");
  server->callback([&] {
    auto config = resolve(flags);
    if (!config) {
      exit_code = 2;
      return;
    }
    if (listen) {
      if (auto parsed = cv::app::parse_listen(*listen, *config); !parsed) {
        std::fprintf(stderr, "cloudvault: %s\n", parsed.error().message.c_str());
        exit_code = 2;
        return;
      }
    }
    if (domain) config->domain = *domain;
    exit_code = cv::app::run_server(*config);
  });

  auto* admin = app.add_subcommand("admin", "manage users and access keys");
  admin->require_subcommand(1);
  add_common_flags(*admin, flags);
  auto* user = admin->add_subcommand("user", "users")->fallthrough();
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "create a user")->fallthrough();
  std::string user_name, display_name, email;
  user_add->add_option("name", user_name, "user name")->required();
  user_add->add_option("--display-name", display_name, "display name shown in listings");
  user_add->add_option("--email", email, "e-mail address");
  user_add->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_user_add(*config, user_name, display_name, email);
    } else {
      exit_code = 2;
    }
  });

  auto* key = admin->add_subcommand("key", "access keys")->fallthrough();
  key->require_subcommand(1);
  auto* key_create = key->add_subcommand("create", "create an access key")->fallthrough();
  std::string key_user;
  std::optional<std::string> access_key, secret_key;
  key_create->add_option("name", key_user, "user name")->required();
  key_create->add_option("--access-key", access_key, "access key id to use (default: generated)");
  key_create->add_option("--secret-key", secret_key, "secret to use (default: generated)");
  key_create->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_key_create(*config, key_user, access_key, secret_key);
    } else {
      exit_code = 2;
    }
  });
  auto* key_list = key->add_subcommand("list", "list access keys")->fallthrough();
  key_list->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_key_list(*config);
    } else {
      exit_code = 2;
    }
  });
  auto* key_delete = key->add_subcommand("delete", "delete an access key")->fallthrough();
  std::string delete_id;
  key_delete->add_option("access_key", delete_id, "access key id")->required();
  key_delete->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_key_delete(*config, delete_id);
    } else {
      exit_code = 2;
    }
  });

  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
