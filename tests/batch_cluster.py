"""A two-node Ray cluster on this machine, on the loopback interface, for the batch tests.

    python tests/batch_cluster.py CPUS_HEAD CPUS_WORKER

Starts a head node and a second node (each its own raylet process, with its own share of
the CPUs) through ``ray.cluster_utils.Cluster``, prints one JSON line (the address, and
the pid of the second node's raylet), then waits: the cluster stops when stdin closes.
``ray start --address`` cannot join a head on 127.0.0.1 (Ray resolves the loopback address
to the machine's network address); the benchmark uses the real ``ray start`` commands.
"""

from __future__ import annotations

import json
import os
import sys

os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # before Ray is imported: every node on 127.0.0.1


def main() -> None:
    from ray.cluster_utils import Cluster

    head_cpus, worker_cpus = (int(a) for a in sys.argv[1:3])
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": head_cpus, "include_dashboard": False})
    worker = cluster.add_node(num_cpus=worker_cpus)
    raylet = worker.all_processes["raylet"][0].process.pid
    print(json.dumps({"address": cluster.address, "worker_raylet": raylet}), flush=True)
    sys.stdin.read()
    cluster.shutdown()


if __name__ == "__main__":
    main()
