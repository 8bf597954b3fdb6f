// S3's <ReplicationConfiguration> XML to and from the vault's ReplicationConfiguration.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "vault/replication_config.h"

namespace cv::s3 {

// Reads a PutBucketReplication body: V2 rules (<Filter> with <Prefix>, <Tag> or <And>) and
// V1 rules (a rule-level <Prefix>). MalformedXML for anything S3's schema refuses: not
// well-formed, another root, no <Role>, unknown or repeated elements, a Status other than
// Enabled/Disabled, text where a number belongs, a rule with both <Prefix> and <Filter>, a
// <Filter> with two conditions outside <And>, a rule without <Destination><Bucket>. Rules
// without an <ID> get a random one. Does not validate values: vault::validate does.
Result<vault::ReplicationConfiguration> parse_replication_configuration(std::string_view xml);

// The GetBucketReplication body: the configuration as it was put (filters in the shape they
// were written, our reserved filter tags included).
std::string replication_configuration_xml(const vault::ReplicationConfiguration& config);

}  // namespace cv::s3
