# shellcheck shell=bash
# Sourced by provision-k8s.sh (after its binaries step): builds every image the
# cluster runs, with podman on runc, into a podman store of our own under the
# cache. No registry is reachable here, so even the base image is built locally:
# debootstrap of Debian bookworm, plus the machine's Node.js 20 (Debian's own
# nodejs is 18). The images are then saved into one archive that
# scripts/k8s-cluster.sh imports into the cluster's containerd.
IMAGES_DIR="$CACHE_DIR/k8s-images"
mkdir -p "$IMAGES_DIR"
# podman here: crun refuses cgroups in hybrid mode (runc works), setrlimit is
# forbidden (no default ulimits), no systemd (cgroupfs, file events).
cat > "$IMAGES_DIR/containers.conf" <<'CONF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
pm() {
  CONTAINERS_CONF="$IMAGES_DIR/containers.conf" podman --root "$IMAGES_DIR/storage" --runroot /run/burger-k8s-podman \
    --storage-driver overlay "$@"
}
has_image() { pm image exists "$1"; }
# build_image NAME CONTEXT [podman build args...]: builds unless NAME (whose tag is a content key) exists.
build_image() {
  local name="$1" context="$2"; shift 2
  if has_image "$name"; then info "have $name"; return; fi
  local started; started=$(date +%s)
  info "building $name"
  # RUN steps see this machine's CA bundle (its registries sit behind a TLS-intercepting proxy);
  # it is mounted, not copied, so no image keeps it.
  pm build --runtime runc --network host --layers -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro \
    -t "$name" "$@" "$context" 2>&1 | sed -u 's/^/      /' | grep -v -e '^      \(Copying\|Writing\|Storing\)' -e EBADENGINE || true
  has_image "$name" || die "podman build of $name failed"
  printf '%s\timage\t%s\t%ss\t%s cores\n' "$(date -u +%FT%TZ)" "$name" "$(( $(date +%s) - started ))" "$(nproc)" >> "$CACHE_DIR/build-times.txt"
}
content_key() { (cat "$@") | sha256sum | cut -c1-12; }
IMG="$ROOT/scripts/k8s/images"

step "Base image: Debian bookworm (debootstrap --variant=minbase) with Node.js $(node --version) from this machine"
DEBIAN_IMAGE="localhost/burger/debian:bookworm"
if ! has_image "$DEBIAN_IMAGE"; then
  started=$(date +%s)
  rootfs="$IMAGES_DIR/rootfs.partial"; rm -rf "$rootfs"
  info "debootstrap (about a minute)"
  as_root debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" http://deb.debian.org/debian >"$IMAGES_DIR/debootstrap.log" 2>&1 \
    || die "debootstrap failed: $IMAGES_DIR/debootstrap.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | pm import --change 'CMD ["/bin/bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
  printf '%s\timage\t%s\t%ss\t%s cores\n' "$(date -u +%FT%TZ)" "$DEBIAN_IMAGE" "$(( $(date +%s) - started ))" "$(nproc)" >> "$CACHE_DIR/build-times.txt"
fi
# Node.js: the files of the machine's nodejs package (NodeSource's 20.x), copied in as they are,
# with npm as it is now (the machine upgrades the packaged npm at start).
NODE_VERSION="$(node --version | sed 's/^v//')-npm$(npm --version)"
NODE_IMAGE="localhost/burger/node:$NODE_VERSION-bookworm-$(content_key "$IMG/node.Containerfile")"
if ! has_image "$NODE_IMAGE"; then
  ctx="$IMAGES_DIR/node-context"; rm -rf "$ctx"; mkdir -p "$ctx"
  { dpkg -L nodejs | grep -v '^/usr/lib/node_modules/' | while read -r f; do if [ -f "$f" ] || [ -L "$f" ]; then echo "${f#/}"; fi; done
    echo usr/lib/node_modules; } | tar -C / -cf "$ctx/node.tar" -T -
  cp "$IMG/node.Containerfile" "$ctx/Containerfile"
  build_image "$NODE_IMAGE" "$ctx" --build-arg BASE="$DEBIAN_IMAGE"
fi
done_step "$DEBIAN_IMAGE, $NODE_IMAGE"

step "App images from the project's Dockerfile (one npm ci layer shared by every app)"
APPS="$(cd "$ROOT/services" && ls -d */ | tr -d / | tr '\n' ' ')"
# The tag is the content of what the Dockerfile copies, so a changed source gives a new image.
APP_TAG="$( (cd "$ROOT" && find Dockerfile .dockerignore package.json package-lock.json packages services tools -type f -not -path '*/node_modules/*' -print0 \
  | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12)"
for app in $APPS; do
  build_image "localhost/burger/$app:$APP_TAG" "$ROOT" --build-arg NODE_IMAGE="$NODE_IMAGE" --build-arg APP="$app" -f "$ROOT/Dockerfile"
  # The local overlay names :local; the content tag says which build it is.
  pm tag "localhost/burger/$app:$APP_TAG" "localhost/burger/$app:local"
done
done_step "$(echo $APPS | wc -w) apps as localhost/burger/<app>:$APP_TAG"

