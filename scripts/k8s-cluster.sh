#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, for `npm run test:k8s`:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, a kubelet on
# containerd + runc (cgroupfs), kube-proxy (iptables), Debian's bridge CNI and
# CoreDNS; then Dapr's control plane from its Helm chart (scripts/k8s-dapr.sh).
#
# Everything runs in a network namespace of its own ($K8S_NETNS, default k8s-burger),
# entered with nsenter (the host's mount namespace, so that the kubelet's volume
# mounts are seen by containerd): its ports, pod bridge and kube-proxy's iptables
# rules never touch the host's, nor other stacks on this machine. The node's
# address is a veth end inside that namespace.
#
# Usage: k8s-cluster.sh up | down | status | env
#   up    boots a fresh cluster (new etcd data), imports the images, waits for the node and DNS;
#   env   prints the variables (KUBECONFIG, NETNS...) the test pass uses.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/k8s-common.sh"

gen_pki() {
  local pki="$STATE/pki"
  [ -f "$pki/ca.crt" ] && return
  mkdir -p "$pki.partial" && cd "$pki.partial"
  # EC P-256 keys: RSA key generation takes minutes on two busy cores.
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -days 30 -subj "/CN=burger-k8s-ca" 2>/dev/null
  openssl req -x509 "${ec[@]}" -keyout front-proxy-ca.key -out front-proxy-ca.crt -days 30 -subj "/CN=burger-front-proxy-ca" 2>/dev/null
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out sa.key && openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
  # cert NAME CN O CA [SANs]
  cert() {
    local name="$1" cn="$2" o="$3" ca="$4" sans="${5:-}"
    openssl req "${ec[@]}" -keyout "$name.key" -out "$name.csr" -subj "/CN=$cn${o:+/O=$o}" 2>/dev/null
    {
      echo "basicConstraints=CA:FALSE"
      echo "keyUsage=digitalSignature"
      if [ -n "$sans" ]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$sans"; else echo "extendedKeyUsage=clientAuth"; fi
    } > "$name.ext"
    openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -out "$name.crt" -days 30 -extfile "$name.ext" 2>/dev/null
    rm -f "$name.csr" "$name.ext"
  }
  cert apiserver kube-apiserver "" ca "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:$SERVICE_API_IP,IP:$NODE_IP,IP:127.0.0.1"
  cert kubelet "system:node:$NODE_NAME" system:nodes ca "DNS:$NODE_NAME,IP:$NODE_IP,IP:127.0.0.1"
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters ca
  cert admin burger-admin system:masters ca
  cert controller-manager system:kube-controller-manager "" ca
  cert scheduler system:kube-scheduler "" ca
  cert kube-proxy system:kube-proxy system:node-proxier ca
  cert front-proxy-client front-proxy-client "" front-proxy-ca
  cd "$STATE" && mv "$pki.partial" "$pki"
}

kubeconfig() { # kubeconfig NAME CERT
  cat > "$STATE/$1.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{ name: burger, cluster: { server: "https://127.0.0.1:$APISERVER_PORT", certificate-authority: "$STATE/pki/ca.crt" } }]
users: [{ name: $1, user: { client-certificate: "$STATE/pki/$2.crt", client-key: "$STATE/pki/$2.key" } }]
contexts: [{ name: burger, context: { cluster: burger, user: $1 } }]
current-context: burger
YAML
}

# start NAME COMMAND...: runs COMMAND in the cluster's network namespace, logging to $STATE/logs/NAME.log,
# in a session of its own: it outlives this script and is stopped by `down` only.
start() {
  local name="$1"; shift
  setsid nsenter --net="/run/netns/$K8S_NETNS" -- "$@" >"$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/pids/$name"
  info "started $name (pid $!, log $STATE/logs/$name.log)"
}
# wait_for WHAT SECONDS COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local what="$1" secs="$2" started; shift 2; started=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    [ $(( $(date +%s) - started )) -lt "$secs" ] || die "$what not ready after ${secs}s (logs: $STATE/logs)"
    sleep 1
  done
  info "$what ready ($(( $(date +%s) - started ))s)"
}

