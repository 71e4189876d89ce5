# stat.sh - sourced by tests.sh inside the guest (busybox sh): numaplace stat against the
# kernel's own files and the guest probe.  A probe runs on a CPU of node a with its memory
# bound to node b: node b's other_node and numa_hit grow by its pages, and stat -p shows them
# on b, its thread on a, all of it remote; after `migrate` to a, vmstat's pgmigrate_success
# has grown by them and stat -p shows them on a, none remote.  The guest has no numastat: the
# values are checked against nodeN/numastat and nodeN/meminfo read here.
#
# Terminology (beyond tests.sh's):
#   a, b        the first node with CPUs, and the last node with memory other than a
#   col         stat's text tables: "ROW V(node0) V(node1)... TOTAL", nodes in order

# stat_col FILE TABLE-TITLE ROW NODE: ROW's value for NODE in the table under TITLE
stat_col() {
	awk -v title="$2" -v row="$3" -v node="$4" '
		index($0, title) == 1 { on = 1; next }
		on && /^$/ { exit }
		on && $1 == "Node" { for (i = 1; i <= NF; i++) if ($i == "Node") col[$(i + 1)] = ++k; next }
		on && $1 == row && (node in col) { print $(1 + col[node]); exit }' "$1"
}
# stat_proc FILE ROW NODE: ROW's value for NODE in stat -p's table
stat_proc() { stat_col "$1" "Per-node process memory usage" "$2" "$3"; }
# the kernel's own counter
node_counter() { awk -v k="$2" '$1 == k { print $2 }' /sys/devices/system/node/node$1/numastat; }
vm_counter() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

section "6. stat"
if ! have stat --help; then
	skip 15 "numaplace stat is not implemented yet"
else
	a=$(first "$CPUNODES")
	b=
	for n in $MEMNODES; do [ "$n" != "$a" ] && b=$n; done
	ca=$(first "$(v CPUSX $a)")

	# the system-wide tables equal the files: MemTotal exactly, counters within what moves
	"$NP" stat >$T/stat0 2>&1
	ok $? "stat: exit 0" || diag "$(cat $T/stat0)"
	want=$(awk '$3 == "MemTotal:" { printf "%.2f", $4 / 1024 }' /sys/devices/system/node/node$b/meminfo)
	is "$(stat_col $T/stat0 "Per-node system memory usage" MemTotal $b)" "$want" "stat: node $b's MemTotal (MiB) as its meminfo"
	got=$(stat_col $T/stat0 "Per-node numastat info" numa_hit $b)
	now=$(node_counter $b numa_hit)
	ok $([ -n "$got" ] && [ "$got" -le "$now" ] && [ $((now - got)) -lt 4096 ]; echo $?) \
		"stat: node $b's numa_hit ($got) as its numastat ($now, read after)"

	# a probe on node a's CPU with its memory bound to node b
	hit0=$(node_counter $b numa_hit); other0=$(node_counter $b other_node)
	"$NP" run --cpus $ca --membind=$b -- "$PROBE" --hold -n $NPAGES >$T/stat.out 2>&1 &
	wait_for $T/stat.out '^end$' 1
	pid=$(pidof guest-probe)
	hit1=$(node_counter $b numa_hit); other1=$(node_counter $b other_node)
	ok $([ $((other1 - other0)) -ge $NPAGES ]; echo $?) \
		"node $b's other_node grew by $((other1 - other0)) (>= $NPAGES): pages for a CPU of node $a"
	ok $([ $((hit1 - hit0)) -ge $NPAGES ]; echo $?) "node $b's numa_hit grew by $((hit1 - hit0)) (>= $NPAGES)"
	"$NP" stat >$T/stat1 2>&1
	got=$(stat_col $T/stat1 "Per-node numastat info" other_node $b)
	ok $([ -n "$got" ] && [ "$got" -ge "$other1" ]; echo $?) "stat shows it: node $b's other_node $got (>= $other1)"

	mib=$(awk -v p=$NPAGES 'BEGIN { printf "%.2f", p * 4 / 1024 }')
	"$NP" stat -p "$pid" >$T/statp1 2>&1
	ok $? "stat -p $pid: exit 0" || diag "$(cat $T/statp1)"
	got=$(stat_proc $T/statp1 Private $b)
	ok $(awk -v g="${got:-0}" -v w=$mib 'BEGIN { exit !(g >= w) }'; echo $?) \
		"stat -p: node $b holds $got MiB private (>= $mib, the probe's pages)" || diag "$(cat $T/statp1)"
	is "$(stat_proc $T/statp1 Threads $a)" 1 "stat -p: its thread ran on node $a"
	remote=$(awk '$1 == "Remote" { sub(/%/, "", $2); print $2 }' $T/statp1)
	ok $(awk -v r="${remote:-0}" 'BEGIN { exit !(r >= 50) }'; echo $?) "stat -p: remote ${remote}% (its memory is on $b, its thread on $a)"

	# migrate everything to node a: vmstat counts the moves, stat -p follows
	mig0=$(vm_counter pgmigrate_success)
	"$NP" migrate "$pid" $b $a >$T/stat.mig 2>&1
	ok $? "migrate $pid $b $a: exit 0" || diag "$(cat $T/stat.mig)"
	"$NP" stat >$T/stat2 2>&1
	mig1=$(awk '$1 == "pgmigrate_success" { print $2 }' $T/stat2)
	ok $([ -n "$mig1" ] && [ $((mig1 - ${mig0:-0})) -ge $NPAGES ]; echo $?) \
		"stat: pgmigrate_success grew by $((${mig1:-0} - ${mig0:-0})) (>= $NPAGES)"
	"$NP" stat -p "$pid" >$T/statp2 2>&1
	got=$(stat_proc $T/statp2 Private $a)
	ok $(awk -v g="${got:-0}" -v w=$mib 'BEGIN { exit !(g >= w) }'; echo $?) \
		"stat -p after migrate: node $a holds $got MiB private (>= $mib)" || diag "$(cat $T/statp2)"
	got=$(stat_proc $T/statp2 Private $b)
	ok $(awk -v g="${got:-9}" -v w=$mib 'BEGIN { exit !(g < w / 4) }'; echo $?) \
		"stat -p after migrate: node $b keeps $got MiB private (< a quarter of the probe's)"
	# remote: what is not on node a, where its thread runs (the binary's page cache may lie
	# anywhere, so not 0): the table's own share, and less than before
	remote2=$(awk '$1 == "Remote" { sub(/%/, "", $2); print $2 }' $T/statp2)
	share=$(awk -v a=$(stat_proc $T/statp2 Total $a) '$1 == "Total" && NF > 2 { t = $NF }
		END { if (t > 0) printf "%.1f", (t - a) * 100 / t }' $T/statp2)
	ok $(awk -v r="${remote2:-100}" -v s="${share:-0}" -v r1="${remote:-0}" \
		'BEGIN { d = r - s; if (d < 0) d = -d; exit !(d <= 1 && r < r1) }'; echo $?) \
		"stat -p after migrate: remote ${remote2}% (was ${remote}%), the share of its memory off node $a (${share}%)" ||
		diag "$(cat $T/statp2)"
	kill -TERM "$pid"
	wait
fi
