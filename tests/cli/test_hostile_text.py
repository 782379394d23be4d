"""Hostile text in the facts is shown as text by every command, in every format.

A county, a theme, a metric, sources, facts and a skip entry whose every text holds Rich and
Textual markup, ANSI and OSC escape sequences (clear screen, window title, clipboard, hyperlink),
C1 controls, bidi overrides, zero-width characters, NUL and a 20,000-character line. The quotes
are in the seed too, so the tree passes ``povtui check`` with warnings only. A fact id is the one
text that is refused, not warned about: it is cited in reports (see the test of a hostile id).
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.helpers import leaked, run_cli
from tui.factfiles.loader import load
from tui.present.export import FACT_FIELDS
from tui.present.textfmt import csv_safe, sanitize

MARKUP = "[bold red]粗[/] [link=https://evil.example]链[/link] [@click=app.quit]退[/]"
CLEAR = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;cG93bmVk\x07"  # OSC 52: write "powned" to the clipboard
LINK = "\x1b]8;;https://evil.example\x1b\\点\x1b]8;;\x1b\\"  # OSC 8 hyperlink
TITLE = "\x1b]0;pwned\x07"  # OSC 0: set the window title
C1 = "\x9b31m\x9d0;t\x9c"  # CSI, OSC and ST as single C1 bytes
BIDI = "\u202e反转\u202c\u2066隔\u2069\u200f"
ZERO_WIDTH = "零\u200b宽\u200c连\u200d字\ufeff\u2060"
NUL = "\x00\x07\x08\x7f"
SEPARATORS = "\x85\u2028\u2029"
EVERYTHING = MARKUP + CLEAR + CLIPBOARD + LINK + TITLE + C1 + BIDI + ZERO_WIDTH + NUL + SEPARATORS

PEOPLE_QUOTE = f"{MARKUP}{CLEAR}累计脱贫100人{CLIPBOARD}{LINK}{TITLE}{C1}{BIDI}{ZERO_WIDTH}{NUL}"
CADRES_QUOTE = f"{TITLE}帮扶干部7名{MARKUP}{BIDI}"
LONG_QUOTE = "很长的一行" * 4000 + CLIPBOARD + "贫困户9户" + "[/]" * 100
SKIP_QUOTE = f"第{CLEAR}3版"
HOSTILE_ID = "evil-\x1b]0;id\x07"


def toml_string(text: str) -> str:
    """A TOML basic string; the controls TOML forbids raw written as \\u escapes."""
    return (
        '"'
        + "".join(
            "\\" + c if c in '"\\' else f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in text
        )
        + '"'
    )


def _table(header: str, **fields: object) -> str:
    lines = [header]
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key} = [{', '.join(toml_string(v) for v in value)}]")
        elif isinstance(value, str):
            lines.append(f"{key} = {toml_string(value)}")
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n\n"


def _fact(**fields: object) -> str:
    base = {"bound": "exact", "scope": "county", "kind": "achieved", "when": "2020", "source": "evil-news"}
    return _table("[[fact]]", **{**base, **fields})


@pytest.fixture
def hostile(mini_tree: Path) -> Path:
    """The fixture tree plus a county, theme and metric whose texts are all hostile."""
    metrics = mini_tree / "facts" / "metrics.toml"
    metrics.write_text(
        metrics.read_text(encoding="utf-8")
        + "\n"
        + _table("[[theme]]", id="evil", zh=f"恶{MARKUP}", en=f"Evil{CLEAR}", order=3)
        + _table(
            "[[metric]]",
            id="evil.cadres",
            zh=f"干部{TITLE}",
            en=f"Cadres{BIDI}",
            theme="evil",
            base="人",
            aliases=[f"别名{ZERO_WIDTH}", CLIPBOARD],
        ),
        encoding="utf-8",
    )
    county = (
        _table(
            "[county]",
            id="evil",
            name=f"恶{CLEAR}县{BIDI}",
            short=f"恶{TITLE}",
            en=f"Evil{MARKUP}",
            pinyin="e xian",
            level="县",
            parent=f"重庆市{ZERO_WIDTH}",
        )
        + _table(
            "[[source]]",
            id="evil-news",
            file="seeds/evil.txt",
            title=f"恶县 {MARKUP} 新闻{CLIPBOARD}{C1}",
            outlet=f"报{LINK}",
            date="2021-01",
            date_note=f"注{NUL}",
        )
        + _fact(
            metric="poverty.people_lifted",
            value=100,
            unit="人",
            quote=PEOPLE_QUOTE,
            note=f"{EVERYTHING}",
            when_note=f"去年{SEPARATORS}",
        )
        + _fact(
            id="evil-cadres", metric="evil.cadres", value=7, unit="名", scope=f"乡{CLEAR}{MARKUP}", quote=CADRES_QUOTE
        )
        + _fact(metric="poverty.poor_households", value=9, unit="户", kind="baseline", when="2014", quote=LONG_QUOTE)
        + _table("[[skip]]", source="evil-news", quote=SKIP_QUOTE, reason=f"页码{TITLE}")
    )
    (mini_tree / "facts" / "evil.toml").write_text(county, encoding="utf-8")
    seed = "\n".join([f"恶县新闻{SKIP_QUOTE}", PEOPLE_QUOTE, CADRES_QUOTE, LONG_QUOTE]) + "\n"
    (mini_tree / "seeds" / "evil.txt").write_text(seed, encoding="utf-8")
    return mini_tree


def _evil_fact(root: Path, metric: str) -> str:
    base, _ = load(root / "facts")
    return base.select(county="evil", metric=metric)[0].id


# --- the tree is as hostile as meant, and check says so ---------------------------------------

WARNED = [  # (file, table, key) that must be warned about; markup alone is text, not a control
    ("metrics.toml", "theme", "en"),
    ("metrics.toml", "metric", "zh"),
    ("metrics.toml", "metric", "en"),
    ("metrics.toml", "metric", "aliases"),
    ("evil.toml", "county", "name"),
    ("evil.toml", "county", "short"),
    ("evil.toml", "county", "parent"),
    ("evil.toml", "source", "title"),
    ("evil.toml", "source", "outlet"),
    ("evil.toml", "source", "date_note"),
    ("evil.toml", "fact", "quote"),
    ("evil.toml", "fact", "note"),
    ("evil.toml", "fact", "when_note"),
    ("evil.toml", "fact", "scope"),
    ("evil.toml", "skip", "quote"),
    ("evil.toml", "skip", "reason"),
]


def test_check_warns_about_control_characters_in_every_kind_of_text(hostile: Path) -> None:
    code, out, _ = run_cli(["check", "--json"], hostile)
    assert code == 0, out  # warnings only: every quote is in its seed, every value in its quote
    problems = json.loads(out)["problems"]
    assert all(p["severity"] == "warning" and "control characters" in p["message"] for p in problems)
    warned = {(Path(p["path"]).name, p["message"].split("[")[1].split("]")[0], p["key"]) for p in problems}
    assert set(WARNED) <= warned
    assert ("metrics.toml", "theme", "zh") not in warned and ("evil.toml", "county", "en") not in warned
    for problem in problems:  # each names the line of its key
        lines = (hostile / "facts" / Path(problem["path"]).name).read_text(encoding="utf-8").split("\n")
        assert lines[problem["line"] - 1].startswith(f"{problem['key']} = "), problem
    facts = json.loads(out)["facts"]
    assert facts == 13 + 3


def test_check_text_output_names_the_characters_and_prints_none(hostile: Path) -> None:
    code, out, _ = run_cli(["check"], hostile)
    assert code == 0 and not leaked(out)
    assert "quote in [fact] holds control characters U+0000, U+0007, U+0008, U+001B" in out
    assert "U+200B" in out and "U+202E" in out and "U+FEFF" in out


# --- every command, as text -------------------------------------------------------------------

TEXT_COMMANDS = [
    ["show", "evil"],
    ["show", "evil", "--theme", "evil"],
    ["compare", "evil", "beta"],
    ["compare", "evil", "alpha", "beta"],
    ["sources"],
    ["sources", "--county", "evil"],
    ["sheet", "evil"],
    ["sheet", "evil", "--width", "24"],
    ["search", "脱贫"],
    ["search", "--ids", "干部"],
    ["search", "county:evil"],
    ["search", "100"],
    ["search", "贫困户"],
    ["search", "pwned"],
    ["search", "evil"],
    ["search", "bold"],
    [],
]


@pytest.mark.parametrize("argv", TEXT_COMMANDS, ids=lambda a: " ".join(a) or "overview")
def test_text_output_shows_hostile_text_escaped_within_80_columns(hostile: Path, argv: list[str]) -> None:
    code, out, err = run_cli(argv, hostile)
    assert code == 0, err
    assert not leaked(out) and not leaked(err), (leaked(out), leaked(err))
    assert all(cell_len(line) <= 80 for line in out.splitlines()), max(out.splitlines(), key=cell_len)
    assert "\\x1b" in out or "\\u" in out, "the hostile text is shown, escaped"


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        (
            "poverty.people_lifted",
            [
                "[bold red]粗[/]",
                "[@click=app.quit]退[/]",
                "\\x1b]52;c;cG93bmVk\\x07",
                "\\x1b]8;;https://evil.example\\x1b\\点",
                "\\x9b31m\\x9d0;t\\x9c",
                "\\u202e反转",
                "零\\u200b宽\\u200c连\\u200d字\\ufeff",
                "\\x00\\x07\\x08\\x7f",
                "\\x1b]0;pwned\\x07",
            ],
        ),
        (
            "evil.cadres",
            ["\\x1b]0;pwned\\x07帮扶干部7名[bold red]粗[/]", "乡\\x1b[2J\\x1b[H[bold red]粗[/]", "[fact evil-cadres]"],
        ),
    ],
)
def test_cite_prints_the_quote_visibly_escaped(hostile: Path, metric: str, expected: list[str]) -> None:
    code, out, _ = run_cli(["cite", _evil_fact(hostile, metric)], hostile)
    assert code == 0 and not leaked(out)
    joined = "".join(out.split("\n"))  # cite wraps at 80 columns
    for fragment in expected:
        assert fragment in joined, fragment


def test_a_hostile_fact_id_is_an_error_and_its_fact_is_never_shown(hostile: Path) -> None:
    path = hostile / "facts" / "evil.toml"
    fact = _fact(id=HOSTILE_ID, metric="poverty.people_lifted", value=100, unit="人", scope="甲乡", quote=PEOPLE_QUOTE)
    path.write_text(path.read_text(encoding="utf-8") + fact, encoding="utf-8")
    code, out, _ = run_cli(["check", "--json"], hostile)
    assert code == 1 and not leaked(out)
    [error] = [p for p in json.loads(out)["problems"] if p["severity"] == "error" and p["key"] == "id"]
    assert "may hold only lower-case ascii letters, digits and '-'" in error["message"]
    assert "this fact is not loaded" in error["message"]
    assert path.read_text(encoding="utf-8").split("\n")[error["line"] - 1].startswith("id = ")
    code, out, _ = run_cli(["check"], hostile)
    assert code == 1 and not leaked(out) and "evil-\\x1b]0;id\\x07" in out
    base, _ = load(hostile / "facts")
    assert all(HOSTILE_ID not in (f.id, *f.former_ids) for f in base)
    code, out, err = run_cli(["cite", HOSTILE_ID], hostile)
    assert code == 2 and out == "" and not leaked(err) and "evil-\\x1b]0;id\\x07" in err


def test_a_twenty_thousand_character_line_is_wrapped_quickly(hostile: Path) -> None:
    started = time.process_time()
    code, out, _ = run_cli(["cite", _evil_fact(hostile, "poverty.poor_households"), "--width", "80"], hostile)
    assert time.process_time() - started < 5
    assert code == 0 and not leaked(out)
    lines = out.splitlines()
    assert len(lines) > 500 and all(cell_len(line) <= 80 for line in lines)
    assert "".join(lines).count("很长的一行") == 4000


def test_a_hostile_query_is_echoed_escaped(hostile: Path) -> None:
    code, out, err = run_cli(["search", f"\x1b]52;c;{'q' * 12}\x07\ud800\u202e"], hostile)
    assert code == 1 and not leaked(err) and f"\\x1b]52;c;{'q' * 12}\\x07\\ud800\\u202e" in err


# --- every command, as JSON -------------------------------------------------------------------

JSON_COMMANDS = [
    ["show", "evil"],
    ["compare", "evil", "beta"],
    ["sources"],
    ["sheet", "evil"],
    ["search", "脱贫"],
    ["search", "county:evil"],
    ["check"],
    [],
    ["export", "--format", "json"],
    ["export", "--format", "json", "--county", "evil"],
]


@pytest.mark.parametrize("argv", JSON_COMMANDS, ids=lambda a: " ".join(a) or "overview")
def test_json_output_is_valid_and_escapes_every_control_character(hostile: Path, argv: list[str]) -> None:
    code, out, err = run_cli([*argv, "--json"] if argv[:1] != ["export"] else argv, hostile)
    assert code == 0, err
    assert not leaked(out), leaked(out)
    data = json.loads(out)
    text = json.dumps(data, ensure_ascii=False)
    assert "evil" in text


def test_json_gives_back_the_hostile_text_exactly(hostile: Path) -> None:
    _, out, _ = run_cli(["cite", _evil_fact(hostile, "poverty.people_lifted"), "--json"], hostile)
    data = json.loads(out)
    assert data["fact"]["quote"] == PEOPLE_QUOTE
    assert data["fact"]["note"] == EVERYTHING
    assert data["county"]["name"] == f"恶{CLEAR}县{BIDI}"
    assert data["source"]["title"] == f"恶县 {MARKUP} 新闻{CLIPBOARD}{C1}"
    _, out, _ = run_cli(["export", "--format", "json", "--county", "evil"], hostile)
    exported = {f["metric"]: f for f in json.loads(out)["facts"]}
    assert exported["poverty.poor_households"]["quote"] == LONG_QUOTE
    assert exported["evil.cadres"]["metric_zh"] == f"干部{TITLE}"


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_export_carries_no_control_character_and_one_line_per_fact(hostile: Path) -> None:
    code, out, _ = run_cli(["export", "--format", "csv"], hostile)
    assert code == 0
    assert not leaked(out), leaked(out)
    assert "\t" not in out and "\r" not in out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 16 and len(out.splitlines()) == 17  # a header, then one line per fact
    assert list(rows[0]) == list(FACT_FIELDS)
    evil = {row["metric"]: row for row in rows if row["county"] == "evil"}
    people = evil["poverty.people_lifted"]
    assert people["quote"] == csv_safe(PEOPLE_QUOTE)
    assert "\\x1b]52;c;cG93bmVk\\x07" in people["quote"] and "[@click=app.quit]" in people["quote"]
    assert people["note"].endswith("\\x85\\u2028\\u2029")  # line separators escaped, not broken lines
    assert people["source_title"] == csv_safe(f"恶县 {MARKUP} 新闻{CLIPBOARD}{C1}")
    assert evil["evil.cadres"]["id"] == "evil-cadres"
    assert evil["poverty.poor_households"]["quote"].count("很长的一行") == 4000


def test_sanitize_and_csv_safe_differ_only_in_line_breaks_and_tabs() -> None:
    assert sanitize("a\tb\nc\x1b") == "a b c\\x1b"
    assert csv_safe("a\tb\nc\x1b") == "a\\x09b\\x0ac\\x1b"
    assert csv_safe(EVERYTHING).isprintable()