setup_netns() {
  [ -e "/run/netns/$K8S_NETNS" ] || ip netns add "$K8S_NETNS"
  innet ip link set lo up
  if ! innet ip link show k8snode >/dev/null 2>&1; then
    innet ip link add k8snode type veth peer name k8snode-peer
    innet ip link set k8snode-peer up
    innet ip link set k8snode up
    innet ip addr add "$NODE_IP/32" dev k8snode
    # Locally sent packets to Service IPs need a route before kube-proxy's DNAT rewrites them.
    innet ip route add default dev k8snode
  fi
  innet sysctl -qw net.ipv4.ip_forward=1
  innet sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || info "bridge-nf-call-iptables not settable (kube-proxy masquerades all Service traffic anyway)"
}

write_configs() {
  mkdir -p "$STATE/cni/net.d" "$STATE/containerd" "$STATE/kubelet"
  cat > "$STATE/cni/net.d/10-burger.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "burger-pods",
  "plugins": [
    { "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$POD_CIDR" }]], "routes": [{ "dst": "0.0.0.0/0" }], "dataDir": "$STATE/cni/ipam" } },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
  cat > "$STATE/containerd/config.toml" <<TOML
version = 2
root = "$STATE/containerd/root"
state = "$RUNTIME_DIR/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Lowering oom_score_adj is forbidden here; the kubelet asks -998 for the sandbox.
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
TOML
  cat > "$STATE/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: "$STATE/pki/ca.crt" }
authorization: { mode: Webhook }
tlsCertFile: "$STATE/pki/kubelet.crt"
tlsPrivateKeyFile: "$STATE/pki/kubelet.key"
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
resolvConf: "$STATE/resolv.conf"
podCIDR: "$POD_CIDR"
maxPods: 110
serializeImagePulls: false
# A shared development disk: never evict pods for disk pressure.
evictionHard: { memory.available: "200Mi" }
imageGCHighThresholdPercent: 100
rotateCertificates: false
YAML
  # Pods with dnsPolicy Default (CoreDNS) get this; there is no upstream in the namespace.
  echo "nameserver 127.0.0.1" > "$STATE/resolv.conf"
  cat > "$STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: $POD_CIDR
clientConnection: { kubeconfig: "$STATE/kube-proxy.kubeconfig" }
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Pods reach Services on the same bridge: masquerade so that replies come back through the NAT.
iptables: { masqueradeAll: true }
# The namespace's conntrack table is the kernel's; leave its sysctls alone.
conntrack: { maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
YAML
}

