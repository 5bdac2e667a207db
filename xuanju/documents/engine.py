"""Document templates: which one applies, and rendering it to blocks with a clear Chinese error.

A template is a Django template that renders to the markup of :mod:`xuanju.documents.markup`. The
repository's default for each kind is ``templates/documents/<kind>.txt``; an organization may set
its own (:class:`~xuanju.documents.models.DocumentTemplate`), which applies to its elections and to
those of every organization beneath it that has none of its own — the nearest one up the tree wins.

The engine is separate from the site's: no loaders (``{% include %}`` and ``{% extends %}`` find
nothing), no tag libraries beyond the built-ins, and no HTML escaping, since the output is plain
markup whose free text :mod:`xuanju.documents.content` has already made safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError

from xuanju.documents.kinds import Kind
from xuanju.documents.markup import Block, MarkupError, parse
from xuanju.documents.models import DocumentTemplate
from xuanju.organizations.models import Organization

DEFAULTS = Path(__file__).parent / "templates" / "documents"
MAX_LENGTH = 30_000
_ENGINE = Engine(dirs=[], app_dirs=False, debug=True, autoescape=False, libraries={})
# Django's messages are English; the common ones, said the way an organizer can act on them.
_HINTS = {
    "Unclosed tag": "标签没有结束，缺少对应的 {% endif %}、{% endfor %} 等",
    "Invalid block tag": "不认识的标签，或者标签没有配对",
    "Invalid filter": "不认识的过滤器",
    "is not a registered tag library": "文书模板不能加载标签库",
    "Could not parse": "无法解读这里的写法",
}


class TemplateProblem(Exception):
    """Why a template cannot make its document, in Chinese, naming the line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Effective:
    """The template a document uses and where it comes from (None: the repository's default)."""

    body: str
    source: Organization | None


@cache
def default_body(kind: Kind) -> str:
    return (DEFAULTS / f"{kind.value}.txt").read_text(encoding="utf-8")


def effective(org: Organization, kind: Kind) -> Effective:
    """The nearest organization's own template, from ``org`` up to the root, else the default."""
    paths = [*org.ancestor_paths(), org.path]
    own = (
        DocumentTemplate.objects.filter(kind=kind, organization__path__in=paths)
        .select_related("organization")
        .order_by("-organization__depth")
        .first()
    )
    if own is None:
        return Effective(default_body(kind), None)
    return Effective(own.body, own.organization)


def check_syntax(body: str) -> None:
    """Raise :class:`TemplateProblem` if ``body`` is not a template at all (no context needed)."""
    if len(body) > MAX_LENGTH:
        raise TemplateProblem(f"模板过长（{len(body)}字，最多{MAX_LENGTH}字）")
    try:
        _ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        raise TemplateProblem(_worded(error)) from error


def render_text(body: str, context: dict[str, Any]) -> str:
    """The markup ``body`` renders to with ``context``."""
    check_syntax(body)
    try:
        return _ENGINE.from_string(body).render(Context(context, autoescape=False))
    except (TemplateSyntaxError, TemplateDoesNotExist) as error:
        raise TemplateProblem(_worded(error)) from error
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
        raise TemplateProblem(f"模板无法用这次选举的数据生成文书：{error}") from error


def render_blocks(body: str, context: dict[str, Any]) -> tuple[Block, ...]:
    """The blocks of the document ``body`` makes with ``context``."""
    text = render_text(body, context)
    try:
        return parse(text)
    except MarkupError as error:
        raise TemplateProblem(
            f"生成的文书第{error.line}行：{error.message}（“{_line(text, error.line)}”）"
        ) from error


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    line = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return line if len(line) <= 40 else line[:40] + "…"


def _worded(error: Exception) -> str:
    debug = getattr(error, "template_debug", None) or {}
    original = str(error)
    hint = next((text for key, text in _HINTS.items() if key in original), "模板写法有误")
    if isinstance(error, TemplateDoesNotExist):
        hint = "文书模板不能引用其他模板"
    line = debug.get("line")
    where = f"模板第{line}行" if line else "模板"
    during = str(debug.get("during", "")).strip()
    quoted = f"“{during}”" if during else ""
    return f"{where}{quoted}：{hint}（{original.splitlines()[0] if original else type(error).__name__}）"
