#!/usr/bin/env python3
"""check-topo.py - host side of the QEMU tier: holds what `numaplace topo --json` printed inside
a guest to the topology file QEMU was started from, and to the kernel's own numbers the guest
sent (meta.txt).  Prints TAP lines numbered from --start, no plan (run-guest.sh owns it).

Terminology:
  conf      tests/vm/topologies/NAME.conf: node lines (cpus, mem MiB) and SLIT rows
  meta      "node N memtotal_kb K present_pages P managed_pages M", "cgroup cpus C mems M",
            "offline cpu C" lines written by the guest
  mem_total the node's MemTotal in bytes (the contract in ../shared/fixtures/topology/README.md)
"""
import argparse
import json
import os
import sys


def expand(lst):
    out = set()
    for part in (lst or "").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-")
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    return out


def read_conf(path):
    nodes, dist = {}, {}
    for line in open(path):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        if f[0] == "node":
            kv = dict(zip(f[2::2], f[3::2]))
            nodes[int(f[1])] = {"cpus": set() if kv["cpus"] == "-" else expand(kv["cpus"]),
                                "mem": int(kv["mem"])}
        elif f[0] == "dist":
            dist[int(f[1])] = [int(x) for x in f[2:]]
    return nodes, dist


def read_meta(path):
    meta = {"node": {}, "cgroup": None, "offline": None}
    if not os.path.exists(path):
        return meta
    for line in open(path):
        f = line.split()
        if f[:1] == ["node"]:
            meta["node"][int(f[1])] = {k: int(v) for k, v in zip(f[2::2], f[3::2])}
        elif f[:1] == ["cgroup"]:
            meta["cgroup"] = {"cpus": f[2], "mems": f[4]}
        elif f[:2] == ["offline", "cpu"]:
            meta["offline"] = int(f[2])
    return meta


class Tap:
    def __init__(self, start):
        self.n = start - 1

    def ok(self, cond, name, *diag):
        self.n += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, name))
        if not cond:
            for d in diag:
                print("# " + str(d))
        return cond

    def skip(self, reason):
        self.n += 1
        print("ok %d # SKIP %s" % (self.n, reason))


def load(path):
    try:
        with open(path) as f:
            return json.load(f), None
    except (OSError, ValueError) as e:
        return None, e


def check_layout(t, topo, nodes, dist, meta, label):
    got = {n["id"]: n for n in topo.get("nodes", [])}
    t.ok(sorted(got) == sorted(nodes), "%s: node ids %s" % (label, sorted(nodes)), "got %s" % sorted(got))
    order = [n["id"] for n in topo.get("nodes", [])]
    for nid, want in sorted(nodes.items()):
        n = got.get(nid)
        if n is None:
            t.ok(False, "%s: node %d present" % (label, nid))
            continue
        t.ok(expand(n.get("cpus")) == want["cpus"], "%s: node %d CPUs" % (label, nid),
             "got %r, want %s" % (n.get("cpus"), sorted(want["cpus"])))
        row = n.get("distances")
        want_row = [dist[nid][o] for o in order] if all(o in nodes for o in order) else None
        t.ok(row == want_row, "%s: node %d distances %s" % (label, nid, want_row), "got %r" % (row,))
        mt = n.get("mem_total")
        cfg = want["mem"] << 20
        kern = meta["node"].get(nid)
        if kern is not None:
            t.ok(mt == kern["memtotal_kb"] * 1024, "%s: node %d mem_total is the kernel's MemTotal" % (label, nid),
                 "got %r, MemTotal %d kB" % (mt, kern["memtotal_kb"]))
        if cfg == 0:
            t.ok(mt in (0, None), "%s: node %d has no memory" % (label, nid), "got %r" % (mt,))
            continue
        # MemTotal leaves out what the kernel took at boot (its image on node 0, the page
        # array, hash tables on the top node); add that back, then QEMU's size must hold to 2%
        reserved = (kern["present_pages"] - kern["managed_pages"]) * 4096 if kern else 0
        ok = isinstance(mt, int) and abs(mt + reserved - cfg) <= 0.02 * cfg and mt <= cfg
        t.ok(ok, "%s: node %d mem_total %s within 2%% of %d MiB (MemTotal %.1f%% of it, boot reservations %d KiB)"
             % (label, nid, mt, want["mem"], 100.0 * (mt or 0) / cfg, reserved >> 10))


