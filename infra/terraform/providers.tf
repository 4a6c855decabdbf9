# One provider block for every target. "aws" talks to AWS with the ambient credentials; "localstack" and
# "localstack-pro" send every API call to LocalStack's edge endpoint with dummy credentials (no tflocal needed).

provider "aws" {
  region = var.region

  access_key                  = local.use_localstack ? "test" : null
  secret_key                  = local.use_localstack ? "test" : null
  skip_credentials_validation = local.use_localstack
  skip_metadata_api_check     = local.use_localstack
  skip_requesting_account_id  = local.use_localstack

  dynamic "endpoints" {
    for_each = local.use_localstack ? [var.localstack_endpoint] : []
    content {
      apigatewayv2   = endpoints.value
      cloudwatch     = endpoints.value
      cloudwatchlogs = endpoints.value
      ec2            = endpoints.value
      events         = endpoints.value
      iam            = endpoints.value
      kafka          = endpoints.value
      lambda         = endpoints.value
      rds            = endpoints.value
      scheduler      = endpoints.value
      secretsmanager = endpoints.value
      sns            = endpoints.value
      sqs            = endpoints.value
      sts            = endpoints.value
    }
  }

  default_tags {
    tags = local.tags
  }
}
