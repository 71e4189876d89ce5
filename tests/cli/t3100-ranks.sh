#!/bin/sh
# numaplace plan/run --ranks --near gpu|nic --bind MODE: every mode on captured machines with
# GPUs or NICs, visible-device lists, NIC choice, and the errors.  Expectations are worked out
# by hand from each machine's sysfs (cpulists, thread siblings, caches, distances) and the
# definitions in numaplace(1); the devices' nodes agree with hwloc's (expected.json).
#  nvgpu   shared nvidiagpunumanodes: POWER9, 6 GPUs whose firmware gives no numa_node (their
#          local CPUs say node 0 or 8), SMT4, two L3 per node; the capture's process may use
#          only CPUs 0-15 (kept in "nvlim", removed in "nvgpu").
#  gpu8    shared 64amd64-4s2n4ca2co + tests/fixtures/ranks/add-devices.sh gpu8
#  gpu6    shared 96em64t-4no4pa3ca2co + add-devices.sh gpu6
#  pcinic  tests/fixtures/ranks/fakepcilocalities (hwloc): eth0-3 on node 0, qib0 on node 1
#  mic     tests/fixtures/ranks/32em64t-2n8c+dax+nvme+mic+dimms (hwloc): mlx4_0 on node 1
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm; export TMPDIR; fi
. "$(dirname "$0")/lib.sh"
unset CUDA_VISIBLE_DEVICES ROCR_VISIBLE_DEVICES HIP_VISIBLE_DEVICES ASCEND_RT_VISIBLE_DEVICES
unset OMPI_COMM_WORLD_LOCAL_RANK OMPI_COMM_WORLD_LOCAL_SIZE MPI_LOCALRANKID MPI_LOCALNRANKS \
	PMI_LOCAL_RANK PMI_LOCAL_SIZE PALS_LOCAL_RANKID PALS_LOCAL_SIZE SLURM_LOCALID \
	SLURM_NTASKS_PER_NODE SLURM_STEP_TASKS_PER_NODE LOCAL_RANK LOCAL_WORLD_SIZE

nvlim=$(fixture nvidiagpunumanodes) || skip_all "shared capture nvidiagpunumanodes not found"
nvgpu=$TMP/nvgpu; cp -r "$nvlim" "$nvgpu" && rm -rf "$nvgpu/proc/self"
for m in gpu8:64amd64-4s2n4ca2co gpu6:96em64t-4no4pa3ca2co; do
	c=$(fixture "${m#*:}") || skip_all "shared capture ${m#*:} not found"
	cp -r "$c" "$TMP/${m%%:*}" && rm -rf "$TMP/${m%%:*}/proc/self" &&
		sh "$NP_SRCDIR/tests/fixtures/ranks/add-devices.sh" "${m%%:*}" "$TMP/${m%%:*}" ||
		skip_all "cannot make ${m%%:*}"
done
gpu8=$TMP/gpu8 gpu6=$TMP/gpu6
for m in fakepcilocalities 32em64t-2n8c+dax+nvme+mic+dimms; do
	mkdir -p "$TMP/$m" && tar xzf "$NP_SRCDIR/tests/fixtures/ranks/$m/fsroot.tar.gz" -C "$TMP/$m" ||
		skip_all "cannot extract $m"
done
pcinic=$TMP/fakepcilocalities mic=$TMP/32em64t-2n8c+dax+nvme+mic+dimms

# --- nvgpu: 4 cores of 4 threads per node (0-3 4-7 8-11 12-15; 88-91 ... 100-103),
# L3 0-7 8-15 88-95 96-103; gpu0-2 local to 0-15, gpu3-5 to 88-103; no NIC
expect_code 0 "nvgpu node" plan --sysroot "$nvgpu" --ranks 6 --near gpu --bind node
is "$out" "rank 0: gpu0 (0004:05:00.0, node 0)  cpus 0-15  node 0  (shared)
rank 1: gpu1 (0004:06:00.0, node 0)  cpus 0-15  node 0  (shared)
rank 2: gpu2 (0006:00:00.0, node 0)  cpus 0-15  node 0  (shared)
rank 3: gpu3 (0007:00:00.0, node 8)  cpus 88-103  node 8  (shared)
rank 4: gpu4 (0035:04:00.0, node 8)  cpus 88-103  node 8  (shared)
rank 5: gpu5 (0035:05:00.0, node 8)  cpus 88-103  node 8  (shared)" \
	"nvgpu node: the node of each GPU's local CPUs"
