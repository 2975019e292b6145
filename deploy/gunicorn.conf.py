"""gunicorn settings for `make serve` and production (gunicorn -c deploy/gunicorn.conf.py).

Workers from WEB_CONCURRENCY (default 2 × cores + 1), bound to $BIND (default
127.0.0.1:8000). Several workers should share a cache (CACHE_URL=redis://…): with the
default local-memory cache each worker builds its own copies, and an edit reaches the other
workers within a second (their change markers are kept at most 1 s).
"""

import multiprocessing
import os
import sys

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# Recycle workers now and then (memory). Cached answers take a fraction of a millisecond, so
# a worker serves a thousand requests a second under load: a limit of 5,000 restarted each
# one every few seconds, every restart importing the app again and starting with empty
# process caches, which cost under load what it was meant to protect.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 200_000))
max_requests_jitter = max_requests // 10
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") else None
logger_class = "schedule.live.gunicorn_logger.MaskingLogger"  # agenda tokens never logged
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    shared = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
    if server.cfg.workers > 1 and not shared:
        print(
            f"warning: {server.cfg.workers} workers without a shared cache: each keeps its own "
            "copies of pages and exports; set CACHE_URL=redis://127.0.0.1:6379/0 to share them.",
            file=sys.stderr,
        )
