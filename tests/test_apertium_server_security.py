"""The Apertium server talks to this user only: folders, sockets and listeners of
another user are refused before a byte of a document leaves.

A real second user: these tests run as root (as here and in CI) and start the
hostile side in a process that drops to uid/gid 65534 ("nobody").  The hostile
listener records every byte it receives and answers "HIJACKED" to anything.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from translator import __version__
from translator.engines import apertium_server
from translator.engines.apertium_server import PROTOCOL, NotPrivateError
from translator.hooks import sync_main

from .conftest import needs_apertium

NOBODY = 65534
SECRET = "<p>Le code secret est 4321.</p>"
SOCKET_NAME = f"apertium-{__version__}-p{PROTOCOL}.sock"  # the name clients look for
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="acting as a second user (uid 65534) needs root")

# Run by a fresh interpreter: modules are imported while still root, then the
# process becomes nobody for good (setgroups, setgid, setuid) before it creates
# anything or listens, so files and SO_PEERCRED say 65534.
_DROP = ("import json, os, socket, sys, threading\n"
         f"os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY})\n"
         f"assert os.getuid() == os.geteuid() == {NOBODY}\n")

_LISTENER = _DROP + """
path, fd, folder_mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 8)
if fd >= 0:  # bound by root in a place nobody could write: listen as nobody
    listener = socket.socket(fileno=fd)
else:
    folder = os.path.dirname(path)
    if folder_mode and not os.path.isdir(folder):
        os.mkdir(folder)
        os.chmod(folder, folder_mode)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o777)
listener.listen(16)
received = []

def serve():
    while True:
        conn, _ = listener.accept()
        data = b""
        with conn:
            conn.settimeout(30)
            try:
                while chunk := conn.recv(65536):
                    data += chunk
            except OSError:
                pass
            received.append(data.decode("latin-1"))  # before answering: the probe waits for the answer
            try:
                conn.sendall(json.dumps({"output": "HIJACKED", "pid": 1, "modes": [], "requests": 0,
                                         "idle_timeout": 1, "uptime": 0}).encode())
            except OSError:
                pass

