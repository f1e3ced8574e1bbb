"""Request limits as LibreTranslate has them: requests per minute per client or key (a moving
window, where a request of N texts costs N), characters per text, texts per request."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from .errors import ApiError, too_long
from .keys import KeyLimits

WINDOW = 60.0


class RateLimiter:
    """Requests per minute for each client (its address, or its API key when it sent one).

    Counts live in this worker process, as with LibreTranslate's default in-memory storage."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_clients: int = 100_000) -> None:
        self._clock = clock
        self._hits: dict[str, deque[tuple[float, int]]] = {}
        self._max_clients = max_clients

    def charge(self, who: str, cost: int, limit: int) -> None:
        """Count *cost* against *who*; raise 429 when that goes over *limit* per minute."""
        if limit < 0:
            return
        now = self._clock()
        hits = self._hits.get(who)
        if hits is None:
            if len(self._hits) >= self._max_clients:
                self._forget(now)
            hits = self._hits[who] = deque()
        while hits and hits[0][0] <= now - WINDOW:
            hits.popleft()
        used = sum(n for _, n in hits)
        if used + cost > limit:
            raise ApiError(429, f"Slowdown: {limit} per 1 minute")
        hits.append((now, cost))

    def _forget(self, now: float) -> None:
        """Drop clients with no request in the window (bounds memory under many addresses)."""
        for who in [w for w, h in self._hits.items() if not h or h[-1][0] <= now - WINDOW]:
            del self._hits[who]


def check_texts(texts: list[str], *, char_limit: int, batch_limit: int, batch: bool) -> None:
    """LibreTranslate's checks: texts per request (lists only), then characters per text."""
    if batch and batch_limit >= 0 and len(texts) > batch_limit:
        raise too_long(len(texts), batch_limit)
    if char_limit >= 0:
        for text in texts:
            if len(text) > char_limit:
                raise too_long(len(text), char_limit)


class Access:
    """API keys and request limits for one worker."""

    def __init__(self, keys: dict[str, KeyLimits] | None, req_limit: int, char_limit: int,
                 limiter: RateLimiter | None = None) -> None:
        self.keys = keys
        self.req_limit = req_limit
        self.char_limit = char_limit
        self.limiter = limiter or RateLimiter()

    @property
    def key_required(self) -> bool:
        return self.keys is not None

    def admit(self, client: str, key: object, cost: int = 1) -> KeyLimits:
        """Check the key (400 missing, 403 unknown, as LibreTranslate) and charge the request."""
        limits = KeyLimits()
        if self.keys is not None:
            if key in (None, ""):
                raise ApiError(400, "Please contact the server operator to get an API key")
            if not isinstance(key, str) or key not in self.keys:
                raise ApiError(403, "Invalid API key")
            limits = self.keys[key]
        who = f"key:{key}" if self.keys is not None else f"ip:{client}"
        self.limiter.charge(who, max(1, cost), _pick(limits.req_limit, self.req_limit))
        return limits

    def charge_client(self, client: str) -> None:
        """Count a request that needs no key (a download) against the client's address."""
        self.limiter.charge(f"ip:{client}", 1, self.req_limit)

    def char_limit_for(self, limits: KeyLimits) -> int:
        return _pick(limits.char_limit, self.char_limit)


def _pick(own: int | None, default: int) -> int:
    return default if own is None else own
