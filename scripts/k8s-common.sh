# shellcheck shell=bash
# Shared by the k8s-*.sh scripts: where the cluster lives, its addresses and ports,
# and how to reach it (everything in its own network namespace).
K8S_NETNS="${K8S_NETNS:-burger-k8s}"
STATE="${BURGER_K8S_STATE:-$RUN_DIR/k8s}"          # etcd data, PKI, logs, kubelet and containerd roots
RUNTIME_DIR="/run/burger-k8s-$K8S_NETNS"           # containerd's sockets and state (short paths)
CONTAINERD_SOCK="$RUNTIME_DIR/containerd.sock"
NODE_NAME=burger-node
NODE_IP=10.217.0.1
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
SERVICE_API_IP=10.96.0.1
DNS_IP=10.96.0.10
APISERVER_PORT=6443
ETCD_PORT=2379
ETCD_PEER_PORT=2380
KUBELET_PORT=10250
KUBECONFIG_FILE="$STATE/admin.kubeconfig"
[ -f "$RUN_DIR/k8s-toolchain.env" ] && source "$RUN_DIR/k8s-toolchain.env"
[ -f "$RUN_DIR/k8s-images.env" ] && source "$RUN_DIR/k8s-images.env"

innet() { nsenter --net="/run/netns/$K8S_NETNS" -- "$@"; }
kc() { innet "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }
ctr_() { ctr --address "$CONTAINERD_SOCK" "$@"; }
print_env() {
  echo "K8S_NETNS=$K8S_NETNS"
  echo "KUBECONFIG=$KUBECONFIG_FILE"
  echo "KUBECTL=$K8S_BIN/kubectl"
  echo "K8S_STATE=$STATE"
}
