// What identifies this server in its trail and proofs, made once and kept in the data folder:
// the 12-digit account id of every ARN and file name (trail.account_id, else
// <data>/account.id) and the Ed25519 signing key of trail digests and activity attestations
// (<data>/signing.key, PKCS#8 PEM, mode 0600).
#pragma once

#include <filesystem>
#include <string>

#include "app/config.h"
#include "core/ed25519.h"
#include "core/error.h"

namespace cv::app {

// The configured account id, else the one kept in <data>/account.id, else a new random one
// written there (durably) first.
Result<std::string> trail_account_id(const Config& config);
// The key kept in <data>/signing.key, made (durably, mode 0600) when absent.
Result<SigningKey> server_signing_key(const std::filesystem::path& data_dir);

}  // namespace cv::app
