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
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What RULES.md's section headings say each family of rules rests on. An article is cited only
# where RULES.md names it; families RULES.md places only approximately ("≈第十九–二十三条") cite the
# Regulations without an article.
REGULATIONS = "《中国共产党基层组织选举工作条例》"
CITATIONS: dict[str, tuple[tuple[str, str], ...]] = {  # family -> ((document, article), …)
    "R-VOTE": ((REGULATIONS, "第五条"),),
    "R-TERM": (("《中国共产党章程》", "第三十一条"), (REGULATIONS, "第三条")),
    "R-ORG": (("《中国共产党支部工作条例（试行）》等党内法规", ""),),
    "R-DEL": ((REGULATIONS, "第四条、第七条至第十一条"),),
    "R-CAND": ((REGULATIONS, "第十二条至第十五条、第二十条"),),
    "R-MEET": ((REGULATIONS, ""),),
    "R-BAL": ((REGULATIONS, ""),),
    "R-CNT": ((REGULATIONS, ""),),
    "R-RPT": ((REGULATIONS, "第五章"),),
    "R-SUP": ((REGULATIONS, "第六章"),),
    "R-NAME": (("按姓氏笔画为序", ""),),
}
RULE_CODE = re.compile(r"R-[A-Z]+(?:-\d+[a-z]?)?(?:/\d+)*")
# A parenthesized group of codes, "（R-CAND-2）" or "（R-VOTE-1/2、R-MEET-4）", or a bare code.
CODE_GROUP = re.compile(
    r"[（(]\s*(?:R-[A-Z]+(?:-\d+[a-z]?)?(?:/\d+)*[、，,\s]*)+[）)]|R-[A-Z]+(?:-\d+[a-z]?)?(?:/\d+)*"
)


def citation(codes: str) -> str:
    """The Chinese citation for one or more rule codes: each document once, with its articles."""
    articles: dict[str, list[str]] = {}
    for code in RULE_CODE.findall(codes):
        family = "-".join(code.split("-")[:2])
        for document, article in CITATIONS.get(family, ((REGULATIONS, ""),)):
            cited = articles.setdefault(document, [])
            if article and article not in cited:
                cited.append(article)
    if not articles:
        return REGULATIONS
    return "、".join(document + "、".join(cited) for document, cited in articles.items())


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
def rule(codes: str, wrap: str = "") -> SafeString:
    """The Chinese citation for ``codes`` (in full-width parentheses with ``wrap="（）"``), the codes
    themselves only in the hover title, for developers."""
    text = citation(codes)
    if wrap:
        text = f"{wrap[0]}{text}{wrap[-1]}"
    return format_html(
        '<span class="rule-ref" title="{}">{}</span>', " ".join(RULE_CODE.findall(codes)), text
    )


def _replace_group(match: re.Match[str]) -> str:
    group = match.group(0)
    wrap = "（）" if group[0] in "（(" else ""
    return str(rule(group, wrap))


def without_rule_codes(text: str) -> str:
    """Escaped ``text`` with every rule code turned into its Chinese citation (code in the title)."""
    return CODE_GROUP.sub(_replace_group, str(conditional_escape(text)))


@register.filter
def hide_rule_codes(value: Any) -> SafeString:
    """``value`` escaped, its rule codes replaced by Chinese citations with the codes as hover titles."""
    return mark_safe(without_rule_codes(value))  # escaped in without_rule_codes


@register.filter
def who(login: Any) -> str:
    """The person behind a stored login (approver, recorder): their name, not their account name.

    Records keep the login (the audit trail names accounts); pages show the account's 姓名 when it
    has one, and the login otherwise.
    """
    from xuanju.accounts.models import User

    text = str(login or "")
    if not text:
        return ""
    user = User.objects.filter(username=text).only("display_name", "first_name", "last_name").first()
    if user is None:
        return text
    return user.display_name or user.get_full_name() or text


def names_of(logins: Iterable[Any]) -> dict[str, str]:
    """:func:`who` for many logins in one query (a list of records would ask once per row)."""
    from xuanju.accounts.models import User

    wanted = {str(login) for login in logins if login}
    names = {text: text for text in wanted}
    for user in User.objects.filter(username__in=wanted).only(
        "username", "display_name", "first_name", "last_name"
    ):
        names[user.username] = user.display_name or user.get_full_name() or user.username
    return names
