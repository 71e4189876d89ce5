#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A torch DataLoader whose workers each run on their own place inside the rank's CPUs: the
rank is bound near its GPU first (numaplace.bind_rank), then every loader worker process pins
itself to one place of a plan over the CPUs it inherited (numaplace.worker_init_fn), so the
loader never competes with the training thread's cores on another node.

    torchrun --nproc-per-node 8 examples/python/dataloader_workers.py
"""
import numaplace

NUM_WORKERS = 4


def main() -> None:
    place = numaplace.bind_rank(mode="exclusive", near="gpu")
    try:
        import torch
        from torch.utils.data import DataLoader, TensorDataset
    except ImportError:
        print(f"rank {place.rank}: cpus {place.cpus}; worker places would be",
              [p.cpus for p in numaplace.plan(NUM_WORKERS, policy="close", within=place.cpus)])
        return
    data = TensorDataset(torch.arange(1024, dtype=torch.float32))
    loader = DataLoader(data, batch_size=64, num_workers=NUM_WORKERS,
                        worker_init_fn=numaplace.worker_init_fn(NUM_WORKERS, policy="close"))
    for _ in loader:
        pass


if __name__ == "__main__":
    main()
