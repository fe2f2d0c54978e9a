# runit-ng build: every src/<prog>.c is a program linked with src/lib/.
# CFLAGS, CPPFLAGS and LDFLAGS are the builder's (a distribution's
# dpkg-buildflags, say): they are added to, never replaced. Warnings are
# errors only on request: make WERROR=1 (CI and developers), so a newer
# compiler's new warning never breaks a packager's build.
CC      ?= cc
CFLAGS  ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
WERROR  ?=
WARN    := -std=c17 -Wall -Wextra $(if $(filter-out 0 no,$(WERROR)),-Werror) -D_GNU_SOURCE
# Each object's header dependencies, written by the compiler beside it.
DEPFLAGS = -MMD -MP -MF $(basename $@).d

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR  ?= $(PREFIX)/share/man
# runit and runit-init go to /sbin, Debian's layout, only when PREFIX is /usr;
# with any other PREFIX they stay under it. Set SBINDIR_ROOT to choose.
SBINDIR_ROOT ?= $(if $(filter /usr /usr/,$(PREFIX)),/sbin,$(PREFIX)/sbin)

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
PROVE_FLAGS ?=
TESTS   := $(sort $(wildcard tests/*/*.t))

# Keep objects: they are intermediates of pattern rules, which make would otherwise delete.
.SECONDARY:

.PHONY: all clean check check-asan unit asan static install install-personalities \
        bench demo fuzz fuzz-run deb

all: $(BINS) $(UNITS)

# An object without its .d (a build from before dependency files) is rebuilt.
$(O)/lib/%.o: src/lib/%.c $(O)/lib/%.d | $(O)/lib
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Isrc/lib -c -o $@ $<

$(O)/lib/libng.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(O)/obj/%.o: src/%.c $(O)/obj/%.d | $(O)/obj
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Isrc/lib -c -o $@ $<

$(O)/bin/%: $(O)/obj/%.o $(O)/lib/libng.a | $(O)/bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/lib/libng.a

$(O)/tests/unit/%.t: tests/unit/%.c $(O)/tests/unit/%.d $(O)/lib/libng.a | $(O)/tests/unit
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Isrc/lib -Itests/unit $(LDFLAGS) -o $@ $< $(O)/lib/libng.a

$(O)/lib $(O)/obj $(O)/bin $(O)/tests/unit:
	mkdir -p $@

# The compiler writes the .d files; a missing one only forces its object.
$(O)/lib/%.d: ;
$(O)/obj/%.d: ;
$(O)/tests/unit/%.d: ;
-include $(wildcard $(O)/lib/*.d $(O)/obj/*.d $(O)/tests/unit/*.d)

# Unit tests (compiled) and shell tests share one prove run. Each test's
# output is kept in $(O)/test-logs; when some fail, their "not ok" lines and
# stderr are printed again at the end. One test, verbosely:
#   make check UNITS= TESTS=tests/sv/10-truth.t PROVE_FLAGS=-v
check: all
	@rm -rf $(O)/test-logs && mkdir -p $(O)/test-logs
	RNG_LOG=$(CURDIR)/$(O)/test-logs RNG_BIN=$(CURDIR)/$(O)/bin RNG_TOP=$(CURDIR) \
	$(PROVE) -j$(PROVE_JOBS) $(PROVE_FLAGS) --exec '$(CURDIR)/tests/lib/exec' $(UNITS) $(TESTS) || \
	{ tests/lib/failures $(O)/test-logs; exit 1; }

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

asan:
	$(MAKE) O=build-asan CFLAGS='$(ASAN_FLAGS)' LDFLAGS='$(ASAN_FLAGS)' all

check-asan:
	@# RNG_ASAN tells tests to scale down what only measures size (thousands of services).
	@# Leaks are not checked suite-wide: LeakSanitizer stops the world with ptrace, which fails
	@# in a program run under strace; tests/sv/32-no-leak.t turns it on for sv alone.
	RNG_ASAN=1 ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87 \
	$(MAKE) O=build-asan CFLAGS='$(ASAN_FLAGS)' LDFLAGS='$(ASAN_FLAGS)' check

static:
	$(MAKE) O=build-static CC=musl-gcc CFLAGS='-O2' LDFLAGS='-static' all

install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SBINDIR_ROOT)
	for p in $(BIN_PROGS); do [ ! -f $(O)/bin/$$p ] || install -m 755 $(O)/bin/$$p $(DESTDIR)$(BINDIR)/; done
	for p in $(SBIN_PROGS); do [ ! -f $(O)/bin/$$p ] || install -m 755 $(O)/bin/$$p $(DESTDIR)$(SBINDIR)/; done
	for p in $(ROOT_PROGS); do [ ! -f $(O)/bin/$$p ] || install -m 755 $(O)/bin/$$p $(DESTDIR)$(SBINDIR_ROOT)/; done
	for m in man/*.8; do [ ! -f $$m ] || { install -d $(DESTDIR)$(MANDIR)/man8; install -m 644 $$m $(DESTDIR)$(MANDIR)/man8/; }; done

install-personalities: install
	for p in $(PERSONALITIES); do ln -sf chpst $(DESTDIR)$(BINDIR)/$$p; done

bench: all
	bench/run

demo: all
	examples/demo.sh

FUZZ_SRC := $(wildcard fuzz/*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined

build-fuzz/%: fuzz/%.c $(LIBSRC) $(wildcard src/lib/*.h)
	@mkdir -p build-fuzz
	clang $(WARN) $(CPPFLAGS) $(FUZZ_FLAGS) -Isrc/lib -Isrc -o $@ $< $(LIBSRC)

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
