# tests.sh CONF - runs inside the guest (busybox sh) and prints TAP on stdout: the layout the
# kernel built from the QEMU command line; topo --json and a capture (sent to the host); every
# policy of numaplace run against the page-by-page truth of guest-probe, with Debian's
# numactl beside it; the numactl personality; migrate, where and pin -a; then faults (a CPU
# taken offline, a cgroup v2 cpuset, a full node, --strict).  A verb that is missing makes
# its checks SKIP.
#
# Terminology:
#   conf        the topology file the host booted (topologies/NAME.conf)
#   mem node    a node with memory in conf; cpu node: a node with CPUs in conf
#   local(N)    where a CPU of node N allocates locally: N itself, or for a memoryless N
#               the memory node with the smallest distance in N's SLIT row (the kernel's
#               zonelist order; conf avoids ties)
#   file        a result sent back to the host between @@NP-FILE NAME@@ and @@NP-FILE-END@@
#               lines, base64; the host checks JSON there (it has python, the guest has not)
conf=$1
NP=/np/bin/numaplace
PROBE=/np/bin/guest-probe
NPAGES=256
T=/tmp/np
mkdir -p $T
_t=0
: >$T/meta.txt

# ---- TAP ---------------------------------------------------------------------------------
ok() {
	_t=$((_t + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_t - $2"; else echo "not ok $_t - $2"; fi
	return "$1"
}
skip() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		_t=$((_t + 1))
		echo "ok $_t # SKIP $*"
		n=$((n - 1))
	done
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:      $1" "expected: $2"
		return 1
	fi
}
# section NAME: a diag line with the guest's uptime, to see where the tier's time goes
section() { diag "--- $1 (uptime $(cut -d' ' -f1 /proc/uptime) s)"; }
send_file() {
	echo "@@NP-FILE $1@@"
	base64 "$2"
	echo "@@NP-FILE-END@@"
}

# ---- the topology file, read once ---------------------------------------------------------
# Sets NODES MEMNODES CPUNODES (space-separated), NODELIST MEMLIST CPUNODELIST (cpulists),
# M0 ML (first and last mem node), and per node N: MEM_N (MiB), CPUS_N (cpulist, empty for
# none), CPUSX_N (space-separated), ROW_N (SLIT row), LOCAL_N (see local(N) above).
eval "$(awk '
function compact(list,   a, k, i, out, s, p, sep) {
	k = split(list, a, " ")
	for (i = 1; i <= k; i++) {
		if (i == 1) { s = a[i]; p = a[i]; continue }
		if (a[i] == p + 1) { p = a[i]; continue }
		out = out sep (s == p ? s : s "-" p); sep = ","; s = a[i]; p = a[i]
	}
	if (k) out = out sep (s == p ? s : s "-" p)
	return out
}
function expand(l,   parts, k, i, r, out, j) {
	k = split(l, parts, ",")
	for (i = 1; i <= k; i++) {
		if (split(parts[i], r, "-") == 2) { for (j = r[1]; j <= r[2]; j++) out = out (out == "" ? "" : " ") j }
		else out = out (out == "" ? "" : " ") parts[i]
	}
	return out
}
$1 == "node" {
	n = $2; nodes = nodes (nodes == "" ? "" : " ") n; order[++nn] = n
	for (i = 3; i < NF; i += 2) kv[$i] = $(i + 1)
	mem[n] = kv["mem"]; cpus[n] = (kv["cpus"] == "-") ? "" : kv["cpus"]
	if (mem[n] > 0) memnodes = memnodes (memnodes == "" ? "" : " ") n
	if (cpus[n] != "") cpunodes = cpunodes (cpunodes == "" ? "" : " ") n
}
$1 == "dist" { r = $0; sub(/^dist +[0-9]+ +/, "", r); row[$2] = r }
END {
	printf "NODES=\"%s\"; MEMNODES=\"%s\"; CPUNODES=\"%s\"\n", nodes, memnodes, cpunodes
	printf "NODELIST=%s; MEMLIST=%s; CPUNODELIST=%s\n", compact(nodes), compact(memnodes), compact(cpunodes)
	k = split(memnodes, mn, " "); printf "M0=%s; ML=%s\n", mn[1], mn[k]
	for (i = 1; i <= nn; i++) {
		n = order[i]; x = expand(cpus[n]); split(x, cx, " ")
		printf "MEM_%s=%s; CPUS_%s=\"%s\"; CPUSX_%s=\"%s\"; ROW_%s=\"%s\"\n", n, mem[n], n, cpus[n], n, x, n, row[n]
		loc = n
		if (mem[n] == 0) {
			split(row[n], d, " "); best = 1e9
			for (j = 1; j <= nn; j++) if (mem[order[j]] > 0 && d[j] < best) { best = d[j]; loc = order[j] }
		}
		printf "LOCAL_%s=%s\n", n, loc
	}
}' "$conf")"
# v NAME N: print the value of NAME_N
v() { eval "echo \"\$${1}_$2\""; }
first() { echo "${1%% *}"; }
last() { echo "${1##* }"; }

# ---- 1. the layout the kernel built, read straight from sysfs -----------------------------
section "1. the layout the kernel built, read straight from sysfs"
S=/sys/devices/system/node
blk=$(printf '%d' "0x$(cat /sys/devices/system/memory/block_size_bytes)")
eval "$(awk '$1 == "Node" { n = $2; sub(/,/, "", n) } $1 == "present" { p[n] += $2 } $1 == "managed" { m[n] += $2 }
	END { for (n in p) printf "PRESENT_%s=%d; MANAGED_%s=%d\n", n, p[n], n, m[n] }' /proc/zoneinfo)"
is "$(cat $S/online)" "$NODELIST" "sysfs: nodes online"
is "$(cat $S/has_memory)" "$MEMLIST" "sysfs: nodes with memory"
is "$(cat $S/has_cpu)" "$CPUNODELIST" "sysfs: nodes with CPUs"
for n in $NODES; do
	mem=$(v MEM $n)
	is "$(cat $S/node$n/cpulist)" "$(v CPUS $n)" "sysfs: node $n CPUs"
	is "$(cat $S/node$n/distance)" "$(v ROW $n)" "sysfs: node $n distance row"
	set -- $S/node$n/memory[0-9]*
	[ -e "$1" ] || set --
	is "$(($# * blk / 1048576))" "$mem" "sysfs: node $n memory blocks add up to $mem MiB"
	# present pages: all of QEMU's memdev the kernel saw; MemTotal lacks what it reserved at boot
	present=$(v PRESENT $n)
	want=$((mem * 256))
	d=$((present - want))
	[ $d -lt 0 ] && d=$((-d))
	ok $([ $((d * 50)) -le $want ]; echo $?) \
		"sysfs: node $n present memory within 2% of $mem MiB ($present of $want pages)"
	read -r _ _ _ memtotal _ <<EOT
$(grep MemTotal $S/node$n/meminfo)
EOT
	echo "node $n memtotal_kb $memtotal present_pages $present managed_pages $(v MANAGED $n)" >>$T/meta.txt
done

# ---- which numaplace verbs exist ----------------------------------------------------------
section "which numaplace verbs exist"
have() { "$NP" "$@" >/dev/null 2>&1; }
HAVE_RUN=0; have run --help && HAVE_RUN=1
HAVE_JSON=0
if "$NP" topo --json >$T/topo.json 2>$T/topo.err && grep -q '"nodes"' $T/topo.json; then HAVE_JSON=1; fi
HAVE_NUMACTL=0; command -v numactl >/dev/null 2>&1 && numactl --show >/dev/null 2>&1 && HAVE_NUMACTL=1
NO_RUN="numaplace run is not implemented yet"
NO_NUMACTL="Debian's numactl is not in the initramfs"

# ---- 2. topo --json and capture (the host checks the JSON) --------------------------------
section "2. topo --json and capture"
if [ $HAVE_JSON = 1 ]; then
	ok 0 "topo --json prints nodes"
	send_file topo.json $T/topo.json
else
	skip 1 "numaplace topo --json does not print nodes yet"
fi
if have capture --help; then
	rm -rf $T/cap
	"$NP" capture $T/cap >$T/cap.out 2>&1
	ok $? "capture writes the guest's tree" || diag "$(cat $T/cap.out)"
	if [ -d $T/cap ]; then
		tar czf $T/cap.tar.gz -C $T/cap . && send_file capture.tar.gz $T/cap.tar.gz
	fi
else
	skip 1 "numaplace capture is not implemented yet"
fi

# ---- 3. policies, page by page ------------------------------------------------------------
section "3. policies, page by page"
# probe OUT KIND SET CMD...: run CMD (ending in the probe), keep its report in OUT, and parse
# it (the last report when there are several) with one awk into:
#   P_rc P_addr P_end P_cpu P_policy P_acpus P_amems P_counts ("node:pages ...") P_sum1 P_sum
#   P_ok   0 when the pages are what KIND promises over SET (node list):
#          only: every page on SET; interleave: every page on SET, each node floor or ceil
#          of pages/|SET|, and each page on the node after its predecessor's in SET order
probe() {
	local out=$1 kind=$2 set=$3
	shift 3
	"$@" >"$out" 2>"$out.err"
	P_rc=$?
	parse "$out" "$kind" "$set"
}
parse() {
	eval "$(awk -v kind="$2" -v set="$3" '
	BEGIN { k = split(set, s, " "); for (i = 1; i <= k; i++) { in_set[s[i]] = 1; nx[s[i]] = s[i % k + 1] } }
	$1 == "cpu" { cpu = $2 } $1 == "policy" { pol = $2 " " $3 }
	$1 == "allowed-cpus" { ac = $2 } $1 == "allowed-mems" { am = $2 }
	$1 == "sum" { if (sum1 == "") sum1 = $2; sum = $2 } $1 == "end" { ends++ } $1 == "addr" { addr = $2 }
	$1 == "nodes" {
		split("", c); bad = 0; breaks = 0; n = NF - 1
		for (i = 2; i <= NF; i++) {
			c[$i]++; if (!($i in in_set)) bad++
			if (i > 2 && nx[$(i - 1)] != $i) breaks++
		}
	}
	END {
		okv = (bad == 0 && n > 0)
		if (kind == "interleave" && k > 0) {
			lo = int(n / k); hi = (n % k) ? lo + 1 : lo
			for (i = 1; i <= k; i++) if (c[s[i]] + 0 < lo || c[s[i]] + 0 > hi) okv = 0
			if (breaks) okv = 0
		}
		cnt = ""; for (x = -1; x < 1024; x++) if (x in c) cnt = cnt x ":" c[x] " "
		sub(/ $/, "", cnt)
		printf "P_addr=%s; P_end=%d; P_cpu=\"%s\"; P_policy=\"%s\"; P_acpus=\"%s\"; P_amems=\"%s\"; P_counts=\"%s\"; P_sum1=%s; P_sum=%s; P_ok=%d\n",
			addr, ends, cpu, pol, ac, am, cnt, sum1 == "" ? "none" : sum1, sum == "" ? "none" : sum, !okv
	}' "$1")"
}
# pages_ok NAME KIND SET: the TAP line for the last probe
pages_ok() {
	if [ "$P_rc" != 0 ] || [ "$P_end" = 0 ]; then
		ok 1 "$1: probe ran (exit $P_rc)"
		diag "$(cat "$out" "$out.err")"
		return 1
	fi
	ok $P_ok "$1: $NPAGES pages on [$3] ($2): $P_counts" || diag "$(cat "$out")"
}

# each case: numaplace run options, the expectation (kind, node set), the CPU binding to check
# (a CPU, or nodecpus:N), and why Debian's numactl cannot take part (empty when it can)
NCASES=0
add_case() {
	NCASES=$((NCASES + 1))
	eval "C_opts_$NCASES=\"\$1\"; C_kind_$NCASES=\"\$2\"; C_set_$NCASES=\"\$3\"; C_cpu_$NCASES=\"\$4\"; C_nonuma_$NCASES=\"\${5:-}\""
}
for n in $MEMNODES; do add_case "--membind=$n" only "$n" ""; done
add_case "--membind=$M0,$ML" only "$M0 $ML" ""
add_case "--interleave=$MEMLIST" interleave "$MEMNODES" ""
add_case "--interleave=$M0,$ML" interleave "$M0 $ML" ""
for n in $MEMNODES; do add_case "--preferred=$n" only "$n" ""; done
add_case "--preferred-many=$M0,$ML" only "$M0 $ML" ""
ONE_CPU_DONE=
for n in $CPUNODES; do
	cx=$(v CPUSX $n)
	loc=$(v LOCAL $n)
	add_case "--physcpubind=$(first "$cx") --localalloc" only "$loc" "$(first "$cx")"
	why=
	[ "$(v MEM $n)" -eq 0 ] &&
		why="Debian's numactl refuses -N $n: libnuma checks node lists against the nodes with memory"
	add_case "--cpunodebind=$n" only "$loc" "nodecpus:$n" "$why"
	# the last CPU: where a node has several, not the one the localalloc case used; a
	# one-CPU node only once per topology (the same CPU, the default policy)
	if [ "$(last "$cx")" != "$(first "$cx")" ] || [ -z "$ONE_CPU_DONE" ]; then
		add_case "--physcpubind=$(last "$cx")" only "$loc" "$(last "$cx")"
		[ "$(last "$cx")" = "$(first "$cx")" ] && ONE_CPU_DONE=1
	fi
done

# run_case I np|numactl: run case I through numaplace or numactl, check pages and CPUs; the
# probe's parsed report stays in R_<tool>_* for the differential
run_case() {
	local i=$1 tool=$2 opts kind set cpu label
	eval "opts=\$C_opts_$i; kind=\$C_kind_$i; set=\$C_set_$i; cpu=\$C_cpu_$i"
	out=$T/case$i.$tool
	if [ "$tool" = np ]; then
		label="run $opts"
		probe "$out" "$kind" "$set" "$NP" run $opts -- "$PROBE" -n $NPAGES
	else
		label="numactl $opts"
		probe "$out" "$kind" "$set" numactl $opts "$PROBE" -n $NPAGES
	fi
	eval "R_${tool}_ok=1; R_${tool}_policy=\"\$P_policy\"; R_${tool}_counts=\"\$P_counts\"; R_${tool}_acpus=\"\$P_acpus\""
	pages_ok "$label" "$kind" "$set" || return 1
	eval "R_${tool}_ok=0"
	case "$cpu" in
	"") ;;
	nodecpus:*)
		n=${cpu#nodecpus:}
		is "$P_acpus" "$(v CPUS $n)" "$label: allowed CPUs are node $n's"
		;;
	*)
		is "$P_cpu $P_acpus" "$cpu $cpu" "$label: runs on CPU $cpu only"
		;;
	esac
}
# near A B: 0 when every node's page count in "node:pages" list A is within 1 of B's
near() {
	echo "$1 / $2" | awk '{ side = "a"; for (i = 1; i <= NF; i++) { if ($i == "/") { side = "b"; continue }
		split($i, p, ":"); c[side, p[1]] = p[2]; all[p[1]] = 1 } }
		END { for (n in all) { d = c["a", n] - c["b", n]; if (d > 1 || d < -1) exit 1 } }'
}

