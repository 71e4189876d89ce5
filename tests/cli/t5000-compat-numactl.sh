#!/bin/sh
# The numactl personality against the numactl installed here: same stdout, stderr and exit
# codes (free and total memory figures masked, they move between two runs), through a symlink
# named numactl.  The installed release decides NUMAPLACE_NUMACTL_VERSION (Debian 12: 2.0.16);
# the 2.0.19 forms are checked against their expected text at the end.
. "$(dirname "$0")/lib.sh"

REAL=$(command -v numactl)
[ -n "$REAL" ] || skip_all "numactl is not installed"
VER=$(dpkg-query -W -f='${Version}' numactl 2>/dev/null | sed 's/-.*//')
[ -n "$VER" ] || VER=2.0.19
export NUMAPLACE_NUMACTL_VERSION=$VER
mkdir -p "$TMP/bin" "$TMP/real"
ln -s "$NP" "$TMP/bin/numactl"
ln -s "$REAL" "$TMP/real/numactl"
SECCOMP=$NP_BUILDDIR/tests/helpers/np-seccomp
SHMDIR=/dev/shm
[ -d "$SHMDIR" ] && [ -w "$SHMDIR" ] || SHMDIR=$TMP
KEY="$TMP/shmkey"

# SysV segments this test creates are those not there when it started
SHM_BEFORE=" $(ipcs -m 2>/dev/null | awk '$2 ~ /^[0-9]+$/ { print $2 }' | tr '\n' ' ') "
cleanup_shm() {
    rm -f "$SHMDIR/np-t5000.$$" "$KEY"
    for id in $(ipcs -m 2>/dev/null | awk '$2 ~ /^[0-9]+$/ { print $2 }'); do
        case "$SHM_BEFORE" in *" $id "*) ;; *) ipcrm -m "$id" 2>/dev/null ;; esac
    done
    return 0
}
trap 'cleanup_shm; rm -rf "$TMP"' EXIT
mask() { sed -i -E 's/(size|free): [0-9]+ MB/\1: N MB/' "$@"; }

# run "numactl ARGS" once from each PATH directory; compare stdout, stderr and the exit code
same() {
    name=$1; shift
    cleanup_shm
    (PATH="$TMP/real:$PATH"; cd "$TMP" && numactl "$@") >"$TMP/o1" 2>"$TMP/e1"; r1=$?
    cleanup_shm
    (PATH="$TMP/bin:$PATH"; cd "$TMP" && numactl "$@") >"$TMP/o2" 2>"$TMP/e2"; r2=$?
    cleanup_shm
    mask "$TMP/o1" "$TMP/o2"
    if [ "$r1" = "$r2" ] && cmp -s "$TMP/o1" "$TMP/o2" && cmp -s "$TMP/e1" "$TMP/e2"; then
        ok 0 "numactl $name"
    else
        ok 1 "numactl $name"
        diag "exit: real $r1, ours $r2"
        diff -u "$TMP/o1" "$TMP/o2" | sed 's/^/# /' >&2
        diff -u "$TMP/e1" "$TMP/e2" | sed 's/^/# /' >&2
    fi
}
SHM=$SHMDIR/np-t5000.$$

