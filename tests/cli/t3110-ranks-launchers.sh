#!/bin/sh
# --ranks auto --near under real launchers on this machine: two ranks started by Open MPI's
# mpirun read their local rank from it, and land on the CPUs and memory plan printed for them,
# with the network device exported; the rank past this machine's network devices is refused
# with the count.  As root a missing openmpi-bin is installed with apt-get (as tests/vm/lib.sh
# installs qemu).  The same under a one-node Slurm cluster started by the test itself.
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

# ---- Slurm: a one-node cluster of this machine, started here and stopped at the end --------
# slurmctld, slurmd and munged run as root with every file in $TMP and ports of their own, so
# nothing of the machine's configuration is read or changed.
slurm_skip() { skip 4 "two ranks under a real Slurm: $*"; done_testing; }
if ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && (
        flock 9
        command -v slurmd >/dev/null 2>&1 && exit 0
        echo "# installing slurm-wlm: apt-get install -y --no-install-recommends slurm-wlm" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends slurm-wlm >&2 ||
            { apt-get update >&2 && apt-get install -y --no-install-recommends slurm-wlm >&2; }
    ) 9>/tmp/numaplace-slurm-install.lock
fi
command -v slurmd >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 && command -v mungekey >/dev/null 2>&1 ||
    slurm_skip "slurm-wlm is not installed (as root: apt-get install -y slurm-wlm)"
[ "$(id -u)" = 0 ] || slurm_skip "slurmd must run as root here"
S=$TMP/slurm
mkdir -p "$S/munge" "$S/spool" "$S/state" && chmod 700 "$S/munge"
mungekey --create --keyfile="$S/munge/munge.key" --force >/dev/null 2>&1 && chmod 400 "$S/munge/munge.key"
# the daemons this test started, by their pid files; each is waited for (up to 10 s)
stop_slurm() {
    local f pid i
    for f in slurmd.pid slurmctld.pid munged.pid; do
        [ -s "$S/$f" ] || continue
        pid=$(cat "$S/$f")
        kill "$pid" 2>/dev/null
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    done
}
trap 'stop_slurm; rm -rf "$TMP"' EXIT
munged -f --key-file="$S/munge/munge.key" -S "$S/munge/sock" --log-file="$S/munged.log" \
    --pid-file="$S/munged.pid" --seed-file="$S/munge/seed" >/dev/null 2>&1 ||
    slurm_skip "munged does not start ($(tail -n 1 "$S/munged.log" 2>/dev/null))"
host=$(hostname -s) port=$((20000 + $$ % 20000))
cat >"$S/slurm.conf" <<CONF
ClusterName=nptest
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$S/munge/sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=np Nodes=$host Default=YES MaxTime=5 State=UP
CONF
export SLURM_CONF=$S/slurm.conf
slurmctld -f "$S/slurm.conf" -i >/dev/null 2>&1 && slurmd -f "$S/slurm.conf" >/dev/null 2>&1 ||
    slurm_skip "the daemons do not start (see $S/*.log)"
i=0
while ! sinfo -h -o %t 2>/dev/null | grep -q idle && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
sinfo -h -o %t 2>/dev/null | grep -q idle || slurm_skip "the node never became idle: $(sinfo 2>&1 | tail -n 1)"
probe_slurm=$(printf '%s\n' "$probe" | sed 's/OMPI_COMM_WORLD_LOCAL_RANK/SLURM_LOCALID/')
run_cmd timeout 120 srun -n 2 "$NP" run --ranks auto --near nic --bind node --mem bind -- sh -c "$probe_slurm"
got0=$(echo "$out" | grep '^rank=0 ')
like "$got0" "^rank=0 cpus=$cpus0 " "srun -n 2: rank 0 runs on the CPUs plan gives it ($cpus0)" ||
    diag "stdout: $out" "stderr: $err"
like "$got0" " nic=$dev0 " "srun: rank 0 has its network device exported ($dev0)"
like "$got0" " policy=bind:$node0\$" "srun: rank 0's memory is bound to node $node0" || diag "$out"
if [ "$ndev" -ge 2 ]; then
    like "$(echo "$out" | grep '^rank=1 ')" "^rank=1 " "srun: rank 1 ran on the second network device"
else
    like "$err" "numaplace run: local rank 1 has no network device: 1 visible" \
        "srun: rank 1 read SLURM_LOCALID=1 and is refused on this one-NIC machine"
fi
done_testing
