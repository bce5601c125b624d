#!/usr/bin/env bash
# The one command that runs every test: provisions what is missing, checks format
# and lint (Biome, biome.jsonc; fails the run), type-checks, then runs with vitest
#   1. the unit project and the integration project (which boots the real stack:
#      daprd sidecars, PostgreSQL, Redis, SQLite, Kafka, sentry), and
#   2. the scenario tests again on a stack started WITHOUT marketing, proving the
#      new team can leave without hurting anyone, and
#   3. the end-to-end tests again with Redis Streams as the broker instead of
#      Kafka (components/brokers/redis-streams: YAML only, no code change).
# Extra arguments go to the first vitest run only and skip the second
# (e.g. `npm test -- --project unit`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/provision.sh"
cd "$ROOT"

step "Format and lint (Biome: npm run lint; npm run format fixes the formatting)"
npm run -s lint
done_step

step "Type-check (tsc --noEmit, strict)"
npx tsc -p tsconfig.json
npx tsc -p services/gateway/web/tsconfig.json   # the browser app (DOM types)
done_step

reports=()
status=0
run_vitest() {
  local report="$RUN_DIR/test-results-${#reports[@]}.json"
  rm -f "$report"
  reports+=("$report")
  npx vitest run --reporter=default --reporter=json --outputFile="$report" "$@" || status=$?
}

step "Tests (vitest: unit + integration on the whole stack)"
run_vitest "$@"
if [ $# -eq 0 ]; then
  step "Scenario tests on a stack without marketing (the new team removed)"
  BURGER_STACK_WITHOUT=marketing run_vitest --project integration \
    test/integration/scenario.test.ts test/integration/first-order.test.ts test/integration/new-team.test.ts
  step "End-to-end tests with the broker swapped to Redis Streams (YAML only)"
  BURGER_BROKER=redis-streams run_vitest --project integration \
    test/integration/first-order.test.ts test/integration/scenario.test.ts test/integration/duplicate-delivery.test.ts \
    test/integration/delivery-guarantees.test.ts test/integration/new-team.test.ts test/integration/zero-trust.test.ts \
    test/integration/broker-auth.test.ts
  # Before the zero-downtime pass, whose load spends the demo accounts' and loopback's rate-limit budgets for a minute.
  step "The benchmark's direct twin: the same apps without sidecars (bench/twin), an order through the gateway"
  BURGER_TWIN=1 LOAD_TEST_ACCOUNTS=1 run_vitest --project twin
  step "Zero-downtime rolling restart of two order replicas under load through the gateway"
  # The load (two accounts, ~15 orders/s) is far above the per-account limit, which front-door tests.
  RATE_LIMIT_USER_PER_MINUTE=100000 BURGER_REPLICAS=order=2,store=2,notification=2 run_vitest --project integration test/integration/zero-downtime.test.ts
fi

# One plain closing line for CI, summed over the runs from vitest's own JSON reports.
node -e '
  const fs = require("fs");
  const firstLine = (text) => text.split("\n").find((line) => line.trim() !== "")?.trim().slice(0, 300) ?? "";
  let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1)) {
    if (!fs.existsSync(file)) { failed += 1; console.log(`no report: ${file} (the run did not finish)`); continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
    // CI keeps only the tail of the output, so name every failure here, with the first line of its reason.
    for (const suite of r.testResults) {
      const file = suite.name.replace(process.cwd() + "/", "");
      if (suite.status === "failed" && suite.message) console.log(`FAILED ${file}: ${firstLine(suite.message)}`);
      for (const t of suite.assertionResults)
        if (t.status === "failed") console.log(`FAILED ${file} > ${t.fullName}: ${firstLine(t.failureMessages.join(" "))}`);
    }
  }
  console.log(`\n${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "${reports[@]}"
exit $status
