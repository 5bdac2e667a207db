"""An upload parked between its preview and its confirmation (roster and organization-tree imports).

The parsed upload waits in a file under the data folder, named by a random token that is also
remembered in the uploader's session; the file records who uploaded it for which organization and is
removed on import, on discard, or after an hour. Only the same session, user and organization get it
back, so a guessed or shared link shows nothing.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from xuanju.organizations.models import Organization
from xuanju.organizations.scope import user_of

KEEP_SECONDS = 60 * 60
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class ParkedUploads:
    def __init__(self, folder: str, session_key: str) -> None:
        self.folder = folder
        self.session_key = session_key

    def _store(self) -> Path:
        path = Path(settings.DATA_DIR) / "uploads" / self.folder
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path

    def _purge_expired(self) -> None:
        cutoff = time.time() - KEEP_SECONDS
        for path in self._store().glob("*.json"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except FileNotFoundError:
                pass

    def park(self, request: HttpRequest, org: Organization, reading: dict[str, Any], filename: str) -> str:
        """Keep a parsed reading (its ``to_dict()``) for this session; returns its token."""
        self._purge_expired()
        token = secrets.token_urlsafe(24)
        payload = {
            "user": user_of(request).pk,
            "org": org.pk,
            "at": time.time(),
            "filename": filename,
            "reading": reading,
        }
        descriptor = os.open(self._store() / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False)
        keys = request.session.get(self.session_key, [])
        tokens = [t for t in keys if (self._store() / f"{t}.json").exists()]
        request.session[self.session_key] = [*tokens, token]
        return token

    def unpark(self, request: HttpRequest, org: Organization, token: str) -> dict[str, Any] | None:
        """The parked upload, if it is this session's, this user's and this organization's, and fresh."""
        if not TOKEN.fullmatch(token) or token not in request.session.get(self.session_key, []):
            return None
        try:
            payload: dict[str, Any] = json.loads(
                (self._store() / f"{token}.json").read_text(encoding="utf-8")
            )
        except (FileNotFoundError, ValueError):
            return None
        if payload["user"] != user_of(request).pk or payload["org"] != org.pk:
            return None
        if time.time() - payload["at"] > KEEP_SECONDS:
            self.discard(request, token)
            return None
        return payload

    def discard(self, request: HttpRequest, token: str) -> None:
        if TOKEN.fullmatch(token):
            (self._store() / f"{token}.json").unlink(missing_ok=True)
        keys = request.session.get(self.session_key, [])
        request.session[self.session_key] = [t for t in keys if t != token]
