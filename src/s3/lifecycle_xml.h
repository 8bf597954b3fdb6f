// S3's <LifecycleConfiguration> XML to and from the vault's LifecycleConfiguration.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "vault/lifecycle_rules.h"

namespace cv::s3 {

// Reads a PutBucketLifecycleConfiguration body (also the legacy rule-level <Prefix> form).
// MalformedXML for anything S3's schema refuses: not well-formed, another root, unknown or
// repeated elements, text where a number, date or boolean belongs, a rule with both or
// neither of <Prefix> and <Filter>, a <Filter> with two conditions outside <And>. Rules
// without an <ID> get a random one. Does not validate values: vault::validate does.
Result<vault::LifecycleConfiguration> parse_lifecycle_configuration(std::string_view xml);

// The GetBucketLifecycleConfiguration body: the configuration as it was put (filters in the
// shape they were written; dates as "2025-01-01T00:00:00.000Z").
std::string lifecycle_configuration_xml(const vault::LifecycleConfiguration& config);

}  // namespace cv::s3
