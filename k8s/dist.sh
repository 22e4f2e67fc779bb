#!/usr/bin/env bash
# The one-file install, dist/install.yaml (`make dist`), rendered from k8s/overlays/cert-manager:
# a single file cannot carry a serving certificate generated for each cluster (the certs overlay
# needs certs/gen-certs.sh first), while cert-manager issues, renews and injects it in the cluster.
# Also sets the image tag in k8s/base/kustomization.yaml to the pom's version, so that k8s/ names
# the image `make image` builds.
#
#   k8s/dist.sh IMAGE VERSION            print the install to stdout (after setting the tag)
#   k8s/dist.sh --check IMAGE VERSION    exit 1 when the tag or dist/install.yaml is stale (CI)
set -euo pipefail
check=""
if [ "${1:-}" = --check ]; then check=1; shift; fi
image=${1:?image name}
version=${2:?version}
root=$(cd "$(dirname "$0")/.." && pwd)
kustomization="$root/k8s/base/kustomization.yaml"
kubectl=${KUBECTL:-kubectl}

tag_line="    newTag: \"$version\""
if ! grep -qxF "    newName: $image" "$kustomization" || ! grep -qxF "$tag_line" "$kustomization"; then
  if [ -n "$check" ]; then
    echo "k8s/base/kustomization.yaml does not name $image:$version (the pom's version): run make dist" >&2
    exit 1
  fi
  sed -i -e "s|^    newName: .*|    newName: $image|" -e "s|^    newTag: .*|$tag_line|" "$kustomization"
fi

render() {
  echo "# idgate $version: the one-file install (make dist renders it from k8s/overlays/cert-manager; do not edit)."
  echo "# Needs cert-manager v1.0+ in the cluster, which issues the serving certificate and injects its CA:"
  echo "#   kubectl apply -f https://github.com/cert-manager/cert-manager/releases/latest/download/cert-manager.yaml"
  echo "#   kubectl apply -f install.yaml"
  echo "# Image: $image:$version (make image; see README \"Install in a cluster\")."
  "$kubectl" kustomize "$root/k8s/overlays/cert-manager"
}

if [ -n "$check" ]; then
  if ! diff -u "$root/dist/install.yaml" <(render) >&2; then
    echo "dist/install.yaml is not what k8s/ renders: run make dist" >&2
    exit 1
  fi
  echo "dist/install.yaml is current"
else
  render
fi
