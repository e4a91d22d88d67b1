# hardrun: a drop-in OCI runtime that hardens containers before runc/crun runs them.

VERSION := 0.1.0

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share/hardrun
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libseccomp libcap-ng yajl libselinux libapparmor

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))

# By default hardrun is a static PIE: no dynamic loader runs on the
# pass-through path (see `make bench`), and the binary can be copied onto a
# node that lacks the libraries.  STATIC=0 links dynamically (the sanitizer
# build does).  Debian ships yajl's archive as libyajl_s.a.
STATIC ?= 1
ifeq ($(STATIC),1)
PKG_LIBS := $(patsubst -lyajl,-l:libyajl_s.a,$(shell $(PKG_CONFIG) --static --libs $(PKGS)))
STATIC_LDFLAGS := -static-pie
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
HARDEN := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
OPT ?= -O2 -g
CFLAGS ?=
LDFLAGS ?=

ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) -Iinclude -Isrc \
	-DHR_VERSION=\"$(VERSION)\" -DHR_SYSCONFDIR=\"$(SYSCONFDIR)\" \
	$(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(if $(STATIC_LDFLAGS),$(STATIC_LDFLAGS),-pie) -Wl,-z,relro,-z,now -Wl,--as-needed \
	$(LDFLAGS)

B := build
# make V=1 shows the commands.
Q := $(if $(V),,@)
LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c src/harden/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o) $(B)/src/levels.o $(B)/src/seccomp-default.o \
	$(B)/src/apparmor-default.o
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/unit/%)
LEVELS := $(wildcard profiles/policies/*.json)

.PHONY: all clean install uninstall deb check unit integration engines asan fuzz-replay lint \
	format format-check shellcheck mancheck tidy demo bench bench-smoke

all: hardrun

hardrun: $(B)/src/main.o $(B)/libhardrun.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/%.o: %.c $(wildcard include/*.h src/*.h src/harden/*.h)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The policy levels are data files, embedded so that a policy works without
# an install tree; they are also installed for reference.
$(B)/src/levels.o: src/levels.S $(LEVELS)
	@mkdir -p $(@D)
	$(Q)$(CC) -c -o $@ $<

# So is hardrun's default seccomp profile (installed too, for reference).
$(B)/src/seccomp-default.o: src/seccomp-default.S profiles/seccomp/default.json
	@mkdir -p $(@D)
	$(Q)$(CC) -c -o $@ $<

# And the AppArmor profile hardrun loads when the host enforces AppArmor: a
# copied binary needs no install tree (installed too, for admins who load it
# at boot).
$(B)/src/apparmor-default.o: src/apparmor-default.S profiles/apparmor/hardrun-default
	@mkdir -p $(@D)
	$(Q)$(CC) -c -o $@ $<

$(B)/libhardrun.a: $(LIB_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(B)/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libhardrun.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-field-initializers -Itests/unit \
		-DHR_TEST_DATA=\"tests/data\" $(ALL_LDFLAGS) \
		-o $@ $< $(B)/libhardrun.a $(PKG_LIBS)

# ---- tests ---------------------------------------------------------------
# Every tier writes TAP into $(B)/tap; tests/summary.sh adds them up.

unit: $(UNIT_BINS)
	@tests/run-tier.sh unit $(UNIT_BINS)

asan:
	@$(MAKE) --no-print-directory B=$(B)/asan STATIC=0 OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" $(B)/asan/hardrun-unit-bins
	@tests/run-tier.sh asan $(patsubst $(B)/unit/%,$(B)/asan/unit/%,$(UNIT_BINS))
	@tests/run-tier.sh asan-fuzz "$(B)/asan/fuzz/replay-json tests/fuzz/corpus/json" \
		"$(B)/asan/fuzz/replay-config tests/fuzz/corpus/config" \
		"$(B)/asan/fuzz/replay-verify tests/fuzz/corpus/verify"

$(B)/hardrun-unit-bins: $(UNIT_BINS) $(B)/fuzz/replay-json $(B)/fuzz/replay-config \
		$(B)/fuzz/replay-verify
	@touch $@

$(B)/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(wildcard tests/unit/*.h) \
		$(B)/libhardrun.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(B)/libhardrun.a $(PKG_LIBS)

fuzz-replay: $(B)/fuzz/replay-json $(B)/fuzz/replay-config $(B)/fuzz/replay-verify
	@tests/run-tier.sh fuzz "$(B)/fuzz/replay-json tests/fuzz/corpus/json" \
		"$(B)/fuzz/replay-config tests/fuzz/corpus/config" \
		"$(B)/fuzz/replay-verify tests/fuzz/corpus/verify"

# Prints the BPF length libseccomp makes of a linux.seccomp (see its header).
$(B)/bench/bpf-len: tests/bench/bpf-len.c $(B)/libhardrun.a
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libhardrun.a $(PKG_LIBS)

# The bench's timer, the exec-only floor and the in-container syscall loop
# (static: it runs alone in a busybox rootfs).
BENCH_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 $(WARN)
$(B)/bench/bench: tests/bench/bench.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BENCH_CFLAGS) -o $@ $< -lm

$(B)/bench/floor: tests/bench/floor.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BENCH_CFLAGS) -fPIE -static-pie -o $@ $<

$(B)/bench/syscall-loop: tests/bench/syscall-loop.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BENCH_CFLAGS) -static -o $@ $<

BENCH_TOOLS := $(B)/bench/bench $(B)/bench/floor $(B)/bench/syscall-loop $(B)/bench/bpf-len

integration: hardrun
	@tests/run-tier.sh integration

# Docker, Podman and containerd on private sockets (tests/engines.sh).
engines: hardrun
	@tests/run-tier.sh engines

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@tests/run-tier.sh format

shellcheck:
	@tests/run-tier.sh shellcheck

# clang-tidy with the short list in .clang-tidy, warnings as errors.
tidy:
	@tests/run-tier.sh tidy $(ALL_CFLAGS)

mancheck:
	@tests/run-tier.sh man

lint: format-check shellcheck mancheck tidy

check:
	@tests/deps.sh
	@$(MAKE) --no-print-directory all
	@rm -rf $(B)/tap
	-@$(MAKE) --no-print-directory unit
	-@$(MAKE) --no-print-directory asan
	-@$(MAKE) --no-print-directory fuzz-replay
	-@$(MAKE) --no-print-directory format-check
	-@$(MAKE) --no-print-directory shellcheck
	-@$(MAKE) --no-print-directory mancheck
	-@$(MAKE) --no-print-directory tidy
	-@$(MAKE) --no-print-directory integration
	-@$(MAKE) --no-print-directory engines
	-@$(MAKE) --no-print-directory bench-smoke
	@tests/summary.sh $(B)/tap

demo:
	@tests/demo.sh

# Timings against the runtime alone (tests/bench.sh: medians, p10/p90 and
# ratios pair by pair, instructions, syscall cost, scale); a report, never a
# test.  N=... and the other knobs at the top of tests/bench.sh scale it.
bench: hardrun $(BENCH_TOOLS)
	@tests/bench.sh

# The harness on tiny counts, as a tier of `make check`: results.json must be
# well formed; timings are never compared.
bench-smoke: hardrun $(BENCH_TOOLS)
	@tests/run-tier.sh bench-smoke

# ---- install and packaging -------------------------------------------------

BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MANPAGES := $(wildcard man/*.[1-9])
PROFILE_DIRS := $(patsubst profiles/%/,%,$(sort $(dir $(wildcard profiles/*/*))))