def check_bench(t, bench, nodes, dist):
    """bench memory --json: one cell per (CPU node, memory node), each with its SLIT distance."""
    order = sorted(nodes)
    want = {(c, m) for c in order if nodes[c]["cpus"] for m in order if nodes[m]["mem"] > 0}
    for kind in ("latency", "bandwidth"):
        cells = {(x.get("cpu_node"), x.get("mem_node")): x for x in bench.get(kind) or []}
        t.ok(set(cells) == want, "bench %s: cells are CPU nodes x memory nodes %s" % (kind, sorted(want)),
             "got %s" % sorted(cells))
        bad = [k for k, x in cells.items() if k in want and x.get("distance") != dist[k[0]][order.index(k[1])]]
        t.ok(not bad, "bench %s: every cell carries its SLIT distance" % kind, "wrong in %s" % bad)
        figure = "latency_ns_min" if kind == "latency" else "mb_per_s"
        empty = [k for k, x in cells.items() if not (x.get("available") and (x.get(figure) or 0) > 0)]
        t.ok(not empty, "bench %s: every cell measured (%s > 0)" % (kind, figure), "missing in %s" % empty)


def add_memory_expected(exp, conf_path, files):
    """HMAT access classes from the conf's hmat lines (each target's best initiator), and the
    tiers, demotion and balancing the guest's own topo --json reported (checked there
    against sysfs)"""
    hmat = read_hmat(conf_path)
    if hmat:
        for n in exp["nodes"]:
            h = hmat.get(n["id"])
            if not h:
                continue
            best = max(h, key=lambda i: h[i]["rbw"])
            n["access"] = [{"class": c, "initiators": str(best), "read_latency_ns": h[best]["rlat"],
                            "write_latency_ns": h[best]["wlat"], "read_bandwidth_mbs": h[best]["rbw"],
                            "write_bandwidth_mbs": h[best]["wbw"]} for c in (0, 1)]
    topo, _ = load(os.path.join(files, "topo.json")) if os.path.exists(os.path.join(files, "topo.json")) else (None, None)
    for k in ("memory_tiers", "demotion_enabled", "numa_balancing"):
        if topo and k in topo:
            exp[k] = topo[k]


def write_expected(path, conf_path, nodes, dist, meta, files):
    """The oracle of a vm-* fixture, in the format of ../shared/fixtures/topology (README
    there): from the QEMU command line (CPUs, distances; -smp N,sockets=1,cores=N,threads=1
    makes one package of single-thread cores) and the guest kernel's MemTotal per node."""
    ncpu = sum(len(n["cpus"]) for n in nodes.values())
    ids = sorted(nodes)

    def cpulist(cpus):
        out, run = [], []
        for c in sorted(cpus):
            if run and c == run[-1] + 1:
                run.append(c)
                continue
            if run:
                out.append("%d-%d" % (run[0], run[-1]) if len(run) > 1 else str(run[0]))
            run = [c]
        if run:
            out.append("%d-%d" % (run[0], run[-1]) if len(run) > 1 else str(run[0]))
        return ",".join(out)

    exp = {
        "source": "QEMU command line of tests/vm/topologies/%s and the guest kernel's MemTotal"
                  % os.path.basename(conf_path),
        "online_cpus": cpulist(range(ncpu)),
        "packages": [cpulist(range(ncpu))],
        "cores": [str(c) for c in range(ncpu)],
        "nodes": [{"id": i, "cpus": cpulist(nodes[i]["cpus"]),
                   "mem_total": meta["node"][i]["memtotal_kb"] * 1024 if i in meta["node"] else None}
                  for i in ids],
        "distances": {"nodes": ids, "matrix": [dist[i] for i in ids]},
    }
    add_memory_expected(exp, conf_path, files)
    with open(path, "w") as f:
        json.dump(exp, f, indent=1)
        f.write("\n")


