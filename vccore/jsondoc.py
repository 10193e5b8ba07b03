"""Reading untrusted JSON: size and depth limits before anything else touches the document."""

from __future__ import annotations

import json
from typing import Any

from .errors import ParsingError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "check_depth", "parse_json", "pointer"]

MAX_BYTES = 1024 * 1024  # a microcredential is ~5 KB; a presentation of dozens fits easily
MAX_DEPTH = 64



def parse_json(data: bytes | str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text, refusing oversized or too deeply nested input with PARSING_ERROR."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise ParsingError(f"document is {len(raw)} bytes, more than the limit of {max_bytes}",
                           title="Document too large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParsingError(f"not UTF-8 at byte {exc.start}", title="Invalid text encoding") from exc
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise ParsingError("nesting too deep to parse", title="Document nested too deeply") from exc
    except ValueError as exc:
        raise ParsingError(str(exc), title="Invalid JSON") from exc
    check_depth(value, max_depth=max_depth)
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def check_depth(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Depth check for already-parsed values (iterative: hostile input must not recurse)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise ParsingError(f"nesting deeper than {max_depth} levels", title="Document nested too deeply")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def pointer(*parts: str | int) -> str:
    """RFC 6901 JSON pointer from path segments."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
