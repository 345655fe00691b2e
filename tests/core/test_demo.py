import pytest
from django.core.management import call_command

from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.producers.models import Producer
from apps.products.models import Product

pytestmark = pytest.mark.django_db


def test_seed_demo_covers_every_status_and_group_and_reruns_cleanly(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("apps.demo.seeding.CREDENTIALS_FILE", tmp_path / "creds.json")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "demo_chuthe" in out and "demo_quantri" in out

    producers = Producer.objects.filter(is_demo=True)
    assert producers.count() == 6 and all(p.name.startswith("DEMO") for p in producers)
    assert {p.province.code for p in producers} == {"86"}
    assert all(p.commune.geom.contains(p.location) for p in producers)
    groups = {
        p.classification_code.split(".")[0] for p in Product.objects.filter(producer__in=producers)
    }
    assert groups == {"I", "II", "III", "IV", "V", "VI"}
    assert set(Dossier.objects.filter(is_demo=True).values_list("status", flat=True)) == set(
        DossierStatus.values
    )

    # A council that can reach its quorum with printed logins, and a result for the leader.
    from apps.accounts.models import User
    from apps.certificates.selectors import decision_worklist
    from apps.evaluation.models import Council

    council = Council.objects.get(round__is_demo=True)
    seats = list(council.members.select_related("user"))
    assert len(seats) == 4 and all(s.user.has_usable_password() for s in seats)
    assert all(s.user.username in out for s in seats)
    worklist = decision_worklist(user=User.objects.get(username="demo_lanhdao"))
    assert [r.assignment.dossier.product.name for r in worklist.recognise] == [
        "DEMO Nước mắm cá cơm"
    ]

    counts = (Producer.objects.count(), Product.objects.count(), Dossier.objects.count())
    call_command("seed_demo")
    assert (Producer.objects.count(), Product.objects.count(), Dossier.objects.count()) == counts
