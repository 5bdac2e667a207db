"""Official documents (文书) of the demo's largest election as PDF and .docx, before and after, in one run.

    .venv/bin/python benchmarks/documents.py                 # loads the demo (about 40 s), 7 runs each
    .venv/bin/python benchmarks/documents.py --keep DIR      # keep the demo database in DIR (reused next time)
    .venv/bin/python benchmarks/documents.py --before REV    # the writers and fonts of another commit

"Before" is the writers and fonts of ``--before`` (default: the commit before the document speed-up),
read with ``git show`` into a temporary folder and imported from there, so both paths run in the same
process on the same blocks, alternately. Prints figures; nothing passes or fails on time.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BEFORE = "99bad39"  # fpdf2 parsing and subsetting the bundled CFF fonts for every document
_OLD_FILES = {
    "pdf_writer.py": "xuanju/documents/pdf_writer.py",
    "docx_writer.py": "xuanju/documents/docx_writer.py",
    "fonts/NotoSerifSC-Document-Regular.otf": "xuanju/documents/fonts/NotoSerifSC-Document-Regular.otf",
    "fonts/NotoSerifSC-Document-Bold.otf": "xuanju/documents/fonts/NotoSerifSC-Document-Bold.otf",
}


def _old_module(folder: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"before_{name}", folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _extract(revision: str, folder: Path) -> None:
    (folder / "fonts").mkdir()
    for target, source in _OLD_FILES.items():
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:{source}"], capture_output=True)
        if shown.returncode and target.startswith("fonts/"):
            continue  # a revision after the CFF fonts: its writers read the bundled TrueType ones
        shown.check_returncode()
        (folder / target).write_bytes(shown.stdout)


def _median_ms(timings: list[float]) -> str:
    return f"{1000 * statistics.median(timings):7.0f}"


def _timed(function: Callable[[], Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _writers(
    old_pdf: ModuleType,
    old_docx: ModuleType,
    blocks: tuple[Any, ...],
    meta: dict[str, Any],
    build: Callable[[], Any],
) -> dict[str, Callable[[], Any]]:
    from xuanju.documents import docx_writer, pdf_writer

    return {
        "pdf before": lambda: old_pdf.pdf_bytes(blocks, **meta),
        "pdf after": lambda: pdf_writer.pdf_bytes(blocks, **meta),
        "docx before": lambda: old_docx.docx_bytes(blocks, **meta),
        "docx after": lambda: docx_writer.docx_bytes(blocks, **meta),
        "content": build,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="a folder for the demo database, reused when present")
    parser.add_argument("--before", default=BEFORE, help="the commit whose writers and fonts are 'before'")
    args = parser.parse_args()
    data = args.keep or Path(tempfile.mkdtemp(prefix="xuanju-bench-documents-"))
    data.mkdir(parents=True, exist_ok=True)
    os.environ["XUANJU_DATA"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanju.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from xuanju.demo.congress import load_demo_congress
    from xuanju.demo.county import load_demo
    from xuanju.demo.election import load_demo_election
    from xuanju.documents import content, docx_writer, pdf_writer
    from xuanju.documents.files import blocks_of
    from xuanju.documents.markup import Title
    from xuanju.elections.models import Election

    call_command("migrate", interactive=False, verbosity=0)
    if not Election.objects.exists():
        started = time.perf_counter()
        with transaction.atomic():
            load_demo()
            load_demo_election()
            load_demo_congress()
        print(f"demo loaded in {time.perf_counter() - started:.0f} s")

    # The largest election: the most text over all its documents (one of each kind).
    def documents(election: Election) -> list[tuple[content.Ref, tuple[Any, ...]]]:
        firsts: dict[Any, content.Ref] = {}
        for ref in content.available(election):
            firsts.setdefault(ref.kind, ref)
        return [(ref, blocks_of(election, ref.kind, ref.item)[1]) for ref in firsts.values()]

    def size(blocks: tuple[Any, ...]) -> int:
        return sum(len(str(block)) for block in blocks)

    elections = list(Election.objects.select_related("organization"))
    built = {e.pk: documents(e) for e in elections}
    election = max(elections, key=lambda e: sum(size(b) for _, b in built[e.pk]))
    print(
        f"election #{election.pk} {election.organization.name}: {len(built[election.pk])} kinds of document, "
        f"{args.runs} runs each, median ms (before = {args.before})"
    )

    with tempfile.TemporaryDirectory() as folder:
        _extract(args.before, Path(folder))
        old_pdf = _old_module(Path(folder), "pdf_writer")
        old_docx = _old_module(Path(folder), "docx_writer")
        header = f"{'document':<22}{'blocks':>7} |{'pdf before':>11}{'after':>8}{'ratio':>7} |"
        print(header + f"{'docx before':>12}{'after':>8}{'ratio':>7} |{'content':>8}")
        all_pdf: list[float] = []
        all_docx: list[float] = []
        for ref, blocks in built[election.pk]:
            title = "".join(next((b.lines for b in blocks if isinstance(b, Title)), ()))
            meta = {"title": title, "author": election.organization.name, "dated": ref.dated}
            writers = _writers(
                old_pdf, old_docx, blocks, meta, lambda ref=ref: blocks_of(election, ref.kind, ref.item)
            )
            once = {name: write() for name, write in writers.items()}  # warm-up (fonts parsed here)
            assert pdf_writer.pdf_bytes(blocks, **meta) == once["pdf after"], "PDF not reproducible"
            assert docx_writer.docx_bytes(blocks, **meta) == once["docx before"], ".docx differs from before"
            timings: dict[str, list[float]] = {name: [] for name in writers}
            for run in range(args.runs):
                order = list(writers.items())
                for name, write in order if run % 2 == 0 else reversed(order):
                    timings[name].append(_timed(write))
            ratio_pdf = statistics.median(timings["pdf before"]) / statistics.median(timings["pdf after"])
            ratio_docx = statistics.median(timings["docx before"]) / statistics.median(timings["docx after"])
            all_pdf.append(statistics.median(timings["pdf after"]))
            all_docx.append(statistics.median(timings["docx after"]))
            print(
                f"{ref.kind.value:<22}{len(blocks):>7} |{_median_ms(timings['pdf before']):>11}"
                f"{_median_ms(timings['pdf after']):>8}{ratio_pdf:>6.1f}× |"
                f"{_median_ms(timings['docx before']):>12}{_median_ms(timings['docx after']):>8}"
                f"{ratio_docx:>6.1f}× |{_median_ms(timings['content']):>8}"
            )
        print(
            f"slowest median after: PDF {1000 * max(all_pdf):.0f} ms (target ≤ 150), "
            f".docx {1000 * max(all_docx):.0f} ms (target ≤ 80)"
        )
        print("same bytes on regeneration: yes (asserted); .docx bytes identical to before: yes (asserted)")


if __name__ == "__main__":
    main()
