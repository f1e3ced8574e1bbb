"""Long-lived Apertium: null-flush pipelines and the per-user server hooks share."""

from __future__ import annotations

import html
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from translator import Translator
from translator.cli import main
from translator.engines import apertium_server
from translator.engines.apertium import ApertiumEngine
from translator.engines.apertium_pipe import ModePipeline, deformat, pipeline_commands, plain_paragraphs, reformat
from translator.errors import EngineError

from .conftest import flores, needs_apertium, needs_flores

MODE = Path("/usr/share/apertium/modes/fr-es.mode")
pytestmark = needs_apertium


def _doc(lines: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines)


def _wrapper(doc: str, mode: str = "fr-es") -> str:
    return subprocess.run(["apertium", "-f", "html", mode], input=doc, capture_output=True,
                          text=True, check=True).stdout


def _wait_gone(path: Path, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not path.exists():
            return True
        time.sleep(0.05)
    return False


def test_pipeline_commands_are_the_null_flush_mode():
    commands = pipeline_commands(MODE)
    assert commands[0][:2] == ["lt-proc", "-z"]
    assert all("-z" in c for c in commands if c[0] not in ("apertium-wblank-attach", "apertium-wblank-detach"))
    assert not any("$1" in w or "$2" in w for c in commands for w in c)
    assert ["-g"] == [w for w in commands[-2] if w == "-g"]  # the generator marks untranslatable words


@needs_flores
def test_pipeline_output_is_what_the_apertium_command_prints():
    lines = flores("fra", 0, 60) + ["Prix : 5 $ [sic] {x} a/b \\ ^c@d.fr <x id=\"0\"/> & « fin »."]
    doc = _doc(lines[:-1]) + f"\n<p>{lines[-1]}</p>"
    plain = _doc(lines[:-1])
    assert plain_paragraphs(plain) is not None and plain_paragraphs(doc) is None
    with ModePipeline(MODE) as pipe:
        assert pipe.translate(plain).strip() == _wrapper(plain).strip()  # formatted here
        first = pipe.translate(doc)  # formatted by apertium-deshtml and apertium-rehtml
        assert first.strip() == _wrapper(doc).strip()
        # the same programs serve many documents, each answered on its own
        assert pipe.translate("<p>Il pleut.</p>").strip() == "<p>Llueve.</p>"
        assert pipe.translate(doc) == first
        procs = list(pipe._procs)
    assert procs and all(p.poll() is not None for p in procs)  # closed: every program ended


def _program(name: str, text: str) -> str:
    return subprocess.run([name], input=text.encode("utf-8"), capture_output=True, check=True).stdout.decode("utf-8")


ODD = ["Prix : 5 $ [sic] {x} a/b \\ ^c@d.fr # * | \"q\" 'a' %20 `b`.", "Espaces\u00a0insécables\u202f: « oui » \u2009x\u3000y.",
       "Sans point final", "中文句子。", "a.b..c...", "x\\<y"]


@needs_flores
@pytest.mark.parametrize("lang, mode", [("fra", "fr-es"), ("spa", "spa-eng")])
def test_plain_paragraphs_are_formatted_here_exactly_as_by_the_programs(lang, mode):
    texts = [t for t in flores(lang, 0, 200) + ODD if plain_paragraphs(f"<p>{t}</p>")]
    assert len(texts) >= 190 and "Sans point final" in texts and ODD[0] in texts and ODD[1] in texts
    doc = "\n".join(f"<p>{t}</p>" for t in texts)
    assert plain_paragraphs(doc) == texts
    assert deformat(texts) == _program("apertium-deshtml", doc)
    with ModePipeline(Path(f"/usr/share/apertium/modes/{mode}.mode")) as pipe:
        with pipe._lock:
            raw = pipe._exchange(deformat(texts).encode("utf-8") + b"\0").decode("utf-8")
    assert "*" in raw and "\\" in raw  # unknown words and escapes: the cases that matter
    assert reformat(raw) == _program("apertium-rehtml", raw)


def test_documents_the_programs_must_format_are_recognised():
    for doc in ["<p>a &amp; b</p>", "<p>a <x id=\"0\"/> b</p>", "<p>a  b</p>", "<p> a</p>", "<p>a\tb</p>",
                "<p>a ~ b</p>", "<p></p>", "<p>a</p>\n\n<p>b</p>", "<p>a\nb</p>", "<div>a</div>"]:
        assert plain_paragraphs(doc) is None, doc
    assert reformat(".[][<p>]a\\/b \\*c \\<d\\>.[][<\\/p>]") == "<p>a/b \\*c \\<d\\></p>"


def test_a_dead_pipeline_is_an_engine_error_and_the_engine_starts_a_new_one():
    engine = ApertiumEngine()
    assert engine.translate(["Il pleut."], "fr", "es").texts == ["Llueve."]
    pipe = engine._pipes[str(MODE)]
    pipe._procs[3].kill()
    pipe._procs[3].wait()
    with pytest.raises(EngineError, match="apertium fr-es stopped"):
        pipe.translate("<p>Il neige.</p>")
    assert engine.translate(["Il neige."], "fr", "es").texts == ["Nieva."]
    assert engine._pipes[str(MODE)] is not pipe
    engine.close()
    assert engine._pipes == {}


def test_translator_through_the_server_matches_in_process(tmp_path):
    text = "Le Kremlin a confirmé la nouvelle.\n\nLa Maison-Blanche a réagi hier soir."
    with Translator(engine="apertium") as local:
        expected = local.translate_text(text, to=["es", "en"], source="fr")
    with Translator(engine="apertium", apertium_server=True) as shared:
        got = shared.translate_text(text, to=["es", "en"], source="fr")
    assert got.text("es") == expected.text("es") and got.text("en") == expected.text("en")
    status = apertium_server.request({"command": "status"})
    assert [Path(m).stem for m in status["modes"]] == ["fr-es", "spa-eng"]
    assert status["pid"] != os.getpid() and status["requests"] >= 2
    # the socket sits in a folder only this user can open
    folder = apertium_server.socket_path().parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(apertium_server.socket_path().stat().st_mode) == 0o600


def test_a_second_short_lived_process_finds_the_running_server():
    code = ("from translator import Translator\n"
            "with Translator(engine='apertium', apertium_server=True) as t:\n"
            "    print(t.translate_text('Il pleut.', to=['es'], source='fr').text('es'))\n")
    pids = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env=os.environ | {"PYTHONPATH": str(Path(__file__).parent.parent)})
        assert out.stdout.strip() == "Llueve."
        pids.append(apertium_server.request({"command": "status"})["pid"])
    assert pids[0] == pids[1]
    assert apertium_server.request({"command": "status"})["requests"] >= 4


