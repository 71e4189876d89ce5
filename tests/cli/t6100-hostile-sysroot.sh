#!/bin/sh
# The hostile-sysroot tier: broken captures made from a real one (garbage, binary, truncated,
# huge, negative, empty, FIFOs, /dev/zero links, missing directories, symlink loops), and
# every verb that takes --sysroot run on each under `timeout 5` and `ulimit -v 262144`.  Each
# run ends with exit 0 or a clear error: never a crash (exit >= 128), a hang (124), an
# allocation past 256 MB or a peak RSS past 64 MiB (GNU time); a failure says why on stderr.
. "$(dirname "$0")/lib.sh"

R=$(fixture 16amd64-8n2c) || skip_all "cannot extract 16amd64-8n2c"
S=sys/devices/system
C=$S/cpu
N=$S/node

# each case: a name, then a shell snippet run inside a fresh copy of the capture
cases() {
cat <<'CASES'
garbage-possible	echo 'zz%%--,,' > $C/possible
garbage-online	echo ',,,-' > $C/online
binary-online	head -c 512 /dev/urandom > $C/online
binary-cpulist	head -c 4096 /dev/urandom > $N/node0/cpulist
truncated-meminfo	head -c 9 $N/node0/meminfo > m && mv m $N/node0/meminfo
truncated-distance	echo '1' > $N/node0/distance
huge-possible	echo 0-99999999 > $C/possible
huge-online	echo 0-4294967295 > $C/online
huge-node-online	echo 0-99999 > $N/online
huge-meminfo	sed -i 's/MemTotal: *[0-9]*/MemTotal: 99999999999999999999999/' $N/node0/meminfo
huge-cache-level	echo 99999999999 > $C/cpu0/cache/index0/level
huge-cache-size	echo 99999999999999999999G > $C/cpu0/cache/index2/size
huge-distance	echo '10 99999999999999999999 -5 7' > $N/node0/distance
huge-file	head -c 300000 /dev/zero | tr '\0' '1' > $C/cpu0/topology/core_id
negative-cache-size	echo -64K > $C/cpu0/cache/index0/size
negative-core-id	echo -99999999999 > $C/cpu1/topology/core_id
negative-package	echo -1 > $C/cpu0/topology/physical_package_id
empty-online	: > $C/online
empty-possible	: > $C/possible
empty-cpulist	: > $N/node0/cpulist
empty-cpu-dir	rm -rf $C/* 
empty-sys	rm -rf sys/*
fifo-cpulist	rm $N/node0/cpulist && mkfifo $N/node0/cpulist
fifo-online	rm $C/online && mkfifo $C/online
fifo-meminfo	rm $N/node0/meminfo && mkfifo $N/node0/meminfo
fifo-status	mkdir -p proc/self && mkfifo proc/self/status
zero-cpulist	rm $N/node0/cpulist && ln -s /dev/zero $N/node0/cpulist
zero-status	mkdir -p proc/self && ln -s /dev/zero proc/self/status
zero-cgroup	mkdir -p proc/self && ln -s /dev/zero proc/self/cgroup && ln -s /dev/zero proc/self/mountinfo
zero-siblings	ln -sf /dev/zero $C/cpu0/topology/thread_siblings_list
null-online	rm $C/online && ln -s /dev/null $C/online
missing-node	rm -rf $N
missing-cpu	rm -rf $C
missing-topology	rm -rf $C/cpu*/topology
missing-cache	rm -rf $C/cpu*/cache
dir-as-file	rm $C/online && mkdir $C/online
loop-symlink	rm $N/node0/cpulist && ln -s cpulist2 $N/node0/cpulist && ln -s cpulist $N/node0/cpulist2
loop-dir	ln -s . $C/cpu0/cache/index9
loop-node	rm -rf $N/node1 && ln -s node1 $N/node1
CASES
}

# peak RSS per run where GNU time is there: no verb over 64 MiB on a broken capture
TIME=; [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null && TIME=/usr/bin/time
# a sanitizer build reserves terabytes of address space: no ulimit -v for it
VLIMIT=262144
(ulimit -v $VLIMIT; "$NP" --version) >/dev/null 2>&1 || { VLIMIT=unlimited; TIME=; }
VERBS='topo|topo --json|topo -v --json|plan 4|calc all|run --dry-run -N 0 true|capture OUT'
command -v "$NP" >/dev/null
"$NP" stat --help >/dev/null 2>&1 && VERBS="$VERBS|stat"

cases | while IFS='	' read -r name snippet; do
    d="$TMP/c-$name"
    cp -a "$R" "$d" && (cd "$d" && C=$C N=$N S=$S eval "$snippet") 2>/dev/null
    echo "$VERBS" | tr '|' '\n' | while read -r verb; do
        rm -rf "$TMP/out-cap"
        set -- $verb
        v=$1; shift
        args=$(printf '%s\n' "$@" | sed "s|^OUT\$|$TMP/out-cap|")
        # shellcheck disable=SC2086
        echo 0 > "$TMP/rss"
        (ulimit -v $VLIMIT; exec timeout 5 ${TIME:+$TIME -o "$TMP/rss" -f %M} "$NP" "$v" \
            --sysroot "$d" $args) >"$TMP/out" 2>"$TMP/err"
        rc=$?
        rss=$(tail -1 "$TMP/rss")
        if [ "$rc" -ge 124 ]; then
            echo "not ok - $name: $verb: exit $rc (crash or hang)"
            sed 's/^/# /' "$TMP/err" | head -5
        elif grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
            echo "not ok - $name: $verb: a sanitizer report"
            grep -m3 'Sanitizer\|runtime error' "$TMP/err" | sed 's/^/# /'
        elif [ "${rss:-0}" -gt 65536 ] 2>/dev/null; then
            echo "not ok - $name: $verb: peak RSS $rss KiB, over 64 MiB"
        elif [ "$rc" -ne 0 ] && [ ! -s "$TMP/err" ]; then
            echo "not ok - $name: $verb: exit $rc and nothing said"
        else
            echo "ok - $name: $verb: exit $rc"
        fi
    done
    rm -rf "$d"
done > "$TMP/tap"
# the runs above are in a pipeline's subshells: number their results here
awk '/^(not )?ok - / { n++; sub(/ok - /, "ok " n " - ") } { print }' "$TMP/tap"
_t=$(grep -c '^ok\|^not ok' "$TMP/tap")
_failed=$(grep -c '^not ok' "$TMP/tap")
done_testing
