#!/usr/bin/env bash
# Prepares Aurora for the CDC relay (relay_mode = "msk_connect", ADR 0081). Idempotent. Run once per environment,
# after the first `terraform apply -var relay_mode=msk_connect -target=module.cdc.aws_secretsmanager_secret_version.replication`
# and the writer reboot (infra/terraform/README.md, "Switching the relay"), from a host inside the VPC that Aurora's
# security group admits on 5432, with a role that may read both secrets:
#   cd infra/terraform && ./scripts/prepare-cdc-database.sh
# What it does, as the master user (from the master secret):
#   1. checks that rds.logical_replication is in effect (wal_level = logical), i.e. the writer was rebooted;
#   2. creates (or re-passwords) the replication role from the replication secret, with rds_replication, SELECT on
#      the outbox table, and INSERT/UPDATE on the one-row heartbeat table its heartbeat.action.query upserts (ADR 0082);
#   3. creates the publication the connector reads: the outbox and the heartbeat table (the role owns nothing, so it
#      cannot create it itself); an existing publication without the heartbeat table gets it added;
#   4. creates the replication slot (pgoutput) AFTER the publication (pgoutput resolves the publication as of each
#      change's position). From now on every committed outbox row is kept for the connector: run this while the Lambda
#      relay still runs, so each row is published by one relay or both, never by neither (README, ADR 0081).
# Needs: psql, the AWS CLI, jq, and terraform outputs of this root module.
set -euo pipefail
cd "$(dirname "$0")/.."
out() { terraform output -raw "$1"; }

master_secret=$(out db_master_secret_arn)
replication_secret=$(out cdc_replication_secret_arn)
publication=$(out cdc_publication_name)
slot=$(out cdc_slot_name)
host=$(out db_cluster_endpoint)
[[ -n "$replication_secret" && "$replication_secret" != "null" ]] || { echo "relay_mode is not msk_connect (no replication secret)" >&2; exit 1; }

secret() { aws secretsmanager get-secret-value --secret-id "$1" --query SecretString --output text; }
master=$(secret "$master_secret")
replication=$(secret "$replication_secret")
master_user=$(jq -r .username <<<"$master")
user=$(jq -r .username <<<"$replication")
password=$(jq -r .password <<<"$replication")
dbname=$(jq -r .dbname <<<"$replication")

# Terraform generates the password from letters and digits only; anything else means the secret was edited by hand
# and would need quoting this script does not do.
[[ "$password" =~ ^[A-Za-z0-9]{16,}$ ]] || { echo "unexpected characters in the replication password" >&2; exit 1; }
[[ "$user" =~ ^[a-z_][a-z0-9_]*$ && "$publication" =~ ^[a-z_][a-z0-9_]*$ && "$slot" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "unexpected role or publication name" >&2; exit 1; }

export PGPASSWORD=$(jq -r .password <<<"$master")
psql "host=$host port=5432 dbname=$dbname user=$master_user sslmode=require" -v ON_ERROR_STOP=1 <<SQL
DO \$\$
BEGIN
  IF current_setting('wal_level') <> 'logical' THEN
    RAISE EXCEPTION 'wal_level is %, not logical: reboot the writer after setting rds.logical_replication', current_setting('wal_level');
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
    CREATE ROLE $user LOGIN PASSWORD '$password';
  ELSE
    ALTER ROLE $user LOGIN PASSWORD '$password';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = '$publication') THEN
    CREATE PUBLICATION $publication FOR TABLE outbox_message, outbox_cdc_heartbeat;
  ELSIF NOT EXISTS (SELECT FROM pg_publication_tables WHERE pubname = '$publication' AND tablename = 'outbox_cdc_heartbeat') THEN
    ALTER PUBLICATION $publication ADD TABLE outbox_cdc_heartbeat;
  END IF;
END
\$\$;
GRANT rds_replication TO $user;
GRANT USAGE ON SCHEMA public TO $user;
GRANT SELECT ON outbox_message TO $user;
GRANT SELECT, INSERT, UPDATE ON outbox_cdc_heartbeat TO $user;
SELECT pg_create_logical_replication_slot('$slot', 'pgoutput')
  WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = '$slot');
SELECT slot_name, plugin, confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '$slot';
SELECT pubname, array_agg(tablename) AS tables FROM pg_publication_tables WHERE pubname = '$publication' GROUP BY pubname;
SQL
echo "prepared: role $user (rds_replication), publication $publication, slot $slot; now apply with -var relay_mode=msk_connect"