install: hardrun
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/hardrun $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 hardrun $(DESTDIR)$(SBINDIR)/hardrun
	ln -sf hardrun $(DESTDIR)$(SBINDIR)/hardrun-runc
	ln -sf hardrun $(DESTDIR)$(SBINDIR)/hardrun-crun
	set -e; for d in $(PROFILE_DIRS); do \
		install -d $(DESTDIR)$(DATADIR)/$$d; \
		install -m 0644 $$(find profiles/$$d -maxdepth 1 -type f) $(DESTDIR)$(DATADIR)/$$d/; \
	done
	set -e; for f in $(MANPAGES); do \
		s=$${f##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
		install -m 0644 $$f $(DESTDIR)$(MANDIR)/man$$s/; \
	done
	ln -sf hardrun.8 $(DESTDIR)$(MANDIR)/man8/hardrun-runc.8
	ln -sf hardrun.8 $(DESTDIR)$(MANDIR)/man8/hardrun-crun.8
	install -m 0644 contrib/completion/hardrun.bash $(DESTDIR)$(BASHCOMPDIR)/hardrun
	install -m 0644 contrib/policy.json.example $(DESTDIR)$(SYSCONFDIR)/hardrun/policy.json.example

# Removes what install put there; /etc/hardrun/policy.json, the admin's, stays.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/hardrun $(DESTDIR)$(SBINDIR)/hardrun-runc \
		$(DESTDIR)$(SBINDIR)/hardrun-crun $(DESTDIR)$(BASHCOMPDIR)/hardrun \
		$(DESTDIR)$(MANDIR)/man8/hardrun-runc.8 $(DESTDIR)$(MANDIR)/man8/hardrun-crun.8 \
		$(DESTDIR)$(SYSCONFDIR)/hardrun/policy.json.example
	for f in $(MANPAGES); do rm -f $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f#man/}; done
	rm -rf $(DESTDIR)$(DATADIR)
	rmdir $(DESTDIR)$(SYSCONFDIR)/hardrun 2>/dev/null || true

# A Debian package built from the tree with dpkg-deb (contrib/debian).
deb: hardrun
	@contrib/debian/mkdeb.sh $(VERSION) $(B)/deb

clean:
	rm -rf $(B) hardrun