# Dapr's chart names one image per service (global.registry/<name>:global.tag); all are this one.
DAPR_IMAGES="daprd operator injector placement sentry scheduler"
step "Dapr $DAPR_VERSION images: localhost/dapr/{${DAPR_IMAGES// /,}}:$DAPR_VERSION (one image, Dapr's binaries)"
ctx="$IMAGES_DIR/dapr-context"; rm -rf "$ctx"; mkdir -p "$ctx"
cp "$DAPR_BIN/daprd" "$DAPR_BIN/sentry" "$DAPR_SCHEDULER" "$DAPR_CP_BIN"/operator "$DAPR_CP_BIN"/injector "$DAPR_CP_BIN"/placement "$ctx/"
cp "$IMG/dapr.Containerfile" "$ctx/Containerfile"
DAPR_KEY="$(content_key "$ctx"/*)"
build_image "localhost/dapr/dapr:$DAPR_VERSION-$DAPR_KEY" "$ctx" --build-arg BASE="$DEBIAN_IMAGE"
for name in $DAPR_IMAGES; do pm tag "localhost/dapr/dapr:$DAPR_VERSION-$DAPR_KEY" "localhost/dapr/$name:$DAPR_VERSION"; done
done_step

step "Store images from Debian packages: PostgreSQL, Redis, Kafka $KAFKA_VERSION; CoreDNS; the pause image"
STORE_TAG="$(content_key "$IMG"/*)"
build_image "localhost/burger/postgres:15-$STORE_TAG" "$IMG" -f "$IMG/postgres.Containerfile" --build-arg BASE="$DEBIAN_IMAGE"
build_image "localhost/burger/redis:7-$STORE_TAG" "$IMG" -f "$IMG/redis.Containerfile" --build-arg BASE="$DEBIAN_IMAGE"
ctx="$IMAGES_DIR/kafka-context"; rm -rf "$ctx"; mkdir -p "$ctx"
KAFKA_CLI_LIBS="$CACHE_DIR/kafka-cli-$KAFKA_VERSION/libs"
if [ ! -f "$KAFKA_CLI_LIBS/kafka-tools-$KAFKA_VERSION.jar" ]; then
  info "Kafka's command-line tools from Maven Central (tools/kafka-cli/pom.xml), once"
  rm -rf "$KAFKA_CLI_LIBS.partial"
  mvn -q -B -f "$ROOT/tools/kafka-cli/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_CLI_LIBS.partial"
  rm -rf "$KAFKA_CLI_LIBS" && mv "$KAFKA_CLI_LIBS.partial" "$KAFKA_CLI_LIBS"
fi
cp -r "$CACHE_DIR/kafka-$KAFKA_VERSION/libs" "$ctx/libs"; cp -r "$KAFKA_CLI_LIBS" "$ctx/cli-libs"; cp "$IMG/kafka.Containerfile" "$IMG/kafka-entrypoint.sh" "$ctx/"
build_image "localhost/burger/kafka:$KAFKA_VERSION-$STORE_TAG" "$ctx" -f "$ctx/kafka.Containerfile" --build-arg BASE="$DEBIAN_IMAGE"
ctx="$IMAGES_DIR/coredns-context"; rm -rf "$ctx"; mkdir -p "$ctx"
cp "$COREDNS_BIN/coredns" "$ctx/"; cp "$IMG/coredns.Containerfile" "$ctx/Containerfile"
build_image "localhost/burger/coredns:$COREDNS_VERSION-$(content_key "$ctx"/*)" "$ctx" --build-arg BASE="$DEBIAN_IMAGE"
build_image "localhost/burger/pause:$STORE_TAG" "$IMG" -f "$IMG/pause.Containerfile" --build-arg BASE="$DEBIAN_IMAGE"
# The tags the local overlay names.
pm tag "localhost/burger/postgres:15-$STORE_TAG" localhost/burger/postgres:15
pm tag "localhost/burger/redis:7-$STORE_TAG" localhost/burger/redis:7
pm tag "localhost/burger/kafka:$KAFKA_VERSION-$STORE_TAG" "localhost/burger/kafka:$KAFKA_VERSION"
done_step

step "Image archive for the cluster's containerd"
IMAGES=(
  $(for app in $APPS; do echo "localhost/burger/$app:$APP_TAG localhost/burger/$app:local"; done)
  $(for name in $DAPR_IMAGES; do echo "localhost/dapr/$name:$DAPR_VERSION"; done)
  localhost/burger/postgres:15 localhost/burger/redis:7 "localhost/burger/kafka:$KAFKA_VERSION"
  "localhost/burger/coredns:$COREDNS_VERSION-$(content_key "$IMAGES_DIR/coredns-context"/*)" "localhost/burger/pause:$STORE_TAG"
)
ARCHIVE="$IMAGES_DIR/images-$(printf '%s\n' "${IMAGES[@]}" "$DAPR_KEY" | sha256sum | cut -c1-12).tar"
if [ ! -f "$ARCHIVE" ]; then
  rm -f "$IMAGES_DIR"/images-*.tar
  pm save --multi-image-archive -o "$ARCHIVE.partial" "${IMAGES[@]}" && mv "$ARCHIVE.partial" "$ARCHIVE"
fi
{
  echo "IMAGE_ARCHIVE=$ARCHIVE"
  echo "APP_TAG=$APP_TAG"
  echo "APPS=\"$APPS\""
  echo "STORE_TAG=$STORE_TAG"
  echo "PAUSE_IMAGE=localhost/burger/pause:$STORE_TAG"
  echo "COREDNS_IMAGE=${IMAGES[-2]}"
} > "$RUN_DIR/k8s-images.env"
done_step "$(du -h "$ARCHIVE" | cut -f1) in $ARCHIVE"
