# SPDX-License-Identifier: LGPL-2.1-or-later
"""numaplace - NUMA placement from Python, over libnumaplace.so through ctypes.

Terminology:
  CPU list     a sorted list of CPU numbers (ints); node lists likewise.
  topology     the machine, or a captured one (``sysroot``): nodes, online CPUs, PCI devices.
  place        where one worker or rank runs: its CPUs and the NUMA nodes they sit on.
  local rank   this process's rank among its job's processes on this machine, read from the
               launcher (torchrun's LOCAL_RANK, Open MPI, MPICH, Slurm...).

Every failure of the library raises ``OSError`` with the errno it returned; bad arguments raise
``ValueError``.  Functions that change affinity or memory policy act on the calling process
(affinity: every thread of it; memory policy: the calling thread, as set_mempolicy(2) does).
"""
from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

__all__ = [
    "Node", "Device", "Place", "RankPlace", "Topology", "get_affinity", "set_affinity",
    "get_mempolicy", "set_mempolicy", "plan", "local_rank", "rank_place", "bind_rank",
    "export_nic", "worker_init_fn", "MODES",
]

#: the --bind modes, torchrun --numa-binding's names
MODES = ("node", "socket", "exclusive", "core-complex")
_NEAR = ("gpu", "nic")
_POLICIES = ("spread", "close", "compact", "scatter", "per-node")
_PLACES = ("cores", "threads", "ll_caches", "numa_domains", "sockets")
_SMT = ("last", "use", "avoid")


def _load() -> ctypes.CDLL:
    name = os.environ.get("NUMAPLACE_LIB", "libnumaplace.so.0")
    try:
        return ctypes.CDLL(name, use_errno=True)
    except OSError as e:
        raise ImportError(f"numaplace: cannot load '{name}' ({e}); install the library "
                          "(make install) or set NUMAPLACE_LIB to libnumaplace.so") from e


_lib = _load()
_P = ctypes.c_void_p


class _RankOpts(ctypes.Structure):
    _fields_ = [("mode", ctypes.c_int), ("near", ctypes.c_int), ("smt_avoid", ctypes.c_bool),
                ("oversubscribe", ctypes.c_bool), ("visible", ctypes.c_char_p), ("within", _P)]


class _RankPlace(ctypes.Structure):
    _fields_ = [("dev", _P), ("nic", _P), ("node", ctypes.c_int), ("cpus", _P), ("nodes", _P),
                ("share", ctypes.c_uint), ("shares", ctypes.c_uint), ("shared", ctypes.c_bool)]


class _PlanOpts(ctypes.Structure):
    _fields_ = [("policy", ctypes.c_int), ("places", ctypes.c_int), ("smt", ctypes.c_int),
                ("within", _P), ("include_isolated", ctypes.c_bool)]


class _Node(ctypes.Structure):
    # the leading fields of struct np_node (numaplace/topo.h); later ones are not read
    _fields_ = [("id", ctypes.c_uint), ("online", ctypes.c_bool), ("implicit", ctypes.c_bool),
                ("cpus", _P), ("mem_total", ctypes.c_longlong), ("mem_free", ctypes.c_longlong)]


def _sig(name: str, res, *args) -> None:
    f = getattr(_lib, name)
    f.restype = res
    f.argtypes = list(args)


