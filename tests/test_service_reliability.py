"""The service under misbehaving clients and failures: slow and vanishing clients, requests
that wait too long, an engine that fails.  Each gets its documented answer and the server
keeps serving (a valid request follows each case).  Real uvicorn on loopback; raw sockets
where a client must misbehave."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from translator.errors import EngineError
from translator.service.options import ServiceOptions

from .conftest import needs_apertium, spy_steps
from .service_support import running, translator  # noqa: F401  (fixture)

pytestmark = needs_apertium
OK = {"q": "Le chat dort.", "source": "fr", "target": "es"}


@pytest.fixture(scope="module")
def server(translator):  # noqa: F811
    with running(ServiceOptions(access_log="off", read_timeout=0.5, timeout=2), translator) as srv:
        yield srv


def still_serving(srv) -> None:
    with httpx.Client(base_url=srv.url, timeout=60) as http:
        got = http.post("/translate", json=OK)
    assert got.status_code == 200 and "gato" in got.json()["translatedText"]


def connect(srv) -> socket.socket:
    return socket.create_connection(("127.0.0.1", srv.port), timeout=30)


def head(length: int, path: str = "/translate") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def answer(sock: socket.socket) -> tuple[int, dict]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536) or b"\0"
    top, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in top.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += sock.recv(65536)
    return int(top.split()[1]), json.loads(body)


def test_a_slow_body_gets_408_and_others_are_served_meanwhile(server):
    body = json.dumps(OK).encode()
    with connect(server) as slow:
        slow.sendall(head(len(body)) + body[:5])
        still_serving(server)  # the slow client holds nothing up
        status, error = answer(slow)
    assert status == 408 and error == {"error": "Invalid request: the body did not arrive within 0.5 s"}
    still_serving(server)


def test_a_client_stuck_in_its_headers_blocks_no_one(server):
    with connect(server) as stuck:
        stuck.sendall(b"POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        still_serving(server)
    still_serving(server)


def test_a_client_that_leaves_mid_body_costs_nothing(server):
    body = json.dumps(OK).encode()
    with connect(server) as leaving:
        leaving.sendall(head(len(body)) + body[:10])
    still_serving(server)


def test_a_client_that_leaves_while_queued_is_never_translated(server, translator, monkeypatch):  # noqa: F811
    steps = spy_steps(translator, monkeypatch)
    stats = server.service.batcher.stats
    cancelled = stats.cancelled
    body = json.dumps({"q": "Le départ du client.", "source": "fr", "target": "es"}).encode()
    with server.engine_held():
        with connect(server) as leaving:
            leaving.sendall(head(len(body)) + body)
            server.wait_until(lambda: server.service.batcher.queued == 1, "the request to queue")
        server.wait_until(lambda: stats.cancelled == cancelled + 1, "the request to leave the queue")
    still_serving(server)
    assert steps == [("fr", "es", 1)]  # only the request after: "Le départ du client." never ran


def test_a_request_that_waits_too_long_gets_500_and_leaves_the_queue(server):
    stats = server.service.batcher.stats
    cancelled = stats.cancelled
    with server.engine_held(), httpx.Client(base_url=server.url, timeout=60) as http:
        got = http.post("/translate", json=OK)
        assert stats.cancelled == cancelled + 1
    assert (got.status_code, got.json()) == (500, {"error": "Cannot translate text: no answer within 2 s (the server is busy)"})
    still_serving(server)


def test_an_engine_failure_is_a_500_for_that_request_only(server, translator, monkeypatch):  # noqa: F811
    apertium = next(e for e in translator.engines if e.name == "apertium")
    real = apertium.translate

    def failing(texts, source, target, **kw):
        if any("panne" in t for t in texts):
            raise EngineError("the mode crashed")
        return real(texts, source, target, **kw)

    monkeypatch.setattr(apertium, "translate", failing)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        got = http.post("/translate", json={**OK, "q": "Une panne."})
    assert (got.status_code, got.json()) == (500, {"error": "Cannot translate text: the mode crashed"})
    still_serving(server)


def test_many_connections_at_once_are_all_answered(server):
    sockets = [connect(server) for _ in range(50)]
    try:
        body = json.dumps(OK).encode()
        for sock in sockets:
            sock.sendall(head(len(body)) + body)
        answers = [answer(sock) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    assert {status for status, _ in answers} == {200}
    assert len({json.dumps(a) for _, a in answers}) == 1
