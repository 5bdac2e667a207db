import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The wrong-code limits live in the cache: every test starts without failures."""
    cache.clear()
    yield
    cache.clear()
