terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x: java21/java25 runtimes, provisioned_poller_config on event source mappings, aws_msk_topic,
      # and data.aws_region.region. Pin the minor in CI once a version has been applied successfully.
      version = ">= 6.20.0, < 7.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}
