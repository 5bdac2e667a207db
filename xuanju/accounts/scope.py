"""Old import path of :mod:`xuanju.organizations.scope` (who may see and change what), kept while
branches written before the move still import it from here.

The access rules rest on the organization tree, so they live with it: accounts sit beneath
organizations and import nothing of theirs (the ``layers`` contract in pyproject.toml). This module
therefore forwards at attribute access, without an import statement the import linter would count
as accounts → organizations. Remove it once nothing imports ``xuanju.accounts.scope``.
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    return getattr(importlib.import_module("xuanju.organizations.scope"), name)
