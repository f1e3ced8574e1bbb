"""``translate serve``: the command-line face of the service.  Importing this module is cheap
(typer only); the server, the engines and the web framework load when the command runs."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli_params import EngineChoice


class LogFormat(str, Enum):
    text = "text"
    json = "json"
    off = "off"


def serve(
    host: Annotated[str, typer.Option(metavar="ADDRESS", help="Address to listen on; anything but loopback "
                                      "is public (a warning without --api-keys).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, metavar="PORT", help="Port (0: any free port, "
                                      "printed at start).")] = 5000,
    engine: Annotated[EngineChoice, typer.Option("--engine", "-e", help="Engines to serve; requests may "
                                                 "ask for one of them ('engine').")] = EngineChoice.auto,
    glossary: Annotated[Optional[list[str]], typer.Option("--glossary", "-g", metavar="NAME|FILE", help=(
        "Glossary enforced on every request (repeat to combine); a request may name one ('glossary') "
        "or 'none'."))] = None,
    workers: Annotated[int, typer.Option(min=1, metavar="N", help="Worker processes, each with its own "
                                         "models.")] = 1,
    threads: Annotated[int, typer.Option(min=0, metavar="N", help="CPU threads per worker for neural models "
                                         "(0: the cores shared among workers).")] = 0,
    beam_size: Annotated[int, typer.Option(min=1, metavar="N", help="Beam size for neural models.")] = 4,
    char_limit: Annotated[int, typer.Option(min=-1, metavar="CHARS", help="Characters per text (-1: no "
                                            "limit).")] = -1,
    req_limit: Annotated[int, typer.Option(min=-1, metavar="N", help="Requests per minute per client or API "
                                           "key, a list of N texts counting N (-1: no limit).")] = -1,
    batch_limit: Annotated[int, typer.Option(min=-1, metavar="N", help="Texts per request (-1: no "
                                             "limit).")] = 1000,
    body_limit: Annotated[int, typer.Option(min=1024, metavar="BYTES", help="Largest /translate or /detect "
                                            "body.")] = 1 << 20,
    file_limit: Annotated[int, typer.Option(min=1, metavar="BYTES", help="Largest /translate_file "
                                            "upload.")] = 2 << 20,
    file_ttl: Annotated[float, typer.Option(min=1, metavar="SECONDS", help="Translated files not downloaded "
                                            "by then are deleted.")] = 600,
    disable_files_translation: Annotated[bool, typer.Option("--disable-files-translation",
                                                            help="Refuse /translate_file.")] = False,
    api_keys: Annotated[Optional[Path], typer.Option(metavar="FILE", help="Require an API key: a file of "
                                                     "'KEY [REQ_PER_MIN [CHARS]]' lines, or LibreTranslate's "
                                                     "api_keys.db.")] = None,
    cors_origin: Annotated[Optional[list[str]], typer.Option(metavar="ORIGIN", help="Allow browser pages "
                                                             "from ORIGIN (repeat; '*' for any). Off by "
                                                             "default.")] = None,
    batch_window: Annotated[float, typer.Option(min=0, metavar="MS", help="How long the first request of a "
                                                "batch waits for others.")] = 5.0,
    max_batch: Annotated[int, typer.Option(min=1, metavar="SENTENCES", help="Sentences per engine "
                                           "call.")] = 64,
    timeout: Annotated[float, typer.Option(min=0.1, metavar="SECONDS", help="Longest wait for a "
                                           "translation.")] = 60,
    read_timeout: Annotated[float, typer.Option(min=0.1, metavar="SECONDS", help="Longest time a client may "
                                                "take to send its request body.")] = 10,
    shutdown_timeout: Annotated[float, typer.Option(min=1, metavar="SECONDS", help="On SIGTERM, how long "
                                                    "requests in flight may take to finish.")] = 10,
    access_log: Annotated[LogFormat, typer.Option(help="Access log on stderr: text, json (JSON lines) or "
                                                  "off.")] = LogFormat.text,
    log_text: Annotated[bool, typer.Option("--log-text", help="Also log the request texts (never "
                                           "logged otherwise).")] = False,
    forwarded_allow_ips: Annotated[Optional[str], typer.Option(metavar="IPS", help="Trust X-Forwarded-For "
                                                               "from these proxies (comma-separated).")] = None,
) -> None:
    """Serve LibreTranslate's HTTP API (with glossaries) on HOST:PORT until SIGTERM."""
    from .options import ServiceOptions

    options = ServiceOptions(
        host=host, port=port, engine=engine.value, glossaries=list(glossary or []), beam_size=beam_size,
        threads=threads, workers=workers, char_limit=char_limit, req_limit=req_limit, batch_limit=batch_limit,
        body_limit=body_limit, file_limit=file_limit, file_ttl=file_ttl,
        files_translation=not disable_files_translation, api_keys=str(api_keys) if api_keys else None,
        cors_origins=list(cors_origin or []), batch_window_ms=batch_window, max_batch=max_batch,
        timeout=timeout, read_timeout=read_timeout, shutdown_timeout=shutdown_timeout,
        access_log=access_log.value, log_text=log_text, forwarded_allow_ips=forwarded_allow_ips)
    _check(options)
    from .server import run

    run(options)


def _check(options) -> None:
    """Fail before binding: the extra installed, glossaries and keys valid."""
    from ..errors import UsageError

    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise UsageError("the HTTP service needs its extra: pip install 'translator[serve]'") from None
    if options.glossaries:
        from ..glossary import load

        load(options.glossaries)
    if options.api_keys:
        from .keys import load_keys

        load_keys(options.api_keys)
