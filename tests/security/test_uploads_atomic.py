"""A full disk or a kill during an upload leaves no partial file where a reader could find it.

Django 5.2's FileSystemStorage writes straight into the final name (O_EXCL) and leaves what it
wrote when a write fails; the local storage here (apps/core/storage.py) writes a hidden
`.<name>.part-<random>` next to it and links it into place only once it is complete.
"""

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.core.storage import AtomicFileSystemStorage, clean_stale_partials
from apps.dossiers.models import EvidenceFile
from tests.factories.producers import ProducerFactory

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PDF_V2 = PDF + b"% version 2\n" + b"%" * 200_000 + b"\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


class _FullDisk:
    """A file object whose write stores half of the data, then fails as a full disk does."""

    def __init__(self, real):
        self._real = real

    def write(self, data):
        self._real.write(data[: len(data) // 2])
        self._real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._real.close()
        return False


@pytest.fixture
def full_disk(monkeypatch):
    """From now on every file opened with os.fdopen (how both Django's storage and ours write)
    runs out of space after its first half-write."""

    def arm():
        real_fdopen = os.fdopen

        def fdopen(fd, *args, **kwargs):
            return _FullDisk(real_fdopen(fd, *args, **kwargs))

        monkeypatch.setattr(os, "fdopen", fdopen)

    return arm


def test_local_storage_is_the_atomic_one():
    backend = django_settings.STORAGES["default"]["BACKEND"]
    assert backend == "apps.core.storage.AtomicFileSystemStorage"
    assert isinstance(storages["default"], AtomicFileSystemStorage)


# --- the storage itself ---------------------------------------------------------------------------
def test_a_complete_save_leaves_only_the_file(media):
    storage = storages["default"]
    name = storage.save("dossiers/2026/12/a.pdf", ContentFile(PDF_V2))
    assert (media / name).read_bytes() == PDF_V2
    assert files_under(media) == [media / name]
    again = storage.save("dossiers/2026/12/a.pdf", ContentFile(PDF))  # never replaces
    assert again != name and (media / name).read_bytes() == PDF_V2
    assert (media / again).read_bytes() == PDF


@pytest.mark.django_db
def test_disk_full_leaves_nothing(media, full_disk):
    storage = storages["default"]
    full_disk()
    with pytest.raises(OSError) as caught:
        storage.save("dossiers/2026/12/full.pdf", ContentFile(PDF_V2))
    assert caught.value.errno == errno.ENOSPC
    assert not storage.exists("dossiers/2026/12/full.pdf")
    assert files_under(media) == [], "no partial file, not even a temporary one"


# --- through the API: a clear error, and the dossier keeps its previous version -------------------
@pytest.fixture
def owner(make_user, unit):
    return make_user(Role.PRODUCER, [unit("28777")], username="upload_owner")


@pytest.fixture
def dossier(owner):
    from apps.dossiers.services import dossier_create
    from apps.products.services import product_create

    producer = ProducerFactory(users=[owner], name="HTX Tải Lên")
    product = product_create(
        actor=owner, producer=producer, name="Kẹo dừa tải lên", classification_code="I.3.c"
    )
    return dossier_create(product=product, kind="first", actor=owner)


def _upload(client, dossier, content, **fields):
    data = {
        "file": SimpleUploadedFile("Phiếu kiểm nghiệm.pdf", content),
        "annex_type": "lab_test",
        **fields,
    }
    return client.post(f"/api/v1/dossiers/{dossier.pk}/files/", data, format="multipart")


@pytest.mark.django_db
def test_disk_full_during_a_replacement_is_a_clear_error_and_keeps_the_old_version(
    media, owner, dossier, full_disk
):
    client = APIClient()
    client.force_authenticate(owner)
    first = _upload(client, dossier, PDF)
    assert first.status_code == 201, first.content
    v1 = EvidenceFile.objects.get(pk=first.json()["id"])
    before = files_under(media)
    assert [p.read_bytes() for p in before] == [PDF]

    full_disk()
    response = _upload(client, dossier, PDF_V2, replaces=v1.pk)

    assert response.status_code == 503, response.content[:300]
    body = response.json()
    assert body["code"] == "storage_failed" and body["message"]
    assert body["extra"]["key"] == "file"
    v1.refresh_from_db()
    assert v1.replaced_by_id is None and EvidenceFile.objects.filter(dossier=dossier).count() == 1
    assert files_under(media) == before and before[0].read_bytes() == PDF


@pytest.mark.django_db
def test_disk_full_in_the_wizard_is_a_form_error(client, media, owner, dossier, full_disk):
    client.force_login(owner)
    full_disk()
    response = client.post(
        f"/dossiers/{dossier.pk}/edit/files/",
        {"file": SimpleUploadedFile("a.pdf", PDF_V2), "annex_type": "lab_test"},
    )
    assert response.status_code == 400
    assert "storage" in response.content.decode().lower() or "lưu" in response.content.decode()
    assert not EvidenceFile.objects.filter(dossier=dossier).exists()
    assert files_under(media) == []


# --- a process killed mid-write -------------------------------------------------------------------
CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ["DJANGO_SETTINGS_MODULE"] = "ocop_gis.settings.test"
    import django
    django.setup()
    from django.core.files.base import File
    from django.core.files.storage import storages

    marker = sys.argv[1]

    class Slow(File):
        def __init__(self):
            super().__init__(None, name="slow.pdf")
        @property
        def size(self):
            return 0
        def chunks(self, chunk_size=None):
            yield b"%PDF-1.4\\n" + b"A" * 262144
            open(marker, "w").close()   # the first chunk is on disk
            time.sleep(120)
            yield b"%%EOF\\n"

    storages["default"].save("dossiers/2026/12/killed.pdf", Slow())
    """
)


def test_a_kill_mid_write_leaves_no_readable_partial(media, tmp_path, settings):
    marker = tmp_path / "first-chunk-written"
    env = {**os.environ, "MEDIA_ROOT": str(media), "OCOP_STORAGE": "local"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(marker)],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"the writer died early: {child.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("the writer never wrote its first chunk")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    storage = storages["default"]
    assert not (media / "dossiers/2026/12/killed.pdf").exists()
    assert not storage.exists("dossiers/2026/12/killed.pdf")
    leftovers = files_under(media)
    assert all(p.name.startswith(".") and ".part-" in p.name for p in leftovers), leftovers
    assert storage.listdir("dossiers/2026/12")[1] == [], "partials are not listed"

    # The start-up sweep removes them once they are older than OCOP_STALE_UPLOAD_MINUTES.
    from apps.core.apps import _clean_interrupted_uploads

    settings.OCOP_STALE_UPLOAD_MINUTES = 60
    _clean_interrupted_uploads()
    assert files_under(media) == leftovers, "a young partial may be an upload in progress"
    old = time.time() - 2 * 3600
    for path in leftovers:
        os.utime(path, (old, old))
    _clean_interrupted_uploads()
    assert files_under(media) == []


def test_clean_stale_partials_keeps_real_files(tmp_path):
    root = tmp_path / "m"
    (root / "a").mkdir(parents=True)
    real = root / "a" / "0123abcd.pdf"
    real.write_bytes(PDF)
    partial = root / "a" / ".0123abcd.pdf.part-00ff00ff00ff00ff"
    partial.write_bytes(PDF[:10])
    old = time.time() - 3600
    os.utime(real, (old, old))
    os.utime(partial, (old, old))
    assert clean_stale_partials(root, older_than_minutes=30) == [partial]
    assert real.exists() and not partial.exists()
