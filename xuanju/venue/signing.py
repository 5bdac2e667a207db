"""Ed25519 keys, fingerprints and signed files of the venue kit.

A signed file is one JSON object::

    {"format": "xuanju.venue-meeting/1", "public_key": "<base64 of the 32-byte key>",
     "signature": "<base64 of 64 bytes>", "payload": {... "format": "xuanju.venue-meeting/1" ...}}

The signature covers the payload's canonical JSON (sorted keys, no spaces, UTF-8); the payload
repeats the format, so a results package can never pass for a meeting package. The digest of a
signed file is the SHA-256 of that same canonical payload: it names the package whatever the
whitespace of the file.

A fingerprint is the first 16 bytes of the SHA-256 of the raw 32-byte public key, as 8 groups of
4 hexadecimal digits (``3F2A-…``): short enough to print on paper and to type back in. README.md
shows how to compute it with openssl alone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MAX_FILE_BYTES = 64 * 1024 * 1024  # a package larger than this is refused before it is read


class SigningError(Exception):
    """A key or signed file that cannot be used; the message is Chinese and says why."""


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey | bytes) -> str:
    raw = key if isinstance(key, bytes) else raw_public(key)
    text = hashlib.sha256(raw).hexdigest()[:32].upper()
    return "-".join(text[i : i + 4] for i in range(0, 32, 4))


def normalize_fingerprint(text: str) -> str:
    """A fingerprint as typed (any case, spaces or dashes) in its printed form; SigningError if it
    is not 32 hexadecimal digits."""
    digits = re.sub(r"[\s\-－—:]", "", text).upper()
    if not re.fullmatch(r"[0-9A-F]{32}", digits):
        raise SigningError("指纹应为 32 位十六进制数字（0–9、A–F），如 3F2A-91C2-…，共 8 组")
    return "-".join(digits[i : i + 4] for i in range(0, 32, 4))


# --- keys on disk ------------------------------------------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def create_key(path: Path) -> Ed25519PrivateKey:
    """A new key written to ``path`` (PKCS#8 PEM, mode 0600) with its public key beside it
    (``….pub.pem``); never over an existing key."""
    if path.exists():
        raise SigningError("这里已有密钥，不会覆盖（换用新密钥须先把旧密钥移走，并把新指纹通知各会场）")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_private(path, pem)
    public_path(path).write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return key


def public_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".pem") + ".pub.pem")


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise SigningError(f"找不到密钥文件 {path}") from None
    except (ValueError, TypeError):
        raise SigningError(f"{path} 不是可用的密钥文件") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path} 不是 Ed25519 密钥")
    return key


# --- signed files ------------------------------------------------------------------------------


def sign(key: Ed25519PrivateKey, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": payload["format"],
        "public_key": base64.b64encode(raw_public(key.public_key())).decode("ascii"),
        "signature": base64.b64encode(key.sign(canonical(payload))).decode("ascii"),
        "payload": payload,
    }


def write_signed(path: Path, signed: dict[str, Any]) -> None:
    """Write whole or not at all (a stick pulled out mid-write leaves the old file or none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(json.dumps(signed, ensure_ascii=False, indent=1).encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


@dataclass(frozen=True)
class Signed:
    payload: dict[str, Any]
    public_key: bytes
    digest: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def read_signed(path: Path, expected_format: str, what: str) -> Signed:
    """The verified payload of the signed file at ``path``; SigningError (Chinese, naming ``what``)
    for anything that is not such a file or whose signature does not hold."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SigningError(f"{path.name} 有 {size // (1024 * 1024)} MB，超过{what}的上限，未读取")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"找不到文件 {path}") from None
    except IsADirectoryError:
        raise SigningError(f"{path} 是文件夹，不是{what}") from None
    except PermissionError:
        raise SigningError(f"没有读取 {path} 的权限") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise SigningError(f"{path.name} 不是{what}（或已损坏）") from None
    return verify_envelope(data, expected_format, what, path.name)


def verify_envelope(data: Any, expected_format: str, what: str, name: str = "") -> Signed:
    """The verified payload of a signed file's JSON object ``data``."""
    label = name or what
    foreign = f"{label} 不是{what}（或已损坏）"
    if not isinstance(data, dict) or not isinstance(data.get("payload"), dict):
        raise SigningError(foreign)
    payload: dict[str, Any] = data["payload"]
    if data.get("format") != expected_format or payload.get("format") != expected_format:
        raise SigningError(foreign)
    try:
        public = base64.b64decode(str(data.get("public_key", "")), validate=True)
        signature = base64.b64decode(str(data.get("signature", "")), validate=True)
        Ed25519PublicKey.from_public_bytes(public).verify(signature, canonical(payload))
    except (binascii.Error, ValueError):
        raise SigningError(f"{label} 的签名或公钥格式不对：{what}已损坏或被改动") from None
    except InvalidSignature:
        raise SigningError(f"{label} 的签名不符：{what}在签名后被改动过，不能使用") from None
    return Signed(payload, public, digest(payload))
