# The suite's two commands: `make run` and `make test`. Everything else is a helper of those.
MVN ?= mvn
MVN_FLAGS ?= -B -ntp

SERVICES := auth-service user-service gateway
RUNNER_CP := deploy/local/target/classpath.txt
# Touched after a successful build: newer sources than this mean the jars are stale.
BUILT := deploy/local/target/suite-built.stamp
SOURCES := pom.xml $(shell find deploy/local deploy/db $(SERVICES) -path '*/target' -prune -o -type f -print 2>/dev/null)

.PHONY: run test build clean

## run: build what is stale, start PostgreSQL (TLS), Redis and the three services; Ctrl-C stops all
run: $(BUILT)
	exec java -cp "deploy/local/target/classes:$$(cat $(RUNNER_CP))" dev.suite.localstack.SuiteRunner

## test: the whole test suite against the real embedded servers
test:
	$(MVN) $(MVN_FLAGS) install

## build: package everything without running tests
build: $(BUILT)

$(BUILT): $(SOURCES)
	$(MVN) $(MVN_FLAGS) -q install -DskipTests
	@touch $@

clean:
	$(MVN) $(MVN_FLAGS) -q clean
