#!/usr/bin/env bash
# Builds idgate's container image as an OCI archive without a container engine or a registry
# (`make image`): target/image/idgate-<version>.tar, loadable with `docker load`, `podman load`,
# `kind load image-archive` and `skopeo copy oci-archive:…`.
#
# Why these tools: the machines that build idgate have Debian's packages and Maven Central but no
# Docker engine and no registry, so no base image can be pulled. mmdebstrap builds the base from
# Debian packages (bookworm + security: openjdk-17-jre-headless, ca-certificates, a POSIX shell) as
# root with nothing but apt; umoci writes the OCI layout (add a layer tar, set the config) as a plain
# file operation, daemonless and rootless. buildah needs a storage driver and mounts; Jib reads its
# base from a registry or a docker-save tar, which we would have to make with the same tools anyway.
#
# Layers, from least to most often changed: the Debian base (cached in target/image/cache, rebuilt
# with IMAGE_BASE_REFRESH=1), the dependency jars (lib/), then idgate itself (app/, quarkus/,
# quarkus-run.jar, the entrypoint). A rebuild after a code change touches the last layer only.
#
# Usage: image/build.sh VERSION IMAGE_NAME   (e.g. 0.1.0 ghcr.io/idgate/idgate)
set -euo pipefail
version=${1:?version}
name=${2:?image name without tag}
root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/target/quarkus-app"
out="$root/target/image"
work="$out/work"
suite=bookworm
for tool in mmdebstrap umoci jq tar; do
  command -v "$tool" >/dev/null || { echo "image/build.sh: $tool not found (apt-get install mmdebstrap umoci jq)" >&2; exit 1; }
done
[ -f "$app/quarkus-run.jar" ] || { echo "image/build.sh: $app/quarkus-run.jar missing: make build first" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "image/build.sh: mmdebstrap needs root here (chroot mode) to run the JRE's postinst" >&2; exit 1; }

# One timestamp for every file, layer and the config: the last commit's, so that a rebuild of the
# same commit gives the same layers (given the same Debian package versions).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
tarflags=(--sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" --format=posix
          --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)

# --- the base: a Debian root filesystem with a JRE --------------------------------------------------
# The package list is the cache key: change it and the base is rebuilt.
packages=openjdk-17-jre-headless,ca-certificates
key=$(printf '%s %s v2' "$suite" "$packages" | sha256sum | cut -c1-12)
base="$out/cache/base-$suite-$key.tar"
if [ ! -s "$base" ] || [ -n "${IMAGE_BASE_REFRESH:-}" ]; then
  mkdir -p "$out/cache"
  rm -f "$out"/cache/base-*.tar   # bases of other package lists
  echo "image: building the base from Debian $suite ($packages); a few minutes, cached in $base"
  # essential: a shell and coreutils for the entrypoint and for `kubectl exec` while debugging.
  # No docs, man pages or locales; the JRE's postinst needs man1 to exist for its alternatives.
  # ct.sym serves javac only. merged-usr: the /usr symlinks made directly, without the usrmerge
  # package, which would pull in perl (47 MB).
  # output/dev: the runtime provides /dev. The user idgate (185, the Deployment's runAsUser) owns
  # nothing: the application files stay root-owned and read-only for it.
  mmdebstrap --variant=essential --format=tar --include="$packages" --skip=output/dev \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/lib/jvm/*/lib/ct.sym' --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='echo "idgate:x:185:185:idgate:/deployments:/usr/sbin/nologin" >> "$1/etc/passwd"' \
    --customize-hook='echo "idgate:x:185:" >> "$1/etc/group"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/* "$1"/var/log/*' \
    "$suite" "$base.partial" >"$out/cache/mmdebstrap.log" 2>&1 \
    || { tail -20 "$out/cache/mmdebstrap.log" >&2; rm -f "$base.partial"; exit 1; }
  mv "$base.partial" "$base"
fi

# --- the application layers -------------------------------------------------------------------------
rm -rf "$work" && mkdir -p "$work/lib/deployments" "$work/app/deployments" "$work/app/usr/local/bin"
cp -a "$app/lib" "$work/lib/deployments/"
cp -a "$app/app" "$app/quarkus" "$app/quarkus-run.jar" "$work/app/deployments/"
install -m 0755 "$root/image/entrypoint.sh" "$work/app/usr/local/bin/idgate"
chmod -R u=rwX,go=rX "$work/lib" "$work/app"
tar "${tarflags[@]}" -cf "$work/lib.tar" -C "$work/lib" deployments
tar "${tarflags[@]}" -cf "$work/app.tar" -C "$work/app" deployments usr

# --- the OCI layout ---------------------------------------------------------------------------------
layout="$work/oci"
umoci init --layout "$layout"
umoci new --image "$layout:$version"
umoci raw add-layer --image "$layout:$version" --history.created "$created" \
  --history.created_by "mmdebstrap $suite $packages" "$base"
umoci raw add-layer --image "$layout:$version" --history.created "$created" \
  --history.created_by "quarkus-app/lib" "$work/lib.tar"
umoci raw add-layer --image "$layout:$version" --history.created "$created" \
  --history.created_by "quarkus-app/{app,quarkus,quarkus-run.jar}, image/entrypoint.sh" "$work/app.tar"
umoci config --image "$layout:$version" --created "$created" --history.created "$created" \
  --history.created_by "config" \
  --config.entrypoint /usr/local/bin/idgate \
  --config.user 185:185 --config.workingdir /deployments \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env LANG=C.UTF-8 \
  --config.exposedports 8443/tcp --config.exposedports 9000/tcp \
  --config.label "org.opencontainers.image.title=idgate" \
  --config.label "org.opencontainers.image.version=$version" \
  --config.label "org.opencontainers.image.revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)" \
  --config.label "org.opencontainers.image.source=https://github.com/idgate/idgate"
umoci gc --layout "$layout"

# Name the image the way `docker save` (25+) does, so that every loader finds its name: containerd
# (kind) reads io.containerd.image.name from index.json, skopeo/podman read the OCI layout, and
# `docker load` before 25 reads manifest.json (a docker-archive beside the OCI layout, same blobs).
manifest=$(jq -r '.manifests[0].digest' "$layout/index.json")
jq --arg ref "$name:$version" --arg tag "$version" \
  '.manifests[0].annotations = {"io.containerd.image.name": $ref, "org.opencontainers.image.ref.name": $tag}' \
  "$layout/index.json" > "$layout/index.json.new" && mv "$layout/index.json.new" "$layout/index.json"
mblob="$layout/blobs/sha256/${manifest#sha256:}"
jq --arg ref "$name:$version" \
  '[{Config: ("blobs/sha256/" + (.config.digest | sub("sha256:"; ""))), RepoTags: [$ref],
     Layers: [.layers[].digest | "blobs/sha256/" + sub("sha256:"; "")]}]' "$mblob" > "$layout/manifest.json"

archive="$out/idgate-$version.tar"
tar "${tarflags[@]}" -cf "$archive.partial" -C "$layout" oci-layout index.json manifest.json blobs
mv "$archive.partial" "$archive"
echo "image: $archive ($name:$version, $(du -m "$archive" | cut -f1) MB)"
