#!/usr/bin/env bash
# e2e/kube.sh — start/stop a REAL kube-apiserver + etcd on 127.0.0.1 for idgate's end-to-end tests
# (no kubelet, no controller-manager, no Docker). Derived from the team's reference script.
#
#   e2e/kube.sh assets           # put kube-apiserver into $KUBE_BIN_DIR from $KUBE_ASSETS (see below)
#   e2e/kube.sh start            # prints "export KUBECONFIG=..." etc. (also in $KUBE_E2E_DIR/env)
#   e2e/kube.sh ns NAME [...]    # create namespace(s) + their "default" ServiceAccount
#   e2e/kube.sh stop             # stop both servers (by the PIDs this script recorded)
#   e2e/kube.sh apiserver-stop   # stop only kube-apiserver (etcd keeps the state)
#   e2e/kube.sh apiserver-start  # start it again on the same address (after apiserver-stop)
#   e2e/kube.sh status
#   e2e/kube.sh build            # build $KUBE_BIN_DIR/kube-apiserver v1.20.2 from Debian's kubernetes
#                                # source package (root; ~6-7 min cold on 2 cores; see build())
#
# Environment:
#   KUBE_ASSETS    where the kube-apiserver binary comes from (like envtest's KUBEBUILDER_ASSETS):
#                  a directory holding kube-apiserver, or kube-apiserver*.xz, or the path of such an .xz
#   KUBE_BIN_DIR   dir containing kube-apiserver (and optionally etcd)   default /tmp/kube-bin
#   ETCD_BIN       etcd binary          default $KUBE_BIN_DIR/etcd, else `command -v etcd` (Debian etcd-server)
#   KUBE_E2E_DIR   state dir (certs, logs, etcd data, kubeconfig)       default /tmp/kube-e2e
#   KUBE_E2E_SA_ADMISSION  1 (default): keep the ServiceAccount admission plugin (real-cluster
#                  behaviour; pods then need the ServiceAccount object to exist in their namespace —
#                  `ns` creates it) | 0: disable it (what envtest/kube-api-test do)
#   KUBE_E2E_TIMEOUT  seconds to wait for readiness (default 90)
#   KUBE_E2E_EXTRA_ARGS  extra kube-apiserver flags (word-split)
#   KUBECTL        kubectl used for readiness/namespace setup           default kubectl
#   KUBE_SRC_DIR   build only: where the Debian source is unpacked + Go cache  default /tmp/kube-src
#
# Everything listens on 127.0.0.1 only, on free random ports. Tested with kube-apiserver v1.20.2
# built from Debian bookworm's `kubernetes` source package and Debian's etcd-server 3.4.23.
set -euo pipefail

KUBE_BIN_DIR=${KUBE_BIN_DIR:-/tmp/kube-bin}
KUBE_E2E_DIR=${KUBE_E2E_DIR:-/tmp/kube-e2e}
KUBE_E2E_SA_ADMISSION=${KUBE_E2E_SA_ADMISSION:-1}
KUBE_E2E_TIMEOUT=${KUBE_E2E_TIMEOUT:-90}
if [ -z "${ETCD_BIN:-}" ]; then
  if [ -x "$KUBE_BIN_DIR/etcd" ]; then ETCD_BIN=$KUBE_BIN_DIR/etcd; else ETCD_BIN=$(command -v etcd || true); fi
fi
D=$KUBE_E2E_DIR
C=$D/certs

log() { echo "[kube-e2e] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

PY=$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3 ) # pyenv shims add ~0.2 s per call

