#!/usr/bin/env bash
# The one command that runs the whole system locally: provisions whatever is
# missing (with progress), then starts PostgreSQL, Redis, Kafka, Dapr sentry and
# every app beside its own daprd, as dapr.yaml describes. Ctrl-C stops it all.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/provision.sh"
printf '\n==> starting the stack\n'
cd "$ROOT"
exec node --import tsx tools/launcher/src/cli.ts