expect_code 0 "nvgpu socket" plan --sysroot "$nvgpu" --ranks 6 --near gpu --bind socket
is "$(echo "$out" | sed -n '1p;4p')" "rank 0: gpu0 (0004:05:00.0, node 0)  cpus 0-15  node 0  (shared)
rank 3: gpu3 (0007:00:00.0, node 8)  cpus 88-103  node 8  (shared)" \
	"nvgpu socket: package 0 is node 0, package 8 node 8"
# 4 cores over 3 ranks: 2 + 1 + 1
expect_code 0 "nvgpu exclusive" plan --sysroot "$nvgpu" --ranks 6 --near gpu --bind exclusive
is "$out" "rank 0: gpu0 (0004:05:00.0, node 0)  cpus 0-7  node 0
rank 1: gpu1 (0004:06:00.0, node 0)  cpus 8-11  node 0
rank 2: gpu2 (0006:00:00.0, node 0)  cpus 12-15  node 0
rank 3: gpu3 (0007:00:00.0, node 8)  cpus 88-95  node 8
rank 4: gpu4 (0035:04:00.0, node 8)  cpus 96-99  node 8
rank 5: gpu5 (0035:05:00.0, node 8)  cpus 100-103  node 8" "nvgpu exclusive: disjoint shares, the first one core longer"
run plan --sysroot "$nvgpu" --ranks 6 --near gpu --bind exclusive --smt avoid
is "$(echo "$out" | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0,4  node 0
rank 1: gpu1 cpus 8  node 0
rank 2: gpu2 cpus 12  node 0
rank 3: gpu3 cpus 88,92  node 8
rank 4: gpu4 cpus 96  node 8
rank 5: gpu5 cpus 100  node 8" "nvgpu exclusive --smt avoid: one thread of each core"
expect_code 0 "nvgpu core-complex" plan --sysroot "$nvgpu" --ranks 6 --near gpu --bind core-complex
is "$(echo "$out" | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0-7  node 0  (shared)
rank 1: gpu1 cpus 8-15  node 0  (shared)
rank 2: gpu2 cpus 0-7  node 0  (shared)
rank 3: gpu3 cpus 88-95  node 8  (shared)
rank 4: gpu4 cpus 96-103  node 8  (shared)
rank 5: gpu5 cpus 88-95  node 8  (shared)" "nvgpu core-complex: 3 ranks on 2 L3 groups wrap round"
# 4 ranks: 3 share node 0, 1 alone on node 8 gets all its cores
run plan --sysroot "$nvgpu" --ranks 4 --near gpu --bind exclusive
is "$(echo "$out" | sed -n 4p)" "rank 3: gpu3 (0007:00:00.0, node 8)  cpus 88-103  node 8" \
	"exclusive: peers are the ranks below the size"
# the capture's own limits: only 0-15 allowed
expect_code 1 "nvlim: node 8 is outside the allowed CPUs" plan --sysroot "$nvlim" --ranks 4/6 --near gpu
like "$err" "no CPU left for local rank 4 near its GPU" "the message names the rank"
CUDA_VISIBLE_DEVICES=5,0 run plan --sysroot "$nvgpu" --ranks 2 --near gpu --bind exclusive
is "$(echo "$out" | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu5 cpus 88-103  node 8
rank 1: gpu0 cpus 0-15  node 0" "CUDA_VISIBLE_DEVICES=5,0: reordered, one rank per node"