free_ports() { # N -> N distinct free loopback ports, space separated
  "$PY" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

el() { "$PY" -c "print(round($2-$1,2))"; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

gen_certs() {
  mkdir -p "$C"; cd "$C"
  # EC P-256 for TLS keys: generating four RSA keys costs 1-2 s on a 2-core box
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
  openssl req -x509 -new -nodes -key ca.key -subj "/CN=kube-e2e-ca" -days 3650 -out ca.crt 2>/dev/null
  sign() { # name subj ext
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile "$1.ext" -out "$1.crt" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
  }
  # Go >= 1.15 ignores CN for hostname checks: SANs are mandatory.
  sign apiserver "/CN=kube-apiserver" \
"basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  # O=system:masters => cluster-admin via RBAC bootstrap policy
  sign admin "/O=system:masters/CN=kube-e2e-admin" \
"basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  # static bearer token as an alternative to the client cert (token,user,uid,"groups")
  local tok; tok=$(openssl rand -hex 16)
  echo "$tok,kube-e2e-admin,kube-e2e-admin,\"system:masters\"" > tokens.csv
  echo "$tok" > admin.token
  rm -f ca.srl
  cd - >/dev/null
}

write_kubeconfig() { # port
  local b64='base64 -w0'
  cat > "$D/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kube-e2e
  cluster:
    server: https://127.0.0.1:$1
    certificate-authority-data: $($b64 < "$C/ca.crt")
users:
- name: kube-e2e-admin
  user:
    client-certificate-data: $($b64 < "$C/admin.crt")
    client-key-data: $($b64 < "$C/admin.key")
- name: kube-e2e-token
  user:
    token: $(cat "$C/admin.token")
contexts:
- name: kube-e2e
  context: {cluster: kube-e2e, user: kube-e2e-admin, namespace: default}
- name: kube-e2e-token
  context: {cluster: kube-e2e, user: kube-e2e-token, namespace: default}
current-context: kube-e2e
EOF
  chmod 600 "$D/kubeconfig"
}

KUBECTL=${KUBECTL:-kubectl}
kc() { "$KUBECTL" --kubeconfig "$D/kubeconfig" "$@"; }

wait_ready() { # port
  local deadline=$((SECONDS + KUBE_E2E_TIMEOUT))
  until curl -fsS --cacert "$C/ca.crt" --cert "$C/admin.crt" --key "$C/admin.key" \
        "https://127.0.0.1:$1/readyz" >/dev/null 2>&1; do
    pid_alive "$D/apiserver.pid" || { tail -30 "$D/apiserver.log" >&2; die "kube-apiserver exited"; }
    [ $SECONDS -lt $deadline ] || { tail -30 "$D/apiserver.log" >&2; die "kube-apiserver not ready after ${KUBE_E2E_TIMEOUT}s"; }
    sleep 0.2
  done
  # the "default" namespace is created by the apiserver's bootstrap controller shortly after start
  until kc get namespace default >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "namespace default never appeared"
    sleep 0.2
  done
}

ensure_ns() { # name...
  local n
  for n in "$@"; do
    kc get namespace "$n" >/dev/null 2>&1 || kc create namespace "$n" >/dev/null
    # No controller-manager => no ServiceAccount controller: create "default" SA ourselves.
    kc -n "$n" get serviceaccount default >/dev/null 2>&1 || kc -n "$n" create serviceaccount default >/dev/null
  done
}

# kube-apiserver on 127.0.0.1:$1 over the etcd on 127.0.0.1:$2, in the background (log appended:
# apiserver-start after apiserver-stop keeps the earlier run's lines).
run_apiserver() {
  local api_port=$1 etcd_port=$2
  local admission="NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,ResourceQuota,MutatingAdmissionWebhook,ValidatingAdmissionWebhook"
  local sa_args=(--feature-gates=BoundServiceAccountTokenVolume=true)
  if [ "$KUBE_E2E_SA_ADMISSION" = 0 ]; then
    admission=${admission/ServiceAccount,/}; sa_args=(--disable-admission-plugins=ServiceAccount)
  fi
  # shellcheck disable=SC2086
  "$KUBE_BIN_DIR/kube-apiserver" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
    --etcd-servers="http://127.0.0.1:$etcd_port" \
    --cert-dir="$C" --tls-cert-file="$C/apiserver.crt" --tls-private-key-file="$C/apiserver.key" \
    --client-ca-file="$C/ca.crt" --token-auth-file="$C/tokens.csv" \
    --service-account-issuer=https://kubernetes.default.svc \
    --service-account-key-file="$C/sa.pub" --service-account-signing-key-file="$C/sa.key" \
    --api-audiences=https://kubernetes.default.svc \
    --service-cluster-ip-range=10.0.0.0/24 \
    --endpoint-reconciler-type=none \
    --authorization-mode=RBAC \
    --enable-admission-plugins="$admission" "${sa_args[@]}" \
    --allow-privileged=true --profiling=false \
    --v=1 ${KUBE_E2E_EXTRA_ARGS:-} \
    >> "$D/apiserver.log" 2>&1 &
  echo $! > "$D/apiserver.pid"
}

start() {
  [ -x "$KUBE_BIN_DIR/kube-apiserver" ] || die "no kube-apiserver in $KUBE_BIN_DIR"
  [ -n "$ETCD_BIN" ] && [ -x "$ETCD_BIN" ] || die "no etcd (apt-get install etcd-server, or set ETCD_BIN)"
  command -v "$KUBECTL" >/dev/null || die "kubectl not found (set KUBECTL=; Debian's kubernetes-client ships a matching v1.20 kubectl)"
  if pid_alive "$D/apiserver.pid" || pid_alive "$D/etcd.pid"; then die "already running in $D (run stop first)"; fi
  local t0; t0=$(date +%s.%N)
  rm -rf "$D"; mkdir -p "$D"
  gen_certs
  local t_certs; t_certs=$(date +%s.%N)
  local etcd_port etcd_peer api_port
  read -r etcd_port etcd_peer api_port <<<"$(free_ports 3)"

  # etcd: loopback only, data on tmpfs if available (etcd 3.4 has no --unsafe-no-fsync).
  # Short election timeout: a single member otherwise waits ~1 s before electing itself.
  local data=$D/etcd-data
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then data=$(mktemp -d /dev/shm/kube-e2e-etcd.XXXXXX); echo "$data" > "$D/etcd-data.path"; fi
  "$ETCD_BIN" --name kube-e2e --data-dir "$data" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "kube-e2e=http://127.0.0.1:$etcd_peer" --initial-cluster-state new \
    --heartbeat-interval=10 --election-timeout=100 \
    --log-level warn --logger zap \
    > "$D/etcd.log" 2>&1 &
  echo $! > "$D/etcd.pid"

  # wait for etcd before starting the apiserver (the apiserver retries anyway, but fails faster logs)
  local deadline=$((SECONDS + KUBE_E2E_TIMEOUT))
  until curl -fsS "http://127.0.0.1:$etcd_port/health" 2>/dev/null | grep -q true; do
    pid_alive "$D/etcd.pid" || { cat "$D/etcd.log" >&2; die "etcd exited"; }
    [ $SECONDS -lt $deadline ] || die "etcd not healthy"
    sleep 0.1
  done
  local t_etcd; t_etcd=$(date +%s.%N)

  run_apiserver "$api_port" "$etcd_port"

  write_kubeconfig "$api_port"
  wait_ready "$api_port"
  [ "$KUBE_E2E_SA_ADMISSION" = 0 ] || ensure_ns default
  local t1; t1=$(date +%s.%N)
  cat > "$D/env" <<EOF
export KUBECONFIG=$D/kubeconfig
export KUBE_E2E_APISERVER=https://127.0.0.1:$api_port
export KUBE_E2E_CA=$C/ca.crt
export KUBE_E2E_TOKEN=$(cat "$C/admin.token")
export KUBE_E2E_ETCD=http://127.0.0.1:$etcd_port
EOF
  log "timings: certs $(el "$t0" "$t_certs")s, etcd healthy +$(el "$t_certs" "$t_etcd")s, apiserver ready (+default ns/SA) +$(el "$t_etcd" "$t1")s"
  log "ready in $(el "$t0" "$t1")s: apiserver https://127.0.0.1:$api_port (pid $(cat "$D/apiserver.pid")), etcd 127.0.0.1:$etcd_port (pid $(cat "$D/etcd.pid"))"
  cat "$D/env"
}

stop_one() { # apiserver|etcd: by the PID this script recorded
  local pid
  if pid_alive "$D/$1.pid"; then
    pid=$(cat "$D/$1.pid"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    log "stopped $1 (pid $pid)"
  fi
  rm -f "$D/$1.pid"
}

stop() {
  stop_one apiserver
  stop_one etcd
  if [ -f "$D/etcd-data.path" ]; then rm -rf "$(cat "$D/etcd-data.path")"; rm -f "$D/etcd-data.path"; fi
}

# Fault tests: the API server alone goes away and comes back on the same address, over the same etcd
# (its state kept), as after a control-plane restart.
apiserver_start() {
  pid_alive "$D/etcd.pid" || die "etcd is not running in $D (run start first)"
  pid_alive "$D/apiserver.pid" && die "kube-apiserver already running (pid $(cat "$D/apiserver.pid"))"
  local api_port etcd_port
  api_port=$(sed -n 's|^export KUBE_E2E_APISERVER=https://127.0.0.1:||p' "$D/env")
  etcd_port=$(sed -n 's|^export KUBE_E2E_ETCD=http://127.0.0.1:||p' "$D/env")
  local t0; t0=$(date +%s.%N)
  run_apiserver "$api_port" "$etcd_port"
  wait_ready "$api_port"
  log "kube-apiserver back on 127.0.0.1:$api_port in $(el "$t0" "$(date +%s.%N)")s (pid $(cat "$D/apiserver.pid"))"
}

status() {
  local f
  for f in etcd apiserver; do
    if pid_alive "$D/$f.pid"; then echo "$f running pid $(cat "$D/$f.pid")"; else echo "$f not running"; fi
  done
}


# Build kube-apiserver v1.20.2 from Debian bookworm's `kubernetes` source package (which only
# ships kubernetes-client as a binary package). Needs root for apt. Three fixes vs a plain go build:
#   1. GOPATH mode (GO111MODULE=off), like upstream 1.20's hack/ scripts; module mode fails
#      ("updates to go.mod needed, disabled by -mod=vendor").
#   2. pkg/generated/openapi/zz_generated.openapi.go is not in the tarball: `make gen_openapi`.
#   3. vendored github.com/modern-go/reflect2 v1.0.1 segfaults under Go >= 1.18 (map iteration in
#      json-iterator; hit by the mutating-webhook patch annotation): swap in Debian's 1.0.2 source.
build() {
  local src_root=${KUBE_SRC_DIR:-/tmp/kube-src}
  export DEBIAN_FRONTEND=noninteractive
  local updated=0
  if ! apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes'; then
    # deb-src for the same mirror as the existing (non-comment, non-security) bookworm deb entry
    local uri; uri=$(grep -rhE '^[[:space:]]*(URIs:|deb[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
      grep -v security | grep -oE 'https?://[^ ]+/debian/?' | head -1 || true)
    cat > /etc/apt/sources.list.d/kube-e2e-debsrc.sources <<EOF
Types: deb-src
URIs: ${uri:-http://deb.debian.org/debian}
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    apt-get update -qq; updated=1
  fi
  if ! { command -v go && command -v dpkg-source && command -v make && command -v etcd &&
         [ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ]; } >/dev/null; then
    [ $updated = 1 ] || apt-get update -qq
    # golang-go = 1.19 on bookworm; etcd-server = 3.4.23 (its service is not needed: we run our own)
    apt-get install -y -qq golang-go golang-github-modern-go-reflect2-dev dpkg-dev make rsync jq etcd-server >/dev/null
  fi
  mkdir -p "$src_root"; cd "$src_root"
  local tree; tree=$(ls -d "$src_root"/kubernetes-*/ 2>/dev/null | head -1 || true)
  if [ -z "$tree" ]; then
    apt-get source -qq kubernetes >"$src_root/apt-source.log" 2>&1 || { cat "$src_root/apt-source.log" >&2; die "apt-get source kubernetes failed"; }
    tree=$(ls -d "$src_root"/kubernetes-*/ | head -1)
  fi
  tree=${tree%/}; cd "$tree"
  local ver; ver=$(dpkg-parsechangelog -S Version 2>/dev/null | sed -E 's/.*really([0-9.]+).*/\1/; s/^([0-9.]+).*/\1/')
  ver=v${ver:-1.20.2}
  log "building kube-apiserver $ver from $tree"
  [ -f pkg/generated/openapi/zz_generated.openapi.go ] || make gen_openapi KUBE_VERBOSE=0 >"$src_root/gen_openapi.log" 2>&1 ||
    { tail -20 "$src_root/gen_openapi.log" >&2; die "make gen_openapi failed"; }
  local r=vendor/github.com/modern-go/reflect2
  if ! [ -f $r/go_above_118.go ]; then rm -f $r/*.go $r/*.s; cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go /usr/share/gocode/src/github.com/modern-go/reflect2/*.s $r/; fi
  export GOPATH=$src_root/gopath GOCACHE=$src_root/gocache GOPROXY=off GO111MODULE=off CGO_ENABLED=0 GOFLAGS=
  mkdir -p "$GOPATH/src/k8s.io"; ln -sfn "$tree" "$GOPATH/src/k8s.io/kubernetes"
  cd "$GOPATH/src/k8s.io/kubernetes"
  local P=k8s.io/kubernetes/vendor/k8s.io ldf="-s -w" pkg minor
  minor=$(echo "$ver" | cut -d. -f2)
  for pkg in client-go/pkg/version component-base/version; do
    ldf="$ldf -X $P/$pkg.gitVersion=$ver -X $P/$pkg.gitMajor=1 -X $P/$pkg.gitMinor=$minor -X $P/$pkg.gitTreeState=clean"
  done
  mkdir -p "$KUBE_BIN_DIR"
  go build -tags selinux,notest -trimpath -ldflags "$ldf" -o "$KUBE_BIN_DIR/kube-apiserver" ./cmd/kube-apiserver
  "$KUBE_BIN_DIR/kube-apiserver" --version >&2
  log "built $KUBE_BIN_DIR/kube-apiserver ($(du -h "$KUBE_BIN_DIR/kube-apiserver" | cut -f1)); etcd: $(command -v etcd)"
}

# Resolve $KUBE_ASSETS into $KUBE_BIN_DIR/kube-apiserver (decompressing an .xz once).
assets() {
  local src=${KUBE_ASSETS:-}
  [ -n "$src" ] || { [ -x "$KUBE_BIN_DIR/kube-apiserver" ] && return 0; die "set KUBE_ASSETS to a directory holding kube-apiserver (or kube-apiserver*.xz), or run '$0 build'"; }
  mkdir -p "$KUBE_BIN_DIR"
  if [ -d "$src" ]; then
    if [ -x "$src/kube-apiserver" ]; then ln -sfn "$(cd "$src" && pwd)/kube-apiserver" "$KUBE_BIN_DIR/kube-apiserver"; return 0; fi
    src=$(ls "$src"/kube-apiserver*.xz 2>/dev/null | head -1)
    [ -n "$src" ] || die "KUBE_ASSETS=$KUBE_ASSETS holds neither kube-apiserver nor kube-apiserver*.xz"
  fi
  case "$src" in
    *.xz)
      if ! [ -x "$KUBE_BIN_DIR/kube-apiserver" ] || [ "$src" -nt "$KUBE_BIN_DIR/kube-apiserver" ]; then
        command -v xz >/dev/null || die "xz is needed to unpack $src (apt-get install xz-utils)"
        xz -dc "$src" > "$KUBE_BIN_DIR/kube-apiserver.tmp" && chmod +x "$KUBE_BIN_DIR/kube-apiserver.tmp" \
          && mv "$KUBE_BIN_DIR/kube-apiserver.tmp" "$KUBE_BIN_DIR/kube-apiserver"
      fi ;;
    *) [ -x "$src" ] || die "KUBE_ASSETS=$src is not an executable kube-apiserver"; ln -sfn "$(readlink -f "$src")" "$KUBE_BIN_DIR/kube-apiserver" ;;
  esac
  "$KUBE_BIN_DIR/kube-apiserver" --version >&2
}

case "${1:-}" in
  assets) assets ;;
  start) start ;;
  stop) stop ;;
  apiserver-stop) stop_one apiserver ;;
  apiserver-start) apiserver_start ;;
  status) status ;;
  ns) shift; ensure_ns "$@" ;;
  build) build ;;
  *) echo "usage: $0 assets|start|stop|apiserver-stop|apiserver-start|status|ns NAME...|build" >&2; exit 2 ;;
esac
