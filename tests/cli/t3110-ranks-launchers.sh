#!/bin/sh
# --ranks auto --near under real launchers on this machine: two ranks started by Open MPI's
# mpirun read their local rank from it, and land on the CPUs and memory plan printed for them,
# with the network device exported; the rank past this machine's network devices is refused
# with the count.  As root a missing openmpi-bin is installed with apt-get (as tests/vm/lib.sh
# installs qemu).  Slurm: see the SKIP below.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm; export TMPDIR; fi
. "$(dirname "$0")/lib.sh"
unset NCCL_IB_HCA NCCL_SOCKET_IFNAME UCX_NET_DEVICES LOCAL_RANK SLURM_LOCALID

if ! command -v mpirun >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || skip_all "needs openmpi-bin; as root run: apt-get install -y openmpi-bin"
    command -v apt-get >/dev/null 2>&1 || skip_all "needs openmpi-bin and there is no apt-get"
    (
        flock 9
        command -v mpirun >/dev/null 2>&1 && exit 0
        echo "# installing openmpi-bin: apt-get install -y --no-install-recommends openmpi-bin" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends openmpi-bin >&2 ||
            { apt-get update >&2 && apt-get install -y --no-install-recommends openmpi-bin >&2; }
    ) 9>/tmp/numaplace-openmpi-install.lock
    command -v mpirun >/dev/null 2>&1 || skip_all "openmpi-bin still missing after apt-get"
fi

# what this machine has: its network devices, in the order ranks take them
run plan --ranks 1 --near nic --json
[ "$rc" = 0 ] || skip_all "this machine has no PCI network device for --near nic ($err)"
# a table stops at the first rank without a device: its length is the device count (up to 64)
run plan --ranks 64 --near nic
ndev=$(printf '%s\n' "$out" | grep -c '^rank ')
run plan --ranks 2 --near nic --mem bind
want0=$(echo "$out" | sed -n 1p)

MPI="mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2"
probe='echo "rank=$OMPI_COMM_WORLD_LOCAL_RANK cpus=$(sed -n "s/^Cpus_allowed_list:\t//p" /proc/self/status) mems=$(sed -n "s/^Mems_allowed_list:\t//p" /proc/self/status) nic=$NCCL_SOCKET_IFNAME$NCCL_IB_HCA ucx=$UCX_NET_DEVICES policy=$(sed -n "1s/^[0-9a-f]* \([^ ]*\) .*/\1/p" /proc/self/numa_maps)"'
run_cmd timeout 120 $MPI "$NP" run --ranks auto --near nic --bind node --mem bind -- sh -c "$probe"
got0=$(echo "$out" | grep '^rank=0 ')
cpus0=$(echo "$want0" | sed 's/.*  cpus \([^ ]*\)  .*/\1/')
node0=$(echo "$want0" | sed 's/.*(.*, node \([0-9]*\)).*/\1/')
dev0=$(echo "$want0" | sed 's/^rank 0: \([^ ]*\) .*/\1/')
case $(echo "$out" | grep -c '^rank=') in
1|2) ok 0 "mpirun -np 2: rank 0 ran" ;;
*) ok 1 "mpirun -np 2: rank 0 ran"; diag "stdout: $out" "stderr: $err" ;;
esac
like "$got0" "^rank=0 cpus=$cpus0 " "rank 0 runs on the CPUs plan gives it ($cpus0)"
like "$got0" " nic=$dev0 " "rank 0 has its network device exported ($dev0)"
like "$got0" " policy=bind:$node0\$" "rank 0's memory is bound to node $node0"
if [ "$ndev" -ge 2 ]; then
    like "$(echo "$out" | grep '^rank=1 ')" "^rank=1 " "rank 1 ran on the second network device"
else
    like "$err" "numaplace run: local rank 1 has no network device: 1 visible" \
        "rank 1: this machine has one network device, and the refusal says so"
fi
UCX_NET_DEVICES=mine run_cmd timeout 120 mpirun --allow-run-as-root --bind-to none -np 1 \
    -x UCX_NET_DEVICES "$NP" run --ranks auto --near nic -- sh -c "$probe"
like "$out" " ucx=mine " "a UCX_NET_DEVICES the user set is kept"

skip 1 "two ranks under a real Slurm: slurm-wlm needs slurmctld, slurmd and munge running as" \
    "services with a node configured; not set up by this test (SLURM_LOCALID is read as" \
    "t3100 and t-args check)"
done_testing
