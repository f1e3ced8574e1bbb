"""Starting or joining Ray, keeping it quiet, and sizing the pool of translating actors.

With no cluster named (``--cluster`` or ``RAY_ADDRESS``), a local Ray instance is started
for the run with this machine's cores, no dashboard, every server on the loopback
interface, and shut down at the end.  With one, the run joins it as a driver.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

INSTALL = "translate batch runs on Ray, which is not installed: pip install 'translator[batch]'"
#: Ray reads it when it is imported: "0" makes a local instance's address 127.0.0.1, so its
#: servers listen on the loopback interface only (a local instance needs no network).
LOOPBACK = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
GCS_WAIT = "RAY_gcs_server_port_wait_time_s"
#: Passed on to the workers of a cluster, so that they find the same models.
FORWARDED = ("ARGOS_PACKAGES_DIR",)


def import_ray():
    """``ray`` with Ray Data, or :class:`UsageError` saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL) from None
    return ray


@dataclass(frozen=True)
class Resources:
    cpus: float
    gpus: float
    embedded: bool
    one_host: bool  # every node runs on the driver's machine


@dataclass(frozen=True)
class Pool:
    """The translating actors: how many, and what each reserves and uses."""

    workers: int
    threads: int  # CTranslate2 threads per actor
    cpus: float
    gpus: float
    calls: int = 1  # calls an actor runs at once


#: Calls a neural actor runs at once.  CTranslate2 spreads a call's batches over its parallel
#: translators, and the last batch of a call leaves the others idle: a second call fills them
#: (997 Chinese articles, one worker on 2 cores, runs alternated: 192.8 and 193.3 s with calls of
#: 128 articles two at a time, against 206.3 and 198.5 s with calls of 64 one at a time: 4.6%
#: less).  Apertium actors run one.
NEURAL_CALLS = 2


def size_pool(resources: Resources, *, neural: bool, workers: int | None = None, device: str = "cpu",
              memory: bool = False) -> Pool:
    """One actor per two cores for Argos (each with two CTranslate2 threads), one per core
    for Apertium, one per GPU with ``device="cuda"``; *workers* overrides the count.  Neural
    actors run :data:`NEURAL_CALLS` calls at once, except with a translation *memory* (one
    SQLite connection per actor, used by one call at a time)."""
    calls = NEURAL_CALLS if neural and not memory else 1
    if device == "cuda":
        if resources.gpus < 1:
            raise UsageError("--device cuda: the Ray cluster has no GPU (start its nodes with "
                             "'ray start --num-gpus N'), or leave --device out")
        return Pool(workers or int(resources.gpus), 1, 1.0, 1.0, calls)
    cpus = max(resources.cpus, 1.0)
    count = workers or max(1, int(cpus // 2) if neural else int(cpus))
    share = math.floor(cpus / count * 1000) / 1000  # the actors always fit, even with more than cores
    return Pool(count, max(1, int(share)) if neural else 1, share, 0.0, calls)


@contextmanager
def session(address: str | None, *, log: Path | None = None) -> Iterator[Resources]:
    """Ray for one run: joined at *address* (or ``RAY_ADDRESS``), else started locally and
    stopped at the end.  With *log*, everything Ray prints goes there, not to the terminal."""
    address = address or os.environ.get("RAY_ADDRESS") or None
    embedded = address is None
    added = {}
    if embedded and "ray" not in sys.modules:
        added[LOOPBACK] = "0"
    if embedded:  # Ray waits 30 s for its GCS server to start: too little on a busy machine
        added[GCS_WAIT] = "120"
    added = {k: v for k, v in added.items() if k not in os.environ}
    os.environ.update(added)
    try:
        ray = import_ray()
        context = ray.data.DataContext.get_current()
        before = _configure(context)
        try:
            with _output_to(log):
                _init(ray, address)
                try:
                    yield _resources(ray, embedded)
                finally:
                    ray.shutdown()
        finally:
            for name, value in before.items():
                setattr(context, name, value)
    finally:
        for key in added:
            os.environ.pop(key, None)


def _init(ray, address: str | None) -> None:
    options = {"logging_level": logging.ERROR, "log_to_driver": False}
    env = {k: os.environ[k] for k in FORWARDED if k in os.environ}
    if env:
        options["runtime_env"] = {"env_vars": env}
    if address is None:  # "local": a new instance, even if 'ray start' runs one on this machine
        ray.init(address="local", num_cpus=os.cpu_count() or 1, include_dashboard=False, **options)
        return
    _reachable(address)
    try:
        ray.init(address=address, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:300]
        raise UsageError(f"cannot join the Ray cluster at {address}: {reason}") from None


def _reachable(address: str, timeout: float = 10) -> None:
    """A HOST:PORT address that nothing answers on is refused now: Ray would retry for ever."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "://" in address:
        return  # "auto", "ray://...": Ray finds or checks it
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise UsageError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}: check the address "
                         "('ray status' on the head node shows it)") from None


#: Ray Data settings for a run (restored after it).  Blocks of 16 KiB instead of 128 MiB: a
#: part is read as one batch, and an actor yields its results when its buffer passes this size;
#: small blocks bring results back batch by batch (progress, and little work lost with an actor)
#: and keep a part from being one block handed to one actor.
SETTINGS = {"enable_progress_bars": False, "print_on_execution_start": False,
            "enable_operator_progress_bars": False, "target_max_block_size": 16 * 1024}


def _configure(context) -> dict:
    """Apply :data:`SETTINGS` (no progress bars nor banners from Ray Data) and keep only Ray's
    errors in the log; return the values replaced."""
    before = {}
    for name, value in SETTINGS.items():
        if hasattr(context, name):
            before[name] = getattr(context, name)
            setattr(context, name, value)
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return before


def _resources(ray, embedded: bool) -> Resources:
    total = ray.cluster_resources()
    here = ray.util.get_node_ip_address()
    hosts = {n["NodeManagerAddress"] for n in ray.nodes() if n.get("Alive")}
    return Resources(float(total.get("CPU", 0)), float(total.get("GPU", 0)), embedded, hosts <= {here})


@contextmanager
def _output_to(log: Path | None) -> Iterator[None]:
    """Send file descriptors 1 and 2 to *log* for the block: Ray's C++ core writes to them
    directly, and the driver prints its cluster's events (a worker killed, a node lost)."""
    if log is None:
        yield
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    target = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.dup2(target, 1)
        os.dup2(target, 2)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in zip((1, 2), saved):
            os.dup2(copy, fd)
            os.close(copy)
        os.close(target)