_I, _U, _S = ctypes.c_int, ctypes.c_uint, ctypes.c_char_p
_PP, _UP = ctypes.POINTER(_P), ctypes.POINTER(ctypes.c_uint)
for _n, _r, _a in [
    ("np_cpuset_new", _I, (_U, _PP)), ("np_cpuset_free", None, (_P,)),
    ("np_cpuset_set", _I, (_P, _U)), ("np_cpuset_next", _I, (_P, _I)),
    ("np_topo_load", _I, (_S, _U, _PP)), ("np_topo_free", None, (_P,)),
    ("np_topo_cpu_size", _U, (_P,)), ("np_topo_node_size", _U, (_P,)),
    ("np_topo_sysroot", _S, (_P,)),
    ("np_topo_online_cpus", _P, (_P,)), ("np_topo_node_count", _U, (_P,)),
    ("np_topo_node", ctypes.POINTER(_Node), (_P, _U)),
    ("np_topo_device_count", _U, (_P,)), ("np_topo_device", _P, (_P, _U)),
    ("np_device_name", _S, (_P,)), ("np_device_class", _S, (_P,)),
    ("np_device_pci_address", _S, (_P,)), ("np_device_node", _I, (_P,)),
    ("np_device_local_cpus", _P, (_P,)), ("np_rank_device_node", _I, (_P, _P)),
    ("np_affinity_get", _I, (_I, _PP)), ("np_affinity_set", _I, (_I, _P)),
    ("np_affinity_set_process", _I, (_I, _P, _UP)),
    ("np_mpol_mode_parse", _I, (_S, ctypes.POINTER(_I))), ("np_mpol_mode_name", _S, (_I,)),
    ("np_mpol_node_bits", _I, ()),
    ("np_policy_new", _I, (_I, _P, _U, _PP)), ("np_policy_free", None, (_P,)),
    ("np_policy_apply", _I, (_P,)), ("np_policy_get", _I, (_PP,)),
    ("np_policy_mode", _I, (_P,)), ("np_policy_nodes", _P, (_P,)),
    ("np_plan_make", _I, (_P, _U, ctypes.POINTER(_PlanOpts), _PP)),
    ("np_plan_free", None, (_P,)), ("np_plan_count", _U, (_P,)),
    ("np_plan_cpus", _P, (_P, _U)), ("np_plan_nodes", _P, (_P, _U)),
    ("np_local_rank", _I, (_UP, _UP)),
    ("np_rank_bind", _I, (_P, _U, _U, ctypes.POINTER(_RankOpts), ctypes.POINTER(_RankPlace))),
    ("np_rank_place_release", None, (ctypes.POINTER(_RankPlace),)),
    ("np_rank_visible_var", _S, (ctypes.POINTER(_S),)),
    ("np_rank_nic_setenv", _I, (_P,)), ("np_strerror", _S, (_I,)),
]:
    _sig(_n, _r, *_a)


def _check(r: int, what: str) -> int:
    if r < 0:
        raise OSError(-r, f"{what}: {os.strerror(-r)}")
    return r


def _members(cs: Optional[int]) -> List[int]:
    """The members of a struct np_cpuset * as a list (NULL: empty)."""
    out: List[int] = []
    if not cs:
        return out
    i = _lib.np_cpuset_next(cs, -1)
    while i >= 0:
        out.append(i)
        i = _lib.np_cpuset_next(cs, i)
    return out


class _Set:
    """A struct np_cpuset made from a list, freed on exit."""

    def __init__(self, members: Iterable[int], nbits: int):
        members = [int(m) for m in members]
        if any(m < 0 for m in members):
            raise ValueError(f"negative CPU or node number in {members}")
        self.p = _P()
        _check(_lib.np_cpuset_new(max([nbits] + [m + 1 for m in members]), ctypes.byref(self.p)),
               "cannot make a set")
        for m in members:
            _lib.np_cpuset_set(self.p, m)

    def __enter__(self) -> int:
        return self.p.value or 0

    def __exit__(self, *exc) -> None:
        _lib.np_cpuset_free(self.p)


@dataclass(frozen=True)
class Node:
    """A NUMA node: its id, member CPUs (online or not) and MemTotal in bytes (-1: unknown)."""
    id: int
    cpus: List[int]
    mem_total: int


@dataclass(frozen=True)
class Device:
    """A PCI device as numaplace names it ("gpu0", "mlx5_0", "eth0"), its class ("gpu", "net",
    "infiniband", "nvme", "block", "pci"), PCI address, NUMA node (None: the firmware gives none
    and its local CPUs do not say) and local CPUs."""
    name: str
    cls: str
    pci: str
    node: Optional[int]
    local_cpus: List[int]


@dataclass(frozen=True)
class Place:
    """One worker's place in a plan: its CPUs and the nodes they sit on."""
    cpus: List[int]
    nodes: List[int]


@dataclass(frozen=True)
class RankPlace:
    """Where a local rank goes (see numaplace(1) "Ranks near devices")."""
    rank: int
    size: int
    device: str
    pci: str
    node: int
    cpus: List[int]
    nodes: List[int]
    share: int
    shares: int
    shared: bool
    nic: Optional[str]


