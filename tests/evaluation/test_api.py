import pytest
from django.utils import timezone

from apps.evaluation import services
from tests.factories.criteria import best_choices
from tests.factories.dossiers import accepted_dossier
from tests.factories.evaluation import council_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(people, product, client_for, make_user, unit):
    dossier_id = accepted_dossier(people, product, client_for)
    council, members, adviser = council_with_members(make_user, unit, creator=people["province"])
    return {
        "council": council,
        "members": members,
        "adviser": adviser,
        "dossier_id": dossier_id,
        "people": people,
        "c": client_for,
    }


@pytest.fixture
def assigned(ctx):
    response = ctx["c"](ctx["people"]["province"]).post(
        f"/api/v1/councils/{ctx['council'].pk}/assignments/", {"dossier": ctx["dossier_id"]}
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_assign_permissions_and_bad_input(ctx):
    url = f"/api/v1/councils/{ctx['council'].pk}/assignments/"
    c, p = ctx["c"], ctx["people"]
    assert c(None).post(url, {"dossier": ctx["dossier_id"]}).status_code in (401, 403)
    assert c(p["producer"]).post(url, {"dossier": ctx["dossier_id"]}).status_code == 404
    assert c(p["other_province"]).post(url, {"dossier": ctx["dossier_id"]}).status_code == 404
    assert c(ctx["members"][0]).post(url, {"dossier": ctx["dossier_id"]}).status_code == 404
    bad = c(p["province"]).post(url, {"dossier": "một"})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "dossier"
    assert c(p["province"]).post(url, {"dossier": 999999}).status_code == 404


def test_scorecard_autosave_submit_and_others(ctx, assigned):
    c, (_chair, m1, m2, _m3) = ctx["c"], ctx["members"]
    url = f"/api/v1/assignments/{assigned}/scorecard/"
    saved = c(m1).put(url, {"choices": {"1.1": 3}}, format="json")
    assert saved.status_code == 200 and saved.json()["scorecard"]["status"] == "draft"
    assert "1.2" in saved.json()["result"]["missing"]
    full = c(m1).put(url, {"choices": best_choices()}, format="json").json()
    assert full["result"]["total"] == "100.00" and full["result"]["star"] == 5
    assert c(m1).get(f"/api/v1/assignments/{assigned}/scorecards/").json() == {
        "hidden": True,
        "scorecards": [],
    }
    assert c(m1).post(url + "submit/").status_code == 200
    assert c(m1).put(url, {"choices": {"1.1": 1}}, format="json").status_code == 409
    c(m2).put(url, {"choices": best_choices()}, format="json")
    c(m2).post(url + "submit/")
    others = c(m1).get(f"/api/v1/assignments/{assigned}/scorecards/").json()
    assert others["hidden"] is False and others["scorecards"][0]["total"] == "100.00"


@pytest.mark.parametrize(
    "body, key, code",
    [
        ({"choices": {"1.1": 0}}, "choices.1.1", "invalid"),
        ({"choices": {"9.9": 1}}, "9.9", "unknown_criterion"),
        ({"knockouts": ["2.2"]}, "knockouts", "unknown_knockout"),
        ({"choices": "1.1=3"}, "choices", "invalid"),
    ],
)
def test_scorecard_bad_input(ctx, assigned, body, key, code):
    response = ctx["c"](ctx["members"][1]).put(
        f"/api/v1/assignments/{assigned}/scorecard/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["extra"]["key"] == key and response.json()["code"] == code


def test_scorecard_scope(ctx, assigned):
    c, p = ctx["c"], ctx["people"]
    url = f"/api/v1/assignments/{assigned}/scorecard/"
    assert c(None).get(url).status_code in (401, 403)
    for outsider in (p["producer"], p["commune"], p["council"], p["other_province"]):
        assert c(outsider).get(url).status_code == 404, outsider
    assert c(ctx["adviser"]).get(url).status_code == 404  # advisers do not score


def test_conflict_declared_then_blocked(ctx, assigned):
    c, m1 = ctx["c"], ctx["members"][1]
    url = f"/api/v1/assignments/{assigned}/conflicts/"
    assert c(m1).post(url, {}).status_code == 400
    assert c(m1).post(url, {"note": "Là cố vấn sản phẩm"}).status_code == 201
    blocked = c(m1).get(f"/api/v1/assignments/{assigned}/scorecard/")
    assert blocked.status_code == 403 and blocked.json()["extra"]["key"] == "conflict"


def test_reopen_and_conclude_permissions(ctx, assigned):
    c, (chair, m1, m2, _m3) = ctx["c"], ctx["members"]
    assert c(m1).post(f"/api/v1/assignments/{assigned}/conclude/", {}).status_code == 403
    assert (
        c(chair)
        .post(
            f"/api/v1/assignments/{assigned}/reopen/",
            {"scorecards": [], "reason": "x"},
            format="json",
        )
        .status_code
        == 400
    )
    for m in (chair, m1, m2):
        services.scorecard_save(assignment_id=assigned, member=m, choices=best_choices())
        services.scorecard_submit(assignment_id=assigned, member=m)
    concluded = c(chair).post(f"/api/v1/assignments/{assigned}/conclude/", {"feedback": "Đạt"})
    assert concluded.status_code == 201 and concluded.json()["star"] == 5
    detail = c(m1).get(f"/api/v1/assignments/{assigned}/").json()
    assert detail["result"]["total"] == "100.00"


def test_progress_for_chair_only(ctx, assigned):
    c, (chair, m1, _m2, _m3) = ctx["c"], ctx["members"]
    url = f"/api/v1/councils/{ctx['council'].pk}/progress/"
    body = c(chair).get(url).json()
    assert (
        len(body["members"]) == 4
        and body["assignments"][0]["statuses"][str(m1.pk)] == "not_started"
    )
    assert c(m1).get(url).status_code == 403
    assert c(ctx["people"]["producer"]).get(url).status_code == 404


def test_producer_never_sees_members_or_scores(ctx, assigned, client):
    chair, m1, m2, _m3 = ctx["members"]
    for m in (chair, m1, m2):
        services.scorecard_save(assignment_id=assigned, member=m, choices=best_choices())
        services.scorecard_submit(assignment_id=assigned, member=m)
    services.council_conclude(assignment_id=assigned, chair=chair)
    producer = ctx["c"](ctx["people"]["producer"])
    assert producer.get("/api/v1/councils/").json() == []
    assert producer.get(f"/api/v1/assignments/{assigned}/").status_code == 404
    assert producer.get(f"/api/v1/assignments/{assigned}/scorecards/").status_code == 404
    detail = producer.get(f"/api/v1/dossiers/{ctx['dossier_id']}/").json()
    assert detail["status"] == "evaluated"
    assert detail["council_result"]["total"] == "100.00" and detail["council_result"]["star"] == 5
    names = {m.username for m in ctx["members"]} | {str(m) for m in ctx["members"]}
    actors = {e["actor"] for e in detail["events"]}
    assert not actors & names
    client.force_login(ctx["people"]["producer"])
    page = client.get(f"/dossiers/{ctx['dossier_id']}/").content.decode()
    assert not any(name in page for name in names)
    assert 'data-testid="council-result"' in page and "100.00" in page


def test_field_visit_and_lab_request_api(ctx, assigned):
    c, adviser = ctx["c"], ctx["adviser"]
    url = f"/api/v1/assignments/{assigned}/field-visits/"
    ok = c(adviser).post(
        url,
        {
            "visited_on": "2026-11-20",
            "location": {"type": "Point", "coordinates": [106.3756, 10.2415]},
            "findings": {"1.1": "Đạt"},
        },
        format="json",
    )
    assert ok.status_code == 201
    bad = c(adviser).post(url, {"visited_on": "hôm qua", "location": {}}, format="json")
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "visited_on"
    assert (
        c(ctx["members"][1])
        .post(
            url,
            {
                "visited_on": "2026-11-20",
                "location": {"type": "Point", "coordinates": [106.3756, 10.2415]},
            },
            format="json",
        )
        .status_code
        == 403
    )
    lab = c(adviser).post(
        f"/api/v1/assignments/{assigned}/lab-requests/", {"tests": "Chỉ tiêu vi sinh"}
    )
    assert lab.status_code == 201


def test_round_and_council_setup(ctx, make_user, unit):
    c, p = ctx["c"], ctx["people"]
    Y = (
        timezone.localdate().year + 2
    )  # a year with no round yet (the fixtures set up the current one)
    officer = p["province"]
    bad = c(officer).post(
        "/api/v1/rounds/",
        {
            "year": Y,
            "number": 1,
            "proposal_deadline": f"{Y}-06-30",
            "evaluation_deadline": f"{Y}-04-30",
        },
    )
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "proposal_deadline"
    assert (
        c(p["commune"])
        .post(
            "/api/v1/rounds/",
            {
                "year": Y,
                "number": 1,
                "proposal_deadline": f"{Y}-04-30",
                "evaluation_deadline": f"{Y}-06-30",
            },
        )
        .status_code
        == 403
    )
    round_id = (
        c(officer)
        .post(
            "/api/v1/rounds/",
            {
                "year": Y,
                "number": 1,
                "proposal_deadline": f"{Y}-04-30",
                "evaluation_deadline": f"{Y}-06-30",
            },
        )
        .json()["id"]
    )
    vinh_long = unit("86", "province")
    people = [make_user("council_member", [vinh_long], username=f"tv{i}") for i in range(3)]
    adviser = make_user("advisory_member", [vinh_long], username="tuvan2")
    body = {
        "round": round_id,
        "name": f"Hội đồng đợt 1/{Y}",
        "members": [
            {"user": people[0].pk, "role": "chair"},
            {"user": people[1].pk, "role": "member"},
            {"user": people[2].pk, "role": "secretary"},
        ],
        "advisors": [adviser.pk],
        "conflict_rules": ["relative"],
        "quorum": "0.67",
    }
    two_chairs = {
        **body,
        "members": [
            {"user": people[0].pk, "role": "chair"},
            {"user": people[1].pk, "role": "chair"},
        ],
    }
    response = c(officer).post("/api/v1/councils/new/", two_chairs, format="json")
    assert response.status_code == 400 and response.json()["extra"]["key"] == "members"
    outsider = make_user("council_member", [unit("01", "province")])
    response = c(officer).post(
        "/api/v1/councils/new/",
        {**body, "members": [{"user": outsider.pk, "role": "chair"}]},
        format="json",
    )
    assert response.status_code == 400 and response.json()["extra"]["key"] == "members"
    response = c(officer).post(
        "/api/v1/councils/new/", {**body, "conflict_rules": ["friend"]}, format="json"
    )
    assert response.status_code == 400 and response.json()["extra"]["key"] == "conflict_rules"
    created = c(officer).post("/api/v1/councils/new/", body, format="json")
    assert created.status_code == 201, created.content
    listed = c(people[1]).get("/api/v1/councils/").json()
    assert [x["name"] for x in listed] == [f"Hội đồng đợt 1/{Y}"]
    assert (
        c(p["other_province"]).post("/api/v1/councils/new/", body, format="json").status_code == 404
    )


def test_producer_links_feed_the_conflict_rules(ctx, product):
    c, p = ctx["c"], ctx["people"]
    url = f"/api/v1/producers/{product.producer.pk}/links/"
    member = ctx["members"][1]
    assert c(p["commune"]).post(url, {"user": member.pk, "kind": "relative"}).status_code == 403
    assert (
        c(p["other_province"]).post(url, {"user": member.pk, "kind": "relative"}).status_code == 404
    )
    bad = c(p["province"]).post(url, {"user": member.pk, "kind": "friend"})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "kind"
    assert c(p["province"]).post(url, {"user": member.pk, "kind": "relative"}).status_code == 201
    assignment = (
        c(p["province"])
        .post(f"/api/v1/councils/{ctx['council'].pk}/assignments/", {"dossier": ctx["dossier_id"]})
        .json()["id"]
    )
    blocked = c(member).get(f"/api/v1/assignments/{assignment}/scorecard/")
    assert blocked.status_code == 403


def test_conclusion_pdf_lists_the_ranked_products(ctx, assigned):
    from io import BytesIO

    from pypdf import PdfReader

    c, (chair, m1, m2, _m3) = ctx["c"], ctx["members"]
    for m in (chair, m1, m2):
        services.scorecard_save(assignment_id=assigned, member=m, choices=best_choices())
        services.scorecard_submit(assignment_id=assigned, member=m)
    services.council_conclude(assignment_id=assigned, chair=chair)
    url = f"/api/v1/councils/{ctx['council'].pk}/conclusion.pdf"
    assert c(m1).get(url).status_code == 403
    assert c(ctx["people"]["producer"]).get(url).status_code == 404
    response = c(chair).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Kẹo dừa DEMO" in text and "100.00" in text


def _jpeg(gps: tuple[float, float] | None = None) -> bytes:
    """A small real JPEG; with `gps` (lon, lat), a camera-style EXIF GPS tag."""
    from io import BytesIO

    from PIL import Image

    image, out = Image.new("RGB", (32, 24), (40, 120, 60)), BytesIO()
    exif = Image.Exif()
    if gps:

        def dms(value):
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            return (d, m, round(((value - d) * 60 - m) * 60, 4))

        lon, lat = gps
        exif[0x8825] = {
            1: "N" if lat >= 0 else "S",
            2: dms(lat),
            3: "E" if lon >= 0 else "W",
            4: dms(lon),
        }
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_field_visit_photos_are_geotagged(ctx, assigned):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c, adviser = ctx["c"], ctx["adviser"]
    visit = (
        c(adviser)
        .post(
            f"/api/v1/assignments/{assigned}/field-visits/",
            {
                "visited_on": "2026-11-20",
                "location": {"type": "Point", "coordinates": [106.3756, 10.2415]},
            },
            format="json",
        )
        .json()["id"]
    )
    url = f"/api/v1/field-visits/{visit}/photos/"
    tagged = c(adviser).post(
        url,
        {"file": SimpleUploadedFile("nha-xuong.jpg", _jpeg((106.3756, 10.2415)))},
        format="multipart",
    )
    assert tagged.status_code == 201, tagged.content
    lon, lat = tagged.json()["location"]["coordinates"]
    assert abs(lon - 106.3756) < 1e-4 and abs(lat - 10.2415) < 1e-4

    untagged = c(adviser).post(
        url, {"file": SimpleUploadedFile("vuon.jpg", _jpeg())}, format="multipart"
    )
    assert untagged.status_code == 400 and untagged.json()["extra"]["key"] == "lon"
    given = c(adviser).post(
        url,
        {"file": SimpleUploadedFile("vuon.jpg", _jpeg()), "lon": 106.38, "lat": 10.24},
        format="multipart",
    )
    assert given.status_code == 201
    pdf = c(adviser).post(
        url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")}, format="multipart"
    )
    assert pdf.status_code == 400 and pdf.json()["extra"]["key"] == "file"
    assert (
        c(ctx["members"][1])
        .post(
            url,
            {"file": SimpleUploadedFile("x.jpg", _jpeg((106.3756, 10.2415)))},
            format="multipart",
        )
        .status_code
        == 403
    )
    assert (
        c(ctx["people"]["producer"])
        .post(url, {"file": SimpleUploadedFile("x.jpg", _jpeg())}, format="multipart")
        .status_code
        == 404
    )
