"""Response headers of every page of the issuer's UI (staff console and learner's offer page)."""

from __future__ import annotations

__all__ = ["security_headers"]


def security_headers(response):
    """Own CSS/JS only, QR codes as data: images, no framing, no caching, no referrer (offer pages
    carry a pre-authorized code in their URL)."""
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response
