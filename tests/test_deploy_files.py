"""The production recipe's files (deploy/, compose.yaml) checked with the tools that read them:
`systemd-analyze verify` for the units and Debian's `nginx -t` for the site (scripts/test installs
nginx-light when it runs as root). A missing tool skips its test with a message saying so."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = ["xuanju.service", "xuanju-worker.service", "xuanju-backup.service", "xuanju-backup.timer"]
VENV = Path(sys.executable).parent


def _env_names(text: str) -> set[str]:
    return {line.split("=", 1)[0] for line in text.splitlines() if re.match(r"^[A-Z_]+=", line)}


def test_the_units_verify_with_systemd(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd): units not verified")
    # The units as installed, with the virtualenv of this checkout where the recipe has /opt/xuanju
    # (systemd-analyze checks that each command exists and is executable).
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/opt/xuanju/.venv/bin", str(VENV)), encoding="utf-8")
    done = subprocess.run(
        [tool, "verify", *(str(tmp_path / n) for n in UNITS)], capture_output=True, text=True, timeout=120
    )
    # Only what says something about the units counts; this machine may run without systemd as init.
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip()
        and not re.search(r"System has not been booted with systemd|Failed to connect to bus", line)
    ]
    assert problems == [], "\n".join(problems)
    for line in re.findall(r"^ExecStart=(\S+)", (DEPLOY / "systemd" / "xuanju.service").read_text(), re.M):
        assert line == "/opt/xuanju/.venv/bin/gunicorn"


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (Debian package nginx-light; scripts/test installs it as root)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no test certificate for nginx -t")
    # A throw-away certificate where certbot would put the real one.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=xuanju.example.org",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "xuanju.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/letsencrypt/live/xuanju.example.org", str(tmp_path))
    (tmp_path / "xuanju.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  include {tmp_path}/xuanju.conf;\n}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
    # What the application relies on (xuanju/hosting.py, xuanju/limits/body.py, R-SUP-1).
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "access_log off;" in site
    assert "client_max_body_size 512m;" in site


def test_the_recipe_uses_the_settings_the_application_reads():
    from xuanju.limits.body import UPLOAD_BYTES

    assert max(UPLOAD_BYTES.values()) == 512 * 1024 * 1024  # nginx's client_max_body_size
    documented = _env_names((DEPLOY / "xuanju.env").read_text(encoding="utf-8"))
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in documented:
        assert name in compose and name in guide, name
    for name in [
        *UNITS,
        "xuanju.conf",
        "xuanju.env",
        "compose.yaml",
        "xuanju backup",
        "xuanju restore",
        "xuanju migrate",
    ]:
        assert name in guide, name