# --hardware and --show, and every policy seen by both --show
same "--hardware" --hardware
same "-H" -H
same "--show" --show
same "-s" -s
same "-H then a policy (acts at once)" -H -m 0
same "--cpu-compress is not an option of this release" --cpu-compress -H
same "-m then -H" -m 0 -H
same "--membind" --membind 0 numactl -s
same "-m all" -m all numactl -s
same "--interleave" --interleave 0 numactl -s
same "-i all" -i all numactl -s
same "--interleave=" --interleave=0 numactl --show
same "-i empty resets to default" -i '' numactl -s
same "--preferred" --preferred 0 numactl -s
same "--preferred-many" --preferred-many 0 numactl -s
same "--localalloc" --localalloc numactl -s
same "-l -s in one" -l -s
same "--balancing with --membind" --balancing -m 0 numactl -s
same "--cpunodebind" --cpunodebind 0 numactl -s
same "--cpubind (old name)" --cpubind 0 numactl -s
same "--physcpubind" --physcpubind 1 numactl -s
same "-C all" -C all numactl -s
same "-C !0" -C '!0' numactl -s
same "-C +0 (relative)" -C +0 numactl -s
same "-C !+0" -C '!+0' numactl -s
same "-C list order" -C 1,0 numactl -s
same "-C then -s" -C 1 -s
same "--all" --all -C 0 numactl -s
same "-a -m all" -a -m all numactl -s
same "-a -N all" -a -N all numactl -s
same "same" -m 0 -N same numactl -s
same "hex node" -m 0x0 true
same "all after a node" -m 0,all numactl -s
same "!all" -m '!all' numactl -s
same "relative range" -C +0-1 numactl -s
same "inverted one-member range" -C '!0-0' numactl -s
same "relative node" -m +0 numactl -s
same "--hard abbreviation" --hard
same "the command's status" -m 0 sh -c 'exit 5'
same "-- before the command" -- true
same "strict for a process" -t true
same "new policy in /proc/self/status" -C 1 -m 0 grep -E '^(Cpus|Mems)_allowed_list' /proc/self/status

# bad inputs: messages and exit codes
same "no arguments"
same "unknown option" -x
same "option needs an argument" -m
same "long option needs an argument" --membind
same "node out of range" -m 5 true
same "relative node out of range" -m +5 true
same "range end out of range" -m 0-3 true
same "unparseable node" -m x true
same "node number too large" -m 99999999999 true
same "missing range end" -C 1- true
same "cpu out of range" -C 5 true
same "cpu range out of range" -C 0-5 true
same "relative cpu out of range" -C +5 true
same "cpu too large" -C 99999999999 true
same "octal cpu" -C 010 true
same "bad separator" -m '1;2' true
same "empty item" -m 0,,1 true
same "all followed by more" -m all,0 true
same "cpus all followed by more" -C all,0 true
same "junk after a range" -C 0-1x true
same "range without an end" -N 0- true
same "device name followed by more" -m netdev:lo,0 true
same "empty membind" -m '' true
same "empty physcpubind" -C '' true
same "empty cpunodebind" -N '' true
same "empty preferred" -p '' true
same "two preferred nodes" -p 0,1 true
same "conflicting policies" -m 0 -i 0 true
same "--all after a list" -C 0 -a true
same "same without a previous list" -m same true
same "unknown net device" -m netdev:np-nosuch true
same "command not found" -m 0 nosuchcommand-np
same "command not executable" /etc/passwd
same "--dump without shm" -d true
same "--dump-nodes without shm" -D true
same "--huge for a process" --huge true
same "--length for a process" -L 1M true
same "--offset for a process" -o 1M true
same "--shmmode for a process" -M 0777 true
same "bad --shmmode" -M 9 true
same "bad --shmid" -I x true
same "--touch without shm" -T true
same "--verify without shm" --verify
same "--show ignores what follows" -s -x
same "--strict with --dump" -t -d

# shared memory: files and SysV segments
same "--file --interleave --dump" --length 4M --file "$SHM" --interleave 0 --dump
same "--file --membind --touch --dump-nodes" --length 4M --file "$SHM" -m 0 --dump --touch --dump-nodes
same "--file --localalloc with --offset" --length 4M --offset 1M --file "$SHM" -l --dump
same "--file --verify membind" --length 4M --file "$SHM" -m 0 --verify
same "--file --verify interleave" --length 4M --file "$SHM" -i 0 --verify
same "--file --strict --membind" --length 2M --file "$SHM" --strict -m 0 --dump
same "--file without --length" --file "$SHM" --dump
same "--file unaligned length" --length 4097 --file "$SHM"
same "--file offset beyond length" --length 4M --offset 5M --file "$SHM" -T
same "--file then a command" --length 4M --file "$SHM" -m 0 true
same "--length after --file" --length 4M --file "$SHM" --length 2M
# found by fuzz-numactl-argv: a second --file replaced the first without detaching it (a leak)
same "--file twice" --length 4M --file "$SHM" --file "$SHM" -m 0 --dump
same "--cpunodebind with --file" --length 4M --file "$SHM" -N 0
same "--physcpubind before --file" -C 0 --file "$SHM"
same "--shm creates key and segment" --length 4M --shm "$KEY" -i 0 --dump
same "--shm without --length" --shmid 3 --shm "$KEY" --dump
same "--shm --shmid --strict" --length 2M --shmid 3 --shm "$KEY" -m 0 -t --dump-nodes

