#include "app/master_key_rotation.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "app/master_key.h"
#include "app/stored_targets.h"
#include "core/hash.h"
#include "core/seal.h"
#include "vault/encryption.h"

namespace cv::app {
namespace {

using SealedSecret = meta::MetaStore::SealedSecret;

// The associated data each kind of secret was sealed with.
std::string context_of(const SealedSecret& secret) {
  switch (secret.kind) {
    case SealedSecret::Kind::kAccessKeySecret:
      return secret.owner;  // iam seals a secret with its access key id
    case SealedSecret::Kind::kNotifyTargetSecrets:
      return notify_target_seal_context(secret.owner);
    case SealedSecret::Kind::kObjectDataKey:
    case SealedSecret::Kind::kUploadDataKey:
      break;
  }
  return std::string(vault::kMasterWrappedKeyContext);
}

std::string_view kind_name(SealedSecret::Kind kind) {
  switch (kind) {
    case SealedSecret::Kind::kAccessKeySecret:
      return "access key";
    case SealedSecret::Kind::kObjectDataKey:
      return "object";
    case SealedSecret::Kind::kUploadDataKey:
      return "multipart upload";
    case SealedSecret::Kind::kNotifyTargetSecrets:
      return "notification target";
  }
  return "secret";
}

Result<RotationReport> reseal_all(meta::MetaStore& meta, const std::filesystem::path& key_path,
                                  const std::string& current, const std::string& next, bool resumed,
                                  size_t batch_size, const ProgressCallback& progress) {
  uint64_t visited = 0;
  auto reseal = [&](const SealedSecret& secret) -> Result<std::string> {
    if (progress) progress(++visited, 0);
    const std::string context = context_of(secret);
    if (auto opened = unseal(current, secret.sealed, context)) {
      return seal(next, *opened, context);
    }
    if (unseal(next, secret.sealed, context)) return secret.sealed;  // resealed by an earlier run
    return fail(ErrorCode::kInternalError,
                "the sealed key of " + std::string(kind_name(secret.kind)) + " " + secret.owner +
                    " opens with neither the current nor the next master key");
  };
  RotationReport report;
  report.secrets = CV_TRY(meta.reseal_master_secrets(reseal, batch_size));
  report.resumed = resumed;
  CV_TRY(rename_durably(next_master_key_path(key_path), key_path));
  report.master_key = next;
  return report;
}

}  // namespace

std::filesystem::path next_master_key_path(const std::filesystem::path& key_path) {
  return key_path.string() + ".next";
}

Result<RotationReport> rotate_master_key(meta::MetaStore& meta,
                                         const std::filesystem::path& key_path, size_t batch_size,
                                         const ProgressCallback& progress) {
  if (auto finished = CV_TRY(finish_interrupted_rotation(meta, key_path, progress))) {
    return *finished;
  }
  const std::string current = CV_TRY(read_master_key(key_path));
  std::string next(kMasterKeyBytes, '\0');
  do {
    random_bytes(
        std::span<unsigned char>(reinterpret_cast<unsigned char*>(next.data()), next.size()));
  } while (next == current);
  CV_TRY(write_secret_file(next_master_key_path(key_path), next));
  return reseal_all(meta, key_path, current, next, false, batch_size, progress);
}

Result<std::optional<RotationReport>> finish_interrupted_rotation(
    meta::MetaStore& meta, const std::filesystem::path& key_path,
    const ProgressCallback& progress) {
  const std::filesystem::path next_path = next_master_key_path(key_path);
  if (::access(next_path.c_str(), F_OK) != 0) {
    if (errno == ENOENT) return std::optional<RotationReport>();
    return fail(ErrorCode::kInternalError,
                "cannot read " + next_path.string() + ": " + std::strerror(errno));
  }
  const std::string current = CV_TRY(read_master_key(key_path));
  const std::string next = CV_TRY(read_master_key(next_path));
  return std::optional<RotationReport>(
      CV_TRY(reseal_all(meta, key_path, current, next, true, 256, progress)));
}

}  // namespace cv::app
