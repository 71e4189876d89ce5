#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Pin a model-serving worker to its GPU's NUMA node: the numaplace version of the libnuma
ctypes code serving frameworks carry, which typically reads

    libnuma = ctypes.CDLL("libnuma.so.1")
    if libnuma.numa_available() < 0: ...
    node = int(open(f"/sys/bus/pci/devices/{pci}/numa_node").read())   # -1 on some firmware
    libnuma.numa_run_on_node(node)
    libnuma.numa_set_membind(libnuma.numa_parse_nodestring(str(node).encode()))

and gets the GPU's PCI address from the driver, the rank from its own variables, and nothing
right when numa_node is -1 or CUDA_VISIBLE_DEVICES reorders the GPUs.  Here the local rank comes
from the launcher (torchrun, mpirun, srun), the GPU from CUDA_VISIBLE_DEVICES, the node from
sysfs (or the GPU's local CPUs), and an error names what is wrong.

    torchrun --nproc-per-node 8 examples/python/serving_numa.py [node|socket|exclusive|core-complex]
"""
import sys

import numaplace


def pin_to_gpu_node(mode: str = "node") -> numaplace.RankPlace:
    # memory bound to the node, as the libnuma code above does; "prefer" lets it spill over
    place = numaplace.bind_rank(mode=mode, near="gpu", mem="bind", nic=True)
    print(f"rank {place.rank}/{place.size}: {place.device} ({place.pci}) on node {place.node}, "
          f"cpus {place.cpus}, nic {place.nic or 'none'}", file=sys.stderr)
    return place


if __name__ == "__main__":
    try:
        pin_to_gpu_node(sys.argv[1] if len(sys.argv) > 1 else "node")
    except (OSError, ValueError) as e:
        sys.exit(f"serving_numa: {e}")
    print(numaplace.get_affinity(), numaplace.get_mempolicy())