# the same policy through both: what the other one's --show and get_mempolicy report
for pol in "-m 0" "-i 0" "-p 0" "-l" "-C 1" "-N 0"; do
    # shellcheck disable=SC2086
    (PATH="$TMP/bin:$PATH"; numactl $pol "$REAL" -s) >"$TMP/o1" 2>&1
    # shellcheck disable=SC2086
    "$REAL" $pol "$REAL" -s >"$TMP/o2" 2>&1
    is "$(cat "$TMP/o1")" "$(cat "$TMP/o2")" "policy '$pol' set by ours reads back in numactl -s as numactl's own"
done

# a seccomp filter that blocks the memory policy syscalls: the same complaint as numactl's
if [ -x "$SECCOMP" ] && "$SECCOMP" set_mempolicy true 2>/dev/null; then
    for e in EPERM ENOSYS; do
        (PATH="$TMP/real:$PATH"; "$SECCOMP" -e $e set_mempolicy,get_mempolicy,mbind numactl -m 0 true) >"$TMP/o1" 2>"$TMP/e1"; r1=$?
        (PATH="$TMP/bin:$PATH"; "$SECCOMP" -e $e set_mempolicy,get_mempolicy,mbind numactl -m 0 true) >"$TMP/o2" 2>"$TMP/e2"; r2=$?
        is "$r2:$(cat "$TMP/o2" "$TMP/e2")" "$r1:$(cat "$TMP/o1" "$TMP/e1")" "blocked by seccomp ($e): same message and exit code"
    done
else
    skip 2 "np-seccomp helper cannot install a filter here"
fi

# `numaplace numactl` is the same personality without a symlink
(PATH="$TMP/bin:$PATH"; numactl -H) >"$TMP/o1" 2>&1
run numactl -H
printf '%s\n' "$out" >"$TMP/o2"
mask "$TMP/o1" "$TMP/o2"
cmp -s "$TMP/o1" "$TMP/o2"
ok $? "numaplace numactl -H prints what the numactl link prints"
run numactl -x
like "$err" "^numactl: invalid option -- 'x'" "numaplace numactl speaks as numactl"

# 2.0.19's own forms (the default without NUMAPLACE_NUMACTL_VERSION)
unset NUMAPLACE_NUMACTL_VERSION
run numactl --version
is "$rc:$out" "0:2.0.19" "2.0.19: --version"
run numactl -H
like "$out" "^node distances:" "2.0.19: -H prints distances"
like "$out" "node     0 " "2.0.19: the distance table is 4 wide"
run numactl -H --cpu-compress
like "$out" "node 0 cpus: 0-1 \(2\)|node 0 cpus: 0 \(1\)" "2.0.19: --cpu-compress"
run numactl -x
is "$rc" 1 "2.0.19: unknown option exits 1"
like "$err" "--weighted-interleave= \| -w <nodes>" "2.0.19: usage lists -w"
run numactl -m 0 nosuchcommand-np
is "$rc:$out" "1:" "2.0.19: exec failure exits 1, nothing on stdout"
is "$err" "numactl: execution of \`nosuchcommand-np': No such file or directory" "2.0.19: exec failure message"
is "$(wc -l <"$TMP/err" | tr -d ' ')" 2 "2.0.19: complain() ends with its blank line on stderr"
run numactl -w 0 numactl -s
if [ "$rc" = 0 ]; then
    like "$out" "^policy: \[6\]" "2.0.19: -w sets weighted interleave (shown as [6], as numactl 2.0.19 does)"
else
    like "$err" "set_mempolicy: Invalid argument" "2.0.19: -w on a kernel without weighted interleave"
fi
done_testing