# the interleave cursor of numactl --show ("interleave next", "interleavenode") moves with
# every page the task allocated since the policy was set, the launcher's own before exec
# included: masked when comparing, told in a diag line when it differs
cursor='s/^\(preferred node:\) [0-9]* (interleave next)/\1 N (interleave next)/; s/^\(interleavenode:\) [0-9]*/\1 N/'
SHAPES=
i=1
while [ $i -le $NCASES ]; do
	eval "opts=\$C_opts_$i; cpu=\$C_cpu_$i; nonuma=\$C_nonuma_$i; kind=\$C_kind_$i"
	ncheck=1
	[ -n "$cpu" ] && ncheck=2
	R_np_ok=1
	if [ $HAVE_RUN = 1 ]; then run_case $i np; else skip $ncheck "$NO_RUN ($opts)"; fi
	if [ -n "$nonuma" ]; then
		skip $((ncheck + 3)) "$nonuma"
	elif [ $HAVE_NUMACTL = 0 ]; then
		skip $((ncheck + 3)) "$NO_NUMACTL"
	else
		run_case $i numactl
		if [ $HAVE_RUN = 1 ] && [ $R_np_ok = 0 ] && [ $R_numactl_ok = 0 ]; then
			if [ "$kind" = interleave ]; then
				# the round-robin starts at the task's interleave cursor: counts may differ by one
				near "$R_np_counts" "$R_numactl_counts"
				ok $? "differential $opts: pages per node within 1 of numactl's ($R_np_counts / $R_numactl_counts)"
			elif [ -z "$cpu" ]; then
				# an unbound process allocates nearest to wherever it happens to run: the
				# node set (checked above) is all both promise
				ok 0 "differential $opts: both kept to [$(v C_set $i)] (placement follows the CPU)"
			else
				is "$R_np_counts" "$R_numactl_counts" "differential $opts: same pages per node as numactl"
			fi
			is "$R_np_policy / $R_np_acpus" "$R_numactl_policy / $R_numactl_acpus" \
				"differential $opts: same policy and allowed CPUs as numactl"
			# --show once per option shape (--membind=N, --physcpubind=C --localalloc, ...):
			# at 0.25 s a call under TCG, every case would cost the tier a minute
			shape=$(echo "$opts" | tr -d '0-9,-')
			case "$SHAPES" in
			*"|$shape|"*) ;;
			*)
				SHAPES="$SHAPES|$shape|"
				"$NP" run $opts -- numactl --show >$T/show.np 2>&1
				numactl $opts numactl --show >$T/show.numactl 2>&1
				is "$(sed "$cursor" $T/show.np)" "$(sed "$cursor" $T/show.numactl)" "differential $opts: same numactl --show"
				cmp -s $T/show.np $T/show.numactl ||
					diag "interleave cursor differs: $(grep interleavenode $T/show.np) here, $(grep interleavenode $T/show.numactl) with Debian's"
				;;
			esac
		elif [ $HAVE_RUN = 1 ]; then
			skip 3 "a probe failed: nothing to compare with numactl ($opts)"
		else
			skip 3 "$NO_RUN: nothing to compare with numactl ($opts)"
		fi
	fi
	i=$((i + 1))
