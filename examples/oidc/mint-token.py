#!/usr/bin/env python3
"""A toy identity provider for idgate's identity tokens: an RSA key, its JWKS, and signed tokens.

  examples/oidc/mint-token.py keys                 # out/issuer.key (RSA 2048) and out/jwks.json (kid demo-1)
  examples/oidc/mint-token.py configmap            # a guardrail ConfigMap trusting this issuer (inline JWKS)
  examples/oidc/mint-token.py token --sub system:serviceaccount:payments:api --groups payments [--ttl 3600]

Tokens are RS256 JWTs with iss https://idp.example.com/, aud idgate, the given sub and groups claim.
--shape okta|keycloak|azure|google|auth0 (on configmap and token) lays the claims out as that
provider does instead (docs/oidc-providers.md): its issuer URL and audience, and the groups where it
keeps them (Keycloak: realm_access.roles; Azure AD: GUIDs in groups, with tid; Google: no groups, the
domain in hd; Auth0: a URL-named claim). Still signed by this toy key, never by the real provider.
Only Python's standard library and the openssl command are used.
"""
import argparse, base64, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("IDP_DIR", os.path.join(HERE, "out"))
KEY = os.path.join(OUT, "issuer.key")
KID = "demo-1"
ISS = "https://idp.example.com/"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"          # a made-up Azure AD tenant ID
PAYMENTS_GUID = "0b6f1a9e-3c2d-4e5f-8a7b-9c0d1e2f3a4b"   # the object ID of its payments group
GOOGLE_CLIENT = "1234567890-abc.apps.googleusercontent.com"

# Per provider: the issuer block's fields, its claims mapping, the claim member of its group (as they
# go into the guardrail document), and the token claims for --groups / --roles / --hd.
SHAPES = {
    "okta": {
        "issuer": "https://dev-123456.okta.com/oauth2/default",
        "fields": ["audience: api://default"],
        "claims": ['groups: [payments, "pci-*"]'],
        "member": "{issuer: okta, groups: payments}",
        "token": lambda a: {"aud": "api://default", "ver": 1, "cid": "0oa1b2c3d4e5f6g7h8i9", "scp": ["idgate"],
                            **({"groups": a.groups} if a.groups else {})},
    },
    "keycloak": {
        "issuer": "https://keycloak.example.com/realms/corp",
        "fields": ["audience: idgate", "authorizedParty: workload-tokens"],
        "claims": ["/realm_access/roles: [payments]", '/resource_access/idgate/roles: ["pci-*"]'],
        "member": "{issuer: keycloak, /realm_access/roles: payments}",
        "token": lambda a: {"aud": ["idgate", "account"], "azp": "workload-tokens", "typ": "Bearer",
                            "realm_access": {"roles": ["offline_access", *a.groups]},
                            # Keycloak leaves out a client without roles for this user
                            "resource_access": {**({"idgate": {"roles": a.roles}} if a.roles else {}),
                                                "account": {"roles": ["view-profile"]}}},
    },
    "azure": {
        "issuer": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "fields": ["audience: 6e74172b-be56-4843-9ff4-e66a39bb12e3"],
        "claims": [f"groups: [{PAYMENTS_GUID}]", "roles: [Payments.Writer]", f"tid: [{TENANT}]"],
        "member": f"{{issuer: azure, groups: {PAYMENTS_GUID}}}",
        "token": lambda a: {"aud": "6e74172b-be56-4843-9ff4-e66a39bb12e3", "ver": "2.0", "tid": TENANT,
                            "azp": "b1d2c3e4-0000-4000-8000-000000000001", "oid": "9a8b7c6d-0000-4000-8000-000000000002",
                            **({"groups": a.groups} if a.groups else {}), **({"roles": a.roles} if a.roles else {})},
    },
    "google": {
        "issuer": "https://accounts.google.com",
        "fields": [f"audience: {GOOGLE_CLIENT}"],
        "claims": ["hd: [example.com]"],
        "member": "{issuer: google, hd: example.com}",
        "token": lambda a: {"aud": GOOGLE_CLIENT, "azp": GOOGLE_CLIENT, "email": "payments-api@example.com",
                            "email_verified": True, **({"hd": a.hd} if a.hd else {})},
    },
    "auth0": {
        "issuer": "https://corp.eu.auth0.com/",
        "fields": ["audience: https://idgate.example.com"],
        "claims": ["https://example.com/groups: [payments]"],
        "member": '{issuer: auth0, "https://example.com/groups": payments}',
        "token": lambda a: {"aud": ["https://idgate.example.com", "https://corp.eu.auth0.com/userinfo"], "azp": "AbC123dEf456",
                            **({"https://example.com/groups": a.groups} if a.groups else {})},
    },
}


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
    if args.shape != "demo":
        shape = SHAPES[args.shape]
        fields = "".join(f"\n        {f}" for f in shape["fields"])
        claims = "".join(f"\n          {c}" for c in shape["claims"])
        print(f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: guardrails-oidc-{args.shape}
  namespace: {args.namespace}
  labels:
    idgate.io/guardrails: "true"
data:
  oidc.yaml: |
    issuers:
      - name: {args.shape}
        issuer: {shape["issuer"]}{fields}
        jwks: '{keys}'
        algorithms: [RS256]
        claims:{claims}
    groups:
      payments-{args.shape}:
        members:
          - claim: {shape["member"]}""")
        return
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
    args.groups = [g for g in args.groups.split(",") if g]
    args.roles = [r for r in args.roles.split(",") if r]
    claims = {"iss": ISS, "aud": "idgate", "sub": args.sub, "iat": now, "nbf": now, "exp": now + args.ttl}
    if args.shape != "demo":
        claims.update(iss=SHAPES[args.shape]["issuer"], **SHAPES[args.shape]["token"](args))
    elif args.groups:
        claims["groups"] = args.groups
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = openssl("dgst", "-sha256", "-sign", KEY, "-binary", data=signing_input.encode())
    print(f"{signing_input}.{b64url(signature)}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("keys").set_defaults(run=cmd_keys)
    c = sub.add_parser("configmap")
    c.add_argument("--namespace", default="idgate-system")
    c.add_argument("--shape", choices=["demo", *SHAPES], default="demo", help="lay the issuer out as this provider does")
    c.set_defaults(run=cmd_configmap)
    t = sub.add_parser("token")
    t.add_argument("--sub", required=True, help="system:serviceaccount:<ns>:<sa> or the SPIFFE ID of the ServiceAccount")
    t.add_argument("--shape", choices=["demo", *SHAPES], default="demo", help="lay the claims out as this provider does")
    t.add_argument("--groups", default="", help="comma-separated groups: the groups claim (Okta, Azure AD: GUIDs), realm roles"
                   " (Keycloak), https://example.com/groups (Auth0)")
    t.add_argument("--roles", default="", help="comma-separated app roles (Azure AD roles) or client roles (Keycloak, client idgate)")
    t.add_argument("--hd", default="", help="the Google Workspace domain (hd); omitted as for a consumer account")
    t.add_argument("--ttl", type=int, default=3600, help="seconds until exp")
    t.set_defaults(run=cmd_token)
    args = p.parse_args()
    if args.command != "keys" and not os.path.exists(KEY):
        sys.exit(f"no issuer key in {OUT}: run '{sys.argv[0]} keys' first")
    args.run(args)


if __name__ == "__main__":
    main()
