#!/bin/sh
# mk-sysroot.sh - write a synthetic sysroot of a large machine, for the memory and speed
# figures of bench/topo-vs-hwloc.sh (no real capture is that big with that many nodes).
#
#   bench/mk-sysroot.sh DIR [CPUS [NODES [THREADS]]]     defaults: 256 CPUs, 64 nodes, 2 threads
#
# CPUs are numbered core-major like x86 (thread t of core c is c + t * CORES); each node holds
# CPUS/NODES CPUs, 4 GiB and two huge page sizes; every core has L1d, L1i and L2, every node
# an L3; distances are 10 local, 20 within a group of 4 nodes, 30 beyond; 2 packages.
set -eu
DIR=$1 CPUS=${2:-256} NODES=${3:-64} THREADS=${4:-2}
CORES=$((CPUS / THREADS)) PER_NODE=$((CORES / NODES))
C=$DIR/sys/devices/system/cpu N=$DIR/sys/devices/system/node
mkdir -p "$C" "$N" "$DIR/proc" "$DIR/sys/kernel/mm/hugepages/hugepages-2048kB" \
    "$DIR/sys/kernel/mm/hugepages/hugepages-1048576kB"
echo "0-$((CPUS - 1))" >"$C/online"; cp "$C/online" "$C/possible"; cp "$C/online" "$C/present"
echo "0-$((NODES - 1))" >"$N/online"; cp "$N/online" "$N/possible"
printf 'MemTotal: %d kB\nMemFree: %d kB\n' $((NODES * 4194304)) $((NODES * 4000000)) >"$DIR/proc/meminfo"
awk -v C="$C" -v N="$N" -v cpus="$CPUS" -v nodes="$NODES" -v threads="$THREADS" \
    -v cores="$CORES" -v per="$PER_NODE" '
function w(f, s) { print s > f; close(f) }
function sib(core,   s, t) { s = ""; for (t = 0; t < threads; t++) s = s (t ? "," : "") core + t * cores; return s }
function nodecpus(n,   s, t) { s = ""; for (t = 0; t < threads; t++) s = s (t ? "," : "") (n * per + t * cores) "-" (n * per + per - 1 + t * cores); return s }
BEGIN {
  for (cpu = 0; cpu < cpus; cpu++) {
    core = cpu % cores; node = int(core / per); pkg = int(node / (nodes / 2)); d = C "/cpu" cpu
    system("mkdir -p " d "/topology " d "/cache/index0 " d "/cache/index1 " d "/cache/index2 " d "/cache/index3")
    w(d "/topology/physical_package_id", pkg); w(d "/topology/core_id", core)
    w(d "/topology/die_id", pkg); w(d "/topology/thread_siblings_list", sib(core))
    pc = ""; for (n = pkg * nodes / 2; n < (pkg + 1) * nodes / 2; n++) pc = pc (pc == "" ? "" : ",") nodecpus(n)
    w(d "/topology/package_cpus_list", pc); w(d "/topology/die_cpus_list", pc)
    split("1 Data 48K;1 Instruction 32K;2 Unified 2048K;3 Unified 32768K", ks, ";")
    for (i = 0; i < 4; i++) {
      split(ks[i + 1], k, " "); x = d "/cache/index" i
      w(x "/level", k[1]); w(x "/type", k[2]); w(x "/size", k[3])
      w(x "/coherency_line_size", 64); w(x "/ways_of_associativity", 8)
      w(x "/shared_cpu_list", i < 3 ? sib(core) : nodecpus(node))
    }
  }
  for (n = 0; n < nodes; n++) {
    d = N "/node" n
    system("mkdir -p " d "/hugepages/hugepages-2048kB " d "/hugepages/hugepages-1048576kB")
    w(d "/cpulist", nodecpus(n))
    w(d "/meminfo", sprintf("Node %d MemTotal:       4194304 kB\nNode %d MemFree:        4000000 kB", n, n))
    s = ""; for (m = 0; m < nodes; m++) s = s (m ? " " : "") (m == n ? 10 : int(m / 4) == int(n / 4) ? 20 : 30)
    w(d "/distance", s)
    w(d "/hugepages/hugepages-2048kB/nr_hugepages", 0); w(d "/hugepages/hugepages-2048kB/free_hugepages", 0)
    w(d "/hugepages/hugepages-1048576kB/nr_hugepages", 0); w(d "/hugepages/hugepages-1048576kB/free_hugepages", 0)
  }
}'