done

if [ -d /sys/kernel/mm/mempolicy/weighted_interleave ]; then
	if [ $HAVE_RUN = 1 ]; then
		probe $T/wi only "$MEMNODES" "$NP" run --weighted-interleave=$MEMLIST -- "$PROBE" -n $NPAGES
		pages_ok "run --weighted-interleave=$MEMLIST" only "$MEMNODES"
	else
		skip 1 "$NO_RUN (weighted interleave)"
	fi
else
	skip 1 "kernel $(uname -r) has no weighted interleave (MPOL_WEIGHTED_INTERLEAVE is 6.9+)"
	# then asking for it is an error that says so, and the command does not run
	if [ $HAVE_RUN = 1 ]; then
		"$NP" run --weighted-interleave=$MEMLIST -- "$PROBE" -n 1 >$T/wi.out 2>$T/wi.err
		rc=$?
		ok $([ $rc = 1 ] && [ ! -s $T/wi.out ] && [ "$(wc -l <$T/wi.err)" = 1 ]; echo $?) \
			"run --weighted-interleave on $(uname -r): refused (exit $rc), one line, nothing run" ||
			diag "$(cat $T/wi.out $T/wi.err)"
	else
		skip 1 "$NO_RUN (weighted interleave refused)"
	fi
fi