class Topology:
    """The machine (``sysroot=None``) or a captured one.  Use as a context manager or call
    ``close()``; the objects it returns are plain copies that outlive it."""

    def __init__(self, sysroot: Optional[str] = None):
        self._t = _P()
        _check(_lib.np_topo_load(sysroot.encode() if sysroot else None, 0, ctypes.byref(self._t)),
               f"cannot load the topology of '{sysroot or '/'}'")

    def close(self) -> None:
        if self._t:
            _lib.np_topo_free(self._t)
            self._t = _P()

    def __enter__(self) -> "Topology":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    @property
    def sysroot(self) -> str:
        """The folder the topology was read from ("/" for this machine)."""
        return _lib.np_topo_sysroot(self._t).decode()

    @property
    def online_cpus(self) -> List[int]:
        return _members(_lib.np_topo_online_cpus(self._t))

    @property
    def nodes(self) -> List[Node]:
        out = []
        for i in range(_lib.np_topo_node_count(self._t)):
            n = _lib.np_topo_node(self._t, i).contents
            out.append(Node(n.id, _members(n.cpus), n.mem_total))
        return out

    @property
    def devices(self) -> List[Device]:
        out = []
        for i in range(_lib.np_topo_device_count(self._t)):
            d = _lib.np_topo_device(self._t, i)
            node = _lib.np_rank_device_node(self._t, d)
            out.append(Device(_lib.np_device_name(d).decode(), _lib.np_device_class(d).decode(),
                              _lib.np_device_pci_address(d).decode(), node if node >= 0 else None,
                              _members(_lib.np_device_local_cpus(d))))
        return out

    def device(self, name: str) -> Device:
        """The device called ``name`` ("gpu0", "mlx5_0", a PCI address); KeyError if none."""
        for d in self.devices:
            if name in (d.name, d.pci):
                return d
        raise KeyError(name)


def get_affinity(tid: int = 0) -> List[int]:
    """The CPUs thread ``tid`` (0: the calling thread) may run on."""
    p = _P()
    _check(_lib.np_affinity_get(tid, ctypes.byref(p)), "cannot read the CPU affinity")
    try:
        return _members(p.value)
    finally:
        _lib.np_cpuset_free(p)


def set_affinity(cpus: Sequence[int], pid: Optional[int] = None) -> None:
    """Bind every thread of process ``pid`` (default: this one) to ``cpus``."""
    with _Set(cpus, 1) as s:
        _check(_lib.np_affinity_set_process(pid or os.getpid(), s, None),
               f"cannot bind to CPUs {list(cpus)}")


def set_mempolicy(mode: str, nodes: Sequence[int] = ()) -> None:
    """Set the calling thread's memory policy: ``mode`` is "default", "local", "bind",
    "preferred", "preferred-many", "interleave" or "weighted-interleave" (numactl's names)."""
    m = ctypes.c_int()
    if _lib.np_mpol_mode_parse(mode.encode(), ctypes.byref(m)) < 0:
        raise ValueError(f"unknown memory policy mode '{mode}'")
    pol = _P()
    nbits = max(_lib.np_mpol_node_bits(), 1)
    with _Set(nodes, nbits) as s:
        _check(_lib.np_policy_new(m.value, s if nodes else None, 0, ctypes.byref(pol)),
               f"invalid policy {mode} {list(nodes)}")
    try:
        _check(_lib.np_policy_apply(pol), f"cannot set the memory policy {mode}")
    finally:
        _lib.np_policy_free(pol)


def get_mempolicy() -> Tuple[str, List[int]]:
    """The calling thread's memory policy: its mode's name and its nodes."""
    pol = _P()
    _check(_lib.np_policy_get(ctypes.byref(pol)), "cannot read the memory policy")
    try:
        name = _lib.np_mpol_mode_name(_lib.np_policy_mode(pol))
        return (name.decode() if name else "?"), _members(_lib.np_policy_nodes(pol))
    finally:
        _lib.np_policy_free(pol)


def _choice(value: str, names: Sequence[str], what: str) -> int:
    if value not in names:
        raise ValueError(f"invalid {what} '{value}': expected one of {', '.join(names)}")
    return names.index(value)


def plan(n: int, policy: str = "spread", places: str = "cores", smt: str = "last",
         within: Optional[Sequence[int]] = None, topo: Optional[Topology] = None) -> List[Place]:
    """Where ``n`` workers go (numaplace plan): one Place per worker."""
    o = _PlanOpts(_choice(policy, _POLICIES, "policy"), _choice(places, _PLACES, "places"),
                  _choice(smt, _SMT, "smt"), None, False)
    t = topo or Topology()
    p = _P()
    with _Set(within or [], 1) as w:
        o.within = w if within is not None else None
        _check(_lib.np_plan_make(t._t, n, ctypes.byref(o), ctypes.byref(p)),
               f"cannot plan {n} workers")
    try:
        return [Place(_members(_lib.np_plan_cpus(p, i)), _members(_lib.np_plan_nodes(p, i)))
                for i in range(_lib.np_plan_count(p))]
    finally:
        _lib.np_plan_free(p)


def local_rank() -> Tuple[int, int]:
    """(rank, size) of this process on this machine, from the launcher's environment."""
    r, s = ctypes.c_uint(), ctypes.c_uint()
    _check(_lib.np_local_rank(ctypes.byref(r), ctypes.byref(s)),
           "no local rank in the environment (LOCAL_RANK, OMPI_COMM_WORLD_LOCAL_RANK, "
           "SLURM_LOCALID, ...)")
    return r.value, s.value


