# SPDX-License-Identifier: LGPL-2.1-or-later
"""The numaplace Python module (python/numaplace) over the build's libnumaplace.so: topology,
plans and local ranks on captured machines (expectations as in tests/unit/t-rankbind.c, worked
out by hand from the captures), and affinity, memory policy, the NIC export and the DataLoader
worker_init_fn in forked children, so that no state leaks into the next test."""
import errno
import os
import shutil
import subprocess
import tarfile

import pytest

import numaplace

SRC = os.environ.get("NP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("SHARED", os.path.join(SRC, "..", "shared"))


def _extract(tgz, tmp_path_factory, name):
    if not os.path.exists(tgz):
        pytest.skip(f"capture {tgz} not found")
    d = tmp_path_factory.mktemp(name)
    with tarfile.open(tgz) as t:
        t.extractall(d)
    return str(d)


@pytest.fixture(scope="module")
def nvgpu(tmp_path_factory):
    """nvidiagpunumanodes without the capture's process limits."""
    d = _extract(os.path.join(SHARED, "fixtures/topology/nvidiagpunumanodes/fsroot.tar.gz"),
                 tmp_path_factory, "nvgpu")
    shutil.rmtree(os.path.join(d, "proc/self"), ignore_errors=True)
    with numaplace.Topology(d) as t:
        yield t


@pytest.fixture(scope="module")
def pcinic(tmp_path_factory):
    d = _extract(os.path.join(SRC, "tests/fixtures/ranks/fakepcilocalities/fsroot.tar.gz"),
                 tmp_path_factory, "pcinic")
    with numaplace.Topology(d) as t:
        yield t


@pytest.fixture(autouse=True)
def _no_launcher(monkeypatch):
    for v in ("CUDA_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES",
              "ASCEND_RT_VISIBLE_DEVICES", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "SLURM_LOCALID",
              "OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "PMI_LOCAL_RANK",
              "PALS_LOCAL_RANKID"):
        monkeypatch.delenv(v, raising=False)


def in_child(fn):
    """Run fn() in a forked child; return what it returns (a short string)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            out = str(fn())
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            out = f"raised {type(e).__name__}: {e}"
        os.write(w, out.encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 4096):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return data.decode()


def test_topology(nvgpu):
    assert [n.id for n in nvgpu.nodes] == [0, 8, 250, 251, 252, 253, 254, 255]
    # member CPUs as the kernel lists them, offline ones too (0-87 on this POWER9)
    assert nvgpu.nodes[0].cpus == list(range(88))
    assert nvgpu.online_cpus == list(range(16)) + list(range(88, 104))
    gpus = [d for d in nvgpu.devices if d.cls == "gpu"]
    assert [(d.name, d.node) for d in gpus] == [("gpu0", 0), ("gpu1", 0), ("gpu2", 0),
                                                ("gpu3", 8), ("gpu4", 8), ("gpu5", 8)]
    assert nvgpu.device("0007:00:00.0").name == "gpu3"


@pytest.mark.parametrize("mode,rank,size,cpus,shared", [
    ("node", 0, 6, list(range(16)), True),
    ("socket", 4, 6, list(range(88, 104)), True),
    ("exclusive", 0, 6, list(range(8)), False),
    ("exclusive", 2, 6, [12, 13, 14, 15], False),
    ("core-complex", 1, 6, list(range(8, 16)), True),
    ("core-complex", 3, 4, list(range(88, 96)), False),
])
def test_modes(nvgpu, mode, rank, size, cpus, shared):
    p = numaplace.rank_place(mode, rank=rank, size=size, topo=nvgpu)
    assert (p.cpus, p.shared, p.device) == (cpus, shared, f"gpu{rank}")


def test_smt_avoid(nvgpu):
    p = numaplace.rank_place("exclusive", rank=0, size=6, smt="avoid", topo=nvgpu)
    assert p.cpus == [0, 4]


def test_visible_and_launcher(nvgpu, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "4,1")
    monkeypatch.setenv("LOCAL_RANK", "1")
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "2")
    assert numaplace.local_rank() == (1, 2)
    p = numaplace.rank_place("exclusive", topo=nvgpu)
    assert (p.device, p.node, p.cpus) == ("gpu1", 0, list(range(16)))


def test_errors(nvgpu, monkeypatch):
    with pytest.raises(OSError) as e:
        numaplace.rank_place(rank=6, size=7, topo=nvgpu)
    assert e.value.errno == errno.ERANGE
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,9")
    with pytest.raises(OSError) as e:
        numaplace.rank_place(rank=0, size=1, topo=nvgpu)
    assert e.value.errno == errno.ENODEV and "CUDA_VISIBLE_DEVICES=0,9" in str(e.value)
    with pytest.raises(ValueError, match="invalid mode 'sockets'"):
        numaplace.rank_place("sockets", rank=0, size=1, topo=nvgpu)
    with pytest.raises(OSError) as e:
        numaplace.local_rank()
    assert e.value.errno == errno.ENOENT


def test_plan(nvgpu):
    places = numaplace.plan(2, policy="spread", topo=nvgpu)
    assert [p.nodes for p in places] == [[0], [8]]


def test_near_nic(pcinic):
    p = numaplace.rank_place(near="nic", rank=0, size=1, topo=pcinic)
    assert (p.device, p.nic, p.node, p.cpus) == ("qib0", "qib0", 1, list(range(1, 40, 4)))


def test_export_nic(pcinic):
    def child():
        os.environ.pop("UCX_NET_DEVICES", None)
        os.environ["NCCL_IB_HCA"] = "mlx5_9"
        numaplace.export_nic(pcinic.device("qib0"))
        return f"{os.environ['NCCL_IB_HCA']} {os.environ['UCX_NET_DEVICES']}"
    assert in_child(child) == "mlx5_9 qib0:1"


def test_affinity():
    mine = numaplace.get_affinity()
    assert mine and mine == sorted(os.sched_getaffinity(0))

    def child():
        numaplace.set_affinity(mine[:1])
        return sorted(os.sched_getaffinity(0))
    assert in_child(child) == str(mine[:1])


def test_mempolicy():
    def child():
        try:
            numaplace.set_mempolicy("local")
        except OSError as e:
            return f"errno {e.errno}"
        return numaplace.get_mempolicy()
    got = in_child(child)
    if got.startswith("errno"):
        pytest.skip(f"set_mempolicy blocked here ({got})")
    assert got == str(("local", []))


def test_bind_rank_live():
    """This machine's own GPUs: with none, binding rank 0 says so."""
    with numaplace.Topology() as t:
        gpus = [d for d in t.devices if d.cls == "gpu"]
    if gpus:
        pytest.skip("this machine has GPUs: the refusal below is for machines without")
    with pytest.raises(OSError) as e:
        numaplace.bind_rank(rank=0, size=1)
    assert e.value.errno == errno.ERANGE


def test_worker_init_fn():
    mine = numaplace.get_affinity()

    def child():
        numaplace.worker_init_fn(len(mine), policy="close", places="threads")(len(mine) - 1)
        return sorted(os.sched_getaffinity(0))
    got = in_child(child)
    assert got == str(mine[-1:]) or got == str(mine[:1])


def test_cli_agrees(nvgpu):
    """numaplace plan --json and the module give the same places."""
    np_bin = os.path.join(os.environ.get("NP_BUILDDIR", os.path.join(SRC, "build")), "numaplace")
    if not os.access(np_bin, os.X_OK):
        pytest.skip("no numaplace binary")
    out = subprocess.run([np_bin, "plan", "--sysroot", nvgpu.sysroot, "--ranks", "6",
                          "--near", "gpu", "--bind", "exclusive", "--json"],
                         capture_output=True, text=True, check=True).stdout
    import json
    got = [r["cpus"] for r in json.loads(out)["ranks"]]
    assert got == ["0-7", "8-11", "12-15", "88-95", "96-99", "100-103"]

