# Applied by up.sh in the "localstack" Terraform workspace, from the terraform container (repository mounted at /repo):
#   terraform apply -var-file=/repo/localstack/localstack.tfvars
target              = "localstack"
name                = "orders-local"
region              = "eu-west-1"
repo_root           = "/repo"
localstack_endpoint = "http://localstack:4566"

local_db = {
  url      = "jdbc:postgresql://postgres:5432/orders"
  username = "orders"
  password = "orders"
}
local_kafka_bootstrap_servers = "kafka:9092"
