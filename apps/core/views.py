from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def home(request):
    return render(request, "core/home.html")


def _spatial_probe() -> tuple[bool, str | None, str | None]:
    """Run a real spatial function so a missing or broken extension shows, not just a version."""
    try:
        version = ".".join(str(part) for part in connection.ops.spatial_version)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ST_Area(ST_GeomFromText('POLYGON((0 0,2 0,2 2,0 2,0 0))', 4326))"
            )
            (area,) = cursor.fetchone()
        if float(area) != 4.0:
            return False, version, f"unexpected ST_Area result {area!r}"
        return True, version, None
    except (DatabaseError, AttributeError, TypeError, ValueError) as exc:
        return False, None, str(exc)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers: 200 when the spatial database works."""
    backend = connection.vendor
    engine = connection.settings_dict["ENGINE"].rsplit(".", 1)[-1]
    ok, version, error = _spatial_probe()
    body = {
        "status": "ok" if ok else "error",
        "database": {
            "vendor": backend,
            "backend": engine,
            "spatial_extension": ok,
            "spatial_version": version,
        },
    }
    if error:
        body["database"]["error"] = error
    return JsonResponse(body, status=200 if ok else 503)
