#!/usr/bin/env python3
"""A toy identity provider for idgate's identity tokens: an RSA key, its JWKS, and signed tokens.

  examples/oidc/mint-token.py keys                 # out/issuer.key (RSA 2048) and out/jwks.json (kid demo-1)
  examples/oidc/mint-token.py configmap            # a guardrail ConfigMap trusting this issuer (inline JWKS)
  examples/oidc/mint-token.py token --sub system:serviceaccount:payments:api --groups payments [--ttl 3600]

Tokens are RS256 JWTs with iss https://idp.example.com/, aud idgate, the given sub and groups claim.
Only Python's standard library and the openssl command are used; a real provider (Dex, Keycloak,
Entra ID, Okta...) issues the same shape of token.
"""
import argparse, base64, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("IDP_DIR", os.path.join(HERE, "out"))
KEY = os.path.join(OUT, "issuer.key")
KID = "demo-1"
ISS = "https://idp.example.com/"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def openssl(*args, data=None) -> bytes:
    return subprocess.run(["openssl", *args], input=data, check=True, capture_output=True).stdout


def jwks() -> dict:
    text = openssl("rsa", "-in", KEY, "-noout", "-text").decode()
    # modulus: hex bytes after "modulus:" up to "publicExponent:"
    mod_hex = text.split("modulus:")[1].split("publicExponent:")[0]
    modulus = bytes.fromhex("".join(mod_hex.split()).replace(":", ""))
    modulus = modulus.lstrip(b"\x00")
    exponent = int(text.split("publicExponent:")[1].split()[0])
    e = exponent.to_bytes((exponent.bit_length() + 7) // 8, "big")
    return {"keys": [{"kty": "RSA", "kid": KID, "use": "sig", "alg": "RS256", "n": b64url(modulus), "e": b64url(e)}]}


def cmd_keys(_):
    os.makedirs(OUT, exist_ok=True)
    if not os.path.exists(KEY):
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", KEY)
    with open(os.path.join(OUT, "jwks.json"), "w") as f:
        json.dump(jwks(), f)
    print(f"wrote {KEY} and {os.path.join(OUT, 'jwks.json')}", file=sys.stderr)


def cmd_configmap(args):
    keys = json.dumps(jwks())
    print(f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: guardrails-oidc
  namespace: {args.namespace}
  labels:
    idgate.io/guardrails: "true"
data:
  oidc.yaml: |
    issuers:
      - name: demo-idp
        issuer: {ISS}
        audience: idgate
        jwks: '{keys}'
        algorithms: [RS256]
        clockSkew: 30s
        claims:
          groups: [payments, "pci-*"]
    groups:
      payments-verified:
        members:
          - claim: {{issuer: demo-idp, groups: payments}}
    rules:
      - name: vault-ingress-from-payments
        description: vault-* namespaces accept traffic only from verified payments workloads.
        match:
          namespaces: ["vault-*"]
        require:
          ingressFrom: ["group:payments-verified"]
          ports: true""")


def cmd_token(args):
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": KID}
    claims = {"iss": ISS, "aud": "idgate", "sub": args.sub, "iat": now, "nbf": now, "exp": now + args.ttl}
    if args.groups:
        claims["groups"] = args.groups.split(",")
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = openssl("dgst", "-sha256", "-sign", KEY, "-binary", data=signing_input.encode())
    print(f"{signing_input}.{b64url(signature)}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("keys").set_defaults(run=cmd_keys)
    c = sub.add_parser("configmap")
    c.add_argument("--namespace", default="idgate-system")
    c.set_defaults(run=cmd_configmap)
    t = sub.add_parser("token")
    t.add_argument("--sub", required=True, help="system:serviceaccount:<ns>:<sa> or the SPIFFE ID of the ServiceAccount")
    t.add_argument("--groups", default="", help="comma-separated values of the groups claim")
    t.add_argument("--ttl", type=int, default=3600, help="seconds until exp")
    t.set_defaults(run=cmd_token)
    args = p.parse_args()
    if args.command != "keys" and not os.path.exists(KEY):
        sys.exit(f"no issuer key in {OUT}: run '{sys.argv[0]} keys' first")
    args.run(args)


if __name__ == "__main__":
    main()
