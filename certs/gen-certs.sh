#!/usr/bin/env bash
# gen-certs.sh: a CA and a serving certificate for the idgate webhook (openssl only).
#
#   certs/gen-certs.sh [--out DIR] [--namespace NS] [--service NAME] [--days N] [--client-cn CN] [--force | --renew]
#
# Writes DIR (default certs/out, git-ignored):
#   ca.crt, ca.key        the CA; ca.crt is what the API server must trust (the webhook caBundle)
#   tls.crt, tls.key      the serving certificate and key idgate loads (PEM)
#   ca-bundle.b64         base64 of ca.crt, ready for a webhook configuration's caBundle
#   client-ca.crt, .key   a separate CA for the API server's client certificate (idgate.tls.client-ca)
#   apiserver-client.crt, .key  that client certificate (CN kube-apiserver, clientAuth only), for the
#                         API server's --admission-control-config-file kubeconfig (docs/certificates.md)
#
# SANs: the in-cluster names the API server dials (<svc>.<ns>.svc, and the .cluster.local form),
# plus localhost and IP 127.0.0.1 for local runs and end-to-end tests (Go ignores the CN).
# Keys are EC P-256: as strong as RSA-3072 for TLS and generated in milliseconds.
# An existing, unexpired set with the same SANs is kept unless --force (new CA and certificate) or
# --renew (new serving certificate and key from the existing CA: the caBundle stays valid, which is
# how a rotation in a running cluster looks) is given.
set -euo pipefail

out=certs/out namespace=idgate-system service=idgate days=365 force=0 renew=0 client_cn=kube-apiserver
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --namespace) namespace=$2; shift 2 ;;
    --service) service=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --client-cn) client_cn=$2; shift 2 ;;
    --force) force=1; shift ;;
    --renew) renew=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "gen-certs.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
command -v openssl >/dev/null || { echo "gen-certs.sh: openssl is required (apt-get install openssl)" >&2; exit 1; }

sans="DNS:$service,DNS:$service.$namespace,DNS:$service.$namespace.svc,DNS:$service.$namespace.svc.cluster.local,DNS:localhost,IP:127.0.0.1"
mkdir -p "$out"
if [ "$renew" = 1 ] && ! [ -s "$out/ca.key" ]; then
  echo "gen-certs.sh: --renew needs the CA in $out (ca.crt, ca.key); run without --renew first" >&2; exit 1
fi
if [ "$force" = 0 ] && [ "$renew" = 0 ] && [ -s "$out/tls.crt" ] && [ -s "$out/tls.key" ] && [ -s "$out/ca.crt" ] \
   && openssl x509 -in "$out/tls.crt" -noout -checkend 86400 >/dev/null 2>&1 \
   && [ "$(cat "$out/.sans" 2>/dev/null)" = "$sans" ] && [ -s "$out/apiserver-client.crt" ]; then
  echo "certs: keeping the valid certificate in $out (use --force to make a new one)"
  exit 0
fi

umask 077
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ "$renew" = 1 ]; then
  cp "$out/ca.key" "$out/ca.crt" "$tmp/"
else
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$tmp/ca.key" -subj "/CN=idgate-ca" -days $((days * 3)) -out "$tmp/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/tls.key" 2>/dev/null
openssl req -new -key "$tmp/tls.key" -subj "/CN=$service.$namespace.svc" -out "$tmp/tls.csr" 2>/dev/null
cat > "$tmp/ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$sans
EXT
openssl x509 -req -in "$tmp/tls.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAcreateserial \
  -days "$days" -extfile "$tmp/ext" -out "$tmp/tls.crt" 2>/dev/null
openssl verify -CAfile "$tmp/ca.crt" "$tmp/tls.crt" >/dev/null
# readable by the process that serves them; the CA key stays private
chmod 644 "$tmp/ca.crt" "$tmp/tls.crt"; chmod 600 "$tmp/ca.key"; chmod 640 "$tmp/tls.key"
mv "$tmp/ca.crt" "$tmp/ca.key" "$out/"
# The certificate and its key change together, as in a Kubernetes Secret volume: both live in a new
# directory and one rename of the ..data symlink switches them, so a server reloading at any moment
# never reads a new certificate with an old key.
stamp="..$(date +%Y_%m_%d_%H_%M_%S.%N)"
mkdir "$out/$stamp"
mv "$tmp/tls.crt" "$tmp/tls.key" "$out/$stamp/"
old_data=$(readlink "$out/..data" 2>/dev/null || true)
ln -sfn "$stamp" "$out/..data.tmp" && mv -T "$out/..data.tmp" "$out/..data"
for f in tls.crt tls.key; do
  [ -L "$out/$f" ] || { rm -f "$out/$f"; ln -s "..data/$f" "$out/$f"; }
done
[ -z "$old_data" ] || [ "$old_data" = "$stamp" ] || rm -rf "${out:?}/$old_data"
# The API server's client certificate comes from its own CA: a serving certificate of the webhook CA
# can never pass as the API server. Made with a new CA; --renew keeps the client pair.
if [ "$renew" = 0 ] || ! [ -s "$out/apiserver-client.crt" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/client-ca.key" 2>/dev/null
  openssl req -x509 -new -key "$tmp/client-ca.key" -subj "/CN=idgate-client-ca" -days $((days * 3)) -out "$tmp/client-ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/apiserver-client.key" 2>/dev/null
  openssl req -new -key "$tmp/apiserver-client.key" -subj "/CN=$client_cn" -out "$tmp/client.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > "$tmp/client-ext"
  openssl x509 -req -in "$tmp/client.csr" -CA "$tmp/client-ca.crt" -CAkey "$tmp/client-ca.key" -CAcreateserial \
    -days "$days" -extfile "$tmp/client-ext" -out "$tmp/apiserver-client.crt" 2>/dev/null
  chmod 644 "$tmp/client-ca.crt" "$tmp/apiserver-client.crt"; chmod 600 "$tmp/client-ca.key" "$tmp/apiserver-client.key"
  mv "$tmp/client-ca.crt" "$tmp/client-ca.key" "$tmp/apiserver-client.crt" "$tmp/apiserver-client.key" "$out/"
fi
base64 -w0 < "$out/ca.crt" > "$out/ca-bundle.b64"
echo "$sans" > "$out/.sans"
echo "certs: wrote $out ($([ "$renew" = 1 ] && echo "renewed serving certificate, same CA" || echo "CA + serving certificate") for $sans, valid $days days)"
