"""``translate serve``: a LibreTranslate-compatible HTTP service over our engines.

One module per concern: :mod:`.options` (settings), :mod:`.params` (request bodies),
:mod:`.limits` and :mod:`.keys` (limits, API keys), :mod:`.batching` (micro-batching on one
engine thread), :mod:`.work` (the library calls), :mod:`.codes` and :mod:`.html_text`
(language codes, HTML), :mod:`.files` (``/translate_file``), :mod:`.accesslog`,
:mod:`.openapi`, :mod:`.routes` and :mod:`.app` (the ASGI application), :mod:`.server`
(uvicorn, workers) and :mod:`.command` (the CLI command, the only module ``translate --help``
imports).
"""
