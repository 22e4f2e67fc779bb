# Sourced by .ci/run and bench/run.sh: the tools both need, found the same way.

# Installs the Debian packages named for each missing command: ensure_tools etcd=etcd-server xz=xz-utils
ensure_tools() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  local sudo_cmd; sudo_cmd=$([ "$(id -u)" = 0 ] && echo "" || echo "sudo")
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
}

# kube-apiserver: from KUBE_ASSETS if set, else the team's prebuilt archive beside the checkout
# (see e2e/README.md to build one from Debian source instead).
default_kube_assets() {
  local candidate
  if [ -z "${KUBE_ASSETS:-}" ]; then
    for candidate in ../shared/kube/kube-apiserver-v1.20.2-linux-amd64.xz; do
      if [ -f "$candidate" ]; then export KUBE_ASSETS; KUBE_ASSETS=$(realpath "$candidate"); break; fi
    done
  fi
}