# --- gpu8: node i = CPUs 8i..8i+7, cores {0,1} {2,3} ...; packages = node pairs; one L3 per
# node; mlx5_0 on node 0, mlx5_1 on node 2; node 1 is 16 from node 0 and 22 from node 2, node 3
# 22 from node 0 and 16 from node 2
expect_code 0 "gpu8 node" plan --sysroot "$gpu8" --ranks 8 --near gpu
is "$(echo "$out" | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0-7  node 0  nic mlx5_0  (shared)
rank 1: gpu1 cpus 0-7  node 0  nic mlx5_0  (shared)
rank 2: gpu2 cpus 8-15  node 1  nic mlx5_0  (shared)
rank 3: gpu3 cpus 8-15  node 1  nic mlx5_0  (shared)
rank 4: gpu4 cpus 16-23  node 2  nic mlx5_1  (shared)
rank 5: gpu5 cpus 16-23  node 2  nic mlx5_1  (shared)
rank 6: gpu6 cpus 24-31  node 3  nic mlx5_1  (shared)
rank 7: gpu7 cpus 24-31  node 3  nic mlx5_1  (shared)" "gpu8 node (the default): nearest NIC by distance"
run plan --sysroot "$gpu8" --ranks 8 --near gpu --bind socket
is "$(echo "$out" | sed -n '3p;8p' | sed 's/ (.*)  cpus/ cpus/')" "rank 2: gpu2 cpus 0-15  nodes 0-1  nic mlx5_0  (shared)
rank 7: gpu7 cpus 16-31  nodes 2-3  nic mlx5_1  (shared)" "gpu8 socket: both nodes of the package"
run plan --sysroot "$gpu8" --ranks 8 --near gpu --bind exclusive
is "$(echo "$out" | sed -n '1,4p' | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0-3  node 0  nic mlx5_0
rank 1: gpu1 cpus 4-7  node 0  nic mlx5_0
rank 2: gpu2 cpus 8-11  node 1  nic mlx5_0
rank 3: gpu3 cpus 12-15  node 1  nic mlx5_0" "gpu8 exclusive: two cores of two threads each"
run plan --sysroot "$gpu8" --ranks 8 --near gpu --bind exclusive --smt avoid
is "$(echo "$out" | sed -n '1,2p' | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0,2  node 0  nic mlx5_0
rank 1: gpu1 cpus 4,6  node 0  nic mlx5_0" "gpu8 exclusive --smt avoid: NVIDIA's exclusive-nosmt"
run plan --sysroot "$gpu8" --ranks 8 --near gpu --bind core-complex
is "$(echo "$out" | sed -n '1,2p' | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0-7  node 0  nic mlx5_0  (shared)
rank 1: gpu1 cpus 0-7  node 0  nic mlx5_0  (shared)" "gpu8 core-complex: one L3 per node, shared"
CUDA_VISIBLE_DEVICES=GPU-50000000,1 run plan --sysroot "$gpu8" --ranks 2 --near gpu --bind exclusive
is "$(echo "$out" | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu5 cpus 16-23  node 2  nic mlx5_1
rank 1: gpu1 cpus 0-7  node 0  nic mlx5_0" "CUDA_VISIBLE_DEVICES: a UUID prefix, then an index"
ROCR_VISIBLE_DEVICES=7 run plan --sysroot "$gpu8" --ranks 0/1 --near gpu --json
like "$out" '"visible": "7"' "JSON: the visible list"
like "$(echo "$out" | tr -d ' \n')" '"ranks":\[\{"rank":0,"device":"gpu7","pci":"0000:62:00.0","node":3,"cpus":"24-31","nodes":"3","share":0,"shares":1,"shared":false,"nic":"mlx5_1"\}\]' \
	"JSON: ROCR_VISIBLE_DEVICES=7, one rank"

