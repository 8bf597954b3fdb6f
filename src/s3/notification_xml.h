// S3's <NotificationConfiguration> XML to and from the vault's NotificationConfiguration.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "vault/notification_config.h"

namespace cv::s3 {

// Reads a PutBucketNotificationConfiguration body: <TopicConfiguration>,
// <QueueConfiguration>, <CloudFunctionConfiguration> (each: Id, the ARN element Topic / Queue
// / CloudFunction, Event repeated, Filter/S3Key/FilterRule with Name prefix|suffix, any
// letter case, and Value) and <EventBridgeConfiguration/>. Rules without an <Id> get a random
// one; each rule's target is the ARN's last ':' field.
// MalformedXML: not well-formed, another root, unknown or repeated elements, a rule without
// its ARN; InvalidArgument: a FilterRule Name other than prefix or suffix ("filter rule name
// must be either prefix or suffix"), two rules of one name in a filter ("Cannot specify more
// than one prefix rule in a filter."). Does not validate events or targets: the vault does.
Result<vault::NotificationConfiguration> parse_notification_configuration(std::string_view xml);

// The GetBucketNotificationConfiguration body: topics, then queues, then functions (each in
// the order they were put), then <EventBridgeConfiguration/>; FilterRule names written
// "Prefix"/"Suffix" as S3 does. An empty configuration is <NotificationConfiguration/>.
std::string notification_configuration_xml(const vault::NotificationConfiguration& config);

}  // namespace cv::s3
