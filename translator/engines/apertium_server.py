"""A per-user Apertium server that short-lived runs (pre-commit hooks) share.

A hook is a new process on every commit, and a re-run after a small edit would
spend most of its time starting Apertium's programs again.  With
``apertium_server = true`` (configuration) or ``Translator(apertium_server=True)``,
translation goes through this server instead: it keeps one
:class:`~translator.engines.apertium_pipe.ModePipeline` per mode loaded, listens
on a Unix socket in a folder only the user can open, and exits by itself after
``idle`` seconds without a request (15 minutes by default).  The first run starts
it; later runs find it.  ``translate server status|stop`` shows or stops it.

Only this user's processes take part: the folder must be this user's, mode 0700
and not a link (another local user could otherwise create ``/tmp/translator-UID``
first, receive every document and answer anything), the socket must be this
user's, and each side checks the other's uid (``SO_PEERCRED``) on every
connection.  Anything else is refused with :class:`NotPrivateError`, never used.

Protocol: one JSON object per connection, one JSON object back.
``{"mode": PATH, "documents": [HTML, ...]}`` -> ``{"outputs": [HTML, ...]}`` (each translated
alone, streamed through the programs together) or ``{"error": TEXT}``;
``{"command": "detect", ...}``: language detection for the run (:mod:`translator.detection_served`);
``{"command": "status"}`` -> ``{"pid": N, "modes": [...], "idle": S, ...}``;
``{"command": "stop"}`` -> ``{"stopped": true}``.
"""

from __future__ import annotations

import json
import os
import socket
import socketserver
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .. import __version__
from ..errors import EngineError, TranslatorError

DEFAULT_IDLE = 900.0
_START_TIMEOUT = 10.0
_MAX_REQUEST = 256 * 1024 * 1024
_BACKLOG = 128  # pending connections; pre-commit starts several hooks at once
_CONNECT_PATIENCE = 10.0  # seconds to keep retrying while the backlog is full


