# numaplace: plain GNU make.  `make help` lists the targets.
VERSION    := 0.1.0
SOVERSION  := 0

BUILDDIR   ?= build
prefix     ?= /usr/local
bindir     ?= $(prefix)/bin
libdir     ?= $(prefix)/lib
includedir ?= $(prefix)/include
mandir     ?= $(prefix)/share/man
bashcompdir ?= $(prefix)/share/bash-completion/completions
pkgconfigdir ?= $(libdir)/pkgconfig
pkglibdir  ?= $(libdir)/numaplace
# the Python module (python/numaplace): Debian's path for modules outside any one Python version
pythondir  ?= $(prefix)/lib/python3/dist-packages

CC       ?= cc
CLANG    ?= clang
AR       ?= ar
INSTALL  ?= install
PROVE    ?= prove

WARNINGS := -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition \
            -Wvla -Wpointer-arith -Wformat-security -Wwrite-strings -fno-common
CFLAGS   ?= -O2 -g
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARNINGS) -Iinclude -MMD -MP \
               -DNP_VERSION='"$(VERSION)"'
ifeq ($(DEVELOPER),1)
BASE_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
BASE_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS     += -fsanitize=$(SANITIZE)
endif
LIB_CFLAGS := $(BASE_CFLAGS) -fPIC -fvisibility=hidden -DNP_BUILDING_LIB -Ilib
LDLIBS     += -lpthread -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRC   := $(sort $(wildcard lib/*.c))
CLI_SRC   := $(sort $(wildcard cli/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/t-*.c))
HELP_SRC  := $(sort $(wildcard tests/helpers/*.c))
EX_SRC    := $(sort $(wildcard examples/*.c))
FUZZ_SRC  := $(sort $(wildcard fuzz/fuzz-*.c))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILDDIR)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILDDIR)/%.o)
UNIT_BIN  := $(UNIT_SRC:%.c=$(BUILDDIR)/%)
HELP_BIN  := $(HELP_SRC:%.c=$(BUILDDIR)/%)
EX_BIN    := $(EX_SRC:%.c=$(BUILDDIR)/%)
FUZZ_BIN  := $(FUZZ_SRC:fuzz/%.c=$(BUILDDIR)/fuzz/%)

STATIC_LIB := $(BUILDDIR)/libnumaplace.a
SHARED_LIB := $(BUILDDIR)/libnumaplace.so.$(VERSION)
BIN        := $(BUILDDIR)/numaplace

# bench/lib: the measurements behind `numaplace bench`, an internal library linked into the
# binary and t-bench only, never into libnumaplace.{a,so} or the preload library.
BENCH_SRC  := $(sort $(wildcard bench/lib/*.c))
BENCH_OBJ  := $(BENCH_SRC:%.c=$(BUILDDIR)/%.o)
BENCH_LIB  := $(BUILDDIR)/libnumaplace-bench.a

all: $(STATIC_LIB) $(SHARED_LIB) $(BIN) $(UNIT_BIN) $(HELP_BIN) $(EX_BIN)
.PHONY: all run check check-unit check-cli check-vm vm-bins vm-fixtures leakcheck install uninstall clean fuzz fuzz-run fuzz-long help

$(BUILDDIR)/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(LIB_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILDDIR)/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

$(STATIC_LIB): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILDDIR)/bench/lib/%.o: bench/lib/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(LIB_CFLAGS) -Ibench/lib $(CFLAGS) -c -o $@ $<

$(BENCH_LIB): $(BENCH_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# the CLI and t-bench include "numaplace-bench.h"; t-bench links the bench library first
$(CLI_OBJ): BASE_CFLAGS += -Ibench/lib
$(BUILDDIR)/tests/unit/t-bench: BASE_CFLAGS += -Ibench/lib
$(BUILDDIR)/tests/unit/t-bench: LDLIBS := $(BENCH_LIB) $(STATIC_LIB) $(LDLIBS)
$(BUILDDIR)/tests/unit/t-bench: $(BENCH_LIB)
-include $(BENCH_OBJ:.o=.d)

$(SHARED_LIB): $(LIB_OBJ) lib/libnumaplace.map
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libnumaplace.so.$(SOVERSION) \
		-Wl,--version-script=lib/libnumaplace.map -o $@ $(LIB_OBJ) $(LDLIBS)
	$(Q)ln -sf libnumaplace.so.$(VERSION) $(BUILDDIR)/libnumaplace.so.$(SOVERSION)
	$(Q)ln -sf libnumaplace.so.$(SOVERSION) $(BUILDDIR)/libnumaplace.so

# The binary links the static library so it runs from the build tree and copies cleanly into a VM,
# and by default libc too (static PIE): one dependency-free file, and a start without the dynamic
# loader (hyperfine: 0.5-0.7 ms less for `topo --json` on a 128-CPU capture, of 2.3-3.3 ms).
# STATIC=0 links libc dynamically; sanitizer builds always do.
STATIC ?= 1
BIN_LDFLAGS := $(if $(and $(filter 1,$(STATIC)),$(if $(SANITIZE),,1)),-static-pie)
$(BIN): $(CLI_OBJ) $(BENCH_LIB) $(STATIC_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(BIN_LDFLAGS) -o $@ $(CLI_OBJ) $(BENCH_LIB) $(STATIC_LIB) $(LDLIBS)

# A fully static binary for QEMU guests (busybox initramfs has no libc).
$(BUILDDIR)/numaplace-static: $(CLI_OBJ) $(BENCH_LIB) $(STATIC_LIB)
	$(Q)$(CC) $(CFLAGS) -static -o $@ $(CLI_OBJ) $(BENCH_LIB) $(STATIC_LIB) $(LDLIBS)

# The QEMU tier (tests/vm): static guest binaries.  The probe links libc only, never the
# library it witnesses.  Sanitizer builds cannot link statically, so they leave the tier out.
VM_SRC := $(sort $(wildcard tests/vm/*.c))
VM_BIN := $(BUILDDIR)/numaplace-static $(VM_SRC:%.c=$(BUILDDIR)/%)
VM_TESTS := $(sort $(wildcard tests/vm/t[0-9]*.sh))
ifeq ($(SANITIZE),)
VM_CHECK_BIN := $(VM_BIN)
endif

$(BUILDDIR)/tests/vm/%: tests/vm/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARNINGS) $(if $(filter 1,$(DEVELOPER)),-Werror) -MMD -MP \
		$(CFLAGS) -static -o $@ $< -lpthread

vm-bins: $(VM_BIN)

$(BUILDDIR)/tests/unit/%: tests/unit/%.c tests/tap.h $(STATIC_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) -Ilib -Itests $(CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(LDLIBS)

$(BUILDDIR)/tests/helpers/%: tests/helpers/%.c $(STATIC_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) -Itests $(CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(LDLIBS)

$(BUILDDIR)/examples/%: examples/%.c $(STATIC_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(LDLIBS)

# LD_PRELOAD library for `numaplace run --plan`: pins each new thread to its place.  It carries
# its own copy of the library objects (hidden) and exports only pthread_create.
PRELOAD := $(BUILDDIR)/libnumaplace-preload.so
all: $(PRELOAD)
$(PRELOAD): preload/numaplace-preload.c preload/preload.map $(LIB_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LIB_CFLAGS) $(CFLAGS) $(LDFLAGS) -shared -Wl,--version-script=preload/preload.map \
		-o $@ $< $(LIB_OBJ) $(LDLIBS) -ldl

# `numaplace run --plan` looks for the preload library next to itself (build tree), then in
# $(pkglibdir): that path is compiled in, and the stamp rebuilds it when prefix/libdir change.
PKGLIBDIR_STAMP := $(BUILDDIR)/pkglibdir.stamp
$(PKGLIBDIR_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(pkglibdir)' | cmp -s - $@ || echo '$(pkglibdir)' >$@
$(BUILDDIR)/cli/run-plan.o: $(PKGLIBDIR_STAMP)
$(BUILDDIR)/cli/run-plan.o: BASE_CFLAGS += -DNP_PKGLIBDIR='"$(pkglibdir)"'
.PHONY: FORCE
FORCE:

run: $(BIN)
	$(BIN) topo

# Every test speaks TAP; one prove runs them all.  Tests find the build through NP_BUILDDIR.
# Tests extract captured machines (thousands of small files): tmpfs makes that 20x faster than ext4.
TEST_TMPDIR ?= $(if $(wildcard /dev/shm/.),/dev/shm,$(or $(TMPDIR),/tmp))
# Tests that run make themselves (install) pass the same build knobs, so nothing is rebuilt differently.
TEST_ENV := NP_BUILDDIR=$(abspath $(BUILDDIR)) NP_SRCDIR=$(CURDIR) TMPDIR=$(TEST_TMPDIR) \
	NP_MAKEVARS='$(if $(SANITIZE),SANITIZE=$(SANITIZE)) $(if $(DEVELOPER),DEVELOPER=$(DEVELOPER)) STATIC=$(STATIC)'
TESTS := $(UNIT_BIN) $(sort $(wildcard tests/cli/t[0-9]*.sh)) $(sort $(wildcard tests/vm/t[0-9]*.sh))
check: all $(VM_CHECK_BIN)
	$(TEST_ENV) $(PROVE) $(PROVE_OPTS) $(TESTS)

check-unit: all
	$(TEST_ENV) $(PROVE) $(PROVE_OPTS) $(UNIT_BIN)

check-cli: all
	$(TEST_ENV) $(PROVE) $(PROVE_OPTS) $(sort $(wildcard tests/cli/t[0-9]*.sh))

check-vm: $(VM_BIN)
	$(TEST_ENV) $(PROVE) $(PROVE_OPTS) $(VM_TESTS)

# every topology on both kernels: tests/vm/all/ adds Debian's 6.12 on 2n, 4n, 8n and the host's
# kernel on hmat (make check boots the others); about 3 more minutes under TCG
VM_ALL_TESTS := $(VM_TESTS) $(sort $(wildcard tests/vm/all/t[0-9]*.sh))
check-vm-all: $(VM_BIN)
	$(TEST_ENV) $(PROVE) $(PROVE_OPTS) $(VM_ALL_TESTS)
.PHONY: check-vm-all

# the same guests, writing each one's capture into tests/fixtures/vm-<topology>/
vm-fixtures: $(VM_BIN)
	NP_VM_UPDATE_FIXTURES=1 $(TEST_ENV) $(PROVE) $(PROVE_OPTS) $(VM_TESTS)

leakcheck: all
	$(TEST_ENV) $(PROVE) $(PROVE_OPTS) --exec 'valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99' $(UNIT_BIN)

comma := ,
# libFuzzer targets, one per parser: clang -fsanitize=fuzzer,address,undefined over the library sources.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -Ilib -DNP_BUILDING_LIB -g -O1 \
               -DNP_VERSION='"$(VERSION)"' -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# a target may compile CLI sources too (fuzz-args: cli/args.c, with the messages stubbed)
FUZZ_EXTRA_fuzz-args := cli/args.c
$(BUILDDIR)/fuzz/fuzz-args: cli/args.c cli/cli.h
# the personalities' argv targets: their CLI sources, and each call that would change the
# process or the machine linked to the target's stand-in instead (fuzz/fuzz-argv.h)
FUZZ_ARGV_WRAP := -Wl,--wrap=getopt_long,--wrap=execvp,--wrap=sched_setaffinity,--wrap=np__mbind \
	-Wl,--wrap=np__set_mempolicy,--wrap=np__migrate_pages,--wrap=np__move_pages \
	-Wl,--wrap=np__set_mempolicy_home_node,--wrap=np_mpol_probe,--wrap=np_region_attach \
	-Wl,--wrap=np_topo_load,--wrap=np_topo_free
FUZZ_NUMACTL_SRC := cli/compat-numactl.c cli/compat-numactl-apply.c cli/compat-numactl-show.c \
	cli/compat-numactl-shm.c cli/shm.c cli/messages.c
FUZZ_EXTRA_fuzz-numactl-argv := $(FUZZ_NUMACTL_SRC) $(FUZZ_ARGV_WRAP)
FUZZ_EXTRA_fuzz-taskset-argv := cli/compat-taskset.c cli/messages.c $(FUZZ_ARGV_WRAP)
$(BUILDDIR)/fuzz/fuzz-numactl-argv: $(FUZZ_NUMACTL_SRC) cli/compat-numactl.h cli/shm.h cli/cli.h
$(BUILDDIR)/fuzz/fuzz-taskset-argv: cli/compat-taskset.c cli/messages.c cli/cli.h
# The library is compiled once for all targets (coverage and sanitizers, without libFuzzer's
# main), into an archive each target links: 30-odd targets would otherwise compile it 30 times.
FUZZ_LIB_CFLAGS := $(subst -fsanitize=fuzzer$(comma),-fsanitize=fuzzer-no-link$(comma),$(FUZZ_CFLAGS))
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(BUILDDIR)/fuzz/obj/%.o)
FUZZ_LIB := $(BUILDDIR)/fuzz/libnumaplace-fuzz.a
$(BUILDDIR)/fuzz/obj/lib/%.o: lib/%.c $(wildcard lib/*.h include/*.h include/numaplace/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(CLANG) $(FUZZ_LIB_CFLAGS) -c -o $@ $<
$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
$(BUILDDIR)/fuzz/%: fuzz/%.c $(FUZZ_LIB) $(wildcard fuzz/*.h lib/*.h include/*.h include/numaplace/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -Icli -o $@ $< $(FUZZ_EXTRA_$*) $(FUZZ_LIB) -lpthread -lm

fuzz: $(FUZZ_BIN)

FUZZ_SECONDS ?= 30
# /bin/sh has no PIPESTATUS: the fuzzer writes a log, its own exit status decides.  Crash
# files go to the build directory, not the source tree.
# fuzz-long: each target for FUZZ_RUNS executions (10M) or FUZZ_LONG_SECONDS (10 minutes),
# whichever comes first, as a release check, not CI's.  FUZZ_TARGETS="fuzz-a fuzz-b" picks some.
# -max_len: inputs up to 1 MiB, where length matters (huge lists, long numa_maps).
FUZZ_RUNS ?= 10000000
FUZZ_LONG_SECONDS ?= 600
FUZZ_TARGETS ?= $(notdir $(FUZZ_BIN))
FUZZ_LIMIT = -max_total_time=$(FUZZ_SECONDS)
fuzz-long: FUZZ_LIMIT = -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_LONG_SECONDS)
fuzz-long: fuzz-run
# each target is a goal of its own (fuzz-run-NAME), so `make -j2 fuzz-run` runs two at once
fuzz-run: $(addprefix fuzz-run-,$(FUZZ_TARGETS))
fuzz-run-%: $(BUILDDIR)/fuzz/%
	@n=$*; f=$(BUILDDIR)/fuzz/$$n; \
	mkdir -p $(BUILDDIR)/fuzz/corpus-$$n; \
	$$f $(FUZZ_LIMIT) -max_len=1048576 -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix=$(BUILDDIR)/fuzz/$$n- \
		$$(test -f fuzz/$$n.dict && echo -dict=fuzz/$$n.dict) \
		$(BUILDDIR)/fuzz/corpus-$$n $$(test -d fuzz/corpus/$$n && echo fuzz/corpus/$$n) \
		>$(BUILDDIR)/fuzz/$$n.log 2>&1; \
	rc=$$?; \
	{ echo "fuzzed $$f ($(FUZZ_LIMIT)): exit $$rc"; \
	  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|ERROR|SUMMARY|Done' $(BUILDDIR)/fuzz/$$n.log; \
	  grep -E '^#[0-9]+' $(BUILDDIR)/fuzz/$$n.log | tail -1; }; \
	test $$rc -eq 0 || { echo "$$n failed ($$rc), see $(BUILDDIR)/fuzz/$$n.log"; exit 1; }

# the .pc carries prefix, libdir and includedir: a stamp of their values rebuilds it when
# `make install prefix=...` follows a build made with other ones (as the pkglibdir stamp does)
PC_STAMP := $(BUILDDIR)/pcdirs.stamp
$(PC_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(prefix) $(libdir) $(includedir)' | cmp -s - $@ || echo '$(prefix) $(libdir) $(includedir)' >$@
$(BUILDDIR)/numaplace.pc: lib/numaplace.pc.in Makefile $(PC_STAMP)
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@prefix@|$(prefix)|' -e 's|@libdir@|$(libdir)|' -e 's|@includedir@|$(includedir)|' \
		-e 's|@VERSION@|$(VERSION)|' $< > $@

install: all $(BUILDDIR)/numaplace.pc
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir) $(DESTDIR)$(includedir) $(DESTDIR)$(pkgconfigdir) \
		$(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man3 $(DESTDIR)$(bashcompdir)
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(bindir)/numaplace
	$(INSTALL) -m 644 $(STATIC_LIB) $(DESTDIR)$(libdir)/libnumaplace.a
	$(INSTALL) -m 755 $(SHARED_LIB) $(DESTDIR)$(libdir)/libnumaplace.so.$(VERSION)
	ln -sf libnumaplace.so.$(VERSION) $(DESTDIR)$(libdir)/libnumaplace.so.$(SOVERSION)
	ln -sf libnumaplace.so.$(SOVERSION) $(DESTDIR)$(libdir)/libnumaplace.so
	$(INSTALL) -m 644 include/numaplace.h $(DESTDIR)$(includedir)/numaplace.h
	$(INSTALL) -d $(DESTDIR)$(includedir)/numaplace
	$(INSTALL) -m 644 $(wildcard include/numaplace/*.h) $(DESTDIR)$(includedir)/numaplace/
	$(INSTALL) -d $(DESTDIR)$(pkglibdir)
	$(INSTALL) -m 755 $(PRELOAD) $(DESTDIR)$(pkglibdir)/libnumaplace-preload.so
	$(INSTALL) -m 644 $(BUILDDIR)/numaplace.pc $(DESTDIR)$(pkgconfigdir)/numaplace.pc
	for m in $(wildcard man/*.1); do $(INSTALL) -m 644 $$m $(DESTDIR)$(mandir)/man1/; done
	for m in $(wildcard man/*.3); do $(INSTALL) -m 644 $$m $(DESTDIR)$(mandir)/man3/; done
	$(if $(wildcard completion/numaplace),$(INSTALL) -m 644 completion/numaplace $(DESTDIR)$(bashcompdir)/numaplace)
	$(INSTALL) -d $(DESTDIR)$(pythondir)/numaplace
	$(INSTALL) -m 644 python/numaplace/__init__.py python/numaplace/py.typed $(DESTDIR)$(pythondir)/numaplace/
ifeq ($(COMPAT),1)
	ln -sf numaplace $(DESTDIR)$(bindir)/numactl
	ln -sf numaplace $(DESTDIR)$(bindir)/taskset
endif

uninstall:
	rm -f $(DESTDIR)$(bindir)/numaplace $(DESTDIR)$(libdir)/libnumaplace.* \
		$(DESTDIR)$(includedir)/numaplace.h $(DESTDIR)$(pkgconfigdir)/numaplace.pc \
		$(DESTDIR)$(mandir)/man1/numaplace.1 $(DESTDIR)$(mandir)/man3/numaplace.3 \
		$(DESTDIR)$(bashcompdir)/numaplace $(DESTDIR)$(pkglibdir)/libnumaplace-preload.so
	-rmdir $(DESTDIR)$(pkglibdir) 2>/dev/null
	rm -f $(DESTDIR)$(pythondir)/numaplace/__init__.py $(DESTDIR)$(pythondir)/numaplace/py.typed
	-rmdir $(DESTDIR)$(pythondir)/numaplace 2>/dev/null
	rm -f $(patsubst include/%,$(DESTDIR)$(includedir)/%,$(wildcard include/numaplace/*.h))
	-rmdir $(DESTDIR)$(includedir)/numaplace 2>/dev/null
	if [ "$$(readlink $(DESTDIR)$(bindir)/numactl)" = numaplace ]; then rm -f $(DESTDIR)$(bindir)/numactl; fi
	if [ "$$(readlink $(DESTDIR)$(bindir)/taskset)" = numaplace ]; then rm -f $(DESTDIR)$(bindir)/taskset; fi

clean:
	rm -rf $(BUILDDIR)

# completion/numaplace is generated from the verbs' option tables; t5300 fails when it is stale
completion: $(BIN)
	$(BIN) completion bash >completion/numaplace
.PHONY: completion

help:
	@echo "targets: all run check check-unit check-cli check-vm vm-bins vm-fixtures leakcheck install uninstall clean fuzz fuzz-run fuzz-long"
	@echo "knobs:   BUILDDIR=build V=1 DEVELOPER=1 SANITIZE=address,undefined STATIC=0 DESTDIR= prefix= libdir= pkglibdir= COMPAT=1"

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(HELP_BIN:=.d) $(EX_BIN:=.d) $(VM_BIN:=.d)
