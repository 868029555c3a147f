#!/usr/bin/env bash
# Real Kubernetes test cluster for driftctl's integration tests: etcd plus a
# kube-apiserver built from Debian's own `kubernetes` source package (1.20.2),
# both on free loopback ports. No controller-manager, no scheduler, no nodes.
#
#   scripts/test-cluster.sh install        install packages (driftctl's build needs included),
#                                          build and cache kube-apiserver
#   scripts/test-cluster.sh run CMD ARGS   start the cluster, run CMD with
#                                          DRIFTCTL_TEST_KUBECONFIG set, stop the cluster
#   scripts/test-cluster.sh shell          start the cluster and open a shell in it
#
# The API server binary is cached in ${DRIFTCTL_CACHE:-~/.cache/driftctl}, so only
# the first run builds it (a few minutes on two cores); later runs start in seconds.
# Needs root for apt-get on a fresh machine (Debian bookworm).
set -euo pipefail

KUBE_VERSION=1.20.2
# Bump when the build recipe changes, so a cached binary from an older recipe is not reused.
BUILD_REVISION=2
CACHE=${DRIFTCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/driftctl}
APISERVER=$CACHE/kube-apiserver-v$KUBE_VERSION-r$BUILD_REVISION

log() { printf 'test-cluster: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (run as root or install sudo)"
  fi
}

apt_updated=
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Adds deb-src entries mirroring every enabled `deb` entry (deb822 and one-line formats).
enable_deb_src() {
  local list=/etc/apt/sources.list.d/driftctl-deb-src.sources
  [ -f "$list" ] && return 0
  log "enabling Debian source packages ($list)"
  local tmp
  tmp=$(mktemp)
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # One stanza per paragraph; keep the stanzas whose Types include deb and whose URI is Debian's.
    awk 'BEGIN{RS=""; ORS="\n\n"} /Types:[^\n]*deb/ && /debian/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f" >>"$tmp"
  done
  if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb [^ ]*debian' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
      while read -r _ uri suite comps; do
        printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n\n' "$uri" "$suite" "$comps"
      done >>"$tmp" || true
  fi
  [ -s "$tmp" ] || die "found no Debian apt sources to mirror as deb-src"
  as_root cp "$tmp" "$list"
  rm -f "$tmp"
  as_root apt-get update -qq
  apt_updated=1
}