def runtime_dir() -> Path:
    """The private folder holding the socket: ``$TRANSLATOR_RUNTIME_DIR``, else
    ``$XDG_RUNTIME_DIR/translator``, else ``/tmp/translator-UID``."""
    explicit = os.environ.get("TRANSLATOR_RUNTIME_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isdir(xdg):
        return Path(xdg) / "translator"
    return Path(tempfile.gettempdir()) / f"translator-{os.getuid()}"


#: The protocol's version, in the socket's name with the package's: a client never talks to
#: a server that speaks another (2: many documents per request).
PROTOCOL = 2


def socket_path() -> Path:
    """One server per user, translator version and protocol (a new one starts its own)."""
    return runtime_dir() / f"apertium-{__version__}-p{PROTOCOL}.sock"


class NotPrivateError(EngineError):
    """The server's folder, socket or peer is not this user's alone, so it is not used."""


def _refuse(where: Path, problem: str) -> NotPrivateError:
    return NotPrivateError(f"{problem}; another user could read or answer your documents, so the Apertium "
                           "server will not use it: remove it, or set TRANSLATOR_RUNTIME_DIR to a private "
                           "folder of yours (mode 0700)", path=str(where))


def _not_yours(uid: int) -> str:
    return f"uid {uid}, not yours (uid {os.getuid()})"


def check_private(folder: Path, *, create: bool = False) -> None:
    """Refuse *folder* unless it is a real folder of this user that no other user can enter.

    Creates it (mode 0700) first when *create*; FileNotFoundError when it is absent
    otherwise.  ``lstat`` reads the entry itself, so a link is seen as a link.  A folder
    that passes cannot be swapped afterwards: only its owner (or root) can rename entries
    in a private or sticky parent (``/tmp``), and a world-writable parent is refused."""
    if create:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError as exc:
            raise EngineError(f"cannot create it ({exc.strerror}): set TRANSLATOR_RUNTIME_DIR to a private "
                              "folder of yours (mode 0700)", path=str(folder)) from None
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise _refuse(folder, "is a symbolic link" if stat.S_ISLNK(info.st_mode) else "is not a folder")
    if info.st_uid != os.getuid():
        raise _refuse(folder, f"belongs to {_not_yours(info.st_uid)}")
    if info.st_mode & 0o077:
        raise _refuse(folder, f"has mode {stat.S_IMODE(info.st_mode):04o}, open to other users")
    parent = os.stat(folder.parent).st_mode
    if parent & stat.S_IWOTH and not parent & stat.S_ISVTX:
        raise _refuse(folder, "is in a folder where any user can rename it (world-writable, not sticky)")


def _check_socket(path: Path) -> None:
    """Refuse a socket file that is not this user's (FileNotFoundError: no server)."""
    info = os.lstat(path)
    if not stat.S_ISSOCK(info.st_mode):
        raise _refuse(path, "is not a socket")
    if info.st_uid != os.getuid():
        raise _refuse(path, f"belongs to {_not_yours(info.st_uid)}")


def _peer_uid(sock: socket.socket) -> int:
    """The uid of the process at the other end of a connected Unix socket."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]  # struct ucred: pid, uid, gid


# --- client -------------------------------------------------------------------

def request(message: dict, *, path: Path | None = None, timeout: float = 600.0, limit: int = _MAX_REQUEST,
            patience: float | None = None) -> dict:
    """Send *message* to a running server; OSError when none answers within *timeout*
    seconds in all, or its answer is over *limit* bytes.  With *patience*: after that many
    seconds without a byte, the server must answer a status request on another connection
    (it does while busy), else :class:`Unresponsive` (a stopped or hung process).

    NotPrivateError, before a byte is sent, when the folder, the socket or the
    process listening is not this user's."""
    path = path or socket_path()
    check_private(path.parent)
    _check_socket(path)
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        _connect(sock, path)
        peer = _peer_uid(sock)
        if peer != os.getuid():
            raise _refuse(path, f"is served by a process of {_not_yours(peer)}")
        sock.sendall(json.dumps(message).encode("utf-8") + b"\n")
        sock.shutdown(socket.SHUT_WR)
        data = _read_all(sock, deadline, limit, patience, path)
    if not data:  # accepted by a server that was exiting (idle) before it answered
        raise ConnectionResetError(f"the Apertium server at {path} closed without answering")
    try:
        return json.loads(data)
    except ValueError:
        raise OSError(f"the Apertium server at {path} sent an unreadable answer") from None


def _connect(sock: socket.socket, path: Path) -> None:
    """Connect, waiting while the server's backlog is full.

    A Unix socket whose listen queue is full refuses at once with EAGAIN
    (``BlockingIOError``) when the client has a timeout; that means "busy",
    not "absent", so retry for a while instead of failing the request."""
    deadline = time.monotonic() + _CONNECT_PATIENCE
    delay = 0.005
    while True:
        try:
            sock.connect(str(path))
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


class Unresponsive(OSError):
    """The server neither answered nor answered a status request meanwhile (stopped, hung)."""


def _read_all(sock: socket.socket, deadline: float | None = None, limit: int = _MAX_REQUEST,
              patience: float | None = None, path: Path | None = None) -> bytes:
    """The whole answer on *sock*, by *deadline* (default: the socket's own timeout per read)."""
    chunks, size = [], 0
    deadline = deadline if deadline is not None else time.monotonic() + (sock.gettimeout() or 600.0)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the Apertium server at {path} did not answer in time")
        sock.settimeout(min(left, patience) if patience else left)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            if patience and time.monotonic() < deadline and _answers(path, timeout=min(5.0, patience)):
                continue  # busy, not stuck: keep waiting
            if patience:
                raise Unresponsive(f"the Apertium server at {path} does not answer (stopped or hung)") from None
            raise
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise OSError(f"the Apertium server at {path} sent more than {limit} bytes")
        chunks.append(chunk)


def ensure_running(*, path: Path | None = None, idle: float = DEFAULT_IDLE) -> Path:
    """Start the server unless one answers; return its socket path.

    Clients that race here take turns on a start lock, so one of them starts
    the server and the others find it (not one spawned process each)."""
    import fcntl

    path = path or socket_path()
    check_private(path.parent, create=True)
    if _answers(path):
        return path
    with open(path.with_suffix(".start.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _answers(path):  # another client started it while we waited
            return path
        _spawn(path, idle)
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if _answers(path):
                return path
            time.sleep(0.02)
    raise EngineError(f"the Apertium server did not start; see {path.with_suffix('.log')}")


def _answers(path: Path, timeout: float = 5.0) -> bool:
    try:
        request({"command": "status"}, path=path, timeout=timeout)
        return True
    except OSError:
        return False


def _spawn(path: Path, idle: float) -> None:
    log = open(path.with_suffix(".log"), "ab")  # noqa: SIM115 (handed to the child)
    try:
        subprocess.Popen([sys.executable, "-m", "translator.engines.apertium_server",
                          "--socket", str(path), "--idle", str(idle)],
                         stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                         start_new_session=True, close_fds=True)
    finally:
        log.close()


def translate(mode: str, document: str, *, path: Path | None = None) -> str:
    """Translate an HTML *document* with *mode* on the server (starting it if needed)."""
    return translate_each(mode, [document], path=path)[0]


#: Seconds without a byte of an answer after which a translating server must show it is alive.
PATIENCE = 10.0


class ServerStuck(EngineError):
    """The server stopped answering (a stopped or hung process): the caller may translate itself."""


def translate_each(mode: str, documents: list[str], *, path: Path | None = None) -> list[str]:
    """Translate each HTML document of *documents* alone with *mode*, in one request (one
    round trip: the programs take the documents one after another without waiting).
    :class:`ServerStuck` when the server does not answer, not even a status request."""
    path = path or socket_path()
    message = {"mode": mode, "documents": documents}
    try:
        try:
            answer = request(message, path=path, patience=PATIENCE)
        except (FileNotFoundError, ConnectionRefusedError, ConnectionResetError):  # none running, or it was exiting
            ensure_running(path=path)
            answer = request(message, path=path, patience=PATIENCE)
    except Unresponsive as exc:
        raise ServerStuck(str(exc)) from None
    except OSError as exc:
        raise EngineError(f"the Apertium server at {path} failed: {exc}") from None
    if "error" in answer:
        raise EngineError(answer["error"])
    outputs = answer.get("outputs")
    if not isinstance(outputs, list) or len(outputs) != len(documents):
        raise EngineError(f"the Apertium server at {path} answered {len(outputs or [])} documents "
                          f"for {len(documents)}")
    return outputs


# --- server -------------------------------------------------------------------

class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    request_queue_size = _BACKLOG

    def __init__(self, path: Path, idle: float) -> None:
        super().__init__(str(path), _Handler)
        self.idle = idle
        self.started = time.time()
        self.last = time.monotonic()
        self.requests = 0
        self.detections = 0  # requests of detection_served
        self.active = 0
        self.stopping = False
        self.pipelines: dict[str, object] = {}
        self.guard = threading.Lock()  # counters
        self.starting = threading.Lock()  # the pipelines table

    def pipeline(self, mode: str):
        from .apertium_pipe import ModePipeline

        if not mode.endswith(".mode") or not os.path.isfile(mode):
            raise EngineError(f"{mode}: not an Apertium mode file")
        with self.starting:
            current = self.pipelines.get(mode)
            stat = os.stat(mode)
            if current is not None and (not current.alive
                                        or current.identity != (stat.st_size, stat.st_mtime_ns)):
                current.close()  # the pair was upgraded, or a program died: start afresh
                current = None
            if current is None:
                current = self.pipelines[mode] = ModePipeline(mode)
            return current

    def answer(self, message: dict) -> dict:
        command = message.get("command")
        if command == "status":
            return {"pid": os.getpid(), "version": __version__, "modes": sorted(self.pipelines),
                    "requests": self.requests, "detections": self.detections, "idle_timeout": self.idle,
                    "uptime": round(time.time() - self.started, 1)}
        if command == "stop":
            self.stopping = True  # once this answer is written (see _Handler)
            return {"stopped": True}
        if command == "detect":
            from ..detection_served import answer

            with self.guard:
                self.detections += 1
            return answer(message)
        if command is not None:
            return {"error": f"unknown command {command!r}"}
        try:
            pipe = self.pipeline(str(message["mode"]))
            documents = message["documents"]
            if not isinstance(documents, list):
                return {"error": "documents: not a list"}
            return {"outputs": pipe.translate_each([str(d) for d in documents])}
        except (KeyError, EngineError) as exc:
            return {"error": str(exc) if isinstance(exc, EngineError) else f"missing field {exc}"}

    def close_all(self) -> None:
        with self.starting:
            for pipe in self.pipelines.values():
                pipe.close()
            self.pipelines.clear()


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        if _peer_uid(self.request) != os.getuid():
            return  # another user reached the socket (the folder should prevent it): no answer
        server: _Server = self.server  # type: ignore[assignment]
        with server.guard:
            server.active += 1
        try:
            self._answer(server)
        finally:
            with server.guard:
                server.active -= 1
                server.last = time.monotonic()

    def _answer(self, server: _Server) -> None:
        data = self.rfile.read(_MAX_REQUEST)
        try:
            message = json.loads(data)
            if not isinstance(message, dict):
                raise ValueError
        except ValueError:
            answer = {"error": "not a JSON object"}
        else:
            answer = server.answer(message)
        server.requests += 1
        self.wfile.write(json.dumps(answer).encode("utf-8"))
        self.wfile.flush()
        if server.stopping:
            threading.Thread(target=server.shutdown, daemon=True).start()


def serve(path: Path, idle: float = DEFAULT_IDLE) -> int:
    """Listen on *path* until stopped or idle; 0 also when another server won the start."""
    import fcntl

    check_private(path.parent, create=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one server starts at a time
        if _answers(path):
            return 0  # another process started one first
        path.unlink(missing_ok=True)  # left by a server that died
        server = _Server(path, idle)
        os.chmod(path, 0o600)
        inode = os.stat(path).st_ino
    watchdog = threading.Thread(target=_watch, args=(server,), daemon=True)
    watchdog.start()
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        deadline = time.monotonic() + 10
        while server.active and time.monotonic() < deadline:  # let answers in progress finish
            time.sleep(0.01)
        server.server_close()
        server.close_all()
        try:
            if os.stat(path).st_ino == inode:  # not a successor's socket
                path.unlink()
        except OSError:
            pass
    return 0


def _watch(server: _Server) -> None:
    while True:
        time.sleep(min(1.0, server.idle / 4))
        with server.guard:
            idle = not server.active and time.monotonic() - server.last > server.idle
        if idle:
            server.shutdown()
            return


def main(argv: list[str] | None = None) -> int:
    import argparse  # the server's own command line; its clients do not need it

    parser = argparse.ArgumentParser(prog="python -m translator.engines.apertium_server",
                                     description="Keep Apertium modes loaded for short-lived runs.")
    parser.add_argument("--socket", type=Path, default=None, help="socket path (default: %(default)s)")
    parser.add_argument("--idle", type=float, default=DEFAULT_IDLE, help="exit after this many idle seconds")
    args = parser.parse_args(argv)
    try:
        return serve(args.socket or socket_path(), args.idle)
    except TranslatorError as exc:  # into the log the client names
        print(exc, file=sys.stderr)
        return int(exc.exit_code)


if __name__ == "__main__":
    sys.exit(main())