threading.Thread(target=serve, daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
print(json.dumps({"connections": len(received), "received": "".join(received)}), flush=True)
"""


class Hostile:
    """A listener run by uid 65534 on *path*; :meth:`finish` says what reached it."""

    def __init__(self, path: Path, *, bound: socket.socket | None = None, folder_mode: int = 0) -> None:
        fd = bound.fileno() if bound is not None else -1
        self.path = path
        command = [sys.executable, "-I", "-c", _LISTENER, str(path), str(fd), f"{folder_mode:o}"]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd="/",
                                     pass_fds=[fd] if fd >= 0 else [])
        if bound is not None:
            bound.close()  # the listener has its own copy
        assert self.proc.stdout.readline().strip() == "ready"

    def probe(self) -> None:
        """Prove the listener was there all along: a raw client's bytes reach it."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(30)
            sock.connect(str(self.path))
            sock.sendall(b"probe")
            sock.shutdown(socket.SHUT_WR)
            assert b"HIJACKED" in sock.recv(65536)

    def finish(self) -> dict:
        """Stop it; what it received besides the probe (which must have arrived)."""
        self.probe()
        out, _ = self.proc.communicate("", timeout=60)
        report = json.loads(out)
        assert report["received"].endswith("probe")
        report["received"] = report["received"][:-len("probe")]
        report["connections"] -= 1
        return report


@pytest.fixture
def hostile():
    started: list[Hostile] = []

    def start(path: Path, **options) -> Hostile:
        started.append(Hostile(path, **options))
        return started[-1]

    yield start
    for listener in started:
        if listener.proc.poll() is None:
            listener.proc.kill()
            listener.proc.wait()


@pytest.fixture
def shared_tmp():
    """A /tmp-like folder (mode 1777, root's) where uid 65534 can create things too."""
    folder = Path(tempfile.mkdtemp(prefix="translator-test-shared-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _nobody_mkdir(folder: Path, mode: int) -> None:
    _as_nobody(f"os.mkdir({str(folder)!r}); os.chmod({str(folder)!r}, {mode})")


def _as_nobody(code: str, *args: str) -> str:
    """Run Python *code* as uid 65534; what it printed."""
    return subprocess.run([sys.executable, "-I", "-c", _DROP + code, *args], cwd="/", check=True,
                          capture_output=True, text=True, timeout=60).stdout


def _bound_in(folder: Path) -> socket.socket:
    """A socket root binds in *folder* (root's file), for a nobody process to listen on."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(folder / SOCKET_NAME))
    return sock


def _private(tmp_path: Path) -> Path:
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    return folder


def _refused(monkeypatch, folder: Path) -> str:
    """Translate through the server in *folder*; the one line it is refused with."""
    monkeypatch.setenv("TRANSLATOR_RUNTIME_DIR", str(folder))
    with pytest.raises(NotPrivateError) as caught:
        apertium_server.translate("/usr/share/apertium/modes/fr-es.mode", SECRET)
    line = str(caught.value)
    assert "\n" not in line and line.endswith("remove it, or set TRANSLATOR_RUNTIME_DIR to a private "
                                              "folder of yours (mode 0700)")
    return line


@pytest.mark.parametrize("mode", [0o777, 0o700])
def test_a_folder_of_another_user_is_refused(shared_tmp, hostile, monkeypatch, mode):
    folder = shared_tmp / "translator-0"
    listener = hostile(folder / SOCKET_NAME, folder_mode=mode)  # nobody made the folder first
    line = _refused(monkeypatch, folder)
    assert line.startswith(f"{folder}: belongs to uid {NOBODY}, not yours (uid 0); another user could read")
    assert listener.finish() == {"connections": 0, "received": ""}
    assert sorted(p.name for p in folder.iterdir()) == [SOCKET_NAME]  # nothing of ours was created there


def test_a_folder_of_ours_that_others_can_enter_is_refused(shared_tmp, hostile, monkeypatch):
    folder = shared_tmp / "translator-0"
    folder.mkdir()
    folder.chmod(0o777)
    listener = hostile(folder / SOCKET_NAME)  # nobody planted a socket in it
    assert _refused(monkeypatch, folder).startswith(f"{folder}: has mode 0777, open to other users; ")
    assert listener.finish() == {"connections": 0, "received": ""}


def test_a_folder_that_is_a_symbolic_link_is_refused(tmp_path, shared_tmp, hostile, monkeypatch):
    target = _private(tmp_path)  # would pass every other check of the folder and the socket
    listener = hostile(target / SOCKET_NAME, bound=_bound_in(target))
    theirs = shared_tmp / "theirs"
    _nobody_mkdir(theirs, 0o755)
    link = theirs / "run"
    _as_nobody(f"os.symlink({str(target)!r}, {str(link)!r})")
    assert _refused(monkeypatch, link).startswith(f"{link}: is a symbolic link; ")
    with pytest.raises(NotPrivateError, match="is a symbolic link"):  # nor started there
        apertium_server.ensure_running()
    assert listener.finish() == {"connections": 0, "received": ""}
    assert sorted(p.name for p in target.iterdir()) == [SOCKET_NAME]


def test_a_socket_of_another_user_in_our_folder_is_refused(tmp_path, hostile, monkeypatch):
    folder = _private(tmp_path)
    bound = _bound_in(folder)
    os.chown(folder / SOCKET_NAME, NOBODY, NOBODY)
    listener = hostile(folder / SOCKET_NAME, bound=bound)
    line = _refused(monkeypatch, folder)
    assert line.startswith(f"{folder / SOCKET_NAME}: belongs to uid {NOBODY}, not yours (uid 0); ")
    assert listener.finish() == {"connections": 0, "received": ""}


def test_a_listener_of_another_user_is_refused_before_anything_is_sent(tmp_path, hostile, monkeypatch):
    folder = _private(tmp_path)  # our folder, our socket file: only the process listening is not ours
    listener = hostile(folder / SOCKET_NAME, bound=_bound_in(folder))
    line = _refused(monkeypatch, folder)
    assert line.startswith(f"{folder / SOCKET_NAME}: is served by a process of uid {NOBODY}, not yours (uid 0); ")
    with pytest.raises(NotPrivateError, match="is served by a process of uid 65534"):
        apertium_server.request({"command": "status"}, path=folder / SOCKET_NAME)
    assert listener.finish() == {"connections": 2, "received": ""}  # connected, then told nothing


def test_the_server_does_not_start_in_a_folder_of_another_user(shared_tmp, capsys):
    folder = shared_tmp / "translator-0"
    _nobody_mkdir(folder, 0o777)
    assert apertium_server.main(["--socket", str(folder / SOCKET_NAME), "--idle", "1"]) == 6
    assert capsys.readouterr().err.startswith(f"{folder}: belongs to uid {NOBODY}, not yours (uid 0); ")
    assert list(folder.iterdir()) == []  # no lock, no log, no socket


def test_the_server_answers_no_process_of_another_user(shared_tmp):
    folder = shared_tmp / "reachable"
    folder.mkdir()
    folder.chmod(0o777)  # as if the folder check had been bypassed
    path = folder / "s.sock"
    server = apertium_server._Server(path, 60)
    path.chmod(0o777)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        ask = ("s = socket.socket(socket.AF_UNIX); s.settimeout(30); s.connect(sys.argv[1])\n"
               "answer = b''\n"
               "try:\n"
               "    s.sendall(b'{\"command\": \"status\"}'); s.shutdown(socket.SHUT_WR)\n"
               "    while chunk := s.recv(65536): answer += chunk\n"
               "except ConnectionError: pass\n"  # the server closed first, our request unread
               "print(len(answer))\n")
        assert _as_nobody(ask, str(path)) == "0\n" and server.requests == 0
        with socket.socket(socket.AF_UNIX) as ours:  # the same request from this user is answered
            ours.connect(str(path))
            ours.sendall(b'{"command": "status"}')
            ours.shutdown(socket.SHUT_WR)
            assert json.loads(apertium_server._read_all(ours))["pid"] == os.getpid()
        assert server.requests == 1
    finally:
        server.shutdown()
        server.server_close()


@needs_apertium
def test_a_hook_refuses_the_default_folder_taken_first_by_another_user(tmp_path, shared_tmp, hostile,
                                                                        monkeypatch, capsys, isolated_home):
    """The audit's case: no XDG_RUNTIME_DIR, ``/tmp/translator-UID`` created first by another user."""
    monkeypatch.delenv("TRANSLATOR_RUNTIME_DIR")
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(shared_tmp))
    folder = shared_tmp / f"translator-{os.getuid()}"
    assert apertium_server.runtime_dir() == folder
    listener = hostile(folder / SOCKET_NAME, folder_mode=0o777)
    repo = tmp_path / "repo"
    (repo / "content" / "fr").mkdir(parents=True)
    (repo / "content" / "fr" / "a.md").write_text("Le code secret est 4321.\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text('[tool.translator]\nsource_language = "fr"\nsources = ["content/fr/*.md"]\n'
                                         'targets = ["es"]\noutput = "content/{lang}/{path}"\nengine = "apertium"\n'
                                         "apertium_server = true\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    assert sync_main([]) == 6
    assert capsys.readouterr().err.splitlines() == [
        f"{folder}: belongs to uid {NOBODY}, not yours (uid 0); another user could read or answer your documents, "
        "so the Apertium server will not use it: remove it, or set TRANSLATOR_RUNTIME_DIR to a private folder "
        "of yours (mode 0700)"]
    assert not (repo / "content" / "es").exists()
    # the fix the line names works: a private folder of ours (the one conftest cleans up)
    monkeypatch.setenv("TRANSLATOR_RUNTIME_DIR", str(isolated_home / "run"))
    assert sync_main([]) == 1  # outputs written: pre-commit's "files were modified"
    assert (repo / "content" / "es" / "a.md").read_text(encoding="utf-8").startswith("El código secreto")
    assert listener.finish() == {"connections": 0, "received": ""}
