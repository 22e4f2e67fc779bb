#!/usr/bin/env python3
"""CPU per review of a webhook server, split into disjoint parts (async-profiler collapsed stacks).

    bench/profile/partition.py A.collapsed [B.collapsed ...]

Each sample goes to one part, so the parts add up to the whole (unlike shares.py's nested shares): to
a part of WHOLE_THREAD when any frame belongs to it, else to the part of its innermost frame that
belongs to a part other than ROUTING, else to ROUTING's innermost. So the answer written from a handler counts as TLS and sockets, the decode as the
decode and not the route that called it. The informers' own TLS (the watch streams' decryption runs
before their frames appear) counts as TLS. The JIT compiler threads are left out.
With A.collapsed.requests (the number of reviews answered while profiling; review-cpu.sh and the
pod-create bench's BENCH_PROFILE_DIR write it), figures are µs of CPU per review (a sample is 1 ms).
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shares import samples  # noqa: E402 (beside this script)

PARTS = [
    ("informers (watch events, fabric8 and its HTTP client)", ["io/fabric8", "okhttp3", "InformerReachSource", "WatcherToggle"]),
    ("decision log, its own thread", ["DecisionLog$Console.run"]),
    ("reachability preview and invariants (ReachAdmission, on a worker thread)", ["ReachAdmission"]),
    ("decode the review (strict Jackson tree)", ["AdmissionReviewDecoder.decode"]),
    ("NetworkPolicy bound to the model (fabric8 classes)", ["NetworkPolicyBinder"]),
    ("guardrail rules (NetworkPolicyJudge)", ["NetworkPolicyJudge", "GuardrailEvaluator"]),
    ("decide and answer (handlers, patch, encode)", ["PodMutationHandler", "PodValidationHandler", "WorkloadHandler", "NetworkPolicyHandler",
                                                     "AdmissionReviewEncoder", "JsonPatches"]),
    ("decision log line, built on the event loop", ["AdmissionServer.logDecision"]),
    ("metrics", ["AdmissionMetrics", "io/micrometer"]),
    ("client certificate names, per request", ["ClientCertificates.check"]),
    ("TLS", ["sun/security/ssl", "com/sun/crypto"]),
    ("HTTP codec", ["HttpObjectDecoder.decode", "HttpObjectEncoder.encode", "DefaultHttp2FrameReader", "DefaultHttp2FrameWriter", "HpackDecoder",
                    "HpackEncoder"]),
    ("sockets and the event loop's wait", ["SocketChannelImpl", "SelectorImpl", "epoll"]),
    ("idgate's route (body, memory budget, filters)", ["io/idgate/admission"]),
    ("Quarkus and Vert.x web routing, response wrappers", ["io/vertx/ext/web", "io/quarkus/vertx/http", "io/vertx/core/http"]),
    ("GC", ["GCTaskThread", "G1", "VM_GenCollect", "GenCollectedHeap"]),
]


WHOLE_THREAD = {"informers (watch events, fabric8 and its HTTP client)", "decision log, its own thread", "GC",
                "reachability preview and invariants (ReachAdmission, on a worker thread)"}
ROUTING = {"idgate's route (body, memory budget, filters)", "Quarkus and Vert.x web routing, response wrappers"}


def part_of(frames):
    for name, keys in PARTS:
        if name in WHOLE_THREAD and any(k in f for f in frames for k in keys):
            return name
    for among in ([n for n, _ in PARTS if n not in WHOLE_THREAD | ROUTING], [n for n, _ in PARTS if n in ROUTING]):
        for frame in reversed(frames):
            for name, keys in PARTS:
                if name in among and any(k in frame for k in keys):
                    return name
    return "other"


def partition(path):
    counts = collections.Counter()
    total = 0
    for stack, n in samples(path):
        total += n
        counts[part_of(stack.split(";"))] += n
    try:
        with open(path + ".requests") as f:
            scale = 1000.0 / int(f.read().strip())
            unit = "µs"
    except (OSError, ValueError):
        scale = 100.0 / max(total, 1)
        unit = "%"
    return {name: counts[name] * scale for name in [p for p, _ in PARTS] + ["other"]}, total * scale, unit


def main(paths):
    columns = [partition(p) for p in paths]
    print("| part | " + " | ".join(paths) + " |")
    print("|---|" + "---:|" * len(paths))
    for name in [p for p, _ in PARTS] + ["other"]:
        print(f"| {name} | " + " | ".join(f"{c[0][name]:.0f} {c[2]}" for c in columns) + " |")
    print("| **all** | " + " | ".join(f"**{c[1]:.0f} {c[2]}**" for c in columns) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1:])
