"""A local S3 server for the raw store's tests: moto's threaded server on 127.0.0.1, one bucket."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class S3:
    """Where the bucket is: the ``STORE_DIR`` URL and the ``STORE_OPTIONS`` that reach it."""

    url: str
    options: dict

    @property
    def options_json(self) -> str:
        return json.dumps(self.options)


@contextmanager
def s3_server() -> Iterator[S3]:
    """An S3 server on a free port with a new empty bucket; skips (saying why) without the [s3] extra.

    moto keeps its buckets per process, not per server: each call makes a bucket of its own."""
    moto_server = pytest.importorskip("moto.server", reason="the [s3] extra (moto[server], s3fs) is not installed")
    s3fs = pytest.importorskip("s3fs", reason="the [s3] extra (moto[server], s3fs) is not installed")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        options = {"endpoint_url": f"http://{host}:{port}", "key": "test", "secret": "test"}
        bucket = f"raw-{uuid.uuid4().hex[:12]}"
        s3fs.S3FileSystem(**options, skip_instance_cache=True).mkdir(bucket)
        yield S3(f"s3://{bucket}/govreports", options)
    finally:
        server.stop()
