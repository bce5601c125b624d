#!/usr/bin/env bash
# The one command that runs every test: provisions what is missing, type-checks,
# then runs the unit project and the integration project (which boots the real
# stack: daprd sidecars, PostgreSQL, Redis, SQLite, Kafka) with vitest.
# Extra arguments go to vitest (e.g. `npm test -- --project unit`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/provision.sh"
cd "$ROOT"

step "Type-check (tsc --noEmit, strict)"
npx tsc -p tsconfig.json
done_step

step "Tests (vitest: unit + integration)"
results="$RUN_DIR/test-results.json"
rm -f "$results"
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$results" "$@" || status=$?
# One plain closing line for CI, from vitest's own JSON report.
if [ -f "$results" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$results"
fi
exit $status