# ---- 3b. weights of weighted interleave, HMAT, memory tiers (Linux 6.9+ / 6.1+) -----------
section "3b. weights, HMAT, memory tiers"
WI=/sys/kernel/mm/mempolicy/weighted_interleave
WPAGES=2000
# ratio_ok A B WA WB: 0 when the last probe put WA:WB of its pages on A:B, within 2% of all
ratio_ok() {
	echo "$P_counts" | tr ' ' '\n' | awk -F: -v a=$1 -v b=$2 -v wa=$3 -v wb=$4 '
		{ c[$1] = $2; n += $2 }
		END { want = n * wa / (wa + wb); d = c[a] - want; if (d < 0) d = -d
			exit !(n > 0 && c[a] + c[b] == n && d * 50 <= n) }'
}
M1=$(echo "$MEMNODES" | cut -d' ' -f2)
if [ -d $WI ] && [ "$M1" != "$M0" ]; then
	"$NP" weights set $M0=3 $M1=1 >$T/ws.out 2>&1
	ok $? "weights set $M0=3 $M1=1: exit 0" || diag "$(cat $T/ws.out)"
	grep -q "^node $M0: weight 1 -> 3" $T/ws.out
	ok $? "weights set says what it changed" || diag "$(cat $T/ws.out)"
	is "$(cat $WI/node$M0) $(cat $WI/node$M1)" "3 1" "weights set: the kernel's weights are 3 and 1"
	"$NP" weights --json >$T/wj.out 2>&1
	grep -A1 "\"node\": $M0," $T/wj.out | grep -q '"weight": 3'
	ok $? "weights --json shows node $M0's weight 3" || diag "$(cat $T/wj.out)"
	NPAGES0=$NPAGES
	NPAGES=$WPAGES
	probe $T/wi3 only "$M0 $M1" "$NP" run --weighted-interleave=$M0,$M1 -- "$PROBE" -n $WPAGES
	pages_ok "run --weighted-interleave=$M0,$M1 (weights 3:1)" only "$M0 $M1"
	ratio_ok $M0 $M1 3 1
	ok $? "run --weighted-interleave=$M0,$M1: pages 3:1 within 2% of $WPAGES ($P_counts)"
	ln -sf "$NP" $T/numactl
	probe $T/wi3n only "$M0 $M1" $T/numactl -w $M0,$M1 "$PROBE" -n $WPAGES
	pages_ok "numactl personality -w $M0,$M1 (weights 3:1)" only "$M0 $M1"
	ratio_ok $M0 $M1 3 1
	ok $? "numactl personality -w $M0,$M1: pages 3:1 within 2% of $WPAGES ($P_counts)"
	NPAGES=$NPAGES0
	"$NP" weights --undo >$T/wu.out 2>&1
	ok $? "weights --undo: exit 0" || diag "$(cat $T/wu.out)"
	is "$(cat $WI/node$M0) $(cat $WI/node$M1)" "1 1" "weights --undo: the weights are 1 and 1 again"
	"$NP" weights set $M0=0 >$T/we.out 2>&1
	is "$? $(cat $WI/node$M0)" "2 1" "weights set $M0=0: refused (exit 2), weight unchanged"
	"$NP" weights set $M0=256 >$T/we.out 2>&1
	is "$?" 2 "weights set $M0=256: refused (exit 2)"
	for n in $NODES; do
		[ "$(v MEM $n)" -gt 0 ] && continue
		"$NP" weights set $n=2 >$T/we.out 2>&1
		rc=$?
		ok $([ $rc = 2 ] && grep -q "node $n has no memory" $T/we.out; echo $?) \
			"weights set $n=2 on memoryless node $n: refused (exit $rc)" || diag "$(cat $T/we.out)"
		break
	done
	# auto from HMAT: each node's best read bandwidth, in the smallest ratio (the topology's
	# hmat lines); without HMAT the guest measures, which only has to give 1-255 for each node
	if grep -q '^hmat ' "$conf"; then
		want=$(awk '$1 == "hmat" { if ($9 > bw[$3]) bw[$3] = $9 }
			function gcd(a, b) { while (b) { t = a % b; a = b; b = t } return a }
			END { lo = 0; for (n in bw) if (!lo || bw[n] < lo) lo = bw[n]
				g = 0; for (n in bw) { w[n] = int(bw[n] * 100 / lo + 0.5); g = gcd(w[n], g) }
				for (n = 0; n < 1024; n++) if (n in w) printf "%s%d=%d", (s++ ? " " : ""), n, w[n] / g }' "$conf")
		"$NP" weights auto >$T/wa.out 2>&1
		ok $? "weights auto (HMAT): exit 0" || diag "$(cat $T/wa.out)"
		got=$(for n in $MEMNODES; do printf '%s=%s ' $n "$(cat $WI/node$n)"; done)
		is "${got% }" "$want" "weights auto: the weights follow HMAT's read bandwidth"
		"$NP" weights --undo >/dev/null 2>&1
		ok $? "weights --undo after auto"
	else
		"$NP" weights auto --dry-run --from bench >$T/wa.out 2>&1
		ok $([ $? = 0 ] && [ "$(grep -c 'weight [0-9]' $T/wa.out)" = "$(echo $MEMNODES | wc -w)" ]; echo $?) \
			"weights auto --from bench --dry-run: a weight for each node with memory" || diag "$(cat $T/wa.out)"
	fi
else
	"$NP" weights >$T/wn.out 2>&1
	rc=$?
	ok $([ $rc = 1 ] && grep -q 'no weighted interleave' $T/wn.out; echo $?) \
		"weights on $(uname -r): no weighted interleave, said so (exit $rc)" || diag "$(cat $T/wn.out)"
fi
# HMAT as topo prints it: each target's best initiator's numbers, as QEMU was given them
"$NP" topo >$T/topo.txt 2>&1
for tgt in $(awk '$1 == "hmat" { print $3 }' "$conf" | sort -u); do
	line=$(awk -v t=$tgt '$1 == "hmat" && $3 == t && $9 > best { best = $9; l = $2 " " $5 " " $7 " " $9 " " $11 } END { print l }' "$conf")
	set -- $line
	for c in "0 any" "1 cpu"; do
		grep -Eq "^$tgt +$c +$1 +$2 ns +$3 ns +$4 MB/s +$5 MB/s\$" $T/topo.txt
		ok $? "topo: node $tgt access class ${c% *} is initiator $1's HMAT entry ($2/$3 ns, $4/$5 MB/s)" ||
			diag "$(grep -A6 '^memory performance' $T/topo.txt)"
	done
done
# memory tiers, demotion and balancing: topo says what sysfs says
TD=/sys/devices/virtual/memory_tiering
if [ -d $TD ]; then
	want=$(for d in $TD/memory_tier*; do echo "${d##*memory_tier} $(cat $d/nodelist)"; done | sort -n |
		awk '{ printf "%s %s: nodes %s", (NR > 1 ? ";" : "memory tiers:"), $1, $2 }')
	is "$(grep '^memory tiers:' $T/topo.txt)" "$want" "topo: memory tiers as the kernel has them"
	diag "$want"
	if [ "$(ls -d $TD/memory_tier* | wc -l)" -gt 1 ]; then
		ok 0 "the guest has a lower memory tier ($want)"
	elif grep -q '^hmat ' "$conf"; then
		# HMAT's numbers rank memory into tiers from Linux 6.7 on; before, only a driver
		# (dax kmem) does
		kv=$(uname -r | awk -F. '{ print $1 * 100 + $2 }')
		if [ "$kv" -ge 607 ]; then
			ok 1 "a slower node by HMAT makes a lower memory tier"
		else
			skip 1 "kernel $(uname -r) keeps HMAT-slower memory in the DRAM tier (HMAT ranks tiers from 6.7)"
		fi
	fi
	dem=$(cat /sys/kernel/mm/numa/demotion_enabled 2>/dev/null)
	bal=$(cat /proc/sys/kernel/numa_balancing 2>/dev/null)
	grep -q "^demotion: $([ "$dem" = true ] && echo enabled || echo disabled); NUMA balancing: $bal " $T/topo.txt
	ok $? "topo: demotion ($dem) and NUMA balancing ($bal) as the kernel has them" || diag "$(grep '^demotion' $T/topo.txt)"
	if [ -n "$bal" ] && echo 2 >/proc/sys/kernel/numa_balancing 2>/dev/null; then
		"$NP" topo --json | grep -q '"numa_balancing": 2'
		ok $? "topo --json: numa_balancing 2 (memory tiering) after the guest set it"
		echo "$bal" >/proc/sys/kernel/numa_balancing
	fi
else
	skip 1 "kernel $(uname -r) has no memory tiers"
fi

# nodes that cannot serve a request are refused before anything is applied
for n in $NODES; do
	[ "$(v MEM $n)" -gt 0 ] && [ -n "$(v CPUS $n)" ] && continue
	if [ "$(v MEM $n)" -eq 0 ]; then opt="--membind=$n"; else opt="--cpunodebind=$n"; fi
	if [ $HAVE_RUN = 1 ]; then
		"$NP" run $opt -- "$PROBE" -n 1 >$T/bad.out 2>$T/bad.err
		rc=$?
		ok $([ $rc = 1 ] || [ $rc = 2 ]; echo $?) "run $opt: refused with exit 1 or 2 (got $rc)"
		is "$(wc -l <$T/bad.err)" 1 "run $opt: one line on stderr" || diag "$(cat $T/bad.err)"
		grep -q "$n" $T/bad.err
		ok $? "run $opt: the message names node $n"
		is "$(cat $T/bad.out)" "" "run $opt: the command did not run"
	else
		skip 4 "$NO_RUN ($opt)"
	fi
done

# ---- 4. numactl personality ---------------------------------------------------------------
section "4. numactl personality"
# invoked through a symlink named numactl, numaplace is numactl 2.0.19
ln -sf "$NP" $T/numactl
PERS_CASES="--interleave=$MEMLIST|--membind=$M0 --physcpubind=$(first "$(v CPUSX $(first "$CPUNODES"))")|--preferred=$ML|--cpunodebind=$(first "$CPUNODES") --preferred=$ML"
if [ $HAVE_NUMACTL = 0 ]; then
	skip 6 "$NO_NUMACTL"
elif $T/numactl -H >$T/H.np 2>&1 && grep -q '^available:' $T/H.np; then
	numactl -H >$T/H.numactl 2>&1
	# free memory moves between two calls: compare everything else.  Debian 12 ships numactl
	# 2.0.16, whose distance table has 3-wide columns; 2.0.19 widened them to 4: the table is
	# compared number by number
	is "$(sed '/^node distances:/,$d; /free:/d' $T/H.np)" "$(sed '/^node distances:/,$d; /free:/d' $T/H.numactl)" \
		"numactl personality: -H equals Debian's numactl -H up to the distance table"
	is "$(sed -n '/^node distances:/,$p' $T/H.np | tr -s ' ')" "$(sed -n '/^node distances:/,$p' $T/H.numactl | tr -s ' ')" \
		"numactl personality: -H distance table has Debian's numbers (column width is per version)"
	IFS='|'
	set -- $PERS_CASES
	unset IFS
	for opts in "$@"; do
		$T/numactl $opts $T/numactl --show >$T/S.np 2>&1
		numactl $opts numactl --show >$T/S.numactl 2>&1
		is "$(sed "$cursor" $T/S.np)" "$(sed "$cursor" $T/S.numactl)" "numactl personality: '$opts --show' as Debian's numactl" ||
			diag "$(diff $T/S.numactl $T/S.np)"
		cmp -s $T/S.np $T/S.numactl || diag "interleave cursor differs: $(grep interleavenode $T/S.np) here, $(grep interleavenode $T/S.numactl) with Debian's"
	done
else
	skip 6 "the numactl personality of numaplace is not implemented yet"
fi

# ---- 5. migrate and pin -a ----------------------------------------------------------------
section "5. migrate and pin -a"
# wait_for FILE PATTERN COUNT [SECONDS]: until FILE has COUNT lines matching PATTERN (at
# most SECONDS, default 20)
wait_for() {
	local k=0 max=$((${4:-20} * 10)) n
	while :; do
		# a background job's output file may not exist yet: that is 0 lines, not an error
		# (an empty count made '[' fail and the wait return at once, as if done)
		n=$(grep -c "$2" "$1" 2>/dev/null)
		[ "${n:-0}" -lt "$3" ] && [ $k -lt $max ] || break
		usleep 100000
		k=$((k + 1))
	done
	[ $k -lt $max ]
}
if [ $HAVE_RUN = 1 ] && have migrate --help; then
	# the whole process from node a to b (migrate_pages), then its probe range back to a
	# (move_pages); after each, every page is where it was sent and holds what it held
	a=$M0; b=$ML
	"$NP" run --preferred=$a -- "$PROBE" --hold -n $NPAGES >$T/mig.out 2>&1 &
	wait_for $T/mig.out '^end$' 1
	pid=$(pidof guest-probe)
	out=$T/mig.out
	P_rc=0
	parse $T/mig.out only "$a"
	pages_ok "migrate: before, the probe's pages" only "$a"
	"$NP" migrate "$pid" $a $b >$T/mig.np 2>&1
	ok $? "migrate $pid $a $b: exit 0" || diag "$(cat $T/mig.np)"
	kill -USR1 "$pid"
	wait_for $T/mig.out '^end$' 2
	parse $T/mig.out only "$b"
	is "$P_sum" "$P_sum1" "migrate $a $b: every page's contents unchanged (checksum)"
	pages_ok "migrate $a $b: after" only "$b"
	if have where --help; then
		# where reads /proc/PID/numa_maps: the probe's pages must show up on node b
		anon=$("$NP" where "$pid" 2>&1 | awk -v b=$b '$1 == b && NF == 5 { print $2 }')
		ok $([ "${anon:-0}" -ge $((NPAGES * 4)) ]; echo $?) "where $pid: node $b holds ${anon:-no} KiB anonymous (>= $((NPAGES * 4)))" ||
			diag "$("$NP" where "$pid" 2>&1)"
	else
		skip 1 "numaplace where is not implemented yet"
	fi
	"$NP" migrate --pages "$pid" "$P_addr" $((NPAGES * 4096)) $a >$T/mig2.np 2>&1
	ok $? "migrate --pages $pid $P_addr $((NPAGES * 4096)) $a: exit 0" || diag "$(cat $T/mig2.np)"
	kill -USR1 "$pid"
	wait_for $T/mig.out '^end$' 3
	kill -TERM "$pid"
	wait
	parse $T/mig.out only "$a"
	is "$P_sum" "$P_sum1" "migrate --pages: every page's contents unchanged (checksum)"
	pages_ok "migrate --pages to $a: after" only "$a"
else
	skip 8 "numaplace migrate is not implemented yet"
fi

if have pin --help; then
	c=$(last "$(v CPUSX $(last "$CPUNODES"))")
	"$PROBE" -n 1 --threads 100 >$T/pin.out 2>&1 &
	pid=$!
	usleep 50000
	timeout 20 "$NP" pin -a "$pid" "$c" >$T/pin.np 2>&1
	ok $? "pin -a $pid $c while threads are being created: exit 0 within 20 s" || diag "$(cat $T/pin.np)"
	grep -q '^threads' $T/pin.out && diag "pin -a returned after the last thread started"
	wait_for $T/pin.out '^threads' 1
	bad=$(grep -h Cpus_allowed_list /proc/$pid/task/*/status | grep -vc "[[:space:]]$c\$")
	is "$bad" 0 "pin -a: all $(ls /proc/$pid/task | wc -l) threads on CPU $c"
	kill -TERM "$pid"
	wait
else
	skip 2 "numaplace pin is not implemented yet"
fi

# ---- 5b. bench memory: the matrix's shape -------------------------------------------------
# Timings under TCG mean nothing; the shape does: one row per CPU node, one column per memory
# node (CPU-less ones included), each cell with its SLIT distance.  The host checks bench.json
# against the topology file.  Topologies ask for it with a "bench" line (4n does).
if grep -q '^bench' "$conf"; then
	section "5b. bench memory matrix"
	if have bench --help; then
		"$NP" bench memory --quick --size 4M --loads 1000 --trials 1 --reps 1 --kernel triad \
			--quiet --json >$T/bench.json 2>$T/bench.err
		ok $? "bench memory --quick --json: exit 0" || diag "$(cat $T/bench.err)"
		send_file bench.json $T/bench.json
	else
		skip 1 "numaplace bench is not implemented yet"
	fi
fi

# ---- 5c. --near nic: a network function the firmware puts on a node -----------------------
# Topologies ask for it with a "nic N" line (2n does): QEMU puts the function behind a PCIe
# expander bridge on node N, the kernel reads the bridge's _PXM, and --near nic must choose N
# for real: the command's CPUs are N's and its memory is bound there.
nicnode=$(awk '$1 == "nic" { print $2; exit }' "$conf")
if [ -n "$nicnode" ]; then
	section "5c. --near nic"
	if have plan --ranks 1 --near nic; then
		"$NP" plan --ranks 1 --near nic >$T/near.out 2>$T/near.err
		grep -q "node $nicnode)  cpus $(v CPUS $nicnode)  node $nicnode" $T/near.out
		ok $? "plan --ranks 1 --near nic: the function's node $nicnode" ||
			diag "$(cat $T/near.out $T/near.err)"
		"$NP" run --ranks 0/1 --near nic --mem bind -- cat /proc/self/status /proc/self/numa_maps \
			>$T/near.run 2>&1
		grep -q "^Cpus_allowed_list:.$(v CPUS $nicnode)\$" $T/near.run
		ok $? "run --near nic: on node $nicnode's CPUs ($(v CPUS $nicnode))" || diag "$(cat $T/near.run)"
		grep -q " bind:$nicnode " $T/near.run
		ok $? "run --near nic --mem bind: memory bound to node $nicnode" || diag "$(cat $T/near.run)"
	else
		skip 3 "numaplace has no --near"
	fi
fi

# ---- 6. faults ----------------------------------------------------------------------------
section "6. faults"
off=$(last "$(v CPUSX $(last "$CPUNODES"))")
if [ $HAVE_RUN = 1 ] && [ -w /sys/devices/system/cpu/cpu$off/online ]; then
	"$NP" run --physcpubind=$off -- "$PROBE" --hold -n 16 >$T/off.out 2>&1 &
	wait_for $T/off.out '^end$' 1
	pid=$(pidof guest-probe)
	echo 0 >/sys/devices/system/cpu/cpu$off/online
	ok $? "CPU $off taken offline under a running 'run --physcpubind=$off'"
	kill -USR1 "$pid"
	wait_for $T/off.out '^end$' 2
	kill -TERM "$pid"
	wait
	parse $T/off.out only ""
	ok $([ "$P_end" = 2 ] && [ -n "$P_cpu" ] && [ "$P_cpu" != "$off" ]; echo $?) \
		"the bound process survives and the kernel moved it (now on CPU $P_cpu)"
	"$NP" run --physcpubind=$off -- "$PROBE" -n 1 >$T/off2.out 2>$T/off2.err
	rc=$?
	ok $([ $rc = 1 ] || [ $rc = 2 ]; echo $?) "run --physcpubind=$off with CPU $off offline: refused with exit 1 or 2 (got $rc)"
	grep -q "$off" $T/off2.err
	ok $? "the message names CPU $off" || diag "$(cat $T/off2.err)"
	if have pin --help; then
		"$PROBE" -n 1 --hold >/dev/null 2>&1 &
		pid=$!
		"$NP" pin "$pid" $off >$T/off3.out 2>$T/off3.err
		rc=$?
		ok $([ $rc = 1 ] || [ $rc = 2 ]; echo $?) "pin $pid $off with CPU $off offline: refused with exit 1 or 2 (got $rc)"
		grep -q "$off" $T/off3.err
		ok $? "the message names CPU $off" || diag "$(cat $T/off3.err)"
		kill -TERM $pid
		wait
	else
		skip 2 "numaplace pin is not implemented yet (CPU offline)"
	fi
	if [ $HAVE_JSON = 1 ]; then
		"$NP" topo --json >$T/topo-offline.json 2>&1 && send_file topo-offline.json $T/topo-offline.json
		echo "offline cpu $off" >>$T/meta.txt
	fi
	echo 1 >/sys/devices/system/cpu/cpu$off/online
	ok $? "CPU $off back online"
else
	skip 7 "$NO_RUN (CPU offline during run)"
fi

CG=/sys/fs/cgroup
mkdir -p $CG
mount -t cgroup2 none $CG 2>/dev/null
if [ -f $CG/cgroup.controllers ] && grep -qw cpuset $CG/cgroup.controllers; then
	echo +cpuset >$CG/cgroup.subtree_control
	mkdir -p $CG/np
	cn=$(first "$CPUNODES")
	gcpus=$(v CPUS $cn)
	gmem=$(v LOCAL $cn)
	other=$ML
	[ "$other" = "$gmem" ] && other=$M0
	echo "$gcpus" >$CG/np/cpuset.cpus && echo "$gmem" >$CG/np/cpuset.mems
	ok $? "cgroup np: cpuset.cpus $gcpus, cpuset.mems $gmem"
	# in_cg CMD...: run CMD inside the group
	in_cg() { sh -c 'echo $$ >'$CG'/np/cgroup.procs && exec "$@"' sh "$@"; }
	probe $T/cg0.out only "$gmem" in_cg "$PROBE" -n 16
	is "$P_acpus $P_amems" "$gcpus $gmem" "cgroup np holds the probe"
	if [ $HAVE_RUN = 1 ]; then
		in_cg "$NP" run --membind=$other -- "$PROBE" -n 16 >$T/cg1.out 2>$T/cg1.err
		rc=$?
		ok $([ $rc = 1 ] || [ $rc = 2 ]; echo $?) "cgroup: run --membind=$other (outside cpuset.mems $gmem) refused (exit $rc)"
		grep -q "$other" $T/cg1.err
		ok $? "cgroup: the message names node $other" || diag "$(cat $T/cg1.err)"
		probe $T/cg2.out only "$gmem" in_cg "$NP" run --membind=$gmem -- "$PROBE" -n $NPAGES
		pages_ok "cgroup: run --membind=$gmem" only "$gmem"
		c=$(first "$(v CPUSX $(last "$CPUNODES"))")
		probe $T/cg3.out only "" in_cg "$NP" run --physcpubind=$c -- "$PROBE" -n 1
		if [ $P_rc = 0 ]; then
			# accepted with a warning: then the process must still be inside the cpuset
			grep -q . $T/cg3.out.err && echo " $(v CPUSX $cn) " | grep -q " $P_cpu "
			ok $? "cgroup: run --physcpubind=$c (outside $gcpus) warns and stays inside the cpuset"
		else
			ok $([ $P_rc = 1 ] || [ $P_rc = 2 ]; echo $?) "cgroup: run --physcpubind=$c (outside $gcpus) refused (exit $P_rc)"
		fi
		diag "$(cat $T/cg3.out.err)"
	else
		skip 4 "$NO_RUN (cgroup cpuset)"
	fi
	if [ $HAVE_JSON = 1 ]; then
		in_cg "$NP" topo --json >$T/topo-cgroup.json 2>&1
		ok $? "cgroup: topo --json runs inside the group"
		send_file topo-cgroup.json $T/topo-cgroup.json
		echo "cgroup cpus $gcpus mems $gmem" >>$T/meta.txt
	else
		skip 1 "numaplace topo --json does not print nodes yet"
	fi
else
	skip 7 "no cgroup v2 cpuset controller in this guest"
fi

section "7. a full node, --strict"
# A node that fills up: asked for more than node x holds, --preferred spills to other nodes
# once x is full; it then holds its memory while --membind=x asks for more, which must never
# spill: the kernel's OOM killer ends that command (SIGKILL, exit 137).  This shell and what
# it starts stay out of the OOM killer's reach (oom_score_adj -1000); the command under test
# is put back in (0).
x=
for n in $MEMNODES; do
	[ "$n" = "$M0" ] && continue
	if [ -z "$x" ] || [ "$(v MEM $n)" -lt "$(v MEM $x)" ]; then x=$n; fi
done
if [ $HAVE_RUN = 1 ] && [ -n "$x" ]; then
	echo -1000 >/proc/self/oom_score_adj
	oom_child() { sh -c 'echo 0 >/proc/self/oom_score_adj && exec "$@"' sh "$@"; }
	size=$(($(v MEM $x) + 32))
	"$NP" run --preferred=$x -- "$PROBE" --fill $size --hold -n 16 >$T/full.pref 2>&1 &
	wait_for $T/full.pref '^end$' 1 150
	P_rc=$?
	hog=$(pidof guest-probe)
	fill=$(awk '$1 == "fill" { $1 = ""; print }' $T/full.pref)
	on_x=$(echo "$fill" | tr ' ' '\n' | awk -F: -v x=$x '$1 == x { s += $2 } END { print s + 0 }')
	elsewhere=$(echo "$fill" | tr ' ' '\n' | awk -F: -v x=$x 'NF == 2 && $1 != x { s += $2 } END { print s + 0 }')
	ok $([ $P_rc = 0 ] && [ $on_x -gt 0 ] && [ $elsewhere -gt 0 ]; echo $?) \
		"run --preferred=$x of $size MiB: node $x took $on_x pages, then $elsewhere went elsewhere" ||
		diag "$(cat $T/full.pref)"
	probe $T/full.bind only "" oom_child timeout 120 "$NP" run --membind=$x -- "$PROBE" --fill 64 -n 16
	ok $([ $P_rc = 137 ] || [ $P_rc = 1 ]; echo $?) "run --membind=$x of 64 MiB more on the full node: the command is stopped (exit $P_rc; 137 = OOM kill)" ||
		diag "$(cat $T/full.bind $T/full.bind.err)"
	is "$(grep -c '^fill' $T/full.bind)" 0 "run --membind=$x on the full node: no page ever spilled off node $x"
	kill -TERM $hog
	wait
	echo 0 >/proc/self/oom_score_adj
else
	skip 3 "$NO_RUN (a full node)"
fi

# --strict: a tmpfs file whose pages already lie on node a, mapped and touched (--touch: the
# kernel checks only pages in the caller's page tables), then a strict membind of it to b.
# mbind(MPOL_MF_STRICT) must fail (EIO) and move nothing; the numactl personality must say
# and exit as Debian's numactl does
F=$T/strict.f
a=$M0; b=$ML
if [ $HAVE_NUMACTL = 0 ]; then
	skip 4 "$NO_NUMACTL (--strict)"
elif ! $T/numactl --length 256k --file $F --membind=$a --strict >/dev/null 2>&1 && ! have numactl --help; then
	skip 4 "the numactl personality of numaplace is not implemented yet (--strict)"
else
	rm -f $F
	numactl --membind=$a dd if=/dev/zero of=$F bs=4096 count=64 2>/dev/null
	numactl --length 256k --strict --file $F --touch --membind=$b >$T/st.numactl 2>&1
	rc_deb=$?
	$T/numactl --length 256k --strict --file $F --touch --membind=$b >$T/st.np 2>&1
	rc_np=$?
	ok $(grep -q 'Input/output error' $T/st.np && [ $rc_np -lt 126 ]; echo $?) \
		"numactl personality: --strict --membind=$b over pages on node $a fails cleanly: EIO reported (exit $rc_np)"
	is "$rc_np" "$rc_deb" "numactl personality: --strict exit code as Debian's numactl"
	is "$(cat $T/st.np)" "$(cat $T/st.numactl)" "numactl personality: --strict message as Debian's numactl"
	numactl --length 256k --file $F --membind=$a --dump-nodes >$T/st.dump 2>&1
	is "$(cat $T/st.dump)" "0000000000000000-0000000000040000: $a" "--strict moved nothing: every page of the file still on node $a"
fi

# 6. stat: its own file (tests/vm/guest/stat.sh)
. /np/stat.sh
[ -f /np/promises.sh ] && . /np/promises.sh
[ -f /np/isolate.sh ] && . /np/isolate.sh

section "end"
send_file meta.txt $T/meta.txt
echo "1..$_t"
