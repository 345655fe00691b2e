"""Benchmark the map endpoints on a synthetic national data set, each against the raw SQL it
wraps, measured in the same run.

    DATABASE_URL=postgis://… python manage.py bench_gis [--producers 20000 --products 30000]

The data set (34 provinces, 20,000 producers, 30,000 products at random points inside the real
province polygons, one dossier per product, certificates for about 40 % of them) is written
inside a transaction that is always rolled back: nothing stays in the database. PostGIS only
(the tile part needs ST_AsMVT). Numbers are medians; the machine's noise is part of them, so
read the ratios, not the milliseconds.
"""

import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

import orjson
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.certificates.models import Certificate, RecognitionDecision
from apps.criteria.models import CriteriaSet, Sheet
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.evaluation.models import Assignment, Council, CouncilResult, EvaluationRound
from apps.geo.models import AdminUnit
from apps.maps.layers.base import LayerContext, layer_property_names
from apps.maps.layers.registry import REGISTRY
from apps.producers.models import Producer
from apps.products.choices import CLASSIFICATION_SHEETS
from apps.products.models import Product


class Rollback(Exception):
    pass


def captured(fn) -> list[dict]:
    """The SQL statements `fn` runs. The connection's query log is a deque of at most 9,000
    entries; it is emptied first so that a long run cannot make the count read zero."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        fn()
    return queries.captured_queries


def median_ms(fn, runs: int) -> float:
    return paired_ms([fn], runs)[0]


def paired_ms(fns, runs: int) -> list[float]:
    """Median milliseconds of each function, run interleaved so that the machine's noise falls
    on all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append((time.perf_counter() - start) * 1000)
    return [statistics.median(t) for t in times]


