"""The shipped deploy/nginx.conf, run as it is in front of a local gunicorn: only what a
test machine cannot have is swapped (TLS on 443 for a plain port, with the forwarded scheme
kept https as TLS termination would send it; the cache and log folders; the upstream port).
Used by tests/test_deploy_nginx.py and by the load benchmark (bench/load.py)."""

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "deploy" / "nginx.conf"
SITE_HOST = "schedule.example.org"


def available() -> bool:
    return shutil.which("nginx") is not None


def site_config(workdir: Path, listen_port: int, upstream_port: int, extra: str = "") -> Path:
    """The shipped site in a complete nginx.conf for a foreground nginx in `workdir`;
    `extra`: locations the benchmark adds (a static folder to compare with)."""
    site = SHIPPED.read_text()
    swaps = [
        ("/var/cache/nginx/schedule", str(workdir / "cache")),
        ("/var/log/nginx/schedule.access.log", str(workdir / "access.log")),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{listen_port};"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("X-Forwarded-Proto $scheme", "X-Forwarded-Proto https"),
        ("server {", "server {\n" + extra),
    ]
    for shipped, here in swaps:  # the shipped file changed: say so, do not test another
        if shipped not in site:
            raise ValueError(f"deploy/nginx.conf no longer has {shipped!r}")
        site = site.replace(shipped, here, 1 if shipped == "server {" else -1)
    (workdir / "site.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {workdir / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = workdir / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers reach workdir (0700)
    conf.write_text(
        f"{user}pid {workdir / 'nginx.pid'}; error_log {workdir / 'error.log'};\n"
        "worker_processes 1; daemon off;\n"
        # As Debian's /etc/nginx/nginx.conf sets them for every site:
        f"events {{}}\nhttp {{ sendfile on; tcp_nopush on; {temp} "
        f"include {workdir / 'site.conf'}; }}\n"
    )
    return conf


def check(conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["nginx", "-t", "-c", str(conf)], capture_output=True, text=True)


@contextmanager
def running(workdir: Path, listen_port: int, upstream_port: int, extra: str = ""):
    """nginx with the shipped site, until the block ends."""
    conf = site_config(workdir, listen_port, upstream_port, extra)
    process = subprocess.Popen(
        ["nginx", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(50):
            if process.poll() is not None:
                raise RuntimeError(f"nginx did not start: see {workdir / 'error.log'}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{listen_port}/", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # nginx answers (the app's answer does not matter here)
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"nginx did not answer on port {listen_port}")
        yield f"http://127.0.0.1:{listen_port}"
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)
