"""A real S3-compatible server on loopback for tests: moto's server mode, spoken to over HTTP by boto3.

with S3Server() as s3:
    with s3.fresh_bucket() as bucket:
        create_app({**s3.settings(bucket), ...})   # STORAGE_BACKEND=s3 and the S3_* settings
"""

import itertools
import os
from contextlib import contextmanager

import boto3
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
ACCESS_KEY_ID = "test-access-key"
SECRET_ACCESS_KEY = "test-secret-key"

_bucket_numbers = itertools.count()


class S3Server:
    def __init__(self):
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.endpoint_url = None
        self.client = None

    def __enter__(self):
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        self.client = boto3.client(
            "s3",
            region_name=REGION,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
        )
        return self

    def __exit__(self, *exc_info):
        self.client.close()
        self._server.stop()

    def settings(self, bucket, endpoint_url=None):
        """The settings (as environment strings) of an app storing its images in bucket."""
        return {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": bucket,
            "S3_REGION": REGION,
            "S3_ENDPOINT_URL": endpoint_url or self.endpoint_url,
            "S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        }

    @contextmanager
    def fresh_bucket(self):
        """A new, empty bucket; it and everything in it are deleted afterwards."""
        name = f"bf-test-{os.getpid()}-{next(_bucket_numbers)}"
        self.client.create_bucket(Bucket=name)
        try:
            yield name
        finally:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=name):
                keys = [{"Key": entry["Key"]} for entry in page.get("Contents", [])]
                if keys:
                    self.client.delete_objects(Bucket=name, Delete={"Objects": keys})
            self.client.delete_bucket(Bucket=name)
