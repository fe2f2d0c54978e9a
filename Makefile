# runit-ng build: every src/<prog>.c is a program linked with src/lib/.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE
LDFLAGS ?=
PREFIX  ?= /usr/local
DESTDIR ?=
SBINDIR_ROOT ?= /sbin

# Where this build goes: make O=build-asan puts objects and binaries elsewhere.
O       ?= build

PROGS   := $(sort $(basename $(notdir $(wildcard src/*.c))))
LIBSRC  := $(wildcard src/lib/*.c)
LIBOBJ  := $(LIBSRC:src/lib/%.c=$(O)/lib/%.o)
BINS    := $(PROGS:%=$(O)/bin/%)
UNITSRC := $(wildcard tests/unit/*.c)
UNITS   := $(UNITSRC:tests/unit/%.c=$(O)/tests/unit/%.t)

# Debian's layout: most in PREFIX/bin, two in PREFIX/sbin, PID-1 tools in /sbin.
BIN_PROGS   := runsv runsvdir sv svlogd chpst
SBIN_PROGS  := runsvchdir utmpset
ROOT_PROGS  := runit runit-init
# chpst answers to these names too; daemontools ships the same names, so
# they are installed only on request: make install-personalities.
PERSONALITIES := envdir envuidgid pgrphack setuidgid softlimit setlock

PROVE   ?= prove
PROVE_JOBS ?= 2
TESTS   := $(sort $(wildcard tests/*/*.t))

# Keep objects: they are intermediates of pattern rules, which make would otherwise delete.
.SECONDARY:

.PHONY: all clean check check-asan unit asan static install install-personalities \
        bench demo fuzz fuzz-run deb

all: $(BINS) $(UNITS)

$(O)/lib/%.o: src/lib/%.c $(wildcard src/lib/*.h) | $(O)/lib
	$(CC) $(WARN) $(CFLAGS) -Isrc/lib -c -o $@ $<

$(O)/lib/libng.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(O)/obj/%.o: src/%.c $(wildcard src/lib/*.h) | $(O)/obj
	$(CC) $(WARN) $(CFLAGS) -Isrc/lib -c -o $@ $<

$(O)/bin/%: $(O)/obj/%.o $(O)/lib/libng.a | $(O)/bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/lib/libng.a

$(O)/tests/unit/%.t: tests/unit/%.c tests/unit/tap.h $(O)/lib/libng.a | $(O)/tests/unit
	$(CC) $(WARN) $(CFLAGS) -Isrc/lib -Itests/unit $(LDFLAGS) -o $@ $< $(O)/lib/libng.a

$(O)/lib $(O)/obj $(O)/bin $(O)/tests/unit:
	mkdir -p $@

# Unit tests (compiled) and shell tests share one prove run.
check: all
	RNG_BIN=$(CURDIR)/$(O)/bin RNG_TOP=$(CURDIR) $(PROVE) -j$(PROVE_JOBS) --exec '$(CURDIR)/tests/lib/exec' $(UNITS) $(TESTS)

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

asan:
	$(MAKE) O=build-asan CFLAGS='$(ASAN_FLAGS)' LDFLAGS='$(ASAN_FLAGS)' all

check-asan:
	@# RNG_ASAN tells tests to scale down what only measures size (thousands of services).
	RNG_ASAN=1 ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87 \
	$(MAKE) O=build-asan CFLAGS='$(ASAN_FLAGS)' LDFLAGS='$(ASAN_FLAGS)' check

static:
	$(MAKE) O=build-static CC=musl-gcc CFLAGS='-O2' LDFLAGS='-static' all

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(SBINDIR_ROOT)
	for p in $(BIN_PROGS); do [ ! -f $(O)/bin/$$p ] || install -m 755 $(O)/bin/$$p $(DESTDIR)$(PREFIX)/bin/; done
	for p in $(SBIN_PROGS); do [ ! -f $(O)/bin/$$p ] || install -m 755 $(O)/bin/$$p $(DESTDIR)$(PREFIX)/sbin/; done
	for p in $(ROOT_PROGS); do [ ! -f $(O)/bin/$$p ] || install -m 755 $(O)/bin/$$p $(DESTDIR)$(SBINDIR_ROOT)/; done
	for m in man/*.8; do [ ! -f $$m ] || { install -d $(DESTDIR)$(PREFIX)/share/man/man8; install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man8/; }; done

install-personalities: install
	for p in $(PERSONALITIES); do ln -sf chpst $(DESTDIR)$(PREFIX)/bin/$$p; done

bench: all
	bench/run

demo: all
	examples/demo.sh

FUZZ_SRC := $(wildcard fuzz/*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined

build-fuzz/%: fuzz/%.c $(LIBSRC) $(wildcard src/lib/*.h)
	@mkdir -p build-fuzz
	clang $(WARN) $(FUZZ_FLAGS) -Isrc/lib -Isrc -o $@ $< $(LIBSRC)

fuzz: $(FUZZ_BIN)

# A short run of every harness (CI); FUZZ_SECONDS sets each one's budget.
# Then svlogd's property test (tests/svlogd/70-property.t) for six budgets.
FUZZ_SECONDS ?= 20
fuzz-run: fuzz all
	@for f in $(FUZZ_BIN); do \
	  n=$$(basename $$f); mkdir -p build-fuzz/corpus-$$n; \
	  [ ! -d fuzz/corpus/$$n ] || cp -n fuzz/corpus/$$n/* build-fuzz/corpus-$$n/ 2>/dev/null; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 build-fuzz/corpus-$$n >build-fuzz/$$n.log 2>&1 || { tail -40 build-fuzz/$$n.log; exit 1; }; \
	done
	@echo "fuzz: svlogd property test for $$(( $(FUZZ_SECONDS) * 6 ))s"
	@RNG_BIN=$(CURDIR)/$(O)/bin RNG_TOP=$(CURDIR) SVLOGD_PROP_SECONDS=$$(( $(FUZZ_SECONDS) * 6 )) \
	  tests/svlogd/70-property.t >build-fuzz/svlogd-property.log 2>&1 || { cat build-fuzz/svlogd-property.log; exit 1; }

# Debian packages (debian/): dpkg-buildpackage writes its results into the
# parent of the tree it builds, so it builds a copy in $(DEBOUT)/runit-ng and
# the .deb, .changes and .buildinfo files land in $(DEBOUT).
DEBOUT ?= build-deb
deb:
	rm -rf $(DEBOUT) && mkdir -p $(DEBOUT)/runit-ng
	tar -c --exclude=./.git --exclude='./build*' --exclude=./$(DEBOUT) . | tar -x -C $(DEBOUT)/runit-ng
	cd $(DEBOUT)/runit-ng && dpkg-buildpackage -us -uc -b
	rm -rf $(DEBOUT)/runit-ng

clean:
	rm -rf build build-asan build-static build-fuzz build-deb
