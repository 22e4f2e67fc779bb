# idgate: `make help` lists the targets.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

MVN       ?= ./mvnw -B -ntp
JAVA      ?= java
PORT      ?= 8443
MGMT_PORT ?= 9000
MANIFESTS ?= examples/cluster
JAR       := target/quarkus-app/quarkus-run.jar
CERTS     := certs/out
# make deploy: the kustomization of idgate itself; its webhooks/ holds the registrations, applied
# only once the rollout is ready within DEPLOY_TIMEOUT
DEPLOY_OVERLAY ?= k8s/overlays/certs
DEPLOY_TIMEOUT ?= 120s
CASE      ?= examples/reviews/mutate-pod.json
ENDPOINT  ?= mutate/pods
FUZZ_SECONDS ?= 300
# the image's tag follows the pom's version (the first <version> in pom.xml is the project's)
VERSION   := $(shell sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
IMAGE     ?= ghcr.io/idgate/idgate
IMAGE_TAR := target/image/idgate-$(VERSION).tar

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: test
test: ## Build and run every test (unit tables, fixture suites, @QuarkusTest, a few seconds of each fuzz target)
	$(MVN) verify

.PHONY: fuzz
fuzz: ## Fuzz every Jazzer target FUZZ_SECONDS (300) each; target/fuzz/summary.md, copied into docs/security.md
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

.PHONY: e2e
e2e: build ## End-to-end tests on a real kube-apiserver + etcd (KUBE_ASSETS=dir with kube-apiserver or its .xz)
	$(MVN) test -Dtest.groups=e2e -Dtest.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: bench
bench: ## Benchmarks: idgate vs bare Vert.x, scale curves, pod creates via kube-apiserver (docs/benchmarks.md, target/bench/results.json; BENCH_ARGS=--quick)
	bench/run.sh $(BENCH_ARGS)

.PHONY: soak
soak: ## Soak: mixed reviews + guardrail churn on a real kube-apiserver, judged by an oracle (SOAK_MINUTES=10 SOAK_RATE=200; docs/security.md "Soak")
	SOAK_MINUTES=$(or $(SOAK_MINUTES),10) SOAK_RATE=$(or $(SOAK_RATE),200) soak/run.sh $(SOAK_ARGS)

.PHONY: build
build: $(JAR) ## Build the runnable jar (tests skipped)

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) package -DskipTests

.PHONY: version
version: ## Print the project's version (the image tag)
	@echo $(VERSION)

.PHONY: image
image: build ## Build the container image as an OCI archive, no engine needed: target/image/idgate-VERSION.tar (root; mmdebstrap, umoci)
	image/build.sh $(VERSION) $(IMAGE)

.PHONY: image-test
image-test: image ## Unpack the built image, run its entrypoint in a chroot (standalone) and post a review to it
	$(MVN) test -Dtest.groups=image -Dtest.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: dist
dist: ## Render dist/install.yaml and dist/webhooks.yaml (k8s/overlays/cert-manager, image tag = the pom version): the file install
	k8s/dist.sh $(IMAGE) $(VERSION)

.PHONY: dist-check
dist-check: ## Fail when dist/ or the image tag in k8s/ is not what make dist renders
	@k8s/dist.sh --check $(IMAGE) $(VERSION)

.PHONY: certs
certs: ## Make a CA and serving certificate in certs/out (kept while valid)
	certs/gen-certs.sh --out $(CERTS)

.PHONY: run
run: build certs ## Run idgate locally: standalone (examples/), HTTPS on :8443 (PORT), health and metrics on :9000 (MGMT_PORT), the Deployment's JVM flags
	env $$(bench/shipped-jvm.sh --env) $(JAVA) $$(bench/shipped-jvm.sh --flags) \
	  -Didgate.cluster=none -Didgate.manifests=$(MANIFESTS) \
	  -Dquarkus.http.ssl-port=$(PORT) -Dquarkus.http.insecure-requests=disabled \
	  -Dquarkus.management.port=$(MGMT_PORT) \
	  -Dquarkus.tls.key-store.pem.0.cert=$(CERTS)/tls.crt \
	  -Dquarkus.tls.key-store.pem.0.key=$(CERTS)/tls.key \
	  -jar $(JAR)

.PHONY: deploy
deploy: certs ## Install into the current kubectl context (k8s/overlays/certs, CA from certs/); the webhooks only once idgate is ready
	k8s/overlays/certs/generate.sh $(CERTS)
	kubectl apply -k $(DEPLOY_OVERLAY)
	@# failurePolicy Fail: registered before a replica answers, the webhooks would refuse every pod create they cover
	@kubectl -n idgate-system rollout status deployment/idgate --timeout=$(DEPLOY_TIMEOUT) || { \
	  echo "make deploy: idgate is not ready after $(DEPLOY_TIMEOUT), so its webhooks were not registered (any registered before are unchanged); see kubectl -n idgate-system get pods, then make deploy again (DEPLOY_TIMEOUT= waits longer)" >&2; \
	  exit 1; }
	kubectl apply -k $(DEPLOY_OVERLAY)/webhooks

.PHONY: undeploy
undeploy: ## Uninstall: the webhook registrations first, so nothing waits on a webhook that is going away
	kubectl delete mutatingwebhookconfiguration/idgate validatingwebhookconfiguration/idgate --ignore-not-found
	kubectl delete -k $(DEPLOY_OVERLAY) --ignore-not-found

# A refusal has no patch: print its message (what kubectl prints after "denied the request:"); ExamplesTest runs this filter
LOCAL_REQUEST_JQ = 'if .response.allowed == false then .response.status.message elif .response.patch then .response.patch |= (@base64d | fromjson) else . end'
.PHONY: local-request
local-request: ## POST a review to the local idgate (CASE=file ENDPOINT=mutate/pods): the answer, its patch decoded, or a refusal's message
	@curl -sS --cacert $(CERTS)/ca.crt -H 'Content-Type: application/json' --data-binary @$(CASE) \
	  https://localhost:$(PORT)/$(ENDPOINT) | jq -r $(LOCAL_REQUEST_JQ)

.PHONY: fixtures-update
fixtures-update: ## Rewrite expected-response.json of every fixture from the actual answers (review the diff!)
	$(MVN) test -Dtest='*FixturesTest' -Dfixtures.update=true

.PHONY: clean
clean: ## Remove build output and generated certificates
	$(MVN) clean
	rm -rf $(CERTS)
