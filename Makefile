# dnslab: `make lab` runs the lab, `make test` runs the tests.

# The lab's zone file, its origin and where its DNS server listens.
ZONE   ?= testdata/db.emqx-cluster.org
ORIGIN ?= emqx-cluster.org
DNS    ?= 127.0.0.1:1053
# Seed of the nodes' random choices: the same seed replays the same run.
SEED   ?= 1
# The EMQX release the nodes behave as: emqx3, emqx4 or emqx5.
PROFILE ?= emqx3
# A scenario file to replay instead of the console (make lab SCENARIO=...).
SCENARIO ?=

GO ?= go

.DEFAULT_GOAL := test
.PHONY: test race lab build vet cover bench-load bench fuzz

# test: run every test once, without the cache.
test:
	$(GO) test -count=1 ./...

# race: run every test under the race detector.
race:
	$(GO) test -count=1 -race ./...

# lab: start the DNS server and one node per A record, then read console
# commands from standard input; with SCENARIO, replay that file instead.
lab: build
ifneq ($(SCENARIO),)
	@bin/dnslab lab run $(SCENARIO)
else
	@bin/dnslab lab -zone "$(ZONE)" -origin "$(ORIGIN)" -addr "$(DNS)" -seed "$(SEED)" \
		-profile "$(PROFILE)"
endif

# fuzz: run each fuzz target for FUZZTIME (default 20s); crashers land in
# the package's testdata/fuzz and then run with every `make test`.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./zone
	$(GO) test -run '^$$' -fuzz '^FuzzAnswer$$' -fuzztime $(FUZZTIME) ./dnsserver
	$(GO) test -run '^$$' -fuzz '^FuzzCorefile$$' -fuzztime $(FUZZTIME) ./dnsserver

# build: compile bin/dnslab.
build:
	@$(GO) build -o bin/dnslab ./cmd/dnslab

# vet: static checks.
vet:
	$(GO) vet ./...

# cover: test coverage per package.
cover:
	$(GO) test -count=1 -cover ./...

# bench-load: zone load time and peak memory for generated zones of 100k and
# 1M names, beside named-checkzone and nsd-checkzone (needs bind9-utils, nsd,
# time and ../shared/bench/genzone.sh; N="..." picks other sizes).
bench-load:
	bench/load.sh $(N)

# bench: the Go benchmarks of answering a query (with allocations), then
# dnsperf against `dnslab serve` and NSD side by side (needs dnsperf, nsd and
# ../shared/bench; ROUNDS, DURATION, ZONESETS, MODES pass through).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./dnsserver ./zone
	bench/qps.sh
