terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.20 added the java25 runtime; aws_msk_topic (provisioned clusters, modules/kafka) exists only from 6.38,
      # so a lock file on 6.20-6.37 fails `terraform validate` with "invalid resource type". 6.x also has
      # provisioned_poller_config and data.aws_region.region. Pin the minor in CI once a version has been applied.
      version = ">= 6.38.0, < 7.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}
