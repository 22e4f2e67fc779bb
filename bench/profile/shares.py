#!/usr/bin/env python3
"""Shares of a review's parts in async-profiler collapsed stacks (bench/profile/review-cpu.sh).

    bench/profile/shares.py A.collapsed [B.collapsed]

A part's share counts every sample whose stack passes through it, of all samples outside the JIT
compiler threads (a warm server compiles little; a profile that starts early would count it). With
the number of reviews answered while profiling in A.collapsed.requests (review-cpu.sh writes it),
the CPU per review too: samples are 1 ms of CPU each.
"""
import collections
import sys

PARTS = [
    ("everything on the event loops", ["NioEventLoop.run"]),
    ("  decode the review (Jackson tree, strict)", ["AdmissionReviewDecoder.decode"]),
    ("  decide (lookup, derive, diff)", ["PodMutationHandler.handle"]),
    ("    of which derive the keys", ["IdentityDeriver.derive"]),
    ("    of which group membership", ["groupsOf"]),
    ("  JSON Patch", ["JsonPatches"]),
    ("  encode the answer", ["AdmissionReviewEncoder"]),
    ("  metrics", ["AdmissionMetrics"]),
    ("  decision log, on the event loop", ["AdmissionServer.logDecision"]),
    ("  HTTP routing and security handlers (Quarkus)", ["RouterImpl.handle"]),
    ("  socket writes (kernel included)", ["SocketChannelImpl.write"]),
    ("decision log, its own thread", ["AsyncHandler$AsyncTask.run", "DecisionLog$Console.run"]),
    ("GC", ["GCTaskThread", "G1"]),
]
JIT = ("CompileBroker", "C2Compiler", "C1Compiler")


def samples(path):
    """(stack, count) of each line of a collapsed profile, the JIT compiler threads left out."""
    with open(path) as f:
        for line in f:
            stack, _, n = line.rstrip().rpartition(" ")
            if not any(j in stack for j in JIT):
                yield stack, int(n)


def shares(path):
    total = 0
    counts = collections.Counter()
    for stack, n in samples(path):
        total += n
        for name, keys in PARTS:
            if any(k in stack for k in keys):
                counts[name] += n
    out = {name: 100.0 * counts[name] / max(total, 1) for name, _ in PARTS}
    try:
        with open(path + ".requests") as f:
            out["cpu"] = 1000.0 * total / int(f.read().strip())
    except (OSError, ValueError):
        pass
    return out


def main(paths):
    columns = [shares(p) for p in paths]
    print("| part | " + " | ".join(paths) + " |")
    print("|---|" + "---:|" * len(paths))
    for name, _ in PARTS:
        label = name.strip()
        indent = (len(name) - len(name.lstrip())) // 2
        print("| " + "&nbsp;&nbsp;" * indent + label + " | " + " | ".join("%.1f %%" % c[name] for c in columns) + " |")
    if all("cpu" in c for c in columns):
        print("| **CPU per review** (all threads, JIT aside) | " + " | ".join("**%.0f µs**" % c["cpu"] for c in columns) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