# --- gpu6: node 0 = CPUs 0-23 holding packages 0-3 (an L3 each); the tree orders them by id:
# package 0 = CPUs 1-21:4, package 1 = 0-20:4, package 2 = 2-22:4, package 3 = 3-23:4, so the
# cores in tree order are 1 5 9 13 17 21 0 4 8 ...; 24 cores over 3 ranks: 8 consecutive each
expect_code 0 "gpu6 exclusive" plan --sysroot "$gpu6" --ranks 6 --near gpu --bind exclusive
is "$(echo "$out" | sed -n '1,3p' | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0-1,4-5,9,13,17,21  node 0  nic eth0
rank 1: gpu1 cpus 2,6,8,10,12,14,16,20  node 0  nic eth0
rank 2: gpu2 cpus 3,7,11,15,18-19,22-23  node 0  nic eth0" "gpu6 exclusive: cores in tree order"
run plan --sysroot "$gpu6" --ranks 6 --near gpu --bind core-complex
is "$(echo "$out" | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 1,5,9,13,17,21  node 0  nic eth0
rank 1: gpu1 cpus 0,4,8,12,16,20  node 0  nic eth0
rank 2: gpu2 cpus 2,6,10,14,18,22  node 0  nic eth0
rank 3: gpu3 cpus 24,28,32,36,40,44  node 1  nic eth0
rank 4: gpu4 cpus 25,29,33,37,41,45  node 1  nic eth0
rank 5: gpu5 cpus 26,30,34,38,42,46  node 1  nic eth0" "gpu6 core-complex: one L3 (package) each"
run plan --sysroot "$gpu6" --ranks 6 --near gpu --bind socket
is "$(echo "$out" | sed -n 1p | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0-23  node 0  nic eth0  (shared)" \
	"gpu6 socket: the node's four packages"
run plan --sysroot "$gpu6" --ranks 2 --near nic
is "$out" "rank 0: eth0 (0000:04:00.0, node 0)  cpus 0-23  node 0  nic eth0
rank 1: eth1 (0000:c4:00.0, node 3)  cpus 72-95  node 3  nic eth1" "gpu6 --near nic: the net devices"

# --- the hwloc captures with NICs
expect_code 0 "pcinic --near nic" plan --sysroot "$pcinic" --ranks 1 --near nic --bind node
is "$out" "rank 0: qib0 (0000:43:00.0, node 1)  cpus 1,5,9,13,17,21,25,29,33,37  node 1  nic qib0" \
	"fakepcilocalities: InfiniBand first, on node 1"
expect_code 1 "pcinic: rank 1 of 2" plan --sysroot "$pcinic" --ranks 2 --near nic
is "$err" "numaplace plan: local rank 1 has no network device: 1 visible" "a rank beyond the devices"
expect_code 1 "pcinic: rank 1 of 2, --json" plan --sysroot "$pcinic" --ranks 2 --near nic --json
is "$out" "" "--json: nothing on stdout when a rank fails"
expect_code 0 "mic --near nic exclusive" plan --sysroot "$mic" --ranks 0/1 --near nic --bind exclusive
is "$out" "rank 0: mlx4_0 (0000:82:00.0, node 1)  cpus 8-15  node 1  nic mlx4_0" "32em64t: mlx4_0 on node 1"
expect_code 1 "mic --near gpu" plan --sysroot "$mic" --ranks 0/1 --near gpu
is "$err" "numaplace plan: local rank 0 has no GPU: 0 visible" "no GPU at all"

# --- errors
CUDA_VISIBLE_DEVICES=0,9 expect_code 1 "visible index past the GPUs" plan --sysroot "$gpu8" --ranks 2 --near gpu
is "$err" "numaplace plan: invalid CUDA_VISIBLE_DEVICES '0,9': entry '9' names no GPU of this machine" \
	"the entry is named"