build_apiserver() {
  [ -x "$APISERVER" ] && return 0
  apt_install golang-go rsync dpkg-dev ca-certificates golang-github-modern-go-reflect2-dev
  enable_deb_src
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/driftctl-kube-src.XXXXXX")
  log "fetching Debian's kubernetes source package into $work"
  (cd "$work" && apt-get source -qq kubernetes >&2)
  local src
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -1)
  [ -n "$src" ] || die "apt-get source kubernetes unpacked nothing in $work"
  local version
  version=$(sed -n 's/^Version: //p' "$work"/*.dsc | head -1)
  case "$version" in *1.20.*) ;; *) die "expected kubernetes 1.20.x source, got '$version'" ;; esac
  # Kubernetes 1.20 vendors modern-go/reflect2 1.0.1, which breaks under Go >= 1.18 (the API
  # server panics decoding any JSON body with a map). Debian packages the fixed 1.0.2.
  local reflect2=/usr/share/gocode/src/github.com/modern-go/reflect2
  [ -d "$reflect2" ] || die "golang-github-modern-go-reflect2-dev did not install $reflect2"
  rm -rf "$src/vendor/github.com/modern-go/reflect2"
  cp -r "$reflect2" "$src/vendor/github.com/modern-go/reflect2"
  log "building kube-apiserver from kubernetes $version (takes a few minutes)"
  mkdir -p "$work/.go/src/k8s.io"
  ln -s "$src" "$work/.go/src/k8s.io/kubernetes"
  (
    cd "$work/.go/src/k8s.io/kubernetes"
    export GOPATH=$work/.go CGO_ENABLED=0 GOCACHE=$work/.gocache
    make WHAT=cmd/kube-apiserver KUBE_GIT_VERSION=v$KUBE_VERSION KUBE_GIT_TREE_STATE=clean >&2
  )
  local built
  built=$(find "$src/_output" -type f -name kube-apiserver -perm -u+x | head -1)
  [ -n "$built" ] || die "the build finished but produced no kube-apiserver binary"
  mkdir -p "$CACHE"
  cp "$built" "$APISERVER.tmp" && mv "$APISERVER.tmp" "$APISERVER"
  rm -rf "$work"
  log "cached $APISERVER"
}

install() {
  # libssl-dev and pkg-config: driftctl itself links OpenSSL statically (.cargo/config.toml).
  apt_install etcd-server golang-go rsync openssl python3 ca-certificates libssl-dev pkg-config
  build_apiserver
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
  log "$what is ready"
}

CLUSTER_DIR=
ETCD_PID=
APISERVER_PID=

stop() {
  # Runs as the EXIT trap: it must not fail, or its status would replace the tests' exit code.
  set +e
  [ -n "$APISERVER_PID" ] && kill "$APISERVER_PID" 2>/dev/null && wait "$APISERVER_PID" 2>/dev/null
  [ -n "$ETCD_PID" ] && kill "$ETCD_PID" 2>/dev/null && wait "$ETCD_PID" 2>/dev/null
  if [ -n "$CLUSTER_DIR" ]; then
    if [ -n "${DRIFTCTL_KEEP_CLUSTER_LOGS:-}" ]; then log "logs kept in $CLUSTER_DIR"; else rm -rf "$CLUSTER_DIR"; fi
  fi
  return 0
}

start() {
  install
  command -v etcd >/dev/null || die "etcd not found (apt-get install etcd-server)"
  CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/driftctl-cluster.XXXXXX")
  trap stop EXIT
  trap 'exit 130' INT TERM
  local etcd_port peer_port api_port
  etcd_port=$(free_port)
  peer_port=$(free_port)
  api_port=$(free_port)

  etcd --name driftctl-test --data-dir "$CLUSTER_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "driftctl-test=http://127.0.0.1:$peer_port" \
    --unsafe-no-fsync >"$CLUSTER_DIR/etcd.log" 2>&1 &
  ETCD_PID=$!
  wait_for 30 "etcd on 127.0.0.1:$etcd_port" curl -fsS "http://127.0.0.1:$etcd_port/health" ||
    { tail -20 "$CLUSTER_DIR/etcd.log" >&2; die "etcd did not become healthy"; }

  local token
  token=$(openssl rand -hex 16)
  printf '%s,driftctl-admin,driftctl-admin,system:masters\n' "$token" >"$CLUSTER_DIR/tokens.csv"
  openssl genrsa -out "$CLUSTER_DIR/sa.key" 2048 2>/dev/null
  openssl rsa -in "$CLUSTER_DIR/sa.key" -pubout -out "$CLUSTER_DIR/sa.pub" 2>/dev/null

  "$APISERVER" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" --insecure-port 0 \
    --cert-dir "$CLUSTER_DIR/certs" --token-auth-file "$CLUSTER_DIR/tokens.csv" \
    --authorization-mode RBAC \
    --service-account-key-file "$CLUSTER_DIR/sa.pub" \
    --service-account-signing-key-file "$CLUSTER_DIR/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 \
    --enable-admission-plugins NamespaceLifecycle,ServiceAccount \
    --disable-admission-plugins "" >"$CLUSTER_DIR/apiserver.log" 2>&1 &
  APISERVER_PID=$!
  wait_for 60 "kube-apiserver on 127.0.0.1:$api_port" \
    curl -fsSk -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/readyz" ||
    { tail -30 "$CLUSTER_DIR/apiserver.log" >&2; die "kube-apiserver did not become ready"; }

  export DRIFTCTL_TEST_KUBECONFIG=$CLUSTER_DIR/kubeconfig
  cat >"$DRIFTCTL_TEST_KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: driftctl-test
  cluster:
    server: https://127.0.0.1:$api_port
    insecure-skip-tls-verify: true
users:
- name: driftctl-admin
  user:
    token: $token
contexts:
- name: driftctl-test
  context:
    cluster: driftctl-test
    user: driftctl-admin
current-context: driftctl-test
EOF
  # The default ServiceAccount is made by a controller we do not run; wait for the namespace only.
  wait_for 30 "namespace default" curl -fsSk -H "Authorization: Bearer $token" \
    "https://127.0.0.1:$api_port/api/v1/namespaces/default"
}

case "${1:-}" in
  install) install ;;
  run)
    shift
    [ $# -gt 0 ] || die "usage: $0 run COMMAND [ARGS...]"
    start
    log "DRIFTCTL_TEST_KUBECONFIG=$DRIFTCTL_TEST_KUBECONFIG"
    rc=0
    "$@" || rc=$?
    exit $rc
    ;;
  shell)
    start
    log "DRIFTCTL_TEST_KUBECONFIG=$DRIFTCTL_TEST_KUBECONFIG (exit the shell to stop the cluster)"
    KUBECONFIG=$DRIFTCTL_TEST_KUBECONFIG "${SHELL:-bash}" || true
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
