"""The words a user reads, in Chinese and English, and the way a value is written.

One table each for bounds, kinds, phases and scopes, and the functions that write a value with
them: the app, every command, the clipboard and the citation all call these. County names
always show both languages; everything else follows ``lang``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, NamedTuple

from tui.domain.model import Bound, Fact, Kind
from tui.domain.units import format_plain, format_zh

__all__ = [
    "BOUND_WORDS",
    "KIND_WORDS",
    "LABELS",
    "PHASE_WORDS",
    "Lang",
    "Phase",
    "Value",
    "bound_word",
    "kind_note",
    "kind_word",
    "label",
    "normalised",
    "phase_word",
    "scope_text",
    "sources_text",
    "value_parts",
    "value_text",
    "when_text",
    "word",
    "written",
]

Lang = Literal["zh", "en"]
Phase = Literal["", "before", "after"]


class Words(NamedTuple):
    zh: str
    en: str


LABELS: dict[str, tuple[str, str]] = {
    "search": (
        "搜索：汉字、拼音、首字母、数字，或 county: kind: unit: …",
        "search: Chinese, pinyin, initials, numbers, or county: kind: unit: …",
    ),
    "headline": ("主要数字", "Headline figures"),
    "sources": ("来源", "Sources"),
    "facts": ("条", "facts"),
    "value": ("数值", "Value"),
    "normalised": ("折算", "Normalised"),
    "when": ("时间", "When"),
    "scope": ("范围", "Scope"),
    "kind": ("类型", "Kind"),
    "bound": ("界限", "Bound"),
    "source": ("来源", "Source"),
    "quote": ("原文", "Quote"),
    "note": ("说明", "Note"),
    "metric": ("指标", "Metric"),
    "place.county": ("区县", "county"),
    "place.metric": ("指标", "metric"),
    "cmd.compare": ("对比区县", "Compare counties"),
    "cmd.compare_help": ("并排对比（c）", "Side-by-side comparison (c)"),
    "cmd.grouping": ("目录树分组", "Group the tree"),
    "cmd.grouping_help": ("按区县或主题（g）", "by county or by theme (g)"),
    "cmd.lang": ("切换语言", "Switch language"),
    "cmd.lang_help": ("中文 / English 界面（l）", "Chinese / English interface (l)"),
    "cmd.help": ("帮助", "Help"),
    "cmd.help_help": ("所有按键（?）", "every key (?)"),
    "cmd.theme": ("配色", "Colours"),
    "cmd.theme_help": ("换一套配色", "pick a colour theme"),
    "cmd.quit": ("退出", "Quit"),
    "cmd.quit_help": ("保存当前位置后退出（q）", "keep your place and leave (q)"),
    "cmd.placeholder": ("查找区县、指标或命令（可用拼音）…", "Find a county, metric or command (pinyin too)…"),
    "county_wide": ("全县（区）", "whole county"),
    "disagree": ("⚠ 来源不一致", "⚠ sources disagree"),
    "differs": ("! 与其他来源不一致：", "! differs from"),
    "no_results": ("没有找到", "nothing found"),
    "indexing": ("正在建立索引…", "building the search index…"),
    "results": ("条结果", "results"),
    "compare": ("对比", "Compare"),
    "compare_hint": ("a 添加 · x 移除 · t 主题 · esc 返回", "a add · x remove · t theme · esc back"),
    "all_themes": ("全部主题", "all themes"),
    "missing": ("—", "—"),
    "copied": ("已复制（OSC 52）：", "Copied (OSC 52):"),
    "copied_cut": ("已复制（过长，已截断）：", "Copied (too long, cut):"),
    "copy.cut": ("（过长，已截断）", "(too long: cut)"),
    "copy.tmux": ("已复制到 tmux 剪贴板：", "Copied to the tmux clipboard:"),
    "copy.terminal": (
        "已发送到终端剪贴板（OSC 52）；终端若不支持，请选中下面的文字：",
        "Sent to the terminal's clipboard (OSC 52); if it ignores OSC 52, select the text below:",
    ),
    "copy.passthrough": (
        "已经 tmux 发送到终端剪贴板（OSC 52）；终端若不支持，请选中下面的文字：",
        "Sent through tmux to the terminal's clipboard (OSC 52); if it ignores OSC 52, select the text below:",
    ),
    "copy.blocked": (
        "未复制：tmux 不让程序写剪贴板。修复：{fix}　请选中下面的文字：",
        "Not copied: tmux keeps programs off the clipboard. Fix: {fix}  Select the text below:",
    ),
    "nothing_to_copy": ("先选择一条数字", "Open a figure first"),
    "no_figure_here": ("这一格没有数字", "No figure in this cell"),
    "history.first": ("已是最早打开的内容", "Nothing opened before this"),
    "history.last": ("已是最近打开的内容", "Nothing opened after this"),
    "legend.disagree": ("! 来源不一致", "! sources disagree"),
    "legend.more": ("+N 该区县另有 N 个数字（povtui show）", "+N more facts for the county (povtui show)"),
    "legend.missing": ("— 无数字", "— no figure"),
    "legend.highest": ("最高：折算后数值最大", "highest: the largest normalised value"),
    "compare.at_most": ("最多对比 {n} 个区县", "At most {n} counties"),
    "compare.at_least": ("至少对比 {n} 个区县", "At least {n} counties"),
    "help": ("帮助", "Help"),
    "problems": ("数据问题", "problems in the fact tree"),
    "estimated": ("估计", "est."),
    "more_facts": ("另有", "more"),
    "more_counties": ("还有 {n} 个区县：在左侧树中打开一个区县", "{n} more counties: open one in the tree"),
    "reloaded": ("{n} 个区县文件已更改：数字已重新载入", "{n} county file(s) changed: figures reloaded"),
    "more_in_tree": ("还有 {n} 条：在左侧树中打开一个区县", "{n} more facts: open a county in the tree"),
    "help_title": ("按键", "Keys"),
    "highest": ("最高", "highest"),
    "small": ("终端太小", "small terminal"),
    "result_count": ("{shown} / {total} 条", "{shown} of {total}"),
    "more_results": ("↓ 还有 {n} 条", "↓ {n} more"),
    "error_title": ("povtui 出错了", "povtui hit an error"),
    "error_logged": ("已记入", "logged in"),
    "quit_hint": ("按 q 退出", "Press q to quit"),
    # the keys, by binding id: the key bar and the help screen
    "key.search": ("搜索", "Search"),
    "key.leave-search": ("离开搜索（保留查询）", "Leave search (the query is kept)"),
    "key.group": ("分组", "Group"),
    "key.tree": ("目录树", "Tree"),
    "help.tree": (
        "显示或隐藏目录树（窄屏时树占满屏幕，回车打开所选并收起树）",
        "Show or hide the tree (on a narrow screen it covers the figures; Enter opens and folds it)",
    ),
    "help.copy": (
        "复制屏幕上的数字及出处（每个数字一行）：打开的数字；表格或区县概况的每个数字；搜索结果中高亮的一条",
        "Copy what is on screen with its citation: one line per figure (a table or a county's"
        " headlines: every figure); in the results, the highlighted one",
    ),
    "key.compare": ("对比", "Compare"),
    "key.copy": ("复制", "Copy"),
    "key.back": ("后退", "Back"),
    "key.forward": ("前进", "Fwd"),
    "key.help": ("帮助", "Help"),
    "key.lang": ("中/EN", "中/EN"),
    "key.quit": ("退出", "Quit"),
    "key.palette": ("命令", "palette"),
    "key.compare-add": ("添加区县", "Add county"),
    "key.compare-remove": ("移除区县", "Remove county"),
    "key.compare-theme": ("主题", "Theme"),
    "key.compare-back": ("返回", "Back"),
    "key.close": ("关闭", "Close"),
    # the analyst's features (timeline, comparison, article): added by the comparison's owner
    "timeline": ("时间线", "Timeline"),
    "derived": ("推算", "derived"),
    "article": ("原文全文", "Article"),
    "article_unreadable": ("无法读取原文：", "cannot read the article: "),
    "quote_not_found": ("原文中找不到这段引文", "the quote is not in the article"),
    "pick.latest": ("最新成效", "latest result"),
    "pick.baseline": ("基数", "baseline"),
    "pick.target": ("目标", "target"),
    "sort.metric": ("按指标", "by metric"),
    "sort.value": ("按数值", "by value"),
    "sort.gap": ("按差距", "by gap"),
    "single_hidden": ("已隐藏仅一县有的行", "rows of one county hidden"),
    "rows": ("行", "rows"),
    "written_to": ("已写入", "Written to"),
    "write_failed": ("无法写入", "Cannot write"),
    "cell_values": ("全部数值与来源", "Every value and source"),
    "key.compare-open": ("详情", "Open"),
    "key.compare-pick": ("取值", "Value"),
    "key.compare-sort": ("排序", "Sort"),
    "key.compare-single": ("单县行", "Single rows"),
    "key.compare-copy": ("复制", "Copy"),
    "key.compare-export": ("导出", "Export"),
    "key.article": ("原文", "Article"),
}
"""Interface labels by key: (Chinese, English)."""

BOUND_WORDS: dict[Bound, tuple[str, str, str]] = {
    "exact": ("", "", ""),
    "more_than": ("超过", "more than", ">"),
    "at_least": ("至少", "at least", "≥"),
    "about": ("约", "about", "≈"),
    "nearly": ("近", "nearly", "≲"),
    "range": ("", "", ""),
}
"""A bound in words (Chinese, English) and as a symbol, for a column too narrow for the words."""

KIND_WORDS: dict[Kind, tuple[str, str]] = {
    "achieved": ("成效", "achieved"),
    "baseline": ("基数", "baseline"),
    "target": ("目标", "target"),
}

KIND_NOTES: dict[Kind, tuple[str, str]] = {
    "achieved": ("", ""),
    "baseline": ("（基数）", " (baseline)"),
    "target": ("（目标，并非成效）", " (a target, not an achievement)"),
}
"""What follows a value in running text (a sheet, a citation) so that it never reads as an achievement."""

PHASE_WORDS: dict[Phase, tuple[str, str]] = {"": ("", ""), "before": ("脱贫前", "before"), "after": ("脱贫后", "after")}
"""A headline figure's phase: the incidence before and after."""


