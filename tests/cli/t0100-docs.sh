#!/bin/bash
# Documents are tests: every command line in README.md's indented blocks and in the example
# blocks of numaplace(1) (.SH EXAMPLES, and any .SS Examples) is extracted and run.  An example
# runs as written unless the table below gives it another form or a reviewed skip, each with its
# reason; an example missing from the table fails, and so does a table row no document has.
#
# Terminology:
#   example    one command line of a document, its trailing "  # comment" removed
#   stand-in   what runs where an example names something of the reader's: PID 4242 is a
#              sleeping child of this test, ./server, ./bench, ./app and ./mpi_app are scripts
#              that exit 0, ./omp_app is a small OpenMP program built here, /tmp/mybox is a
#              directory under $TMP, and `build` (bench scripts' -b) is this run's build
#   work dir   where every example runs: the stand-ins are there; bench/ means the source's
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 missing: apt-get install -y python3"
export NP NP_BUILDDIR NP_SRCDIR SHARED TMP

# ---- the table: EXAMPLE <tab> HOW <tab> DETAIL -----------------------------------------------
# HOW is one of
#   run    as written (after the stand-ins); it must exit 0
#   form   DETAIL is the shell command run instead, then ' :: ' and why; it must exit 0
#   vm     the example needs several nodes: DETAIL is a pattern that tests/vm/guest/tests.sh
#          must hold (the QEMU tier runs that form), then ' :: ' and why
#   skip   DETAIL is why it cannot run here (reviewed; keep this list short)
table() {
	cat <<'EOF'
make run	form	np_make run :: the source's make, with this run's BUILDDIR and knobs
make check	skip	this test runs inside `make check`: it would run itself
export PATH=$PWD/build:$PATH	form	cd "$NP_SRCDIR" && PATH=$NP_BUILDDIR:$PATH && command -v numaplace | grep -q "^$NP_BUILDDIR/numaplace$" :: the build directory of this run stands for $PWD/build
numaplace topo	run
numaplace topo -v --json	run
numaplace capture /tmp/mybox	run
numaplace topo --sysroot /tmp/mybox	run
numaplace run -N 0 -m 0 -- ./server	run
numaplace run --cpus 0x3 -i all -- ./bench	form	numaplace run --cpus 0x1 -i all -- ./bench :: 0x3 needs two CPUs; this machine may have one
numaplace run --dry-run -m 0 -N same	run
numaplace run -i all --file /dev/shm/db --length 1g --touch --dump-nodes	form	numaplace run -i all --file "$TMP/db" --length 4m --touch --dump-nodes :: 4 MiB in the test's directory, not 1 GiB of /dev/shm
numaplace show	run
numaplace pin 4242 0-1	form	numaplace pin 4242 0 :: 0-1 needs two CPUs; this machine may have one
numaplace where 4242 --watch 2	form	numaplace where 4242 --watch 0.1 --count 2 :: a watch runs until interrupted: two reports 0.1 s apart
numaplace migrate 4242 0 1	vm	"$NP" migrate "$pid" $a $b >$T/mig.np :: needs two memory nodes: the QEMU guests migrate a process between their nodes
numaplace plan 8 --policy spread	run
numaplace plan 16 --format omp	run
numaplace plan 2 --within 'package:0&near:eth0'	form	numaplace plan 2 --within 'package:0&near:enp96s0f0' --sysroot "$(fixture 32intel64-2p8co2t+8ve)" :: not every machine has an eth0: the same expression on a capture whose NIC is enp96s0f0
numaplace run --plan 8 --policy spread -- ./omp_app	run
mpirun -np 4 numaplace run --ranks auto -- ./mpi_app	form	for r in 0 1 2 3; do OMPI_COMM_WORLD_LOCAL_RANK=$r OMPI_COMM_WORLD_LOCAL_SIZE=4 numaplace run --ranks auto -- ./mpi_app || exit 1; done :: Open MPI's local-rank variables set by hand, as mpirun sets them (mpirun is seldom installed)
numaplace bench memory --quick --svg mem.svg	run
numaplace bench c2c --cpus package:0 --quick	run
numaplace bench affinity --noise	form	numaplace bench affinity --noise --iterations 1000000 --trials 2 --quiet :: 10^6 increments and 2 trials, not 10^9 and 5
bench/vs-likwid.sh -r 5 -b build	form	if command -v likwid-bench >/dev/null; then "$NP_SRCDIR"/bench/vs-likwid.sh -r 1 -s 16MB -n 2 -b "$NP_BUILDDIR"; else "$NP_SRCDIR"/bench/vs-likwid.sh -r 5 -b "$NP_BUILDDIR" 2>&1 | grep -q 'apt-get install likwid'; fi :: one short round where likwid-bench is installed, else the script must say what to install
bench/topo-vs-hwloc.sh -b build	form	"$NP_SRCDIR"/bench/topo-vs-hwloc.sh -x 2>&1 | grep -q '^usage: .*topo-vs-hwloc.sh \[-b BUILDDIR\]' :: a full run takes minutes (hyperfine, a second build for valgrind): its usage line only
numaplace plan 4 --policy close --places threads	run
OMP_PLACES=$(numaplace plan 16 -f omp) OMP_PROC_BIND=close ./app	run
numaplace plan 2 --within near:eth0 --json	form	numaplace plan 2 --within near:enp96s0f0 --json --sysroot "$(fixture 32intel64-2p8co2t+8ve)" :: not every machine has an eth0: a capture whose NIC is enp96s0f0
numaplace topo --sysroot mybox.tar.gz	form	tar czf mybox.tar.gz -C "$TMP/mybox" . && numaplace topo --sysroot mybox.tar.gz :: packs the /tmp/mybox of the example before, as its comment says
numaplace topo --sysroot capture.tar.gz	form	numaplace capture "$TMP/box" && tar czf "$TMP/capture.tar.gz" -C "$TMP/box" . && numaplace topo --sysroot "$TMP/capture.tar.gz" :: a capture of this machine, packed here
numaplace run -N 1 -m 1 -- ./server	form	numaplace run --dry-run -N 1 -m 1 --sysroot "$(fixture 16amd64-8n2c)" :: needs node 1: checked and printed on an 8-node capture
numaplace run --dry-run -N 1 -m 1 --sysroot /tmp/mybox	form	numaplace run --dry-run -N 1 -m 1 --sysroot "$(fixture 16amd64-8n2c)" :: an 8-node capture stands for /tmp/mybox
numaplace run -i all -- ./server	run
numaplace run --plan 4 --policy close -- ./omp_app	run
numaplace pin -a 4242 0	run
numaplace where 4242 --json	run
numaplace calc 'package:0&core:0-1'	run
numaplace stat	run
numaplace stat -p 4242 --json	run
numaplace calc node:0 --to core	run
numaplace weights	form	numaplace weights --sysroot "$NP_SRCDIR/tests/fixtures/sysroots-extras/mempolicy-612" :: the running kernel may predate weighted interleave (6.9): a 6.12 sysroot
numaplace isolate	run
numaplace irq	run
numaplace plan --ranks 3 --near gpu --bind exclusive	form	numaplace plan --ranks 3 --near gpu --bind exclusive --sysroot "$(fixture nvidiagpunumanodes)" :: needs GPUs: a POWER9 capture with six, three of them near CPUs this capture may use
numaplace numactl -H	run
EOF
}

