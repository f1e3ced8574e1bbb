"""The service's settings, passed to every worker process as JSON."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

#: The environment variable that carries the settings to uvicorn's worker processes.
ENVIRONMENT = "TRANSLATOR_SERVE_OPTIONS"
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass
class ServiceOptions:
    """Everything ``translate serve`` was started with (LibreTranslate's names where it has them)."""

    host: str = "127.0.0.1"
    port: int = 5000
    engine: str = "auto"
    glossaries: list[str] = field(default_factory=list)
    beam_size: int = 4
    threads: int = 0  # CTranslate2 threads per worker (0: the cores shared among the workers)
    workers: int = 1
    char_limit: int = -1  # per text, -1: none (as LibreTranslate)
    req_limit: int = -1  # requests per minute per client or key, -1: none
    batch_limit: int = 1000  # texts per request, -1: none
    body_limit: int = 1 << 20  # bytes of a /translate or /detect body
    file_limit: int = 2 << 20  # bytes of a /translate_file upload
    file_ttl: float = 600.0  # seconds a translated file waits for its download
    files_translation: bool = True
    files_folder: str | None = None  # made by 'translate serve' for all its workers
    api_keys: str | None = None  # a keys file, or LibreTranslate's api_keys.db
    cors_origins: list[str] = field(default_factory=list)
    batch_window_ms: float = 5.0
    max_batch: int = 64  # sentences per engine call
    timeout: float = 60.0  # seconds a request may wait for its translation
    read_timeout: float = 10.0  # seconds a client may take to send its body
    shutdown_timeout: float = 10.0
    access_log: str = "text"  # text, json or off
    log_text: bool = False
    forwarded_allow_ips: str | None = None
    apertium_server: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServiceOptions:
        return cls(**json.loads(text))

    @classmethod
    def from_environment(cls) -> ServiceOptions:
        text = os.environ.get(ENVIRONMENT)
        return cls.from_json(text) if text else cls()

    def engine_threads(self) -> int:
        """CTranslate2 threads for one worker: the cores shared among the workers."""
        return self.threads or max(1, (os.cpu_count() or 1) // max(1, self.workers))

    def is_public(self) -> bool:
        return self.host not in LOOPBACK and not self.host.startswith("127.")