def _pick(words: tuple[str, ...], lang: Lang) -> str:
    return words[0] if lang == "zh" else words[1]


def label(key: str, lang: Lang) -> str:
    """An interface label (see :data:`LABELS`)."""
    return _pick(LABELS[key], lang)


def word(table: dict[str, tuple[str, str]], key: str, lang: Lang) -> str:
    """A word of any (Chinese, English) table."""
    return _pick(table[key], lang)


def kind_word(kind: Kind, lang: Lang) -> str:
    return _pick(KIND_WORDS[kind], lang)


def bound_word(bound: Bound, lang: Lang, *, symbol: bool = False) -> str:
    """``超过`` / ``more than``, or ``>`` with ``symbol``; empty for an exact value or a range."""
    words = BOUND_WORDS[bound]
    return words[2] if symbol else _pick(words, lang)


def phase_word(phase: Phase, lang: Lang) -> str:
    return _pick(PHASE_WORDS[phase], lang)


def kind_note(kind: Kind, lang: Lang) -> str:
    """`` (baseline)`` / ``（目标，并非成效）``: what running text adds after a value; empty when achieved."""
    return _pick(KIND_NOTES[kind], lang)


def written(fact: Fact) -> str:
    """The value and unit as written: ``6000人``, ``3.75亿元``, ``2-3名``, ``2019-04``."""
    if fact.is_date:
        return str(fact.value)
    number = str(fact.value)
    if fact.value_max is not None:
        number = f"{number}-{fact.value_max}"
    return number + fact.unit


