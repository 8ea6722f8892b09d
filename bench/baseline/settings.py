"""Settings of the bare-Django baseline: the least Django needs to answer a request."""

import os

SECRET_KEY = os.environ.get("BENCH_BASELINE_SECRET_KEY", "bench-baseline-not-a-secret-it-serves-nothing-private")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.baseline.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
USE_I18N = False
