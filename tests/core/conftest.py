"""Core fixtures: a real S3 server (SeaweedFS, tests/s3.py) for the file-storage tests."""

from tests.s3 import s3_server, s3_storage  # noqa: F401 (fixtures are found by name)