class Value(NamedTuple):
    """A value in its three parts, for whoever styles them apart (the app)."""

    kind: str
    """``target: `` / ``目标 ``, or empty when achieved: a target never looks like an achievement."""
    bound: str
    """``more than `` / ``超过 ``, or empty."""
    written: str
    """The value and unit as written."""

    def __str__(self) -> str:
        return self.kind + self.bound + self.written


def value_parts(fact: Fact, lang: Lang, *, with_kind: bool = True, symbol: bool = False) -> Value:
    """The value as :func:`value_text` writes it, in parts."""
    kind = ""
    if with_kind and fact.kind != "achieved":
        kind = kind_word(fact.kind, lang) + (" " if lang == "zh" else ": ")
    bound = bound_word(fact.bound, lang, symbol=symbol)
    return Value(kind, bound + " " if bound else "", written(fact))


def value_text(fact: Fact, lang: Lang, *, with_kind: bool = True, symbol: bool = False) -> str:
    """The value as written with its bound in words and, unless achieved, its kind:
    ``超过 6000人``, ``more than 6000人``, ``目标 约 5000人``, ``target: about 5000人``.
    The bound is never dropped; ``symbol`` writes it ``>``/``≥``/``≈``/``≲`` where room is short."""
    return str(value_parts(fact, lang, with_kind=with_kind, symbol=symbol))


def when_text(fact: Fact) -> str:
    """The period, unless the value is a date that already says it."""
    return "" if fact.when == fact.value else fact.when


def scope_text(fact: Fact, lang: Lang) -> str:
    """Where a figure holds when that is not the whole county: ``in 中益乡`` / ``中益乡``; else empty."""
    if fact.is_county_wide:
        return ""
    return fact.scope if lang == "zh" else f"in {fact.scope}"


def sources_text(count: int, lang: Lang) -> str:
    """``[2 sources]`` / ``[2个来源]`` for a figure stated by several articles; empty for one."""
    if count < 2:
        return ""
    return f"[{count}个来源]" if lang == "zh" else f"[{count} sources]"


def normalised(fact: Fact) -> str:
    """The value in the metric's base unit, readable and in plain digits: ``6.31万人 = 63,100人``;
    empty for a date."""
    if not isinstance(fact.canonical, Decimal):
        return ""
    shown = format_zh(fact.canonical, fact.base)
    plain = format_plain(fact.canonical, fact.base)
    if fact.canonical_max is not None:
        shown += "–" + format_zh(fact.canonical_max, fact.base)
        plain += "–" + format_plain(fact.canonical_max, fact.base)
    return shown if shown == plain else f"{shown} = {plain}"
