"""Amending acts: each formula of the contract in Russian and Kazakh, read into its change."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.planparser.amendment import parse_amendment
from jospar.planparser.amendment_cli import run_parse_amendment

ACTS = Path(__file__).resolve().parent / "fixtures" / "amendments"


def _changes(name: str) -> list[dict[str, Any]]:
    return [c.to_json() for c in parse_amendment((ACTS / name).read_bytes()).changes]


def _brief(changes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(c["op"], tuple(c["number"]), c["column"], c["old"], c["new"]) for c in changes]


def test_russian_act_reads_every_formula() -> None:
    act = parse_amendment((ACTS / "ru_act.txt").read_bytes())
    assert (act.number, act.date, act.lang) == ("21", "2016-04-14", "ru")
    assert act.title.startswith("О внесении изменений и дополнений в распоряжение")
    changes = [c.to_json() for c in act.changes]
    assert [c["op"] for c in changes] == [
        "change_decree_point",
        "replace_row",
        "add_row",
        "replace_words",
        "add_words",
        "remove_row",
        "replace_row",
        "remove_row",
    ]
    point, row5, row51, words, more, removed, row19, in_section = changes
    assert point["number"] == ["2"]
    assert point["new"].startswith("2. Центральным, местным исполнительным органам")
    assert point["target"] == "2015-10-30 № 10"
    assert row5["row"]["cells"] == [
        "5.",
        "Проведение республиканского форума «Нация Единого Будущего»",
        "Материалы в АП",
        "МКС, МИР, акиматы областей, гг. Астаны и Алматы",
        "II квартал 2016 года",
    ]
    assert row5["target"].startswith("2015-10-30 № 10 / Плане мероприятий")
    assert row51["number"] == ["5-1"]
    assert row51["row"]["number"] == "5-1"
    assert (words["number"], words["column"], words["old"], words["new"]) == (
        ["8"],
        4,
        "МИР, МОН",
        "МИР, МОН, МКС",
    )
    assert (more["number"], more["column"], more["old"], more["new"]) == (
        ["9"],
        3,
        "Информация в АП",
        "и в Правительство",
    )
    assert removed["number"] == ["12", "13", "15"]
    # Row 19 replaced by a row printed "119.": neither number trusted silently.
    assert row19["row"]["number"] == "119"
    assert [w["code"] for w in row19["warnings"]] == ["printed_number_mismatch"]
    assert row19["row"]["cells"][-1] == "ежеквартально, до 5 числа"
    assert (in_section["number"], in_section["section"]) == (
        ["201"],
        "Информационное сопровождение",
    )


def test_kazakh_act_reads_the_same_changes() -> None:
    act = parse_amendment((ACTS / "kk_act.txt").read_bytes())
    assert (act.number, act.date, act.lang) == ("21", "2016-04-14", "kk")
    ru = _brief(_changes("ru_act.txt"))
    kk = _brief([c.to_json() for c in act.changes])
    assert [c[:3] for c in kk] == [c[:3] for c in ru if c[1] != ("19",)]
    section = act.changes[-1]
    assert (section.number, section.section) == (["201"], "Ақпараттық сүйемелдеу")
    assert act.changes[3].old == "АДМ, БҒМ"
    assert act.changes[4].new == "және Үкіметке"


def test_sections_notes_appendices_whole_plans_and_one_language() -> None:
    act = parse_amendment((ACTS / "ru_act_sections.txt").read_bytes())
    assert (act.number, act.date) == ("95", "2017-03-02")
    assert act.one_language
    changes = [c.to_json() for c in act.changes]
    assert [c["op"] for c in changes] == [
        "replace_heading",
        "remove_row",
        "remove_section",
        "add_section",
        "replace_note",
        "replace_plan",
    ]
    heading, appendix_row, section, added, note, whole = changes
    assert (heading["old"], heading["new"]) == (
        "Информационная работа",
        "Информационно-разъяснительная работа",
    )
    assert (appendix_row["number"], appendix_row["section"]) == (["9"], "appendix 1")
    assert section["old"] == "Мониторинг"
    assert added["new"] == "Работа с молодежью"
    assert added["row"]["cells"][:2] == ["399-1.", "Конкурс эссе о гимне"]
    assert (
        note["new"].splitlines()[1]
        == "МОН – Министерство образования и науки Республики Казахстан;"
    )
    # The second decree of the act: each change carries the decree it amends.
    assert whole["target"] == "2016-12-12 № 800"
    assert heading["target"].startswith("2015-05-05 № 340")


def test_an_act_as_a_word_file(tmp_path: Path) -> None:
    document = docx.Document()
    for line in (ACTS / "ru_act.txt").read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            cells = line.strip().split("\t")
            table = document.add_table(rows=1, cols=len(cells))
            for cell, text in zip(table.rows[0].cells, cells, strict=True):
                cell.text = text
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    act = parse_amendment(buffer.getvalue(), filename="act.docx")
    ops = [c.op for c in act.changes]
    assert ops.count("replace_row") == 2
    assert "replace_words" in ops


def test_text_without_formulas_is_a_warning_not_an_error() -> None:
    act = parse_amendment("Просто текст без изменений.")
    assert act.changes == []
    assert [w["code"] for w in act.warnings] == ["no_changes"]


def test_cli(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_parse_amendment([str(ACTS / "kk_act.txt")], out, err) == 0
    data = json.loads(out.getvalue())
    assert data["act"] == {
        "title": data["act"]["title"],
        "number": "21",
        "date": "2016-04-14",
    }
    assert len(data["changes"]) == 7
    out, err = io.StringIO(), io.StringIO()
    assert run_parse_amendment([str(tmp_path / "none.txt")], out, err) == 2


_PIECES = [
    line
    for name in ("ru_act.txt", "kk_act.txt", "ru_act_sections.txt")
    for line in (ACTS / name).read_text(encoding="utf-8").split("\n")
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES),
            st.text(
                alphabet=st.sampled_from('«»"\t|:;.,-0123 строкапорядковыйномерjол'), max_size=40
            ),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_never_raises(lines: list[str]) -> None:
    text = "\n".join(lines)
    if not text.strip():
        return
    act = parse_amendment(text)
    json.dumps(act.to_json(), ensure_ascii=False)