# ---- the documents' examples, in order ---------------------------------------------------------
extract() {
	python3 - "$NP_SRCDIR/README.md" "$NP_SRCDIR/man/numaplace.1" <<'PY'
import re, sys

def strip(line):
    return re.sub(r'\s{2,}#\s.*$', '', line).rstrip()

readme, man = sys.argv[1], sys.argv[2]
out = []
prev_blank = True
incode = False
for line in open(readme):
    line = line.rstrip('\n')
    if line.startswith('    ') and line.strip() and (incode or prev_blank):
        incode = True
        out.append(('README.md', strip(line[4:])))
    elif line.strip():
        incode = False
    prev_blank = not line.strip()

section = None
fill = True
for line in open(man):
    line = line.rstrip('\n')
    if line.startswith('.SH ') or line.startswith('.SS '):
        title = line[4:].strip().strip('"')
        section = 'ex' if title.upper() == 'EXAMPLES' else None
        continue
    if section != 'ex':
        continue
    if line.startswith('.nf'):
        fill = False
    elif line.startswith('.fi'):
        fill = True
    elif not fill and line and not line.startswith('.'):
        text = line.replace('\\-', '-').replace("\\(aq", "'").replace('\\e', '\\').replace('\\&', '')
        out.append(('numaplace.1', strip(text)))
for doc, cmd in out:
    if cmd:
        print(doc + '\t' + cmd)
PY
}

extract >"$TMP/examples"
table >"$TMP/table"
ok $? "the table of examples reads"
test -s "$TMP/examples"
ok $? "the documents hold examples ($(wc -l <"$TMP/examples") of them)"

# ---- stand-ins ------------------------------------------------------------------------------
work=$TMP/work
mkdir -p "$work"
for s in server bench app mpi_app; do
	printf '#!/bin/sh\nexit 0\n' >"$work/$s" && chmod +x "$work/$s"
