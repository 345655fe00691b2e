"""The storage tests of test_files.py (storage_contract.py) again, on a real S3 server (SeaweedFS on
localhost).

The server is started by the session fixture in tests/s3.py; if it cannot start, these tests fail
with its log, they are not skipped.
"""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from storages.backends.s3 import S3Storage

from apps.core.files import stored_file_save, upload_check

from .samples import make_png, upload
from .storage_contract import StorageContract

pytestmark = pytest.mark.s3


class TestS3Storage(StorageContract):
    @pytest.fixture
    def file_storage(self, s3_storage):
        assert isinstance(s3_storage, S3Storage)
        return s3_storage

    def _stored_png(self, content_type: str = "image/png") -> str:
        file = upload("nhan.png", make_png(), content_type=content_type)
        return stored_file_save(checked=upload_check(file=file), file=file, prefix="dossiers")

    def test_the_object_type_is_the_detected_one_not_the_declared_one(self, file_storage):
        storage_name = self._stored_png(content_type="text/html")
        head = file_storage.connection.meta.client.head_object(
            Bucket=file_storage.bucket_name, Key=f"{file_storage.location}/{storage_name}"
        )
        assert head["ContentType"] == "image/png"

    def test_objects_are_private(self, file_storage, s3_server):
        storage_name = self._stored_png()
        plain = f"{s3_server.endpoint_url}/{file_storage.bucket_name}/"
        plain += f"{file_storage.location}/{storage_name}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(plain, timeout=10)
        refused.value.close()
        assert refused.value.code == 403

    def test_urls_are_signed_and_short_lived(self, file_storage):
        storage_name = self._stored_png()
        url = file_storage.url(storage_name)
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Expires"] == ["300"]
        assert "X-Amz-Signature" in query
        with urllib.request.urlopen(url, timeout=10) as signed:
            assert signed.read() == make_png()

    def test_objects_stay_under_the_configured_location(self, file_storage, s3_server):
        storage_name = self._stored_png()
        listing = s3_server.client().list_objects_v2(
            Bucket=file_storage.bucket_name, Prefix=f"{file_storage.location}/"
        )
        assert [item["Key"] for item in listing["Contents"]] == [
            f"{file_storage.location}/{storage_name}"
        ]
