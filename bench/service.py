"""HTTP service: ``translate serve`` against LibreTranslate itself, same machine, same model
(translate-zh_en 1.9), same FLORES zh sentences, beam 4, CTranslate2 on 2 threads.

LibreTranslate 1.9.6 runs from its own virtualenv (bench/.work/libretranslate-venv: CPU torch
2.13.0 and stanza for sentence splitting, then libretranslate from PyPI), offline:

* ``ARGOS_PACKAGES_DIR`` holds only the zh->en package; with fewer than two packages
  LibreTranslate tries to update the package index at start: ``ARGOS_PACKAGE_INDEX`` points at a
  missing local folder, so that fails at once and it goes on ("Cannot update models (normal if
  you're offline)");
* ``ARGOS_CHUNK_TYPE=STANZA`` splits sentences with the stanza model inside the package (the
  default, MiniSBD, downloads an ONNX model on first use).  The package's ``resources.json`` is
  in the format of stanza 1.1.1, the version argostranslate 1.9.6 pins, which reads it from the
  package folder without any network (later stanza versions fetch it again at every start and
  cannot read this format); ``STANZA_RESOURCES_URL`` points at a missing folder all the same.

Load: an asyncio client (httpx), N concurrent clients sending requests back to back until a
fixed count is reached, after a few warm-up requests; one sentence per request (``q`` a
string) and 20 (``q`` a list of 20, as Weblate sends them).  Reported: requests/s, sentences/s,
p50/p95/p99 latency, errors, and the server's peak RSS (VmHWM).  Loopback only.

Soak: 20,000 one-sentence requests to ``translate serve`` (8 clients) on the Apertium route
fr->es, where they take minutes (on the neural route, about an hour here): RSS after the
first 1,000 and at the end, and errors.  The neural server's peak RSS over the load runs is
in the table.

    .venv/bin/python bench/service.py --smoke     # a few requests per case: it works, nothing more
    .venv/bin/python bench/run.py --only service  # the full run, into docs/
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from common import FLORES, ROOT, WORK, command_env, unpacked_model

LT_VERSION = "1.9.6"
VENV = WORK / "libretranslate-venv"
FULL = {"clients": (1, 8, 32), "sizes": (1, 20), "requests": {1: 400, 20: 60}, "soak": 20_000, "warmup": 8}
SMOKE = {"clients": (1, 8), "sizes": (1, 20), "requests": {1: 8, 20: 2}, "soak": 120, "warmup": 1}
THREADS = 2
NOWHERE = "file:///nonexistent/"


def ensure_venv() -> Path:
    """LibreTranslate's virtualenv (made on first use)."""
    binary = VENV / "bin" / "libretranslate"
    if binary.exists():
        return binary
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    index = os.environ.get("TORCH_INDEX_URL")
    subprocess.run([*pip, "torch==2.13.0", *(["--index-url", index] if index else [])], check=True)
    subprocess.run([*pip, "stanza==1.1.1", f"libretranslate=={LT_VERSION}"], check=True)
    return binary


