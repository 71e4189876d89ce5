#!/bin/sh
# The hostile-sysroot tier: broken captures made from a real one (garbage, binary, truncated,
# huge, negative, empty, FIFOs, /dev/zero links, missing directories, symlink loops), and
# every verb that takes --sysroot run on each under `timeout 5` and `ulimit -v 262144`.  Each
# run ends with exit 0 or a clear error: never a crash (exit >= 128), a hang (124), an
# allocation past 256 MB or a peak RSS past 64 MiB (GNU time); a failure says why on stderr.
# Where a case breaks a file the topology load reads, every verb that loads the topology
# (topo, plan, calc, run) warns on stderr naming that file: the output never silently lacks it.
. "$(dirname "$0")/lib.sh"

R=$(fixture 16amd64-8n2c) || skip_all "cannot extract 16amd64-8n2c"
S=sys/devices/system
C=$S/cpu
N=$S/node

# each case: a name, the file a warning must name ("-": none needed), then a shell snippet run
# inside a fresh copy of the capture
cases() {
cat <<'CASES'
garbage-possible	$C/possible	echo 'zz%%--,,' > $C/possible
garbage-online	$C/online	echo ',,,-' > $C/online
binary-online	$C/online	head -c 512 /dev/urandom > $C/online
binary-cpulist	$N/node0/cpulist	head -c 4096 /dev/urandom > $N/node0/cpulist
truncated-meminfo	$N/node0/meminfo	head -c 9 $N/node0/meminfo > m && mv m $N/node0/meminfo
truncated-distance	$N/node0/distance	echo '1' > $N/node0/distance
huge-possible	-	echo 0-99999999 > $C/possible
huge-online	-	echo 0-4294967295 > $C/online
huge-node-online	-	echo 0-99999 > $N/online
huge-meminfo	$N/node0/meminfo	sed -i 's/MemTotal: *[0-9]*/MemTotal: 99999999999999999999999/' $N/node0/meminfo
huge-cache-level	$C/cpu0/cache/index0/level	echo 99999999999 > $C/cpu0/cache/index0/level
huge-cache-size	$C/cpu0/cache/index2/size	echo 99999999999999999999G > $C/cpu0/cache/index2/size
huge-distance	$N/node0/distance	echo '10 99999999999999999999 -5 7' > $N/node0/distance
garbage-distance-tail	$N/node0/distance	sed -i 's/$/ x/' $N/node0/distance
garbage-cache-level	$C/cpu0/cache/index0/level	echo L2 > $C/cpu0/cache/index0/level
garbage-cache-ways	$C/cpu0/cache/index0/ways_of_associativity	echo 8x > $C/cpu0/cache/index0/ways_of_associativity
huge-file	-	head -c 300000 /dev/zero | tr '\0' '1' > $C/cpu0/topology/core_id
huge-file-cpulist	$N/node0/cpulist	head -c 300000 /dev/zero | tr '\0' '1' > $N/node0/cpulist
huge-file-meminfo	$N/node0/meminfo	head -c 300000 /dev/zero | tr '\0' '1' > $N/node0/meminfo
negative-cache-size	$C/cpu0/cache/index0/size	echo -64K > $C/cpu0/cache/index0/size
negative-core-id	-	echo -99999999999 > $C/cpu1/topology/core_id
negative-package	-	echo -1 > $C/cpu0/topology/physical_package_id
empty-online	$C/online	: > $C/online
empty-possible	$C/possible	: > $C/possible
empty-cpulist	-	: > $N/node0/cpulist
empty-cpu-dir	-	rm -rf $C/* 
empty-sys	-	rm -rf sys/*
fifo-cpulist	$N/node0/cpulist	rm $N/node0/cpulist && mkfifo $N/node0/cpulist
fifo-online	$C/online	rm $C/online && mkfifo $C/online
fifo-meminfo	$N/node0/meminfo	rm $N/node0/meminfo && mkfifo $N/node0/meminfo
fifo-status	proc/self/status	mkdir -p proc/self && mkfifo proc/self/status
zero-cpulist	$N/node0/cpulist	rm $N/node0/cpulist && ln -s /dev/zero $N/node0/cpulist
zero-status	proc/self/status	mkdir -p proc/self && ln -s /dev/zero proc/self/status
zero-cgroup	proc/self/mountinfo	mkdir -p proc/self && ln -s /dev/zero proc/self/cgroup && ln -s /dev/zero proc/self/mountinfo
zero-siblings	$C/cpu0/topology/thread_siblings_list	ln -sf /dev/zero $C/cpu0/topology/thread_siblings_list
null-online	$C/online	rm $C/online && ln -s /dev/null $C/online
missing-node	-	rm -rf $N
missing-cpu	-	rm -rf $C
missing-topology	-	rm -rf $C/cpu*/topology
missing-cache	-	rm -rf $C/cpu*/cache
dir-as-file	$C/online	rm $C/online && mkdir $C/online
loop-symlink	$N/node0/cpulist	rm $N/node0/cpulist && ln -s cpulist2 $N/node0/cpulist && ln -s cpulist $N/node0/cpulist2
loop-dir	-	ln -s . $C/cpu0/cache/index9
loop-node	-	rm -rf $N/node1 && ln -s node1 $N/node1
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

cases | while IFS='	' read -r name want snippet; do
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
        warned=1
        case "$want:$v" in
        # capture copies files and stat reads no topology; run loads no caches (NP_TOPO_NO_CACHES)
        -:*|*:capture|*:stat|*/cache/*:run) ;;
        *) eval "file=$want"; grep -qF "warning: $file: " "$TMP/err" || warned=0 ;;
        esac
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
        elif [ "$warned" -eq 0 ]; then
            echo "not ok - $name: $verb: exit $rc and no warning names $file"
            sed 's/^/# /' "$TMP/err" | head -5
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

# many broken files: five warnings, then one line counts the rest; --json lists them all
d="$TMP/c-every-cpulist"
cp -a "$R" "$d"
for f in "$d/$N"/node*/cpulist; do rm "$f" && mkfifo "$f"; done
run topo --sysroot "$d"
is "$rc" 0 "eight FIFOs: topo exits 0"
is "$(grep -c 'warning: sys/devices/system/node/node[0-9]/cpulist: not a regular file (a FIFO); ignored$' "$TMP/err")" 5 \
    "eight FIFOs: five warnings name their files"
is "$(tail -1 "$TMP/err")" "numaplace topo: warning: ... and 3 more problems" \
    "eight FIFOs: the sixth line counts the other three"
run topo --json --sysroot "$d"
got=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
p = d["problems"]
print(d["problem_count"], len(p), p[0]["path"], p[0]["kind"], p[0]["reason"], p[0]["errno"])' "$TMP/out" 2>&1)
is "$got" "8 8 $N/node0/cpulist not-regular not a regular file (a FIFO) 22" \
    "eight FIFOs: topo --json has problem_count and a problems array"
run topo --json --sysroot "$R"
like "$out" '"problem_count": 0,' "an intact capture: problem_count 0"
# a node's cpulist that cannot be used: its cpumap says the same, and the tree keeps the node
run topo --sysroot "$d"
like "$out" "node 0: cpus 0-1," "eight FIFO cpulists: node 0 keeps its CPUs, from cpumap"
like "$out" "node 7: cpus 14-15," "  and node 7 too"
done_testing