done
cat >"$TMP/omp_app.c" <<'C'
#define _GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>
int main(void)
{
#pragma omp parallel
	printf("thread %d on cpu %d\n", omp_get_thread_num(), sched_getcpu());
	return 0;
}
C
have_omp=0
${CC:-cc} -fopenmp -o "$work/omp_app" "$TMP/omp_app.c" >"$TMP/omp.log" 2>&1 && have_omp=1
# a sanitizer runtime must be the first preloaded object, which run --plan cannot promise
san_preload=0
ldd "$NP_BUILDDIR/libnumaplace-preload.so" 2>/dev/null | grep -Eq 'lib(a|ub)san' && san_preload=1
sleep 300 &
standin=$!
trap 'kill $standin 2>/dev/null; rm -rf "$TMP"' EXIT

# stand-ins: PID 4242, /tmp/mybox, `build`, bench/ in the source
subst() {
	sed -e "s/\\b4242\\b/$standin/g" -e "s|/tmp/mybox|$TMP/mybox|g" \
	    -e "s|^bench/|$NP_SRCDIR/bench/|" -e "s| -b build\\b| -b $NP_BUILDDIR|"
}

run_example() { # DOC CMD HOW DETAIL
	local doc=$1 cmd=$2 how=$3 detail=$4 body why
	case $how in
	run) body=$(printf '%s\n' "$cmd" | subst) why="as written" ;;
	form) body=$(printf '%s\n' "${detail%% :: *}" | subst) why="form: ${detail#* :: }" ;;
	vm)
		grep -qF -- "${detail%% :: *}" "$NP_SRCDIR/tests/vm/guest/tests.sh"
		ok $? "$doc: '$cmd' runs in the QEMU tier (${detail#* :: })"
		return ;;
	skip) skip 1 "$doc: '$cmd': $detail"; return ;;
	*) ok 1 "$doc: '$cmd': unknown way '$how' in the table"; return ;;
	esac
	if [ "$san_preload" = 1 ] && case $body in *"run --plan"*) true ;; *) false ;; esac; then
		skip 1 "$doc: '$cmd': the preload library is built with sanitizers (their runtime must come first)"
		return
	fi
	if [ "$have_omp" = 0 ] && case $body in *omp_app*) true ;; *) false ;; esac; then
		skip 1 "$doc: '$cmd': the compiler cannot build OpenMP ($(head -1 "$TMP/omp.log"))"
		return
	fi
	(cd "$work" && PATH=$NP_BUILDDIR:$PATH bash -c "fixture() { $(declare -f fixture | tail -n +2); }; np_make() { $(declare -f np_make | tail -n +2); }; $body") \
		>"$TMP/ex.out" 2>"$TMP/ex.err" </dev/null
	local rc=$?
	ok $rc "$doc: '$cmd' ($why)" || {
		diag "ran: $body" "exit code $rc"
		sed 's/^/# stderr: /' "$TMP/ex.err" | head -n 8 >&2
	}
}

while IFS="$(printf '\t')" read -r doc cmd; do
	row=$(awk -F'\t' -v c="$cmd" '$1 == c { print; exit }' "$TMP/table")
	if [ -z "$row" ]; then
		ok 1 "$doc: '$cmd' is in the table (add it: run, form, vm or a reviewed skip)"
		continue
	fi
	how=$(printf '%s\n' "$row" | cut -f2)
	detail=$(printf '%s\n' "$row" | cut -f3-)
	run_example "$doc" "$cmd" "$how" "$detail"
done <"$TMP/examples"

# a row no document has is stale: the documents changed and the table did not
cut -f2 "$TMP/examples" | sort -u >"$TMP/have"
cut -f1 "$TMP/table" | sort -u >"$TMP/rows"
comm -13 "$TMP/have" "$TMP/rows" >"$TMP/stale"
test ! -s "$TMP/stale"
ok $? "every row of the table is an example of a document" || sed 's/^/# stale row: /' "$TMP/stale" >&2

# the extractor itself: it must see an example added to a copy of the README
printf '\n    numaplace frobnicate --now   # new\n' | cat "$NP_SRCDIR/README.md" - >"$TMP/README.md"
NP_SRCDIR_SAVE=$NP_SRCDIR
mkdir -p "$TMP/src/man" && cp "$TMP/README.md" "$TMP/src/README.md" && cp "$NP_SRCDIR/man/numaplace.1" "$TMP/src/man/"
NP_SRCDIR=$TMP/src extract >"$TMP/examples2"
NP_SRCDIR=$NP_SRCDIR_SAVE
grep -qx "README.md	numaplace frobnicate --now" "$TMP/examples2"
ok $? "an example added to the README is extracted (and would fail without a row)"
done_testing
