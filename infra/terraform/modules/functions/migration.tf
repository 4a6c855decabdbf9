# Schema migrations run exactly once per deploy of a new migration artifact (ADR 0044): Terraform invokes
# SchemaMigrationFunction (schema-migration-fn's jar, which carries every migration) synchronously; a failure fails
# the apply before any alias moves to the new versions.
# Never on cold start: the functions themselves do not run Flyway.

resource "aws_lambda_invocation" "schema_migration" {
  function_name = aws_lambda_function.schema_migration.function_name

  input = jsonencode({
    reason   = "terraform-apply"
    artifact = filebase64sha256(local.migration_jar)
  })

  # Re-invoke whenever the jar (and so the bundled migrations) changes; Flyway skips versions already applied.
  triggers = {
    artifact = filebase64sha256(local.migration_jar)
    function = aws_lambda_function.schema_migration.last_modified
  }
}
