"""Helpers for the service tests: a real uvicorn server in a thread on a free loopback port,
and a way to hold its engine thread busy so that requests queue deterministically."""

from __future__ import annotations

import asyncio
import threading
import time
from contextlib import contextmanager

import pytest

from .conftest import MODEL

FR = "Le chat dort sur le canapé. Il fait beau aujourd'hui."
ZH = "我们今天去公园散步，天气非常好。孩子们在草地上玩耍。"


class _LoopCatcher:
    """ASGI wrapper that remembers the server's event loop (to run coroutines on it)."""

    def __init__(self, app) -> None:
        self.app = app
        self.loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope, receive, send) -> None:
        self.loop = asyncio.get_running_loop()
        await self.app(scope, receive, send)


class Running:
    """A started server: its URL, app and loop."""

    def __init__(self, url: str, app, catcher: _LoopCatcher, server) -> None:
        self.url = url
        self.app = app
        self._catcher = catcher
        self.server = server
        self.port = int(url.rsplit(":", 1)[1])

    @property
    def service(self):
        return self.app.state.service

    def run(self, coro, timeout: float = 30):
        """Run *coro* on the server's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self._catcher.loop).result(timeout)

    def submit(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._catcher.loop)

    @contextmanager
    def engine_held(self):
        """Keep the engine thread busy until the block ends: requests queue meanwhile."""
        release, started = threading.Event(), threading.Event()

        def block() -> None:
            started.set()
            release.wait(60)

        done = self.submit(self.service.batcher.call(block))
        assert started.wait(30), "the engine thread never started the blocking call"
        try:
            yield
        finally:
            release.set()
            done.result(30)

    def wait_until(self, predicate, what: str, timeout: float = 30) -> None:
        """Poll *predicate* (a hang guard, not a timing assertion)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.01)


@contextmanager
def running(options=None, translator=None):
    """Serve ``create_app(options, translator=...)`` with uvicorn on 127.0.0.1, a free port."""
    import uvicorn

    from translator.service.app import create_app
    from translator.service.options import ServiceOptions
    from translator.service.server import bind

    options = options or ServiceOptions(access_log="off")
    app = create_app(options, translator=translator)
    catcher = _LoopCatcher(app)
    sock = bind("127.0.0.1", 0)
    config = uvicorn.Config(catcher, log_level="warning", lifespan="on", access_log=False,
                            timeout_graceful_shutdown=5, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise AssertionError("the test server did not start")
        time.sleep(0.01)
    try:
        yield Running(f"http://127.0.0.1:{sock.getsockname()[1]}", app, catcher, server)
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def shared_translator(zh_en_dir=None):
    """One Translator with Argos (the zh->en package, when there) and Apertium."""
    from translator import Translator

    return Translator(engine="auto", argos_dirs=[zh_en_dir] if zh_en_dir else [])


@pytest.fixture(scope="module")
def translator(request):
    """The module's Translator: models load once for all its servers."""
    t = shared_translator(request.getfixturevalue("zh_en_dir") if MODEL.exists() else None)
    yield t
    t.close()


@pytest.fixture(scope="module")
def server(translator):
    """The module's server (its translator, no access log), on a loopback port."""
    from translator.service.options import ServiceOptions

    with running(ServiceOptions(access_log="off"), translator) as srv:
        yield srv


@pytest.fixture
def http(server):
    """An HTTP client of the module's server."""
    import httpx

    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def alone(translator, text: str, source: str, target: str) -> str:
    """What the library gives for *text* by itself."""
    doc = translator.prepare(text, to=[target], source=source)
    translator.translate_documents([doc])
    return doc.text(target)