def read_hmat(path):
    """hmat INIT TARGET rlat NS wlat NS rbw MB wbw MB lines: {target: {init: {key: value}}}"""
    hmat = {}
    for line in open(path):
        f = line.split()
        if len(f) > 3 and f[0] == "hmat":
            hmat.setdefault(int(f[2]), {})[int(f[1])] = {k: int(v) for k, v in zip(f[3::2], f[4::2])}
    return hmat


def check_hmat(t, topo, hmat, label):
    """each target's access classes: its best initiator's numbers (the conf makes the initiator
    with the highest read bandwidth also the one with the lowest latencies), as QEMU got them"""
    nodes = {n.get("id"): n for n in topo.get("nodes", [])}
    for tgt in sorted(hmat):
        best = max(hmat[tgt], key=lambda i: hmat[tgt][i]["rbw"])
        want = hmat[tgt][best]
        want = {"initiators": str(best), "read_latency_ns": want["rlat"], "write_latency_ns": want["wlat"],
                "read_bandwidth_mbs": want["rbw"], "write_bandwidth_mbs": want["wbw"]}
        acc = {a.get("class"): a for a in nodes.get(tgt, {}).get("access", [])}
        for c in (0, 1):
            got = {k: acc.get(c, {}).get(k) for k in want}
            t.ok(got == want, "%s: node %d access%d is initiator %d's HMAT entry" % (label, tgt, c, best),
                 "got      %r" % got, "expected %r" % want)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--conf", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--write-expected", metavar="PATH")
    a = ap.parse_args()
    nodes, dist = read_conf(a.conf)
    meta = read_meta(os.path.join(a.dir, "meta.txt"))
    if a.write_expected:
        write_expected(a.write_expected, a.conf, nodes, dist, meta, a.dir)
        return 0
    t = Tap(a.start)

    path = os.path.join(a.dir, "topo.json")
    if not os.path.exists(path):
        t.skip("the guest sent no topo --json (the verb is missing or the guest did not get there)")
        return 0
    topo, err = load(path)
    if not t.ok(topo is not None, "topo --json from the guest parses", err):
        return 0
    check_layout(t, topo, nodes, dist, meta, "topo --json")
    hmat = read_hmat(a.conf)
    if hmat:
        check_hmat(t, topo, hmat, "topo --json")

    path = os.path.join(a.dir, "topo-capture.json")
    if os.path.exists(path):
        topo, err = load(path)
        if t.ok(topo is not None, "the guest's capture read on the host: topo --sysroot --json parses", err):
            check_layout(t, topo, nodes, dist, meta, "capture, on the host")
            if hmat:
                check_hmat(t, topo, hmat, "capture, on the host")
    else:
        t.skip("no capture of the guest read back on the host")

    cg = meta["cgroup"]
    path = os.path.join(a.dir, "topo-cgroup.json")
    if cg and os.path.exists(path):
        topo, err = load(path)
        allowed = (topo or {}).get("allowed") or {}
        t.ok(expand(allowed.get("cpus")) == expand(cg["cpus"]),
             "cgroup: topo --json allowed.cpus is the cpuset's %s" % cg["cpus"], "got %r" % (allowed,))
        t.ok(expand(allowed.get("nodes")) == expand(cg["mems"]),
             "cgroup: topo --json allowed.nodes is the cpuset's %s" % cg["mems"], "got %r" % (allowed,))
    else:
        t.skip("no topo --json from inside a cgroup cpuset")

    path = os.path.join(a.dir, "bench.json")
    if os.path.exists(path):
        bench, err = load(path)
        if t.ok(bench is not None, "bench memory --json from the guest parses", err):
            check_bench(t, bench, nodes, dist)

    off = meta["offline"]
    path = os.path.join(a.dir, "topo-offline.json")
    if off is not None and os.path.exists(path):
        topo, err = load(path)
        cpus = {c.get("id"): c for c in (topo or {}).get("cpus", [])}
        t.ok(cpus.get(off, {}).get("online") is False, "offline: topo --json marks CPU %d offline" % off,
             "got %r" % (cpus.get(off),))
        owner = [n["id"] for n in (topo or {}).get("nodes", []) if off in expand(n.get("cpus"))]
        t.ok(owner == [], "offline: no node lists CPU %d among its online CPUs" % off, "listed by %s" % owner)
    else:
        t.skip("no topo --json with a CPU offline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
