"""The settings that depend on how the server is reached: host names, HTTPS and a reverse proxy.

Read from the environment by ``xuanju.settings`` (docs/deploy.md documents each variable):

- ``XUANJU_ALLOWED_HOSTS``: the host names the site answers to, comma-separated
  (``xuanju.example.org``; ``.example.org`` for every subdomain).
- ``XUANJU_HTTPS=1``: the site is served over HTTPS. Cookies are then sent over HTTPS only, plain
  HTTP is redirected, and browsers are told to use HTTPS from now on (HSTS: ``XUANJU_HSTS_SECONDS``,
  default one year; ``XUANJU_HSTS_SUBDOMAINS=0`` if other sites of the domain still use HTTP;
  ``XUANJU_HSTS_PRELOAD=1`` once the domain owner decides to enter the browsers' preload list).
- ``XUANJU_PROXY=1``: a reverse proxy (nginx) in front sets ``X-Forwarded-Proto`` and
  ``X-Forwarded-For`` and strips what the client sent in them. Only then are these headers believed:
  without a proxy a client could claim HTTPS or any address.
- ``XUANJU_CSRF_TRUSTED_ORIGINS``: further origins allowed to post forms (``https://a.example.org``);
  the origins of the allowed hosts are trusted already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LOCAL_HOSTS = "localhost,127.0.0.1,[::1]"
YEAR = 365 * 24 * 60 * 60


@dataclass(frozen=True)
class Hosting:
    allowed_hosts: list[str]
    https: bool
    proxy: bool
    csrf_trusted_origins: list[str]
    hsts_seconds: int
    hsts_subdomains: bool
    hsts_preload: bool

    @property
    def proxy_ssl_header(self) -> tuple[str, str] | None:
        return ("HTTP_X_FORWARDED_PROTO", "https") if self.proxy else None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    return value in ("1", "true", "yes", "on")


def origins_of(hosts: list[str], https: bool) -> list[str]:
    """The origins that post to the hosts: ``https://`` (and ``http://`` without HTTPS); a
    ``.example.org`` entry becomes ``https://*.example.org``; ``*`` allows no origin by itself."""
    schemes = ["https"] if https else ["https", "http"]
    origins = []
    for host in hosts:
        if host == "*":
            continue
        name = f"*{host}" if host.startswith(".") else host
        origins += [f"{scheme}://{name}" for scheme in schemes]
    return origins


def hosting(env: Mapping[str, str]) -> Hosting:
    hosts = _split(env.get("XUANJU_ALLOWED_HOSTS", LOCAL_HOSTS))
    https = _flag(env, "XUANJU_HTTPS")
    origins = origins_of(hosts, https) + _split(env.get("XUANJU_CSRF_TRUSTED_ORIGINS", ""))
    return Hosting(
        allowed_hosts=hosts,
        https=https,
        proxy=_flag(env, "XUANJU_PROXY"),
        csrf_trusted_origins=list(dict.fromkeys(origins)),
        hsts_seconds=int(env.get("XUANJU_HSTS_SECONDS") or YEAR) if https else 0,
        hsts_subdomains=https and _flag(env, "XUANJU_HSTS_SUBDOMAINS", default=True),
        hsts_preload=https and _flag(env, "XUANJU_HSTS_PRELOAD"),
    )


def client_address(meta: Mapping[str, str], proxy: bool) -> str:
    """The address the request came from: the proxy's ``X-Forwarded-For`` (its last entry, the one
    the proxy itself appended) behind ``XUANJU_PROXY``, else the connection's address."""
    if proxy:
        forwarded = _split(meta.get("HTTP_X_FORWARDED_FOR", ""))
        if forwarded:
            return forwarded[-1]
    return meta.get("REMOTE_ADDR", "")
