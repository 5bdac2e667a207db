"""Template filters and tags available in every template (settings: TEMPLATES builtins).

* ``{{ day|cn_date }}`` — a date in Chinese style, 2026年12月4日 (never 2026-12-04); a datetime
  also gets its time, 2026年12月4日 14:05, in the local time zone.
* ``{% rule "R-CAND-2" %}`` — where a page cites a rule: users read the citation in Chinese
  (《中国共产党基层组织选举工作条例》 and the article only where RULES.md names it), developers find the
  rule code in the ``title`` hover attribute. Rule codes are never visible text.
* ``{{ text|hide_rule_codes }}`` — text from Python that may carry "（R-…）" citations: the codes
  are moved into hover titles of a small span, so messages keep their reference for developers.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What RULES.md says each family of rules rests on (its section headings). Only the Regulations'
# articles RULES.md names are cited; families resting on other texts cite those texts.
CITATIONS = {
    "R-VOTE": "《中国共产党基层组织选举工作条例》第五条",
    "R-TERM": "《中国共产党章程》第三十一条和《中国共产党基层组织选举工作条例》第三条",
    "R-ORG": "《中国共产党支部工作条例（试行）》等党内法规",
    "R-DEL": "《中国共产党基层组织选举工作条例》",
    "R-CAND": "《中国共产党基层组织选举工作条例》",
    "R-MEET": "《中国共产党基层组织选举工作条例》",
    "R-BAL": "《中国共产党基层组织选举工作条例》",
    "R-CNT": "《中国共产党基层组织选举工作条例》",
    "R-RPT": "《中国共产党基层组织选举工作条例》第五章",
    "R-SUP": "《中国共产党基层组织选举工作条例》第六章",
    "R-NAME": "按姓氏笔画为序的通行做法",
}
RULE_CODE = re.compile(r"R-[A-Z]+(?:-\d+[a-z]?)?")
# A parenthesized list of codes, "（R-CAND-2）" or "（R-VOTE-1/2，R-MEET-4）", or a bare code.
CODES_IN_TEXT = re.compile(
    r"[（(]\s*(?:依据\s*)?R-[A-Z]+[-\d/a-z、，, R]*[）)]|R-[A-Z]+(?:-\d+[a-z]?)?(?:/\d+)*"
)


def citation(code: str) -> str:
    """The Chinese citation for a rule code (its family's source as RULES.md names it)."""
    family = RULE_CODE.match(code)
    prefix = "-".join(code.split("-")[:2]) if family else code
    return CITATIONS.get(prefix, "《中国共产党基层组织选举工作条例》")


@register.filter
def cn_date(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


@register.simple_tag
def rule(code: str, text: str = "") -> SafeString:
    """``text`` (default: the Chinese citation) with the rule code as its hover title."""
    return format_html('<span class="rule-ref" title="{}">{}</span>', code, text or citation(code))


@register.filter
def hide_rule_codes(value: Any) -> SafeString:
    """Escaped ``value`` with every rule code moved out of the text into a hover title."""
    text = str(conditional_escape(value))
    codes = RULE_CODE.findall(text)
    if not codes:
        return mark_safe(text)
    stripped = CODES_IN_TEXT.sub("", text).rstrip()
    title = " ".join(dict.fromkeys(codes))
    return mark_safe(f'<span title="{title}">{stripped}</span>')
