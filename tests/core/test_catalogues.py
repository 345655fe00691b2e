"""The Vietnamese catalogues are complete and compiled: no untranslated or fuzzy message (a fuzzy
one is not used, so the page falls back to English), and each committed .mo holds what its .po
says (a forgotten `compilemessages` shows English). GNU gettext's `msgfmt` reads the catalogues,
as Django's `compilemessages` does."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    [*BASE.glob("locale/vi/LC_MESSAGES/django.po"), *BASE.glob("apps/*/locale/vi/LC_MESSAGES/*.po")]
)
pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")


def test_there_are_catalogues():
    assert BASE / "locale/vi/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_every_message_is_translated(po, tmp_path):
    run = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C"},
    )
    assert run.returncode == 0, run.stderr
    stats = run.stderr.strip()
    assert not re.search(r"\d+ (fuzzy|untranslated)", stats), f"{po.name}: {stats}"

    compiled = gettext.GNUTranslations((tmp_path / "out.mo").open("rb"))._catalog
    committed = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))._catalog
    stale = sorted(str(k) for k in compiled.keys() ^ committed.keys())
    stale += sorted(
        str(k) for k in compiled.keys() & committed.keys() if compiled[k] != committed[k]
    )
    assert not stale, f"{po.with_suffix('.mo')} is stale, run compilemessages: {stale[:5]}"
