"""Settings for the test suite: the real settings, a throw-away data folder and a fast hasher."""

import os
import tempfile

os.environ.setdefault("XUANJU_DATA", tempfile.mkdtemp(prefix="xuanju-test-"))

from xuanju.settings import *  # noqa: F403
from xuanju.settings import STATIC_ROOT

STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Argon2 is the production hasher; tests log in hundreds of times and need not pay for it.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The heads log is one file for the whole data folder, while each test rolls its database back:
# tests of the log point it at a file of their own (tests/audit/test_anchoring.py).
AUDIT_HEADS_LOG = None
# Background tasks run at once, in the request that enqueues them: the web flow tests see an
# uploaded scan read when the upload returns. Tests of the worker itself call its function directly
# (tests/counting/test_scan_batches.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
