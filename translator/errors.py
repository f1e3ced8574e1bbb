"""The exceptions raised by the library and the exit codes the CLI maps them to.

Library code raises these; only :mod:`translator.cli` turns them into exit codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of the ``translate`` command (pinned by a test)."""

    OK = 0
    FAILURE = 1  # a check found problems (reserved for lint-style commands)
    USAGE = 2  # bad command line (unknown option, unknown --format, ...)
    INPUT = 3  # missing, unreadable, binary, undecodable or empty input
    LANGUAGE = 4  # unknown language code, or language not detectable
    NO_ROUTE = 5  # no installed engine translates this pair
    ENGINE = 6  # an engine or model failed (broken package, Apertium error)
    OUTPUT = 7  # an output file could not be written
    GLOSSARY = 8  # a glossary file is missing or invalid
    CONFIG = 9  # the content repository's [tool.translator] configuration is invalid


class TranslatorError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(TranslatorError):
    """The input cannot be read or has nothing to translate."""

    exit_code = ExitCode.INPUT


class LanguageError(TranslatorError):
    """A language code is unknown or a language cannot be detected."""

    exit_code = ExitCode.LANGUAGE


class NoRouteError(TranslatorError):
    """No installed engine can translate between two languages."""

    exit_code = ExitCode.NO_ROUTE


class EngineError(TranslatorError):
    """An engine or a model failed, or a model package is invalid."""

    exit_code = ExitCode.ENGINE


class OutputError(TranslatorError):
    """An output could not be written."""

    exit_code = ExitCode.OUTPUT


class GlossaryError(TranslatorError):
    """A glossary file is missing or invalid; ``problems`` holds one line per problem."""

    exit_code = ExitCode.GLOSSARY

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class TermError(GlossaryError):
    """With ``--strict``: glossary terms that could not be enforced (one line each)."""

    exit_code = ExitCode.FAILURE


class ConfigError(GlossaryError):
    """Invalid repository configuration; ``problems`` holds ``file: key: problem`` lines."""

    exit_code = ExitCode.CONFIG


class UsageError(TranslatorError):
    """An option has a value the library cannot honour."""

    exit_code = ExitCode.USAGE