HIP_VISIBLE_DEVICES=GPU-ffff expect_code 1 "unknown UUID" plan --sysroot "$gpu8" --ranks 1 --near gpu
like "$err" "HIP_VISIBLE_DEVICES 'GPU-ffff': entry 'GPU-ffff'" "an unknown UUID is named"
CUDA_VISIBLE_DEVICES=1 expect_code 1 "rank past the visible GPUs" plan --sysroot "$gpu8" --ranks 1/2 --near gpu
is "$err" "numaplace plan: local rank 1 has no GPU: 1 visible (CUDA_VISIBLE_DEVICES)" "says how many are visible"
nonode=$TMP/nonode; cp -r "$gpu8" "$nonode"
echo -1 >"$nonode/sys/devices/pci0000:62/0000:62:00.0/numa_node"
echo 0-63 >"$nonode/sys/devices/pci0000:62/0000:62:00.0/local_cpulist"
expect_code 1 "a GPU on no node" plan --sysroot "$nonode" --ranks 8 --near gpu
like "$err" "GPU 'gpu7' of local rank 7 is on no NUMA node" "the device is named"
CUDA_VISIBLE_DEVICES=0,1,2,0,1 expect_code 1 "exclusive: more ranks than cores" plan --sysroot "$nvgpu" --ranks 5 --near gpu --bind exclusive
like "$err" "outnumber its cores; use --bind node, fewer ranks, or --oversubscribe" "refused, saying what to do"
CUDA_VISIBLE_DEVICES=0,0,0,0,0 run plan --sysroot "$nvgpu" --ranks 5 --near gpu --bind exclusive --oversubscribe
is "$(echo "$out" | sed 's/ (.*)  cpus/ cpus/')" "rank 0: gpu0 cpus 0-3  node 0  (shared)
rank 1: gpu0 cpus 4-7  node 0  (shared)
rank 2: gpu0 cpus 8-11  node 0  (shared)
rank 3: gpu0 cpus 12-15  node 0  (shared)
rank 4: gpu0 cpus 0-3  node 0  (shared)" "--oversubscribe: ranks share cores round robin, and it says so"
LOCAL_RANK=1 LOCAL_WORLD_SIZE=2 SLURM_LOCALID=0 expect_code 2 "conflicting launchers" plan --sysroot "$gpu8" --ranks auto --near gpu
like "$err" "conflicting launcher variables 'SLURM_LOCALID=0' and 'LOCAL_RANK=1'" "both named"
LOCAL_RANK=1 LOCAL_WORLD_SIZE=2 run plan --sysroot "$gpu8" --ranks auto --near gpu
is "$out" "rank 1: gpu1 (0000:02:00.0, node 0)  cpus 0-7  node 0  nic mlx5_0  (shared)" "--ranks auto from torchrun"
expect_code 2 "--bind needs --near" plan --sysroot "$gpu8" --ranks 1/2 --bind node
is "$err" "numaplace plan: --bind needs --near gpu or --near nic
Try 'numaplace plan --help' for more information." "usage error"
expect_code 2 "--near needs --ranks" plan --sysroot "$gpu8" 4 --near gpu
expect_code 2 "bad mode" plan --sysroot "$gpu8" --ranks 2 --near gpu --bind sockets
like "$err" "invalid --bind 'sockets'" "the value is named"

# --- run
expect_code 0 "run --dry-run" run --sysroot "$gpu8" --ranks 3/8 --near gpu --bind exclusive --mem bind -- true
is "$out" "cpus: 12-15
policy: bind:1
rank: 3 of 8
device: gpu3 (0000:22:00.0, node 1)
nic: mlx5_0" "run: the rank's share, memory bound to its node"
run run --sysroot "$gpu8" --ranks 4/8 --near gpu --bind socket --mem prefer -- true
like "$out" "policy: preferred-many:2-3" "--mem prefer over the socket's nodes"
run run --sysroot "$gpu8" --ranks 0/8 --near gpu -- true
like "$out" "policy: unchanged" "--mem none by default, as torch"
run run --sysroot "$gpu8" --ranks 1/8 --near gpu --bind node --within 4-63 -- true
like "$out" "^cpus: 4-7" "run --within narrows the place"
run plan --sysroot "$gpu8" --ranks 1/8 --near gpu --bind node --within 4-63
like "$out" "cpus 4-7 " "plan --within narrows the place"
expect_code 2 "--plan-mem with --near" run --sysroot "$gpu8" --ranks 0/8 --near gpu --plan-mem node -- true
expect_code 2 "-m and --mem" run --sysroot "$gpu8" --ranks 0/8 --near gpu -m 0 --mem bind -- true

done_testing
