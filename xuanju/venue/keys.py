"""The county's signing key on the central system (``xuanju keys init`` / ``xuanju keys show``).

The private key is ``<KEYS_DIR>/county-ed25519.pem`` (mode 0600; KEYS_DIR defaults to
``<data>/keys``, set XUANJU_KEYS_DIR to keep it elsewhere), the public key beside it as
``county-ed25519.pub.pem``. Its fingerprint is printed for the organizers to carry to each venue,
where venue mode refuses a package signed by any other key.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from xuanju.venue import signing

COUNTY_KEY = "county-ed25519.pem"


def county_key_path() -> Path:
    return Path(settings.KEYS_DIR) / COUNTY_KEY


def init_county_key() -> Ed25519PrivateKey:
    return signing.create_key(county_key_path())


def county_key() -> Ed25519PrivateKey:
    path = county_key_path()
    if not path.exists():
        raise signing.SigningError("本系统还没有县级签名密钥：请先运行 xuanju keys init")
    return signing.load_key(path)


def county_fingerprint() -> str:
    return signing.fingerprint(county_key().public_key())
