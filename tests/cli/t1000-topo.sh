#!/bin/sh
# numaplace topo: options, errors, the text tree and JSON on hand-made and shared captures.
. "$(dirname "$0")/lib.sh"
SYS=$NP_SRCDIR/tests/fixtures/sysroots

expect_code 0 "topo --help exits 0" topo --help
like "$out" "^Usage: numaplace topo" "topo --help prints usage on stdout"

expect_code 2 "topo: unknown option exits 2" topo --frobnicate
like "$err" "Try 'numaplace topo --help' for more information." "topo: unknown option says what to try"

expect_code 2 "topo: a stray argument exits 2" topo extra
is "$err" "numaplace topo: unexpected argument 'extra'
Try 'numaplace topo --help' for more information." "topo: stray argument message"

expect_code 1 "topo --sysroot missing exits 1" topo --sysroot "$TMP/nope"
is "$err" "numaplace topo: cannot read the topology of '$TMP/nope': No such file or directory" \
    "topo --sysroot missing: message names it"
is "$out" "" "topo --sysroot missing: nothing on stdout"

expect_code 0 "topo on nonuma exits 0" topo --sysroot "$SYS/nonuma"
is "$out" "machine: 1 package, 1 node, 2 cores, 3 CPUs online (0-1,3)
offline: 2
  package 0: cpus 0-1,3
    node 0: cpus 0-1,3, 7.6 GiB (5.7 GiB free)
      L2 8 MiB: cpus 0-1,3
        core 0: cpus 0-1
        core 1: cpus 3" "nonuma: implicit node, offline CPU, the L2 level, cores"

expect_code 0 "topo on sparse exits 0" topo --sysroot "$SYS/sparse"
is "$out" "machine: 1 package, 3 nodes, 4 cores, 4 CPUs online (0-3)
  package 0: cpus 0-3
    node 0: cpus 0-1, 2 GiB (1 GiB free), 16 x 2 MiB huge pages (4 free)
      cores 0-1 (efficiency): 2 x 1 thread, cpus 0-1
    node 5: cpus 2-3, no memory
      core 2 (efficiency): cpus 2
      core 3 (performance): cpus 3
node 2: no CPUs, 1 GiB (1 GiB free)
distances:
         0    2    5
    0   10   20   30
    2   20   10   40
    5   30   40   10" "sparse: memoryless and CPU-less nodes, huge pages, kinds, distances"

expect_code 0 "topo on power exits 0" topo --sysroot "$SYS/power"
like "$out" "^machine: 2 packages, 1 node, 2 cores" "power: packages from sibling lists"
like "$out" "^    cores 0-1: 2 x 2 threads, cpus 0-3$" "power: one-core packages are not printed as a level"

expect_code 0 "topo --json on sparse exits 0" topo --sysroot "$SYS/sparse" --json
if command -v python3 >/dev/null 2>&1; then
    got=$(printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([n["id"] for n in d["nodes"]], [n["cpus"] for n in d["nodes"]], d["nodes"][2]["distances"],
      [c["node"] for c in d["cpus"]], d["nodes"][0]["hugepages"][0]["total"])')
    is "$got" "[0, 2, 5] ['0-1', '', '2-3'] [30, 40, 10] [0, 0, 5, 5] 16" "sparse --json: nodes, cpus, distances, huge pages"
else
    skip 1 "no python3"
fi

if [ -f "$SHARED/fixtures/topology/256ppc-8n8s4t/fsroot.tar.gz" ]; then
    ppc=$(fixture 256ppc-8n8s4t)
    expect_code 0 "topo on 256ppc exits 0" topo --sysroot "$ppc"
    n=$(printf '%s\n' "$out" | wc -l)
    ok "$([ "$n" -le 40 ] && echo 0 || echo 1)" "256ppc: readable ($n lines for 256 CPUs)"
    like "$out" "^    cores 0-7: 8 x 4 threads, cpus 0-31$" "256ppc: runs of cores on one line"
    expect_code 0 "topo -v on 256ppc exits 0" topo -v --sysroot "$ppc"
    like "$out" "^    core 63: cpus 252,253,254,255 \[L1d 32 KiB, L1i 32 KiB, L2 256 KiB, L3 4 MiB\]$" \
        "256ppc -v: every core with its caches"

    off=$(fixture 16em64t-4s2c2t-offlines)
    run topo --sysroot "$off"
    like "$out" "^offline: 2,5,13-14$" "16em64t-offlines: offline CPUs listed"

    gpu=$(fixture nvidiagpunumanodes)
    run topo --sysroot "$gpu"
    like "$out" "^node 250: no CPUs, 15 GiB" "nvidiagpunumanodes: GPU memory nodes"
    like "$out" "core 4: cpus 88!,89!,90!,91!" "nvidiagpunumanodes: CPUs outside the cpuset marked"
    # NVIDIA's driver onlines each GPU's memory as a node: the GPU is linked to it
    like "$out" "^node 255: no CPUs, 15 GiB \(15 GiB free\), memory of gpu0 \(near cpus 0-15\)$" \
        "nvidiagpunumanodes: node 255 is gpu0's memory, gpu0 near CPUs 0-15"
    run topo --json --sysroot "$gpu"
    like "$out" '"name": *"gpu5".*"memory_node": *250|"memory_node": *250' "nvidiagpunumanodes --json: gpu5's memory_node is 250"
    run topo --sysroot "$gpu"
    # one size format: a size and its free part alike, never "15 GiB (15.0 GiB free)"
    like "$out" "^node 250: no CPUs, 15 GiB \(15 GiB free\)" "sizes: no .0 beside a whole number"
    if printf '%s\n' "$out" | grep -Eq '[0-9]\.0 [KMGTP]iB'; then ok 1 "sizes: no 'N.0 GiB' anywhere"; else ok 0 "sizes: no 'N.0 GiB' anywhere"; fi

    # CPU-less nodes say their kind and their initiators, from HMAT, in text too
    het=$(fixture fakeheteromemtiers)
    run topo --sysroot "$het"
    like "$out" "^node 4: no CPUs, 512 MiB \(512 MiB free\), HBM for node 1 \(read 10000 MB/s, node 1's own 1000\)$" \
        "fakeheteromemtiers: node 4 is HBM for node 1"
    like "$out" "^node 8: no CPUs, 384 MiB \(384 MiB free\), slow tier for node 0 \(read 100 MB/s" \
        "fakeheteromemtiers: node 8 is a slow tier for node 0"
    like "$out" "^    node 1: cpus 2-3, 979 MiB \(927.1 MiB free\)$" "fakeheteromemtiers: a node with CPUs, sizes"
else
    skip 16 "no shared fixtures in $SHARED"
fi

if [ -d /sys/devices/system/cpu ]; then
    expect_code 0 "topo on this machine exits 0" topo
    like "$out" "^machine: " "topo on this machine prints the tree"
else
    skip 2 "no /sys/devices/system/cpu"
fi
done_testing
