#!/bin/sh
# numaplace run --shm/--file: a memory policy for a SysV segment or a tmpfs file instead of a
# command (numactl's --shm/--file/--offset/--length/--strict/--touch/--dump/--dump-nodes), checked
# against numactl itself where both print the same thing, and bad inputs: each exits 1 or 2 with
# one line naming it, and creates nothing.
. "$(dirname "$0")/lib.sh"

TRY="Try 'numaplace run --help' for more information."
SECCOMP=$NP_BUILDDIR/tests/helpers/np-seccomp
NODES=$(sed -n 's/^Mems_allowed_list:\t//p' /proc/self/status)
NODE0=$(printf '%s\n' "$NODES" | sed 's/[-,].*//')

[ -d /dev/shm ] && [ -w /dev/shm ] || skip_all "no writable /dev/shm"
if ! "$NP" run -m "$NODE0" -- true 2>/dev/null; then
	skip_all "memory policies cannot be set here"
fi

F=/dev/shm/np-t2060-$$
KEY=$TMP/key
# the SysV key of a key file, as ftok(3) makes it: id, device and inode bits
sysv_key() {
	set -- $(stat -c '%d %i' "$1") "${2:-0}"
	printf '0x%08x\n' $(( ($3 & 0xff) << 24 | ($1 & 0xff) << 16 | ($2 & 0xffff) ))
}
cleanup() {
	rm -f "$F" "$F".*
	for k in "$KEY" "$KEY".*; do
		[ -e "$k" ] && ipcrm -M "$(sysv_key "$k")" 2>/dev/null
		[ -e "$k" ] && ipcrm -M "$(sysv_key "$k" 7)" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# good NAME WANT-STDOUT ARGS...: exit 0, that stdout, nothing on stderr
good() {
	name=$1 want=$2; shift 2
	run run "$@"
	if [ "$rc" -eq 0 ] && [ "$out" = "$want" ] && [ -z "$err" ]; then
		ok 0 "$name"
	else
		ok 1 "$name"
		diag "run $*: exit $rc" "stdout: $out" "expected: $want" "stderr: $err"
	fi
}

# bad CODE MESSAGE ARGS...: the exit code and the exact message (with the Try line for 2)
bad() {
	want_rc=$1 want=$2; shift 2
	run run "$@"
	[ "$want_rc" -eq 2 ] && want="$want
$TRY"
	if [ "$rc" -eq "$want_rc" ] && [ "$err" = "$want" ] && [ -z "$out" ]; then
		ok 0 "run $*: exit $want_rc, one line"
	else
		ok 1 "run $*: exit $want_rc, one line"
		diag "exit code: got $rc, expected $want_rc" "stderr: $err" "expected: $want"
	fi
}

n0=$NODE0

# ---- a tmpfs file ----
good "--file: created, bound, touched; its pages are on node $n0" \
	"0000000000000000-0000000000004000: $n0" \
	-m "$n0" --file "$F" --length 16k --touch --dump-nodes
is "$(stat -c %s "$F" 2>&1)" 16384 "--length 16k made a file of 16384 bytes"
good "--dump: the file's policy is bind" \
	"0000000000000000-0000000000004000: bind : $n0 " --file "$F" --dump
good "-i over [4k, 12k) with --offset and --length" \
	"0000000000001000-0000000000003000: interleave : $n0 " \
	-i "$n0" --file "$F" --offset 4k --length 8k --dump
good "the rest of the file keeps its bind policy" \
	"0000000000000000-0000000000001000: bind : $n0 
0000000000001000-0000000000003000: interleave : $n0 
0000000000003000-0000000000004000: bind : $n0 " --file "$F" --dump
good "no --length: from --offset to the end of the file" \
	"0000000000002000-0000000000004000: $n0" --file "$F" --offset 8k --dump-nodes
good "short options: -f -o -L -D" "0000000000001000-0000000000002000: $n0" \
	-f "$F" -o 4k -L 4k -D
good "--strict: pages already on node $n0 satisfy --membind $n0" "" \
	-m "$n0" --strict --file "$F"
good "--localalloc to a file" "" -l --file "$F" --length 4k
good "--preferred to a file, checked with --dump" \
	"0000000000000000-0000000000001000: preferred : $n0 " -p "$n0" --file "$F" --length 4k --dump

# the same file through numactl and through run
if command -v numactl >/dev/null 2>&1; then
	run run --file "$F" --dump; ours=$out
	run_cmd numactl --length 16k --file "$F" --dump
	is "$ours" "$out" "--dump equals numactl --file --dump"
	run run --file "$F" --dump-nodes; ours=$out
	run_cmd numactl --length 16k --file "$F" --dump-nodes
	is "$ours" "$out" "--dump-nodes equals numactl --file --dump-nodes"
	run run -i "$n0" --file "$F.a" --length 32k --touch --dump --dump-nodes; ours=$out
	run_cmd numactl --length 32k --file "$F.b" --interleave "$n0" --touch --dump --dump-nodes
	is "$ours" "$out" "a new file: -i --touch --dump --dump-nodes equal numactl's"
	run_cmd numactl --length 32k --file "$F.a" --dump
	is "$out" "0000000000000000-0000000000008000: interleave : $n0 " \
		"numactl sees the policy run gave the file"
else
	skip 4 "numactl is not installed"
fi

# ---- a SysV segment ----
if [ -r /proc/sysvipc/shm ]; then
	good "--shm: a new segment with -i, touched; its pages are on node $n0" \
		"0000000000000000-0000000000010000: interleave : $n0 
0000000000000000-0000000000010000: $n0" \
		-i "$n0" --shm "$KEY" --length 64k --touch --dump --dump-nodes
	ok $([ -f "$KEY" ]; echo $?) "--shm created the key file"
	like "$(ipcs -m)" "^$(sysv_key "$KEY") " "the segment exists with the key file's key"
	good "--shm with --offset: the policy from 8k to the end of the segment" \
		"0000000000002000-0000000000010000: bind : $n0 " -m "$n0" --shm "$KEY" --offset 8k --dump
	good "--shm --strict" "" -m "$n0" --strict --shm "$KEY" --offset 8k
	if command -v numactl >/dev/null 2>&1; then
		run run --shm "$KEY" --dump; ours=$out
		run_cmd numactl --shm "$KEY" --dump
		is "$ours" "$out" "--shm --dump equals numactl --shm --dump"
	else
		skip 1 "numactl is not installed"
	fi
	good "--shmid names another segment" "0000000000000000-0000000000002000: $n0" \
		-m "$n0" --shm "$KEY" --shmid 7 --length 8k --touch --dump-nodes
	like "$(ipcs -m)" "^$(sysv_key "$KEY" 7) " "the --shmid 7 segment has key id 7"
	bad 2 "numaplace run: invalid --length '128k': --shm '$KEY' has 65536 bytes, the region would end at 131072" \
		-m "$n0" --shm "$KEY" --length 128k
	bad 1 "numaplace run: invalid --shm '$TMP/nokey': no such key file; give --length to create it and a segment" \
		-m "$n0" --shm "$TMP/nokey"
	ok $([ ! -e "$TMP/nokey" ]; echo $?) "a failed --shm created no key file"
	bad 1 "numaplace run: invalid --shm '$KEY': no segment with its key ($(sysv_key "$KEY" 9), --shmid 9); give --length to create one" \
		-m "$n0" --shm "$KEY" --shmid 9
else
	skip 12 "no SysV shared memory here"
fi

# ---- nothing half-applied: what run created goes again when a later step fails ----
# a file size limit makes growing the new file fail (EFBIG; SIGXFSZ ignored)
(trap '' XFSZ; ulimit -f 1; exec "$NP" run -m "$n0" --file "$F.c" --length 8k) >"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc:$(cat "$TMP/err")" "1:numaplace run: cannot attach --file '$F.c': ftruncate: File too large" \
	"a file that cannot be sized: exit 1, one line"
ok $([ ! -e "$F.c" ]; echo $?) "and the file run created is removed"
if [ -r /proc/sysvipc/shm ]; then
	# more than the system-wide limit (kernel.shmall): shmget fails after the key file is made
	run run -m "$n0" --shm "$KEY.c" --length 1000000g
	like "$rc:$(printf '%s\n' "$err" | wc -l):$err" "^1:1:numaplace run: cannot attach --shm '$KEY.c': shmget: " \
		"a segment that cannot be created: exit 1, one line"
	ok $([ ! -e "$KEY.c" ]; echo $?) "and the key file run created is removed"
else
	skip 2 "no SysV shared memory here"
fi

# ---- --dry-run: checked and printed, nothing created ----
good "--dry-run prints the region" "cpus: unchanged
policy: bind:$n0
region: --file '$F.d' offset 4096 length 8192" -m "$n0" --file "$F.d" --offset 4k --length 8k --dry-run
ok $([ ! -e "$F.d" ]; echo $?) "--dry-run created no file"
run run -m "$n0" --file "$F" --dry-run --json
like "$out" '"length": 16384' "--dry-run --json: the length of the whole file"

# ---- bad inputs ----
mkdir "$TMP/dir"
bad 1 "numaplace run: invalid --file '$F.x': no such file; give --length to create it" -m "$n0" --file "$F.x"
ok $([ ! -e "$F.x" ]; echo $?) "a failed --file created nothing"
bad 2 "numaplace run: invalid --file '$TMP/dir': not a regular file" -m "$n0" --file "$TMP/dir"
bad 2 "numaplace run: invalid --file '': expected a path" -m "$n0" --file ''
bad 2 "numaplace run: invalid --length '12x': expected a size in bytes, optionally with a k, m, g, t or p suffix (such as 64m)" \
	-m "$n0" --file "$F" --length 12x
bad 2 "numaplace run: invalid --length '-4k': expected a size in bytes, optionally with a k, m, g, t or p suffix (such as 64m)" \
	-m "$n0" --file "$F" --length -4k
bad 2 "numaplace run: invalid --length '99999999999999999999': too large" \
	-m "$n0" --file "$F" --length 99999999999999999999
bad 2 "numaplace run: invalid --length '0': expected a size above 0" -m "$n0" --file "$F" --length 0
bad 2 "numaplace run: invalid --length '0x1000': expected a size in bytes, optionally with a k, m, g, t or p suffix (such as 64m)" \
	-m "$n0" --file "$F" --length 0x1000
bad 2 "numaplace run: invalid --length '8192p': the region would end past the largest file offset" \
	-m "$n0" --file "$F" --length 8192p
bad 2 "numaplace run: invalid --offset '8192p': past the largest file offset" -m "$n0" --file "$F" --offset 8192p
bad 2 "numaplace run: invalid --length '3k': not a multiple of the page size (4096 bytes)" \
	-m "$n0" --file "$F" --length 3k
bad 2 "numaplace run: invalid --offset '1': not a multiple of the page size (4096 bytes)" \
	-m "$n0" --file "$F" --offset 1
bad 2 "numaplace run: invalid --offset '1m': --file '$F' has only 16384 bytes; give --length" \
	-m "$n0" --file "$F" --offset 1m
bad 2 "numaplace run: conflicting options '--shm' and '--file': give one" -m "$n0" --shm "$KEY" --file "$F"
bad 2 "numaplace run: --file given twice" -m "$n0" --file "$F" --file "$F"
bad 2 "numaplace run: unexpected command 'true' with --file: the policy is given to the shared memory and nothing is run" \
	-m "$n0" --file "$F" -- true
bad 2 "numaplace run: --touch needs --shm or --file" -m "$n0" --touch -- true
bad 2 "numaplace run: --length needs --shm or --file" -m "$n0" --length 4k -- true
bad 2 "numaplace run: --strict needs a memory policy (--membind, --interleave, ...)" --strict --file "$F"
bad 2 "numaplace run: conflicting options '--file' and '--cpunodebind': shared memory has no CPU binding" \
	-N "$n0" -m "$n0" --file "$F"
bad 2 "numaplace run: conflicting options '--file' and '--nodes': shared memory has no CPU binding; use --membind" \
	--nodes "$n0" --file "$F"
bad 2 "numaplace run: conflicting options '--file' and '--plan': plans place a command's threads" \
	--plan 2 --file "$F"
bad 2 "numaplace run: conflicting options '--file' and '--balancing': NUMA balancing is a process's policy flag, mbind(2) has none" \
	-m "$n0" -b --file "$F"
bad 2 "numaplace run: --huge is for --shm: a file on hugetlbfs has huge pages already" -m "$n0" --huge --file "$F"
bad 2 "numaplace run: invalid --shmid '300': expected a number from 0 to 255" -m "$n0" --shmid 300 --shm "$KEY"
bad 2 "numaplace run: invalid --shmmode '9': expected an octal mode from 0 to 07777" -m "$n0" --shmmode 9 --shm "$KEY"
bad 2 "numaplace run: invalid --shmid '0x10': expected a number from 0 to 255" -m "$n0" --shmid 0x10 --shm "$KEY"
bad 2 "numaplace run: invalid node set '9999' for --membind: no node 9999; this machine has nodes $NODES" -m 9999 --file "$F"
bad 2 "numaplace run: conflicting memory policies '--membind' and '--interleave': give one" \
	-m "$n0" -i "$n0" --file "$F"
good "after all of these the file's policy is as it was" \
	"0000000000000000-0000000000001000: preferred : $n0 
0000000000001000-0000000000004000: bind : $n0 " --file "$F" --dump

# bash completion knows every long option of run --help, and completes --file with files
if command -v bash >/dev/null; then
	COMP=$NP_SRCDIR/completion/numaplace
	complete_words() {
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			 COMPREPLY=(); _numaplace; printf "%s\n" "${COMPREPLY[@]}" | sort -u' _ "$COMP" "$@"
	}
	"$NP" run --help | grep -oE -- '--[a-z][a-z-]+' | sort -u >"$TMP/help"
	complete_words numaplace run -- | grep -- '^--' >"$TMP/comp"
	is "$(comm -23 "$TMP/help" "$TMP/comp" | tr '\n' ' ')" "" "completion: every option of run --help"
	touch "$TMP/shmfile"
	is "$(cd "$TMP" && complete_words numaplace run --file shmf)" "shmfile" "completion: --file takes a file"
	is "$(complete_words numaplace run --plan-mem n)" "node
none" "completion: --plan-mem values"
else
	skip 3 "bash is not installed"
fi

done_testing
