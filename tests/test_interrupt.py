"""Ctrl-C during a neural translation stops the command at once, with exit code 130,
"interrupted" on stderr and nothing written.

Before: ``translate_batch`` held the main thread for its whole call (all the sentences of a
run when stderr is not a terminal), so the command went on for the rest of the call (19 s
after the signal on 300 lines) and then exited silently; waiting for it in a worker thread
instead made the interpreter's shutdown crash (SIGSEGV) while the model's threads still ran.
"""

import signal
import subprocess
import sys
import time

from .conftest import flores, needs_flores, needs_model


@needs_model
@needs_flores
def test_ctrl_c_stops_a_long_neural_run_at_once_and_writes_nothing(with_zh_en, tmp_path):
    (tmp_path / "zh.txt").write_text("\n".join(flores("zho", 0, 997)) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "translator", "zh.txt", "--to", "en", "--engine", "argos", "--threads", "1",
               "-o", "out"]
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(6)  # the model is loaded and the call made (997 lines on one thread: minutes)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, err = proc.communicate(timeout=60)
        waited = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted"
    assert waited < 5, f"{waited:.1f} s between Ctrl-C and the end of the command"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
