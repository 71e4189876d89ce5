#!/usr/bin/env python3
# pairs.py - wall time of two commands in alternating pairs (A B, B A, A B, ...), whole
# process each (posix_spawn to waitpid), output to /dev/null.  Timing only: never part of
# `make check`.  The bench scripts use it for numaplace against numactl, and in place of
# hyperfine where hyperfine is not installed.
#
#   bench/pairs.py [-n PAIRS] [-w WARMUP] [--env K=V ...] [--label A --label B] CMD_A ::: CMD_B
#
# Prints one line per command (mean, median, min in ms) and the ratio A/B of the medians and
# the median of the per-pair ratios; --json FILE also writes every time.
import argparse
import json
import os
import statistics as st
import sys
import time


def spawn_time(argv, env, devnull):
    """One run of @argv: seconds from spawn to reaped, and the exit status."""
    t0 = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, env,
                          file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1),
                                        (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status = os.waitpid(pid, 0)
    return (time.perf_counter_ns() - t0) / 1e9, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", "--pairs", type=int, default=40)
    ap.add_argument("-w", "--warmup", type=int, default=5)
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--label", action="append", default=[])
    ap.add_argument("--json")
    ap.add_argument("rest", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    rest = a.rest
    if ":::" not in rest:
        ap.error("two commands, separated by :::")
    i = rest.index(":::")
    cmds = [rest[:i], rest[i + 1:]]
    if not cmds[0] or not cmds[1]:
        ap.error("two commands, separated by :::")
    labels = (a.label + [" ".join(c) for c in cmds])[:2] if len(a.label) < 2 else a.label[:2]
    env = dict(os.environ)
    for kv in a.env:
        k, _, v = kv.partition("=")
        env[k] = v
    devnull = os.open(os.devnull, os.O_WRONLY)
    times = [[], []]
    for p in range(a.warmup + a.pairs):
        order = (0, 1) if p % 2 == 0 else (1, 0)
        pair = [0.0, 0.0]
        for k in order:
            t, rc = spawn_time(cmds[k], env, devnull)
            if rc != 0:
                sys.exit("%s: exit status %d" % (" ".join(cmds[k]), rc))
            pair[k] = t
        if p >= a.warmup:
            times[0].append(pair[0])
            times[1].append(pair[1])
    for k in range(2):
        x = times[k]
        print("  %-44s mean %7.3f ms  median %7.3f ms  min %7.3f ms" %
              (labels[k][:44], st.mean(x) * 1e3, st.median(x) * 1e3, min(x) * 1e3))
    ratios = [x / y for x, y in zip(times[0], times[1])]
    print("  ratio A/B: %.3f of the medians, %.3f median of %d pairs" %
          (st.median(times[0]) / st.median(times[1]), st.median(ratios), len(ratios)))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"labels": labels, "times": times}, f)


if __name__ == "__main__":
    main()