class Server:
    """A server process on loopback; stopped with SIGTERM."""

    def __init__(self, name: str, command: list[str], env: dict, url: str | None = None) -> None:
        self.name = name
        self.log = WORK / "logs" / (name.split()[0].lower() + ".log")  # a file: a full pipe would block it
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.url = url or self._announced()
        self._wait_ready()

    def _announced(self, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            for line in self.log.read_text(errors="replace").splitlines():
                if "listening on " in line:
                    return line.split("listening on ")[1].split()[0]
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start: see {self.log}")

    def _wait_ready(self, timeout: float = 300) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.url + "/languages", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s")

    def memory_mb(self, field: str) -> float:
        """VmRSS (now) or VmHWM (peak) of the server process, in MB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ours(engine: str) -> Server:
    env = command_env() | {"ARGOS_PACKAGES_DIR": str(unpacked_model())}
    command = [str(ROOT / ".venv" / "bin" / "translate"), "serve", "--port", "0", "--engine", engine,
               "--threads", str(THREADS), "--beam-size", "4", "--access-log", "off", "--batch-limit", "-1"]
    return Server(f"translate serve ({engine})", command, env)


def libretranslate() -> Server:
    home = WORK / "libretranslate-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "LT_"))} | {
        "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"), "ARGOS_PACKAGES_DIR": str(unpacked_model()),
        "ARGOS_PACKAGE_INDEX": NOWHERE, "STANZA_RESOURCES_URL": NOWHERE, "ARGOS_CHUNK_TYPE": "STANZA",
        "ARGOS_DEVICE_TYPE": "cpu", "ARGOS_INTRA_THREADS": str(THREADS), "ARGOS_BEAM_SIZE": "4"}
    port = free_port()
    command = [str(ensure_venv()), "--host", "127.0.0.1", "--port", str(port), "--disable-web-ui",
               "--disable-files-translation"]
    return Server(f"LibreTranslate {LT_VERSION}", command, env, url=f"http://127.0.0.1:{port}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def _load(url: str, bodies: list[dict], clients: int, total: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    issued = 0

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal issued
        while issued < total:
            body = bodies[issued % len(bodies)]
            issued += 1
            start = time.perf_counter()
            try:
                response = await http.post(url + "/translate", json=body)
                ok = response.status_code == 200 and "translatedText" in response.json()
                if not ok:
                    errors.append(f"{response.status_code} {response.text[:200]}")
            except httpx.HTTPError as exc:
                errors.append(repr(exc))
            latencies.append(time.perf_counter() - start)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=600, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        seconds = time.perf_counter() - started
    return {"requests": len(latencies), "seconds": round(seconds, 2), "errors": len(errors),
            "first_error": errors[0] if errors else None,
            "requests_per_s": round(len(latencies) / seconds, 2),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1)}


def bodies_for(lines: list[str], size: int, source: str, target: str) -> list[dict]:
    if size == 1:
        return [{"q": line, "source": source, "target": target} for line in lines]
    return [{"q": [lines[(i + k) % len(lines)] for k in range(size)], "source": source, "target": target}
            for i in range(0, len(lines), size)]


def measure(server: Server, lines: list[str], source: str, target: str, config: dict) -> list[dict]:
    rows = []
    for size in config["sizes"]:
        bodies = bodies_for(lines, size, source, target)
        asyncio.run(_load(server.url, bodies, 1, config["warmup"]))
        for clients in config["clients"]:
            row = asyncio.run(_load(server.url, bodies, clients, config["requests"][size]))
            row.update(clients=clients, sentences_per_request=size,
                       sentences_per_s=round(row["requests_per_s"] * size, 2))
            rows.append(row)
            print(f"  {server.name}: {clients} clients, {size} sentences/request: {row}", file=sys.stderr)
    return rows


def soak(server: Server, lines: list[str], count: int, source: str, target: str) -> dict:
    bodies = bodies_for(lines, 1, source, target)
    first = min(1000, count // 4)
    before = asyncio.run(_load(server.url, bodies, 8, first))
    rss_first = server.memory_mb("VmRSS")
    after = asyncio.run(_load(server.url, bodies, 8, count - first))
    rss_end = server.memory_mb("VmRSS")
    return {"requests": before["requests"] + after["requests"], "errors": before["errors"] + after["errors"],
            f"rss_after_{first}_mb": rss_first, "rss_end_mb": rss_end,
            "rss_growth": round(rss_end / rss_first - 1, 3) if rss_first else None,
            "requests_per_s": after["requests_per_s"], "route": f"{source}->{target}"}


def run(*, smoke: bool = False, libre: bool = True) -> dict:
    config = SMOKE if smoke else FULL
    zh = (FLORES / "zho.txt").read_text(encoding="utf-8").splitlines()
    fr = (FLORES / "fra.txt").read_text(encoding="utf-8").splitlines()
    result: dict = {"config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in config.items()},
                    "smoke": smoke, "threads": THREADS, "beam": 4, "data": "FLORES-200 dev zho.txt / fra.txt",
                    "servers": {}}
    systems = [("translator", lambda: ours("argos"))]
    if libre:
        systems.append((f"libretranslate_{LT_VERSION}", libretranslate))
    for name, start in systems:
        server = start()
        try:
            rows = measure(server, zh, "zh", "en", config)
            result["servers"][name] = {"zh_en": rows, "peak_rss_mb": server.memory_mb("VmHWM")}
        finally:
            server.stop()
    server = ours("apertium")
    try:
        result["servers"]["translator"]["fr_es_apertium"] = measure(server, fr, "fr", "es", config)
        result["servers"]["translator"]["fr_es_apertium_peak_rss_mb"] = server.memory_mb("VmHWM")
        result["soak"] = soak(server, fr, config["soak"], "fr", "es")
    finally:
        server.stop()
    return result


def render(r: dict) -> list[str]:
    title = "## HTTP service: `translate serve` against LibreTranslate" + (" (SMOKE RUN: a few requests)" if r["smoke"] else "")
    out = ["", title, "", f"Data: {r['data']}; model translate-zh_en 1.9, beam {r['beam']}, CTranslate2 on "
           f"{r['threads']} threads; requests per case: {r['config']['requests']} (by sentences per request). "
           "See bench/service.py for how LibreTranslate runs offline.", "",
           "| server | route | clients | sentences/request | requests/s | sentences/s | p50 (ms) | p95 (ms) | "
           "p99 (ms) | errors | peak RSS (MB) |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, data in r["servers"].items():
        for route, label in (("zh_en", "zh->en (Argos)"), ("fr_es_apertium", "fr->es (Apertium)")):
            rss = data.get("peak_rss_mb" if route == "zh_en" else f"{route}_peak_rss_mb", "")
            for row in data.get(route, []):
                out.append(f"| {name} | {label} | {row['clients']} | {row['sentences_per_request']} | "
                           f"{row['requests_per_s']} | {row['sentences_per_s']} | {row['p50_ms']} | {row['p95_ms']} | "
                           f"{row['p99_ms']} | {row['errors']} | {rss} |")
    out += goals(r)
    s = r.get("soak")
    if s:
        first = next(k for k in s if k.startswith("rss_after_"))
        out += ["", f"Soak: {s['requests']} one-sentence requests ({s.get('route', 'zh->en')}), 8 clients: "
                f"{s['errors']} errors; RSS "
                f"{s[first]} MB after the first {first.split('_')[2]}, {s['rss_end_mb']} MB at the end "
                f"({s['rss_growth']:+.1%}; goal: within 10%)."]
    return out


def goals(r: dict) -> list[str]:
    """Ours over LibreTranslate at 1 and 32 clients, each request size (goals: 3x and a lower
    p99 at 32 clients; no worse at 1)."""
    ours = r["servers"].get("translator", {}).get("zh_en", [])
    libre = next((d["zh_en"] for n, d in r["servers"].items() if n.startswith("libretranslate")), [])
    theirs = {(x["clients"], x["sentences_per_request"]): x for x in libre}
    lines = []
    for row in ours:
        other = theirs.get((row["clients"], row["sentences_per_request"]))
        if other is None or row["clients"] not in (1, max(r["config"]["clients"])) or not other["sentences_per_s"]:
            continue
        lines.append(f"- {row['clients']} client{'s' if row['clients'] > 1 else ''}, "
                     f"{row['sentences_per_request']} sentence(s) a request: throughput "
                     f"**{row['sentences_per_s'] / other['sentences_per_s']:.2f}x** LibreTranslate's, "
                     f"p99 {row['p99_ms']:.0f} ms against {other['p99_ms']:.0f} ms")
    return ["", "Ours over LibreTranslate (goals: at least 3x with a lower p99 at 32 clients; no worse at 1):",
            "", *lines] if lines else []


def plot(r: dict, path: Path) -> Path | None:
    """Throughput and p99 against concurrency, both servers, one line per request size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    for name, data in r["servers"].items():
        for size in r["config"]["sizes"]:
            rows = [row for row in data["zh_en"] if row["sentences_per_request"] == size]
            clients = [row["clients"] for row in rows]
            label = f"{name}, {size} sentence{'s' if size > 1 else ''}/request"
            left.plot(clients, [row["sentences_per_s"] for row in rows], marker="o", label=label)
            right.plot(clients, [row["p99_ms"] / 1000 for row in rows], marker="o", label=label)
    left.set(xlabel="concurrent clients", ylabel="sentences per second", xscale="log", title="throughput (zh->en)")
    right.set(xlabel="concurrent clients", ylabel="p99 latency (s)", xscale="log", yscale="log", title="p99 latency")
    left.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few requests per case (it works, no figures)")
    parser.add_argument("--no-libretranslate", action="store_true", help="ours only (no virtualenv to build)")
    args = parser.parse_args(argv)
    result = run(smoke=args.smoke, libre=not args.no_libretranslate)
    print(json.dumps(result, indent=2))
    print("\n".join(render(result)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
