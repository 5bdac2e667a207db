"""Running the web application under gunicorn, the production WSGI server, from ``xuanju serve``."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Application(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from xuanju.wsgi import application

        return application


# The defaults of ``xuanju serve`` on a 2-core machine (benchmarks/load.py, benchmarks/README.md):
# two worker processes (one per core) of four threads each. A page mostly waits on PostgreSQL, so
# threads overlap those waits; more processes only add memory (each worker holds the document fonts).
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4


def server_options(host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": None,  # no request log: addresses and times must not re-link voters (R-SUP-1)
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 120,
    }


def run_server(host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> None:
    _Application(server_options(host, port, workers, threads)).run()
