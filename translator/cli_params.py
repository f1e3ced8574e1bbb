"""Option values checked without pydantic, for a light start of every command.

typer 0.2x checks each option's value with a pydantic ``TypeAdapter`` built on first
use: importing pydantic and building an adapter for each of ``translate run``'s two
dozen options cost more than the rest of a one-sentence Apertium run but the engine.
Our options are plain types (str, int, float, Path, an Enum, lists of those); for
them, :func:`lighten` gives each option a checker that returns what typer's adapter
returns for an ordinary value, and hands anything else (a value that does not parse,
one out of range) to typer's own adapter, so errors read exactly as typer writes them.

It uses typer's runtime-coercion hooks (``_runtime_param``, present since typer 0.2x);
with a typer without them it does nothing and typer checks values as usual.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from types import SimpleNamespace


class EngineChoice(str, Enum):
    """``--engine`` of every command that translates."""

    auto = "auto"
    argos = "argos"
    apertium = "apertium"
from typing import Any, get_args, get_origin

_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,17})?")
_UNSET = object()


def lighten(command) -> bool:
    """Give every option of *command* (and its subcommands) the light checker; False when
    this typer has no hook for it (then nothing changes)."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer._param_types import coerce_cli_choice, coerce_cli_path
    except ImportError:
        return False
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class LightParam(RuntimeParam):
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if get_origin(self.annotation) is list:
                leaf = get_args(self.annotation)[0]
                items = [_simple(leaf, self.parameter_info, v, ctx, param) for v in
                         (value if isinstance(value, (list, tuple)) else [value])]
                done: Any = _UNSET if any(i is _UNSET for i in items) else items
            else:
                done = _simple(self.annotation, self.parameter_info, value, ctx, param)
            if done is _UNSET:  # typer's own check, and its own error
                return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)
            return done

    def _simple(annotation, info, value, ctx, param) -> Any:
        if info.parser is not None or getattr(info, "clamp", False):
            return _UNSET
        if annotation is bool:
            return value if isinstance(value, bool) else _UNSET
        if annotation is str:
            return value if isinstance(value, str) else _UNSET
        if annotation is int or annotation is float:
            return _number(annotation, info, value)
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            try:
                return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
            except ValueError:  # typer's message starts with "Value error, ": say it plainly
                try:
                    from typer._click.exceptions import BadParameter
                except ImportError:
                    return _UNSET
                choices = ", ".join(repr(c.value) for c in annotation)
                raise BadParameter(f"{value!r} is not one of {choices}.", ctx=ctx, param=param) from None
        if annotation is Path and isinstance(value, (str, Path)):
            # typer turns the string into a Path, then checks it with these very flags
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        return _UNSET

    changed = False
    for param in _params(command):
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or not hasattr(param, "_runtime_param") or descriptor.file_annotation is not None:
            continue
        param._runtime_param = LightParam(parameter_info=descriptor.parameter_info,
                                          annotation=descriptor.annotation, descriptor=descriptor)
        changed = True
    return changed


def _number(kind: type, info, value: Any) -> Any:
    """An int or float option's value as pydantic gives it, for plain decimal numbers in range."""
    if isinstance(value, bool):
        return _UNSET
    if isinstance(value, str):
        if not (_INT if kind is int else _FLOAT).fullmatch(value):
            return _UNSET
        value = kind(value)
    elif isinstance(value, int) or (kind is float and isinstance(value, float)):
        value = kind(value)
    else:
        return _UNSET
    if (info.min is not None and value < info.min) or (info.max is not None and value > info.max):
        return _UNSET
    return value


def _params(command, inherited: list[str] | None = None):
    """Every option of *command* and its subcommands, the help option included (typer makes
    it on first use, with the names of the context settings, which subcommands inherit as
    click contexts do, and keeps it)."""
    yield from getattr(command, "params", [])
    names = (getattr(command, "context_settings", None) or {}).get("help_option_names", inherited or ["--help"])
    make_help = getattr(command, "get_help_option", None)
    if make_help is not None:
        option = make_help(SimpleNamespace(help_option_names=names))
        if option is not None:
            yield option
    for sub in getattr(command, "commands", {}).values():
        yield from _params(sub, names)
