#!/usr/bin/env bash
# Installs or builds everything the local run and the tests need, reusing what
# is already there. Safe to run again: a warm machine finishes in seconds.
# Writes .run/toolchain.json, which the launcher reads.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PROVISION_STARTED=$(date +%s)
mkdir -p "$RUN_DIR" "$CACHE_DIR"

step "System packages (Debian): PostgreSQL, Redis, SQLite CLI, Java, Chromium (browser tests)"
missing=()
ls -d /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
# `ss` (the zero-trust test reads which addresses the sidecars' metrics listen on); `ip netns` for parallel stacks.
command -v ss >/dev/null || missing+=(iproute2)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
# The browser tests drive Debian's Chromium with playwright-core; a font so screenshots show text.
command -v chromium >/dev/null || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  info "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts packaged servers as system services; ours run on project data instead.
  as_root service redis-server stop >/dev/null 2>&1 || true
  as_root service postgresql stop >/dev/null 2>&1 || true
fi
POSTGRES_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
done_step "postgres $("$POSTGRES_BIN/postgres" --version | awk '{print $3}'), redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), $(java -version 2>&1 | head -n1), $(chromium --version 2>/dev/null)"

step "Node.js dependencies (npm workspaces)"
if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi
done_step "node $(node --version)"

step "Dapr $DAPR_VERSION runtime: daprd and sentry"
DAPR_BIN="$(bash "$ROOT/scripts/provision-dapr.sh")"
done_step "$DAPR_BIN"

step "Dapr $DAPR_VERSION scheduler (dapr run -f points every daprd > 1.15 at it)"
DAPR_SCHEDULER="$(bash "$ROOT/scripts/provision-scheduler.sh")"
done_step "$DAPR_SCHEDULER"

step "Apache Kafka $KAFKA_VERSION (broker jars from Maven Central)"
KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
if [ ! -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]; then
  rm -rf "$KAFKA_LIBS.partial"
  mvn -q -B -f "$ROOT/tools/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS.partial"
  rm -rf "$KAFKA_LIBS" && mv "$KAFKA_LIBS.partial" "$KAFKA_LIBS"
fi
done_step "$(ls "$KAFKA_LIBS" | wc -l) jars in $KAFKA_LIBS"

step "kustomize $KUSTOMIZE_VERSION (renders k8s/overlays for the manifest tests)"
KUSTOMIZE="$CACHE_DIR/kustomize-$KUSTOMIZE_VERSION/kustomize"
if [ ! -x "$KUSTOMIZE" ]; then
  info "building from the Go module proxy (about a minute, once)"
  GOBIN="$CACHE_DIR/kustomize-$KUSTOMIZE_VERSION.partial" go install "sigs.k8s.io/kustomize/kustomize/v5@v$KUSTOMIZE_VERSION"
  rm -rf "$CACHE_DIR/kustomize-$KUSTOMIZE_VERSION" && mv "$CACHE_DIR/kustomize-$KUSTOMIZE_VERSION.partial" "$CACHE_DIR/kustomize-$KUSTOMIZE_VERSION"
fi
done_step "$("$KUSTOMIZE" version)"

cat > "$RUN_DIR/toolchain.json" <<JSON
{
  "daprd": "$DAPR_BIN/daprd",
  "sentry": "$DAPR_BIN/sentry",
  "scheduler": "$DAPR_SCHEDULER",
  "daprVersion": "$DAPR_VERSION",
  "kafkaLibs": "$KAFKA_LIBS",
  "kustomize": "$KUSTOMIZE",
  "postgresBin": "$POSTGRES_BIN",
  "redisServer": "$(command -v redis-server)",
  "chromium": "$(command -v chromium)"
}
JSON
printf '\n==> provisioned in %ss (toolchain: .run/toolchain.json)\n' "$(( $(date +%s) - PROVISION_STARTED ))"