up() {
  [ -f "$RUN_DIR/k8s-toolchain.env" ] && [ -f "$RUN_DIR/k8s-images.env" ] || die "run scripts/provision-k8s.sh first"
  if [ -f "$STATE/pids/kube-apiserver" ] && kill -0 "$(cat "$STATE/pids/kube-apiserver")" 2>/dev/null; then
    info "a cluster is running: scripts/k8s-cluster.sh down first"; exit 1
  fi
  step "Cluster: network namespace $K8S_NETNS, node $NODE_NAME at $NODE_IP"
  mkdir -p "$STATE/logs" "$STATE/pids" "$RUNTIME_DIR"
  setup_netns
  gen_pki
  local n; for n in admin:admin controller-manager:controller-manager scheduler:scheduler kubelet:kubelet kube-proxy:kube-proxy; do kubeconfig "${n%%:*}" "${n#*:}"; done
  write_configs
  done_step

  step "etcd $(etcd --version | head -n1 | awk '{print $3}') (Debian) and kube-apiserver $KUBERNETES_VERSION"
  rm -rf "$STATE/etcd"
  start etcd etcd --name burger --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "burger=http://127.0.0.1:$ETCD_PEER_PORT" --quota-backend-bytes 2147483648
  wait_for etcd 60 innet curl -sf "http://127.0.0.1:$ETCD_PORT/health"
  local pki="$STATE/pki"
  start kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" --secure-port "$APISERVER_PORT" --bind-address 0.0.0.0 --advertise-address "$NODE_IP" \
    --service-cluster-ip-range "$SERVICE_CIDR" --allow-privileged=true \
    --client-ca-file "$pki/ca.crt" --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key" \
    --kubelet-preferred-address-types InternalIP --enable-aggregator-routing=true --profiling=false --v=1
  wait_for kube-apiserver 180 kc get --raw /readyz
  done_step "$(kc version 2>/dev/null | tail -n1)"

  step "kube-controller-manager, kube-scheduler"
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --allocate-node-cidrs=false --horizontal-pod-autoscaler-sync-period 15s --v=1
  start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/scheduler.kubeconfig" --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --v=1
  wait_for kube-controller-manager 60 innet curl -skf https://127.0.0.1:10257/healthz
  wait_for kube-scheduler 60 innet curl -skf https://127.0.0.1:10259/healthz
  done_step

  step "Node: containerd $(containerd --version | awk '{print $3}') (Debian) + runc, kubelet $KUBERNETES_VERSION, kube-proxy"
  rm -rf "$STATE/containerd/root" "$STATE/kubelet/pods" "$STATE/cni/ipam"
  start containerd containerd --config "$STATE/containerd/config.toml"
  wait_for containerd 60 ctr_ version
  local started; started=$(date +%s)
  ctr_ -n k8s.io images import --all-platforms "$IMAGE_ARCHIVE" >/dev/null
  info "imported $(ctr_ -n k8s.io images ls -q | wc -l) images from $IMAGE_ARCHIVE ($(( $(date +%s) - started ))s)"
  start kubelet "$K8S_BIN/kubelet" --config "$STATE/kubelet/config.yaml" --kubeconfig "$STATE/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" --v=1
  start kube-proxy "$K8S_BIN/kube-proxy" --config "$STATE/kube-proxy.yaml" --v=1
  wait_for "node $NODE_NAME Ready" 180 kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=5s
  wait_for kube-proxy 60 innet curl -sf http://127.0.0.1:10256/healthz
  done_step

  step "Cluster add-ons: CoreDNS $COREDNS_VERSION, volumes for the StatefulSets"
  sed -e "s|@COREDNS_IMAGE@|$COREDNS_IMAGE|g" -e "s|@DNS_IP@|$DNS_IP|g" "$ROOT/scripts/k8s/coredns.yaml" | kc apply -f - >/dev/null
  rm -rf "$STATE/volumes" && mkdir -p "$STATE/volumes/payments" && chmod 0777 "$STATE/volumes/payments"
  sed -e "s|@VOLUMES@|$STATE/volumes|g" "$ROOT/scripts/k8s/volumes.yaml" | kc apply -f - >/dev/null
  kc -n kube-system rollout status deployment/coredns --timeout=180s >/dev/null
  done_step
}

down() {
  step "Stopping the cluster (network namespace $K8S_NETNS)"
  local name pid
  for name in kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do
    [ -f "$STATE/pids/$name" ] || continue
    pid="$(cat "$STATE/pids/$name")"; kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -9 "$pid" 2>/dev/null || true; rm -f "$STATE/pids/$name"
  done
  # The pods' shims belong to our containerd (its socket path is ours alone).
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" || true); do kill -9 "$pid" 2>/dev/null || true; done
  if [ -f "$STATE/pids/containerd" ]; then
    pid="$(cat "$STATE/pids/containerd")"; kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -9 "$pid" 2>/dev/null || true; rm -f "$STATE/pids/containerd"
  fi
  # Mounts the kubelet and containerd left (volumes, rootfs, sandboxes' /dev/shm, netns).
  local m
  for m in $(awk '{print $5}' /proc/self/mountinfo | grep -E "^($STATE|$RUNTIME_DIR)" | sort -r); do umount -l "$m" 2>/dev/null || true; done
  # The shims were killed, so neither the containers' processes nor CNI DEL were run down: each pod's
  # network namespace (containerd names them cni-<uuid>), what runs in it, and its veth on the pods'
  # bridge outlive the cluster. The next cluster hands out the same addresses (its IPAM starts afresh),
  # and a stale veth holding one of them steals the new pod's traffic (seen: redis-0 "connection
  # refused" on its own address). Stop what runs there, then remove the namespaces and the bridge.
  for m in $(ip netns list | awk '/^cni-/ {print $1}'); do
    for pid in $(ip netns pids "$m" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  done
  sleep 1
  for m in $(ip netns list | awk '/^cni-/ {print $1}'); do ip netns delete "$m" 2>/dev/null || true; done
  innet ip link delete cni0 2>/dev/null || true
  done_step
}

status() {
  local name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy; do
    if [ -f "$STATE/pids/$name" ] && kill -0 "$(cat "$STATE/pids/$name")" 2>/dev/null; then echo "$name: running (pid $(cat "$STATE/pids/$name"))"; else echo "$name: stopped"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) print_env ;;
  *) die "usage: k8s-cluster.sh up | down | status | env" ;;
esac