class Command(BaseCommand):
    help = (
        "Benchmark GeoJSON layers, vector tiles and dashboard aggregates on synthetic national "
        "data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--producers", type=int, default=20_000)
        parser.add_argument("--products", type=int, default=30_000)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--seed", type=int, default=26)

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("bench_gis needs PostGIS (DATABASE_URL=postgis://…).")
        self.runs = opts["runs"]
        random.seed(opts["seed"])
        try:
            with transaction.atomic():
                started = time.perf_counter()
                user = self.build(opts["producers"], opts["products"])
                self.stdout.write(f"data built in {time.perf_counter() - started:.1f} s\n")
                self.report(user)
                raise Rollback
        except Rollback:
            self.stdout.write("synthetic data rolled back\n")

    # --- data --------------------------------------------------------------------------------
    def build(self, n_producers: int, n_products: int) -> User:
        today = timezone.localdate()
        admin = User.objects.create(
            username="bench_ministry", role=Role.MINISTRY_OFFICER, is_active=True
        )
        provinces = self._provinces(today)
        communes_86 = list(
            AdminUnit.objects.valid_on(today).filter(level="commune", parent__code="86")
        )
        points = self._producer_points(provinces, n_producers)
        commune_of = self._communes_of(points, communes_86)
        producers = self._create_producers(points, commune_of, admin)
        products = self._create_products(producers, n_products, admin)
        criteria_set = CriteriaSet.objects.get(code="QD26/2026")
        dossiers, certified = self._create_dossiers(
            products, n_products, criteria_set, today, admin
        )
        councils, decisions = self._create_rounds(provinces, criteria_set, admin)
        certified_dossiers = [d for i, d in enumerate(dossiers) if i in certified]
        self._create_certificates(certified_dossiers, councils, decisions, today, admin)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        self.stdout.write(
            f"data: {len(provinces)} provinces, {len(producers)} producers, {len(products)} "
            f"products, "
            f"{len(dossiers)} dossiers, {len(certified_dossiers)} certificates\n"
        )
        return admin

    @staticmethod
    def _provinces(today) -> list[AdminUnit]:
        """The 34 provinces valid today (a CommandError otherwise)."""
        provinces = list(
            AdminUnit.objects.valid_on(today).filter(level="province", geom__isnull=False)
        )
        if len(provinces) != 34:
            raise CommandError(
                f"expected the 34 provinces of today, found {len(provinces)}; run load_admin_units"
            )
        return provinces

    def _producer_points(self, provinces, n_producers: int) -> list[tuple[AdminUnit, str]]:
        # Producers spread over provinces in proportion to their area, at random points inside
        # the real polygons (ST_GeneratePoints).
        per_province = self._split(n_producers, [p.geom.area for p in provinces])
        points: list[tuple[AdminUnit, str]] = []
        with connection.cursor() as cur:
            for province, n in zip(provinces, per_province, strict=True):
                if n == 0:
                    continue
                cur.execute(
                    "SELECT ST_AsEWKT((ST_Dump(ST_GeneratePoints(geom, %s, %s))).geom) FROM "
                    "geo_adminunit WHERE id = %s",
                    [n, random.randint(1, 10**6), province.pk],
                )
                points.extend((province, row[0]) for row in cur.fetchall())
        return points

    @staticmethod
    def _communes_of(points, communes_86) -> dict[int, int]:
        """The pilot province's commune of each point there, by the point's index."""
        commune_of = {}
        if communes_86:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT p.i, c.id FROM unnest(%s::geometry[]) WITH ORDINALITY AS p(g, i) "
                    "JOIN geo_adminunit c ON c.id = ANY(%s) AND ST_Intersects(c.geom, p.g)",
                    [
                        [wkt for prov, wkt in points if prov.code == "86"],
                        [c.pk for c in communes_86],
                    ],
                )
                in_86 = [i for i, (prov, _) in enumerate(points) if prov.code == "86"]
                for ordinal, commune_id in cur.fetchall():
                    commune_of[in_86[ordinal - 1]] = commune_id
        return commune_of

    @staticmethod
    def _create_producers(points, commune_of, admin) -> list[Producer]:
        producers = Producer.objects.bulk_create(
            [
                Producer(
                    name=f"BENCH Chủ thể {i}",
                    legal_type="cooperative",
                    registration_number=f"BENCH-{i}",
                    registration_date=date(2015, 1, 1),
                    address="BENCH",
                    representative_name="BENCH",
                    location=wkt,
                    province=prov,
                    # Only the pilot province has commune polygons; elsewhere the province
                    # stands in for the commune (benchmark data only, rolled back).
                    commune_id=commune_of.get(i, prov.pk),
                    is_demo=True,
                    created_by=admin,
                )
                for i, (prov, wkt) in enumerate(points)
            ],
            batch_size=2000,
        )
        return producers

    @staticmethod
    def _create_products(producers, n_products: int, admin) -> list[Product]:
        codes = list(CLASSIFICATION_SHEETS.items())
        products = Product.objects.bulk_create(
            [
                Product(
                    name=f"BENCH Sản phẩm {i}",
                    producer=producers[i % len(producers)],
                    status="active",
                    classification_code=codes[i % len(codes)][0],
                    criteria_sheet=codes[i % len(codes)][1],
                    created_by=admin,
                )
                for i in range(n_products)
            ],
            batch_size=2000,
        )
        return products

    @staticmethod
    def _create_dossiers(products, n_products: int, criteria_set, today, admin):
        """One dossier per product; about 40 % of them (`certified`, by index) recognised."""
        sheets = {s.number: s for s in Sheet.objects.filter(criteria_set=criteria_set)}
        statuses = [s for s in DossierStatus.values if s != DossierStatus.RECOGNISED]
        certified = set(random.sample(range(n_products), k=int(n_products * 0.4)))
        dossiers = Dossier.objects.bulk_create(
            [
                Dossier(
                    product=product,
                    status=DossierStatus.RECOGNISED if i in certified else random.choice(statuses),
                    sheet=sheets[product.criteria_sheet],
                    regime_code="QD26/2026",
                    commune_id=product.producer.commune_id,
                    province_id=product.producer.province_id,
                    commune_deadline=today + timedelta(days=random.randint(-30, 30)),
                    round_year=2026,
                    round_number=random.choice((1, 2)),
                    is_demo=True,
                    created_by=admin,
                )
                for i, product in enumerate(products)
            ],
            batch_size=2000,
        )
        return dossiers, certified

    @staticmethod
    def _create_rounds(provinces, criteria_set, admin):
        """A provincial round, council and recognition decision per province."""
        rounds, councils, decisions = {}, {}, {}
        for province in provinces:
            rounds[province.pk] = EvaluationRound.objects.create(
                level="province",
                province=province,
                year=2026,
                number=9,
                proposal_deadline=date(2026, 4, 30),
                evaluation_deadline=date(2026, 6, 30),
                is_demo=True,
            )
            councils[province.pk] = Council.objects.create(
                name=f"BENCH {province.code}",
                round=rounds[province.pk],
                criteria_set=criteria_set,
                regime_code="QD26/2026",
                created_by=admin,
            )
            decisions[province.pk] = RecognitionDecision.objects.create(
                number=f"BENCH-{province.code}",
                date=date(2026, 1, 1),
                level="province",
                province=province,
                signer_name="BENCH",
                signer_title="BENCH",
                created_by=admin,
            )
        return councils, decisions

    @staticmethod
    def _create_certificates(certified_dossiers, councils, decisions, today, admin) -> None:
        """An assignment, a council result and a certificate for each certified dossier."""
        assignments = Assignment.objects.bulk_create(
            [
                Assignment(council=councils[d.province_id], dossier=d, assigned_by=admin)
                for d in certified_dossiers
            ],
            batch_size=2000,
        )
        results = CouncilResult.objects.bulk_create(
            [
                CouncilResult(
                    assignment=a,
                    total=Decimal(75),
                    parts={},
                    band_star=4,
                    star=4,
                    spread=Decimal(0),
                    scoring_members=5,
                    council_size=5,
                    concluded_by=admin,
                )
                for a in assignments
            ],
            batch_size=2000,
        )
        Certificate.objects.bulk_create(
            [
                Certificate(
                    product_id=d.product_id,
                    dossier=d,
                    result=r,
                    decision=decisions[d.province_id],
                    number=f"BENCH-{i}",
                    product_code=f"BENCH-{i:06d}",
                    stars=random.choice((3, 3, 3, 4, 4, 5)),
                    criteria_set_code="QD26/2026",
                    regime_code="QD26/2026",
                    valid_from=(start := today - timedelta(days=random.randint(0, 1400))),
                    valid_until=start + timedelta(days=1095),
                    status=random.choice(("active",) * 19 + ("revoked",)),
                    pdf_storage_name="bench",
                    sha256="0" * 64,
                    is_demo=True,
                )
                for i, (d, r) in enumerate(zip(certified_dossiers, results, strict=True))
            ],
            batch_size=2000,
        )

    @staticmethod
    def _split(total: int, weights: list[float]) -> list[int]:
        s = sum(weights)
        counts = [int(total * w / s) for w in weights]
        counts[weights.index(max(weights))] += total - sum(counts)
        return counts

    # --- measurements ------------------------------------------------------------------------
    def report(self, user: User) -> None:
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        self.stdout.write(
            f"\nGeoJSON layers (median of {self.runs}; endpoint = the full request through "
            "Django; raw = the same SQL statements on a cursor + orjson)\n"
        )
        self.stdout.write(
            f"{'layer':<28}{'features':>9}{'MB':>7}{'endpoint ms':>13}"
            f"{'raw ms':>9}{'ratio':>7}{'queries':>9}\n"
        )
        for layer_id, public, limit in (
            ("products", False, 50_000),
            ("products", True, 50_000),
            ("producers", False, 50_000),
            ("certificates", False, 50_000),
            ("dossiers", False, 50_000),
            ("admin-units", False, 200),
        ):
            self.geojson_row(client, layer_id, public, limit, user)
        self.extra_reports(client, user)

    def geojson_row(
        self, client: Client, layer_id: str, public: bool, limit: int, user: User
    ) -> None:
        layer = REGISTRY[layer_id]
        ctx = LayerContext(user=None if public else user, public=public)
        url = f"/api/v1/{'public/' if public else ''}layers/{layer_id}/?limit={limit}"
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        n = len(orjson.loads(response.content)["features"])
        queries = captured(lambda: client.get(url))

        # The baseline: every SQL statement the endpoint ran (session, user, the layer's rows,
        # counts, aggregates), executed on a bare cursor, and the FeatureCollection of the
        # layer's rows built with orjson. What remains is Django's and the layer code's cost.
        qs = layer.queryset(ctx, {})[:limit]
        props = layer_property_names(layer, ctx)
        sql, params = layer.values_queryset(qs, ctx).query.sql_with_params()
        others = [q["sql"] for q in queries if not q["sql"].startswith(sql[:60])]

        def raw():
            with connection.cursor() as cur:
                for other in others:
                    cur.execute(other)
                    cur.fetchall()
                cur.execute(sql, params)
                rows = cur.fetchall()
            return orjson.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "id": r[0],
                            "geometry": orjson.Fragment(r[1]) if r[1] else None,
                            "properties": dict(zip(props, r[2:], strict=False)),
                        }
                        for r in rows
                    ],
                }
            )

        endpoint, raw_ms = paired_ms([lambda: client.get(url), raw], self.runs)
        label = f"{layer_id}{' (public)' if public else ''}"
        self.stdout.write(
            f"{label:<28}{n:>9}{len(response.content) / 1e6:>7.1f}{endpoint:>13.0f}{raw_ms:>9.0f}"
            f"{endpoint / raw_ms:>7.2f}{len(queries):>9}\n"
        )

    def extra_reports(self, client: Client, user: User) -> None:
        self.tile_report(client, user)
        self.dashboard_report(client)

    def tile_report(self, client: Client, user: User) -> None:
        """Tiles at z8-z12 over the densest province, the endpoint against the same ST_AsMVT
        statement(s) on a bare cursor."""
        import math

        from apps.maps.tiles import tiles_available

        if not tiles_available():
            self.stdout.write("\nvector tiles: not available on this database\n")
            return
        with connection.cursor() as cur:
            cur.execute(
                "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Collect(location)) AS c, "
                "count(*) AS n "
                "FROM producers_producer GROUP BY province_id ORDER BY n DESC LIMIT 1) AS t"
            )
            lon, lat = cur.fetchone()
        self.stdout.write(
            f"\nVector tiles around ({lon:.3f}, {lat:.3f}), the densest province "
            f"(median of {self.runs}; raw = the endpoint's SQL on a cursor)\n"
        )
        self.stdout.write(
            f"{'tile':<28}{'bytes':>9}{'endpoint ms':>13}{'raw ms':>9}{'ratio':>7}{'queries':>9}\n"
        )
        for layer_id in ("products", "certificates", "dossiers"):
            for z in (8, 10, 12):
                n = 2**z
                x = int((lon + 180) / 360 * n)
                y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
                url = f"/tiles/{layer_id}/{z}/{x}/{y}.pbf"
                response = client.get(url)
                assert response.status_code == 200, response.content[:300]
                statements = [q["sql"] for q in captured(lambda url=url: client.get(url))]

                def raw(statements=statements):
                    with connection.cursor() as cur:
                        for sql in statements:
                            cur.execute(sql.replace("%", "%%"))
                            cur.fetchall()

                endpoint, raw_ms = paired_ms([lambda url=url: client.get(url), raw], self.runs)
                self.stdout.write(
                    f"{layer_id + f' {z}/{x}/{y}':<28}{len(response.content):>9}{endpoint:>13.1f}"
                    f"{raw_ms:>9.1f}{endpoint / raw_ms:>7.2f}{len(statements):>9}\n"
                )

    def dashboard_report(self, client: Client) -> None:
        self.stdout.write(f"\nDashboard aggregates (median of {self.runs})\n")
        for query in ("", "?group=I", "?star=4&unit=86", "?status=accepted&round=2026-1"):
            url = f"/dashboards/api/summary{query}"
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            queries = captured(lambda url=url: client.get(url))
            (ms,) = paired_ms([lambda url=url: client.get(url)], self.runs)
            self.stdout.write(f"{url:<52}{ms:>9.0f} ms{len(queries):>5} queries\n")
