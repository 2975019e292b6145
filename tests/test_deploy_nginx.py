"""deploy/nginx.conf is code: `nginx -t` accepts it (with our address, cache folder and a
plain listener in place of TLS, which needs certificates). Skipped without nginx."""

import shutil
import subprocess
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_the_shipped_nginx_configuration_passes_nginx_t(tmp_path):
    site = (
        CONF.read_text()
        .replace("/var/cache/nginx/schedule", str(tmp_path / "cache"))
        .replace("listen 443 ssl http2;", "listen 127.0.0.1:18081;")
    )
    (tmp_path / "site.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'}; error_log {tmp_path / 'error.log'};\n"
        f"events {{}}\nhttp {{ access_log off; {temp} include {tmp_path / 'site.conf'}; }}\n"
    )

    done = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