def _visible() -> Tuple[Optional[str], Optional[str]]:
    v = _S()
    name = _lib.np_rank_visible_var(ctypes.byref(v))
    return (name.decode() if name else None), (v.value.decode() if name else None)


def rank_place(mode: str = "node", near: str = "gpu", rank: Optional[int] = None,
               size: Optional[int] = None, smt: str = "use", visible: Optional[str] = None,
               oversubscribe: bool = False, topo: Optional[Topology] = None) -> RankPlace:
    """Where local rank ``rank`` of ``size`` (default: the launcher's) goes near its device;
    ``visible`` defaults to CUDA_VISIBLE_DEVICES (or ROCm's, Ascend's).  Changes nothing."""
    if rank is None or size is None:
        lr, ls = local_rank()
        rank = lr if rank is None else rank
        size = ls if size is None else size
    var, value = _visible()
    if visible is None and near == "gpu":
        visible = value
    o = _RankOpts(_choice(mode, MODES, "mode"), _choice(near, _NEAR, "near"),
                  _choice(smt, ("use", "avoid"), "smt") == 1, oversubscribe,
                  visible.encode() if visible is not None else None, None)
    t = topo or Topology()
    p = _RankPlace()
    r = _lib.np_rank_bind(t._t, rank, size, ctypes.byref(o), ctypes.byref(p))
    if r < 0:
        raise OSError(-r, f"cannot place local rank {rank} of {size} near a {near}"
                      f"{f' ({var}={visible})' if visible is not None else ''}: "
                      f"{os.strerror(-r)}")
    try:
        return RankPlace(rank, size, _lib.np_device_name(p.dev).decode(),
                         _lib.np_device_pci_address(p.dev).decode(), p.node, _members(p.cpus),
                         _members(p.nodes), p.share, p.shares, p.shared,
                         _lib.np_device_name(p.nic).decode() if p.nic else None)
    finally:
        _lib.np_rank_place_release(ctypes.byref(p))


def bind_rank(mode: str = "node", near: str = "gpu", mem: str = "none", nic: bool = False,
              **kw) -> RankPlace:
    """``rank_place()``, then bind this process there: every thread's CPUs; the calling
    thread's memory policy when ``mem`` is "bind" or "prefer" (default "none", as torch); with
    ``nic`` (or ``near="nic"``), NCCL_IB_HCA/NCCL_SOCKET_IFNAME and UCX_NET_DEVICES set to the
    nearest network device unless already set.  Call it first thing, before threads start."""
    _choice(mem, ("none", "bind", "prefer"), "mem")
    topo = kw.pop("topo", None) or Topology()
    place = rank_place(mode, near, topo=topo, **kw)
    set_affinity(place.cpus)
    if mem != "none":
        with Topology() as live:
            memnodes = [n.id for n in live.nodes if n.mem_total != 0 and n.id in place.nodes]
        nodes = memnodes or [place.node]
        set_mempolicy("bind" if mem == "bind" else
                      "preferred" if len(nodes) == 1 else "preferred-many", nodes)
    if place.nic and (nic or near == "nic"):
        export_nic(topo.device(place.nic))
    return place


def export_nic(dev: Device) -> None:
    """Name network device ``dev`` to NCCL and UCX: NCCL_IB_HCA and UCX_NET_DEVICES
    ("mlx5_0:1") for InfiniBand, NCCL_SOCKET_IFNAME and UCX_NET_DEVICES for Ethernet; a
    variable already set is left as it is.  os.environ is used, so child processes and the
    libraries of this one (through putenv) see the same values."""
    if dev.cls == "infiniband":
        want = {"NCCL_IB_HCA": dev.name, "UCX_NET_DEVICES": f"{dev.name}:1"}
    elif dev.cls == "net":
        want = {"NCCL_SOCKET_IFNAME": dev.name, "UCX_NET_DEVICES": dev.name}
    else:
        raise ValueError(f"'{dev.name}' is a {dev.cls} device, not a network device")
    for var, value in want.items():
        os.environ.setdefault(var, value)


def worker_init_fn(num_workers: int, policy: str = "close",
                   places: str = "cores") -> Callable[[int], None]:
    """A ``torch.utils.data.DataLoader`` worker_init_fn: worker ``i`` of ``num_workers`` is
    pinned to place ``i`` of a plan over the CPUs the worker inherited (its rank's, after
    ``bind_rank()``).  The plan is made in the worker, so it follows the parent's binding."""
    def init(worker_id: int) -> None:
        mine = get_affinity()
        with Topology() as t:
            where = plan(num_workers, policy=policy, places=places, within=mine, topo=t)
        set_affinity(where[worker_id % len(where)].cpus)
    return init
