"""Interface words in Chinese and English. County names always show both."""

from __future__ import annotations

from typing import Literal

from tui.domain.model import KIND_ZH

__all__ = ["BOUND_WORDS", "KIND_WORDS", "LABELS", "Lang", "label"]

Lang = Literal["zh", "en"]

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
    "metric": ("指标", "Metric"),
    "county_wide": ("全县（区）", "whole county"),
    "disagree": ("⚠ 来源不一致", "⚠ sources disagree"),
    "no_results": ("没有找到", "nothing found"),
    "indexing": ("正在建立索引…", "building the search index…"),
    "results": ("条结果", "results"),
    "compare": ("对比", "Compare"),
    "compare_hint": ("a 添加 · x 移除 · t 主题 · esc 返回", "a add · x remove · t theme · esc back"),
    "all_themes": ("全部主题", "all themes"),
    "missing": ("—", "—"),
    "copied": ("已复制（OSC 52）：", "Copied (OSC 52):"),
    "copied_cut": ("已复制（过长，已截断）：", "Copied (too long, cut):"),
    "nothing_to_copy": ("先选择一条数字", "Open a figure first"),
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
}

BOUND_WORDS: dict[str, tuple[str, str]] = {
    "exact": ("", ""),
    "more_than": ("超过", "more than"),
    "at_least": ("至少", "at least"),
    "about": ("约", "about"),
    "nearly": ("近", "nearly"),
    "range": ("", ""),
}

KIND_WORDS: dict[str, tuple[str, str]] = {kind: (zh, kind) for kind, zh in KIND_ZH.items()}


def label(key: str, lang: Lang) -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def word(table: dict[str, tuple[str, str]], key: str, lang: Lang) -> str:
    zh, en = table[key]
    return zh if lang == "zh" else en
