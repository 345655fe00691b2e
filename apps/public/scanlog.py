"""The scan log: every scan is recorded without slowing the page.

Design. A scan is appended to an in-process buffer (a list behind a lock: a few hundred
nanoseconds, no I/O). One daemon thread per process writes the buffer with a single
`bulk_create` when it is `OCOP_SCAN_BUFFER_SIZE` rows long (the request that fills it only sets an
event) or `OCOP_SCAN_FLUSH_SECONDS` old, and once more at interpreter exit (`atexit`, which
gunicorn's graceful worker shutdown and `manage.py runserver` both run).

Loss window. Rows live only in memory until written: a process killed without a graceful exit
(SIGKILL, out-of-memory, power loss) loses at most the last `OCOP_SCAN_FLUSH_SECONDS` seconds of
that process's scans, or `OCOP_SCAN_BUFFER_SIZE` rows, whichever is smaller. If the database
refuses a batch (down, or a product deleted meanwhile) the batch is logged and dropped, never
retried in a loop; if the writer falls behind, the buffer keeps at most `OCOP_SCAN_BUFFER_MAX`
rows and drops the oldest. Analytics are statistics: losing a few seconds of scans in a crash is
acceptable, a slower page for every consumer is not.

`OCOP_SCAN_LOG = "off"` records nothing. With `OCOP_SCAN_FLUSH_SECONDS = 0` no thread is started
and the buffer is written by the request that fills it (or by an explicit `flush()`): tests use
this, because a test's rows are visible only inside its own transaction.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
import time
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from .choices import AgentClass, ScanChannel

logger = logging.getLogger(__name__)

_BOT = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python|java/|go-http|httpclient|"
    r"okhttp|headless|scan|facebookexternalhit|zalo.*link|lighthouse",
    re.IGNORECASE,
)
_PHONE = re.compile(r"mobi|android|iphone|ipad|ipod|windows phone|zalo|kaios", re.IGNORECASE)
_DESKTOP = re.compile(r"windows nt|macintosh|x11|cros|linux x86_64", re.IGNORECASE)


def agent_class(user_agent: str) -> str:
    """Phone, desktop, bot or other, from a User-Agent header (the header itself is not kept)."""
    ua = user_agent or ""
    if not ua.strip():
        return AgentClass.OTHER
    if _BOT.search(ua):
        return AgentClass.BOT
    if _PHONE.search(ua):
        return AgentClass.PHONE
    if _DESKTOP.search(ua):
        return AgentClass.DESKTOP
    return AgentClass.OTHER


_TENTH = Decimal("0.1")


def coarse(value: float) -> float:
    """A coordinate rounded to 0.1° (≈ 11 km): enough for a map of where codes are scanned,
    too coarse to find a home."""
    return float(Decimal(str(value)).quantize(_TENTH, rounding=ROUND_HALF_UP))


class ScanBuffer:
    def __init__(self) -> None:
        self._rows: list = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._oldest: float | None = None
        self.dropped = 0
        self.written = 0
        atexit.register(self.flush)

    # --- recording (the request path)
    def record(self, scan) -> None:
        """Queue an unsaved `Scan`; never touches the database on the request path unless the
        background writer is disabled (`OCOP_SCAN_FLUSH_SECONDS = 0`)."""
        if settings.OCOP_SCAN_LOG == "off":
            return
        size = settings.OCOP_SCAN_BUFFER_SIZE
        with self._lock:
            if not self._rows:
                self._oldest = time.monotonic()
            self._rows.append(scan)
            overflow = len(self._rows) - settings.OCOP_SCAN_BUFFER_MAX
            if overflow > 0:
                del self._rows[:overflow]
                self.dropped += overflow
            full = len(self._rows) >= size
        if settings.OCOP_SCAN_FLUSH_SECONDS <= 0:
            if full:
                self.flush()
            return
        self._ensure_thread()
        if full:
            self._wake.set()

    def pending(self) -> int:
        with self._lock:
            return len(self._rows)

    # --- writing
    def flush(self) -> int:
        """Write what is buffered in one bulk insert; return the number of rows written."""
        from .models import Scan

        with self._lock:
            rows, self._rows, self._oldest = self._rows, [], None
        if not rows:
            return 0
        try:
            Scan.objects.bulk_create(rows, batch_size=500)
        except Exception:  # noqa: BLE001 — statistics: log and drop rather than block or loop
            logger.exception("Dropped %d scans: the database refused the batch", len(rows))
            self.dropped += len(rows)
            return 0
        self.written += len(rows)
        return len(rows)

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._run, name="ocop-scan-writer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            period = max(settings.OCOP_SCAN_FLUSH_SECONDS, 0.05)
            self._wake.wait(timeout=period)
            self._wake.clear()
            with self._lock:
                due = bool(self._rows) and (
                    len(self._rows) >= settings.OCOP_SCAN_BUFFER_SIZE
                    or time.monotonic() - (self._oldest or 0) >= period
                )
            if due:
                close_old_connections()
                self.flush()


buffer = ScanBuffer()


def location_report_kept(*, lon: float, lat: float, client_key: str = "") -> bool:
    """Whether a consumer's location report counts in the analytics. Dropped: a position outside
    Viet Nam (`OCOP_VIETNAM_BBOX`: the products are sold here, a report from elsewhere is a
    spoof or a broken device), and any report beyond `OCOP_SCAN_LOCATION_PER_MINUTE` from the
    same client within a minute of its first counted report (faster than a person scans codes).
    `client_key` is an opaque hash of the client's address, counted in the cache for a minute and
    never stored.

    The minute starts at the client's first report, not on the clock's minute: a burst is counted
    in one window wherever it falls, where a clock-aligned window splits a burst that straddles
    :00 into two half-counts. The cache's `incr` must keep the key's expiry (local memory, Redis
    and Memcached do; Django's database and file caches reset it, which only lengthens the
    window)."""
    from django.core.cache import cache

    from apps.core.parsing import in_vietnam

    if not in_vietnam(lon, lat):
        return False
    if not client_key:
        return True
    key = f"ocop:scan-location:{client_key}"
    if cache.add(key, 1, timeout=60):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=60)
            count = 1
    return count <= settings.OCOP_SCAN_LOCATION_PER_MINUTE


def scan_record(
    *,
    product_id: int,
    lot_id: int | None,
    user_agent: str,
    certificate_status: str,
    is_demo: bool = False,
    channel: str = ScanChannel.PAGE,
    lon: float | None = None,
    lat: float | None = None,
) -> None:
    """Queue one scan. A location is rounded here, before anything keeps it."""
    from django.contrib.gis.geos import Point

    from .models import Scan

    location = None
    if channel == ScanChannel.LOCATION and lon is not None and lat is not None:
        location = Point(coarse(lon), coarse(lat), srid=4326)
    buffer.record(
        Scan(
            product_id=product_id,
            lot_id=lot_id,
            scanned_at=timezone.now(),
            channel=channel,
            agent=agent_class(user_agent),
            certificate_status=certificate_status or "",
            location=location,
            is_demo=is_demo,
        )
    )