def test_clients_racing_to_start_get_one_server(tmp_path, monkeypatch):
    answers, errors, spawned = [], [], []
    real_spawn = apertium_server._spawn
    monkeypatch.setattr(apertium_server, "_spawn", lambda *a: spawned.append(a) or real_spawn(*a))

    def client(i: int) -> None:
        try:
            answers.append(apertium_server.translate(str(MODE), f"<p>Il y a {i} chats.</p>"))
        except EngineError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    # More clients than a default listen backlog (5): CI once lost one to EAGAIN.
    threads = [threading.Thread(target=client, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(answers) == sorted(f"<p>Hay {i} gatos.</p>" for i in range(40))
    assert len(spawned) == 1  # the others waited on the start lock and found it
    assert len(list(apertium_server.socket_path().parent.glob("*.sock"))) == 1


def test_a_full_backlog_means_wait_not_fail(tmp_path):
    import socket

    path = tmp_path / "busy.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(0)
    waiting = []
    try:
        while True:  # fill the queue of a server that does not accept yet
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(1)
            waiting.append(sock)
            try:
                sock.connect(str(path))
            except BlockingIOError:
                break
            assert len(waiting) < 100, "the queue never filled"
        late = waiting.pop()
        threading.Timer(0.3, lambda: listener.accept()[0].close()).start()
        apertium_server._connect(late, path)  # retried until the accept made room
        late.close()
    finally:
        for sock in waiting:
            sock.close()
        listener.close()


def test_a_stale_socket_is_replaced(tmp_path):
    path = apertium_server.socket_path()
    path.parent.mkdir(mode=0o700, parents=True)
    import socket

    dead = socket.socket(socket.AF_UNIX)
    dead.bind(str(path))  # bound, never listening: what a killed server leaves
    dead.close()
    assert path.exists()
    assert apertium_server.translate(str(MODE), "<p>Il pleut.</p>") == "<p>Llueve.</p>"


def test_stop_and_idle_exit_remove_the_socket(tmp_path):
    path = tmp_path / "s" / "a.sock"
    apertium_server.ensure_running(path=path, idle=0.5)
    assert path.exists()
    assert _wait_gone(path), "the server should exit after 0.5 s idle"
    apertium_server.ensure_running(path=path)
    assert apertium_server.request({"command": "stop"}, path=path) == {"stopped": True}
    assert _wait_gone(path)


def test_many_documents_go_in_one_request_each_translated_alone(tmp_path):
    """A run's paragraphs go to the server together (one round trip per route step, not one
    per paragraph), and each comes back as it would alone."""
    docs = [f"<p>Il y a {n} chats dans la maison.</p>" for n in range(1, 6)] + ["<p>Il pleut.</p>"]
    alone = [apertium_server.translate(str(MODE), doc) for doc in docs]
    before = apertium_server.request({"command": "status"})["requests"]
    assert apertium_server.translate_each(str(MODE), docs) == alone
    assert apertium_server.request({"command": "status"})["requests"] == before + 2  # the batch, this status
    assert alone[-1] == "<p>Llueve.</p>"
    with Translator(engine="apertium", apertium_server=True) as shared:
        before = apertium_server.request({"command": "status"})["requests"]
        shared.translate_text("\n\n".join(f"Le chat numéro {n} dort." for n in range(8)), to=["es"], source="fr")
        assert apertium_server.request({"command": "status"})["requests"] == before + 2


def test_server_answers_errors_without_dying(tmp_path):
    assert "not an Apertium mode" in apertium_server.request({"mode": "/etc/passwd", "document": "x"},
                                                            path=apertium_server.ensure_running())["error"]
    assert "unknown command" in apertium_server.request({"command": "reboot"})["error"]
    assert "missing field" in apertium_server.request({"mode": str(MODE)})["error"]
    assert "not a list" in apertium_server.request({"mode": str(MODE), "documents": "<p>x</p>"})["error"]
    with pytest.raises(EngineError, match="not an Apertium mode"):
        apertium_server.translate("/nonexistent.mode", "<p>x</p>")
    assert apertium_server.translate(str(MODE), "<p>Il pleut.</p>") == "<p>Llueve.</p>"


def test_an_upgraded_pair_restarts_its_pipeline(tmp_path):
    mode = tmp_path / "modes" / "fr-es.mode"
    mode.parent.mkdir()
    mode.write_text(MODE.read_text(encoding="utf-8"), encoding="utf-8")
    server = apertium_server._Server(tmp_path / "t.sock", 60)
    try:
        first = server.pipeline(str(mode))
        assert server.pipeline(str(mode)) is first
        os.utime(mode, ns=(time.time_ns(), time.time_ns() + 10**9))
        second = server.pipeline(str(mode))
        assert second is not first and not first.alive
        assert second.translate("<p>Il pleut.</p>").strip() == "<p>Llueve.</p>"
    finally:
        server.server_close()
        server.close_all()


def test_a_shared_runtime_folder_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "open"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    monkeypatch.setenv("TRANSLATOR_RUNTIME_DIR", str(folder))
    with pytest.raises(apertium_server.NotPrivateError,
                       match=f"^{folder}: has mode 0777, open to other users; .*TRANSLATOR_RUNTIME_DIR"):
        apertium_server.ensure_running()


def test_a_runtime_folder_others_can_rename_is_refused(tmp_path, monkeypatch):
    parent = tmp_path / "open"
    parent.mkdir()
    parent.chmod(0o777)  # world-writable, not sticky: anyone could swap our folder for theirs
    folder = parent / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("TRANSLATOR_RUNTIME_DIR", str(folder))
    with pytest.raises(apertium_server.NotPrivateError, match=f"^{folder}: is in a folder where any user can rename"):
        apertium_server.ensure_running()
    assert list(folder.iterdir()) == []


def test_cli_server_status_and_stop(capsys):
    assert main(["server", "status"]) == 1
    assert "no Apertium server" in capsys.readouterr().out
    apertium_server.translate(str(MODE), "<p>Il pleut.</p>")
    assert main(["server", "status"]) == 0
    out = capsys.readouterr().out
    assert "modes loaded: fr-es" in out and "exits after 900 s idle" in out
    assert main(["server", "stop"]) == 0
    assert "stopped the Apertium server" in capsys.readouterr().out
    assert _wait_gone(apertium_server.socket_path())
    assert main(["server", "stop"]) == 0
    assert "no Apertium server" in capsys.readouterr().out


def test_translate_command_uses_the_server_when_asked(tmp_path):
    """`translate --apertium-server` (or TRANSLATOR_APERTIUM_SERVER=1, for an editor's settings)
    translates through the server, with the very output of a run without it."""
    translate = str(Path(sys.executable).parent / "translate")
    text = "Le Kremlin a confirmé la nouvelle.\n\nLa Maison-Blanche a réagi hier soir.\n"

    def run(*options: str, env: dict | None = None) -> str:
        done = subprocess.run([translate, "-", "--to", "es", "--engine", "apertium", "-q", *options], input=text,
                              capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})
        assert done.returncode == 0, done.stderr
        return done.stdout

    alone = run()
    assert main(["apertium-server", "status"]) == 1  # a run without the option starts none
    assert run("--apertium-server") == alone
    first = apertium_server.request({"command": "status"})
    assert run(env={"TRANSLATOR_APERTIUM_SERVER": "1"}) == alone
    second = apertium_server.request({"command": "status"})
    # its run's translation and this status (its detection goes to the server too, counted apart)
    assert second["pid"] == first["pid"]
    assert second["requests"] - second["detections"] == first["requests"] - first["detections"] + 2
    assert second["detections"] == first["detections"] + 2  # the document, then its paragraphs
