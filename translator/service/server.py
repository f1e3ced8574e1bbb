"""Running the service: the socket bound here (so ``--port 0`` can say which port it got),
uvicorn serving it in this process or in ``--workers`` processes, SIGTERM handled gracefully:
the socket closes, requests in flight finish (within ``--shutdown-timeout``), the process exits."""

from __future__ import annotations

import math
import os
import shutil
import signal
import socket
import sys
from dataclasses import replace

from ..errors import EngineError, UsageError
from .files import make_folder
from .options import ENVIRONMENT, ServiceOptions

FACTORY = "translator.service.app:app_from_environment"


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to *host*:*port* (raises :class:`UsageError` when that fails)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, IndexError) as exc:
        raise UsageError(f"cannot serve on {host}: {exc}") from None
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}: pick another --port") from None
    sock.set_inheritable(True)
    return sock


def public_warning(options: ServiceOptions) -> str | None:
    if options.is_public() and not options.api_keys:
        return (f"warning: serving on {options.host} without API keys: anyone who can reach this address can "
                "use this server; add --api-keys FILE, or serve on 127.0.0.1 behind a proxy")
    return None


def uvicorn_config(options: ServiceOptions):
    import uvicorn

    return uvicorn.Config(
        FACTORY, factory=True, workers=options.workers, lifespan="on", log_level="warning",
        access_log=False, server_header=False, timeout_keep_alive=5,
        timeout_graceful_shutdown=max(1, math.ceil(options.shutdown_timeout)),
        proxy_headers=options.forwarded_allow_ips is not None,
        forwarded_allow_ips=options.forwarded_allow_ips,
    )


#: The open files a server asks for (its soft limit raised up to the hard one): each connection
#: is a descriptor, and a burst of a thousand would leave none for the engines' pipes under the
#: usual soft limit of 1024 (then every request in flight fails).
OPEN_FILES = 65536


def raise_open_files(wanted: int = OPEN_FILES) -> int:
    """Raise this process's soft limit of open files toward *wanted* (never above the hard
    limit, never lowered); the soft limit now in force."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < ceiling:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))
            soft = ceiling
        except (ValueError, OSError):
            pass  # a platform that refuses: serve with what there is
    return soft


def run(options: ServiceOptions) -> None:
    """Serve until SIGTERM or SIGINT."""
    warning = public_warning(options)
    if warning:
        print(warning, file=sys.stderr)
    raise_open_files()  # before the workers start: they inherit it
    sock = bind(options.host, options.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"translate serve: listening on http://{shown}:{port} ({options.workers} worker"
          f"{'s' if options.workers > 1 else ''}, engine {options.engine})", file=sys.stderr, flush=True)
    # uvicorn re-raises SIGTERM once it has shut down: exit through Python (143) so that the
    # folder below is removed, rather than die from the signal.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    folder = make_folder()  # one private folder for the translated files of every worker
    options = replace(options, files_folder=str(folder))
    os.environ[ENVIRONMENT] = options.to_json()  # read by each worker's app factory
    config = uvicorn_config(options)
    try:
        if options.workers > 1:
            from uvicorn.supervisors import Multiprocess

            Multiprocess(config, sockets=[sock]).run()
        else:
            import uvicorn

            server = uvicorn.Server(config)
            server.run(sockets=[sock])
            if not server.started:
                raise EngineError("the service could not start: see the error above")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
