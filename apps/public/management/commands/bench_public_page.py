"""Benchmark of the public product page for anonymous users (not a test; run on demand):

    manage.py bench_public_page [--requests 500] [--code 86-28777-001-2026]

In one process, through the same Django test client and the whole middleware stack, it times:

1. a minimal Django view (`HttpResponse("ok")`) — the baseline of the stack itself;
2. the product page with scan logging off;
3. the product page with the buffered scan log (the production setting: rows in memory, bulk
   written by the background thread);
4. the product page with one INSERT per request (what the buffer avoids).

It prints requests per second, mean and 95th-percentile latency, the ratios to the baseline and
between the logging modes, and the data size (rows in the tables the page reads, bytes of the
page and of its embedded map). The scans it writes are deleted at the end.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

BENCH_AGENT = "ocop-bench/1.0 (bot)"


def _minimal(request):
    return HttpResponse("ok", content_type="text/plain")


class _Urls:
    urlpatterns = [path("__bench__/minimal", _minimal), path("", include("ocop_gis.urls"))]


class Command(BaseCommand):
    help = (
        "Anonymous throughput of the public product page against a minimal view; scan log on/off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=500)
        parser.add_argument("--code", default="", help="OCOP product code (default: the first)")

    def handle(self, *args, requests: int, code: str, **options):
        from apps.certificates.models import Certificate
        from apps.public.models import Scan
        from apps.public.scanlog import buffer

        cert = (
            Certificate.objects.filter(product_code=code).first()
            if code
            else Certificate.objects.order_by("pk").first()
        )
        if cert is None:
            raise CommandError("No certificate to benchmark: run seed_demo first, or give --code.")
        page_url = f"/p/{cert.product_code}"
        client = Client(HTTP_USER_AGENT=BENCH_AGENT)
        start_pk = Scan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        results, size = _measure(client, page_url, requests)

        time.sleep(0.2)
        buffer.flush()
        written = Scan.objects.filter(pk__gt=start_pk, agent="bot", product=cert.product_id)
        logged = written.count()
        written.delete()
        self._report(cert, page_url, size, requests, results, logged)

    def _report(self, cert, page_url: str, size: int, requests: int, results, logged: int):
        from apps.certificates.models import Certificate
        from apps.geo.models import AdminUnit
        from apps.products.models import Product
        from apps.public.models import Scan
        from apps.public.selectors import public_content, public_product_by_code

        content = public_content(public_product_by_code(code=cert.product_code))
        geojson = len(content["commune_geojson"] or "") + sum(
            len(a["geojson"] or "") for a in content["areas"]
        )
        self.stdout.write(
            f"Database: {connection.settings_dict['ENGINE'].rsplit('.', 1)[-1]}; "
            f"{Product.objects.count()} products, {Certificate.objects.count()} certificates, "
            f"{Scan.objects.count()} scans, {AdminUnit.objects.count()} administrative units."
        )
        self.stdout.write(
            f"Page {page_url}: {size} bytes of HTML, of which {geojson} bytes of map GeoJSON; "
            f"{len(content['photos'])} photos, {len(content['buy_links'])} buy links. "
            f"{requests} requests per mode after a warm-up, in 10 interleaved rounds, one client, "
            f"one thread (the buffered mode's writer thread aside)."
        )
        base = statistics.mean(results["minimal view"])
        self.stdout.write(
            f"{'mode':32} {'req/s':>8} {'mean ms':>8} {'p95 ms':>8} {'× minimal':>10}"
        )
        for label, times in results.items():
            mean = statistics.mean(times)
            p95 = sorted(times)[int(0.95 * (len(times) - 1))]
            self.stdout.write(
                f"{label:32} {1 / mean:8.0f} {mean * 1000:8.2f} {p95 * 1000:8.2f} "
                f"{mean / base:10.1f}"
            )
        off = statistics.mean(results["page, scan log off"])
        on = statistics.mean(results["page, buffered scan log"])
        sync = statistics.mean(results["page, one INSERT per scan"])
        self.stdout.write(
            f"Buffered scan log vs off: {on / off:.3f}× the time per request "
            f"({(on - off) * 1e6:+.0f} µs); one INSERT per scan vs off: {sync / off:.3f}× "
            f"({(sync - off) * 1e6:+.0f} µs). Scans logged during the run: {logged} (deleted)."
        )


def _run(client: Client, url: str, n: int) -> list[float]:
    """The seconds each of `n` GETs of `url` took (a CommandError unless each answers 200)."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
    return times


def _measure(client: Client, page_url: str, requests: int) -> tuple[dict[str, list[float]], int]:
    """The request times of each mode (warm-up, then interleaved rounds) and the page's size."""
    from apps.public.scanlog import buffer

    results: dict[str, list[float]] = {}
    size = 0
    # Every request comes from one address: lift the per-address scan limit, or most scans
    # would not be logged and the scan-log modes would look cheaper than they are.
    with override_settings(
        ROOT_URLCONF=_Urls, ALLOWED_HOSTS=["testserver"], OCOP_RATE_SCAN="1000000000/60"
    ):
        modes = (
            ("minimal view", "/__bench__/minimal", {}),
            ("page, scan log off", page_url, {"OCOP_SCAN_LOG": "off"}),
            ("page, buffered scan log", page_url, {"OCOP_SCAN_LOG": "buffered"}),
            (
                "page, one INSERT per scan",
                page_url,
                {
                    "OCOP_SCAN_LOG": "buffered",
                    "OCOP_SCAN_FLUSH_SECONDS": 0,
                    "OCOP_SCAN_BUFFER_SIZE": 1,
                },
            ),
        )
        for label, url, overrides in modes:  # warm-up: caches, templates, connections
            with override_settings(**overrides):
                _run(client, url, max(20, requests // 10))
                results[label] = []
        # Interleaved rounds, so a machine busy with something else hurts every mode alike.
        rounds = 10
        for _ in range(rounds):
            for label, url, overrides in modes:
                with override_settings(**overrides):
                    results[label] += _run(client, url, max(1, requests // rounds))
                    buffer.flush()
        size = len(client.get(page_url).content)
    return results, size
