#!/usr/bin/env bash
# The file install, dist/install.yaml then dist/webhooks.yaml (`make dist`), rendered from
# k8s/overlays/cert-manager and its webhooks/: files cannot carry a serving certificate generated for
# each cluster (the certs overlay needs certs/gen-certs.sh first), while cert-manager issues, renews
# and injects it in the cluster.
# Also sets the image tag in k8s/base/kustomization.yaml to the pom's version, so that k8s/ names
# the image `make image` builds.
#
#   k8s/dist.sh IMAGE VERSION            write dist/install.yaml and dist/webhooks.yaml (after setting the tag)
#   k8s/dist.sh --check IMAGE VERSION    exit 1 when the tag or either file is stale (CI)
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

# Two files, applied in this order: install.yaml (idgate itself), then, once its rollout is ready,
# webhooks.yaml (the registrations). One file would register the failurePolicy Fail webhooks while
# no idgate pod answers yet, and every pod create they cover would be refused until one does.
render_install() {
  echo "# idgate $version: the install (make dist renders it from k8s/overlays/cert-manager; do not edit)."
  echo "# Needs cert-manager v1.0+ in the cluster, which issues the serving certificate and injects its CA."
  echo "# Then the webhook registrations, only once idgate is ready (else every pod create is refused):"
  echo "#   kubectl apply -f https://github.com/cert-manager/cert-manager/releases/latest/download/cert-manager.yaml"
  echo "#   kubectl apply -f install.yaml"
  echo "#   kubectl -n idgate-system rollout status deployment/idgate --timeout=180s && kubectl apply -f webhooks.yaml"
  echo "# Image: $image:$version (make image; see README \"Install in a cluster\")."
  "$kubectl" kustomize "$root/k8s/overlays/cert-manager"
}

render_webhooks() {
  echo "# idgate $version: the webhook registrations (make dist renders them from k8s/overlays/cert-manager/webhooks;"
  echo "# do not edit). Apply after install.yaml, once idgate is ready:"
  echo "#   kubectl -n idgate-system rollout status deployment/idgate --timeout=180s && kubectl apply -f webhooks.yaml"
  "$kubectl" kustomize "$root/k8s/overlays/cert-manager/webhooks"
}

if [ -n "$check" ]; then
  stale=""
  diff -u "$root/dist/install.yaml" <(render_install) >&2 || stale=1
  diff -u "$root/dist/webhooks.yaml" <(render_webhooks) >&2 || stale=1
  if [ -n "$stale" ]; then
    echo "dist/install.yaml or dist/webhooks.yaml is not what k8s/ renders: run make dist" >&2
    exit 1
  fi
  echo "dist/install.yaml and dist/webhooks.yaml are current"
else
  mkdir -p "$root/dist"
  render_install > "$root/dist/install.yaml.tmp" && mv "$root/dist/install.yaml.tmp" "$root/dist/install.yaml"
  render_webhooks > "$root/dist/webhooks.yaml.tmp" && mv "$root/dist/webhooks.yaml.tmp" "$root/dist/webhooks.yaml"
fi
