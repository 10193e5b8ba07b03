"""Page numbers of long lists (?page=N, 1-based), clamped to the pages there are."""

from __future__ import annotations

from flask import request

__all__ = ["page_number"]


def page_number(total: int, per_page: int) -> tuple[int, int]:
    """(this page, number of pages) for `total` items; a missing or bad ?page= is page 1."""
    pages = max(1, -(-total // per_page))
    try:
        page = int(request.args.get("page", "1")[:9])
    except ValueError:
        page = 1
    return min(max(1, page), pages), pages
