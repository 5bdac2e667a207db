"""Venue mode never reaches out to a network: every socket connection that is not to this machine
(loopback, or a Unix socket) is refused in the process, before it leaves it.

The browser on the laptop talks to the server over 127.0.0.1; nothing else is needed at a meeting.
The guard patches :class:`socket.socket` (``connect``, ``connect_ex``, ``sendto``), which every
Python network client goes through, and :func:`socket.getaddrinfo` (a host name other than localhost
would be a DNS query); it is installed before the server starts, so gunicorn's workers
inherit it. It does not replace unplugging the cable (docs/venue.md says to); it makes a mistake in
the software, or a library that would phone home, fail loudly instead of leaking.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_installed = False


class NetworkRefused(OSError):
    """A connection venue mode refused (not loopback)."""


def is_loopback(address: Any) -> bool:
    """Whether ``address`` (a socket address tuple, or a Unix socket path) stays on this machine."""
    if isinstance(address, str | bytes):  # AF_UNIX
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it would itself use the network


def _is_address(host: Any) -> bool:
    text = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _refuse(address: Any) -> None:
    raise NetworkRefused(f"会场模式不连接网络：拒绝连接 {address!r}（只允许本机 127.0.0.1）")


def install() -> None:
    """Refuse every non-loopback connection from now on, in this process and those it forks."""
    global _installed
    if _installed:
        return
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_sendto = socket.socket.sendto
    original_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family != socket.AF_UNIX and not is_loopback(address):
            _refuse(address)
        original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family != socket.AF_UNIX and not is_loopback(address):
            _refuse(address)
        return original_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        address = args[-1]
        if self.family != socket.AF_UNIX and not is_loopback(address):
            _refuse(address)
        return original_sendto(self, data, *args)  # type: ignore[call-overload, no-any-return]

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        # A name other than localhost would be looked up in DNS: that is reaching the network too.
        if host is not None and not is_loopback((host, 0)) and not _is_address(host):
            _refuse(host)
        return original_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign, assignment]
    socket.socket.sendto = sendto  # type: ignore[assignment]
    _installed = True


def installed() -> bool:
    return _installed
