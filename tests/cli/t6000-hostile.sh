#!/bin/sh
# Issue 17's hostile inputs, each with its exact reproducer: a 65,001-operator --within, numbers
# that overflow, unbounded and blocking files in a sysroot, CPU lists of 10^8 CPUs, migrate's
# sizes and kernel errors, --sysroot '', an empty sysfs, pin under seccomp, taskset's huge
# ranges.  Each must end promptly with sane output or a clear error, never a crash or a hang.
. "$(dirname "$0")/lib.sh"

R=$(fixture 16amd64-8n2c) || skip_all "cannot extract 16amd64-8n2c"
SECCOMP=$NP_BUILDDIR/tests/helpers/np-seccomp
# a fresh writable copy of the capture in $B
copy() { rm -rf "$TMP/b"; cp -a "$R" "$TMP/b"; B=$TMP/b; }
# run under a time and memory bound: rc 124 is a hang, >= 128 a crash
# a sanitizer build reserves terabytes of address space: no ulimit -v for it
VLIMIT=262144
(ulimit -v $VLIMIT; "$NP" --version) >/dev/null 2>&1 || VLIMIT=unlimited
bounded() { (ulimit -v $VLIMIT; timeout 5 "$NP" "$@") >"$TMP/out" 2>"$TMP/err"; rc=$?
    out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }

# 1: location evaluation recursed once per operator
W=$(awk 'BEGIN { s = "0"; for (i = 0; i < 65000; i++) s = s ",0"; print s }')
bounded plan 4 --sysroot "$R" --within "$W"
is "$rc" 0 "plan --within of 65,001 operators: exit 0, no stack overflow"
like "$out" "^worker 0: cpus 0 " "and the plan is on CPU 0"

# 2: signed overflow of MemTotal and a cache level
copy
sed -i 's/MemTotal: *[0-9]*/MemTotal: 99999999999999999999999/' "$B/sys/devices/system/node/node0/meminfo"
echo 99999999999 > "$B/sys/devices/system/cpu/cpu0/cache/index0/level"
bounded topo -v --sysroot "$B"
is "$rc" 0 "MemTotal of 23 digits, cache level 99999999999: exit 0"
like "$out" "node 0: .*memory unknown" "the huge MemTotal reads as unknown"
! printf '%s' "$out" | grep -q 'L1215752191' ; ok $? "the huge level is not shown"
copy
echo -64K > "$B/sys/devices/system/cpu/cpu0/cache/index0/size"
bounded topo -v --sysroot "$B"
is "$rc" 0 "a cache size of -64K: exit 0"
! printf '%s' "$out" | grep -q 'PiB\|EiB' ; ok $? "and not shown as petabytes"

# 3: unbounded and blocking reads
copy
mkdir -p "$B/proc/self"; ln -s /dev/zero "$B/proc/self/status"
rm "$B/sys/devices/system/node/node0/cpulist"; ln -s /dev/zero "$B/sys/devices/system/node/node0/cpulist"
bounded topo --sysroot "$B"
is "$rc" 0 "proc/self/status and node0/cpulist linked to /dev/zero: exit 0 within 5 s and 256 MB"
copy
rm "$B/sys/devices/system/node/node0/cpulist"; mkfifo "$B/sys/devices/system/node/node0/cpulist"
bounded topo --sysroot "$B"
is "$rc" 0 "a FIFO as node0/cpulist does not block topo"

# 4: an 11-byte CPU list of 10^8 CPUs
for f in possible online; do
    copy
    echo 0-99999999 > "$B/sys/devices/system/cpu/$f"
    bounded topo --sysroot "$B"
    is "$rc" 1 "cpu/$f of 0-99999999: exit 1, no 7 GB allocation"
    like "$err" "names a CPU beyond 8191" "cpu/$f: the error says why"
done

# 7: --sysroot '' and an empty sysfs
for v in topo plan capture; do
    bounded $v --sysroot ''
    is "$rc" 2 "$v --sysroot '': a usage error, not this machine"
done
bounded run --dry-run --sysroot '' -N 0 true
is "$rc" 2 "run --sysroot '': a usage error"
mkdir -p "$TMP/empty/sys/devices/system/cpu"
bounded topo --sysroot "$TMP/empty"
is "$rc" 1 "an empty sys/devices/system/cpu: exit 1, not '0 CPUs online'"
mkdir -p "$TMP/nothing"
bounded capture --sysroot "$TMP/nothing" "$TMP/nothing.out"
is "$rc" 1 "capture of an empty directory: exit 1, not 'captured 0 files'"
like "$err" "has no sys/devices/system/cpu" "capture of an empty directory: says what layout it expects"
ok "$([ ! -e "$TMP/nothing.out" ]; echo $?)" "capture of an empty directory: nothing created"

# 5, 6: migrate's sizes and a zombie (a child that exits under a parent that never reaps it)
sleep 60 & VICTIM=$!
sh -c '/bin/true & echo $! > "$1"; exec sleep 60' sh "$TMP/zpid" & ZPARENT=$!
trap 'kill $VICTIM $ZPARENT 2>/dev/null; rm -rf "$TMP"' EXIT
n=0; while [ ! -s "$TMP/zpid" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
sleep 0.2
bounded migrate --pages "$VICTIM" 0x1000 17179869185g 0
is "$rc" 2 "migrate --pages LEN 17179869185g: refused, not wrapped to 1 GiB"
like "$err" "too large" "and called too large"
bounded migrate --pages "$VICTIM" 0x1000 17179869184g 0
like "$err" "too large" "17179869184g: too large, not 'must not be 0'"
bounded migrate --pages "$VICTIM" 0xfffffffffffff000 8192 0
is "$rc" 2 "a range past the end of the address space: refused"
Z=$(cat "$TMP/zpid")
if grep -q '^State:.*Z' "/proc/$Z/status" 2>/dev/null; then
    bounded migrate "$Z" 0 0
    is "$rc" 1 "migrate ZOMBIE 0 0: exit 1"
    ! printf '%s' "$err" | grep -q 'invalid syntax\|Invalid argument'; ok $? "not worded as syntax"
    like "$err" "exited|no process" "but as a process that exited"
    bounded migrate --pages "$Z" 0x1000 4096 0
    ! printf '%s' "$err" | grep -q 'invalid syntax\|Invalid argument'; ok $? "--pages on a zombie: not syntax"
    is "$out" "" "and nothing on stdout"
else
    skip 5 "no zombie could be made"
fi

# 8: pin under seccomp names the refused syscall, guesses no capability on our own process
if [ -x "$SECCOMP" ] && "$SECCOMP" sched_setaffinity true 2>/dev/null; then
    "$SECCOMP" sched_setaffinity "$NP" pin "$VICTIM" 0 >"$TMP/out" 2>"$TMP/err"; rc=$?
    err=$(cat "$TMP/err")
    is "$rc" 1 "pin under seccomp: exit 1"
    like "$err" "sched_setaffinity was refused" "names the refused syscall"
    ! printf '%s' "$err" | grep -q CAP_SYS_NICE; ok $? "and does not blame CAP_SYS_NICE"
else
    skip 3 "seccomp filters are not available here"
fi

# 9: taskset's four 2^32 ranges
ln -s "$NP" "$TMP/taskset"
(timeout 5 "$TMP/taskset" -c 0-4294967295,0-4294967295,0-4294967295,0-4294967295 true) 2>/dev/null
is "$?" 0 "taskset -c of four ranges to 4294967295: done within 5 s"

done_testing
