# The connector's service execution role: what the workers do on MSK with IAM authentication, and nothing else.
#   cluster:          Connect, DescribeCluster; WriteDataIdempotently (Kafka Connect's producers are idempotent)
#   routed topics:    DescribeTopic, WriteData on exactly the topics the Outbox Event Router routes to (heartbeats are filtered)
#   internal topics:  MSK Connect's own __amazon_msk_connect_* (offsets, configs, status): create, read, write
#   groups:           the Connect worker group (connect-*, __amazon_msk_connect_*): describe, join
#   secret:           GetSecretValue on the replication role's secret only (the plugin's config provider)
# Not here, on purpose: S3 (MSK Connect copies the plugin when the custom plugin is created, with the deploying
# principal's permissions), CloudWatch Logs (vended log delivery, also the deploying principal) and EC2 (MSK Connect's
# service-linked role manages the ENIs).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "assume_kafkaconnect" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["kafkaconnect.amazonaws.com"]
    }
    # Confused-deputy guard: only this account's connector of this name may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:kafkaconnect:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:connector/${local.connector_name}/*"]
    }
  }
}

resource "aws_iam_role" "connector" {
  name_prefix        = "${substr(var.name, 0, 24)}-cdc-relay-"
  assume_role_policy = data.aws_iam_policy_document.assume_kafkaconnect.json
  tags               = var.tags
}

data "aws_iam_policy_document" "connector_kafka" {
  statement {
    sid       = "Cluster"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"]
    resources = [var.kafka.cluster_arn]
  }

  statement {
    sid       = "RoutedTopics"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
    resources = [for topic in local.written_topics : "${var.kafka.topic_arn_prefix}/${topic}"]
  }

  statement {
    sid       = "ConnectInternalTopics"
    actions   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"]
    resources = ["${var.kafka.topic_arn_prefix}/__amazon_msk_connect_*"]
  }

  statement {
    sid     = "ConnectWorkerGroup"
    actions = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    resources = [
      "${var.kafka.group_arn_prefix}/__amazon_msk_connect_*",
      "${var.kafka.group_arn_prefix}/connect-*",
    ]
  }
}

data "aws_iam_policy_document" "connector_secret" {
  statement {
    sid       = "ReplicationSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.replication.arn]
  }
}

resource "aws_iam_role_policy" "connector_secret" {
  name   = "read-replication-secret"
  role   = aws_iam_role.connector.id
  policy = data.aws_iam_policy_document.connector_secret.json
}

resource "aws_iam_role_policy" "connector_kafka" {
  name   = "msk-connect-cdc"
  role   = aws_iam_role.connector.id
  policy = data.aws_iam_policy_document.connector_kafka.json
}
