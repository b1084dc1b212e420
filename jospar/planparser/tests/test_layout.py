"""Reading the input: encodings, refusals, Word and HTML tables, the text layouts."""

from __future__ import annotations

import io

import pytest

from jospar.planparser import PlanParseError, parse_plan
from jospar.planparser.layout import read_layout
from jospar.planparser.model import AKIMATS
from jospar.planparser.sources import MAX_BYTES, decode_text
from jospar.planparser.tests.seedtools import (
    PLAN_SEEDS,
    gold_mismatches,
    html_page,
    pipe_table,
    seed_bytes,
    seed_text,
    tab_table,
)

SMALL_RU = (
    "ПЛАН МЕРОПРИЯТИЙ\nпо тестированию\n(срок реализации: 2016 - 2017 годы)\n\n"
    "№\t|\tНаименование\t|\tОтветственные исполнители\t|\tСрок\n"
    "1.\t|\tПровести семинар\t|\tМФ, МНЭ (свод)\t|\tдо 1 марта 2016 года\n"
    "2.\t|\tПодготовить доклад\t|\tМЮ\t|\tк 20 декабря 2016 года\n"
    "3.\t|\tОбновить сайт\t|\tМФ (по согласованию)\t|\tежеквартально\n"
)


def _same_as_small(plan_codes: list[list[str]]) -> None:
    assert plan_codes == [["МФ", "МНЭ"], ["МЮ"], ["МФ"]]


# --- encodings -------------------------------------------------------------------------------


def test_utf8_bytes_and_str_give_the_same_plan() -> None:
    a = parse_plan(SMALL_RU.encode("utf-8"))
    b = parse_plan(SMALL_RU)
    assert a.to_json() == b.to_json()
    _same_as_small([[e.code for e in act.executors] for act in a.activities])


def test_windows_1251() -> None:
    plan = parse_plan(SMALL_RU.encode("cp1251"))
    _same_as_small([[e.code for e in act.executors] for act in plan.activities])
    assert plan.activities[0].title == "Провести семинар"


def test_bom_is_stripped() -> None:
    plan = parse_plan(b"\xef\xbb\xbf" + SMALL_RU.encode("utf-8"))
    assert plan.title.startswith("ПЛАН МЕРОПРИЯТИЙ")
    assert parse_plan("\ufeff" + SMALL_RU).to_json() == plan.to_json()


def test_utf16_with_bom() -> None:
    plan = parse_plan(SMALL_RU.encode("utf-16"))
    _same_as_small([[e.code for e in act.executors] for act in plan.activities])


def test_crlf_line_ends() -> None:
    plan = parse_plan(SMALL_RU.replace("\n", "\r\n").encode("utf-8"))
    assert len(plan.activities) == 3
    assert plan.activities[1].deadline_text == "к 20 декабря 2016 года"


def test_kazakh_in_the_kazakh_windows_code_page() -> None:
    text = "Қаржы министрлігі және Ұлттық экономика министрлігі, әкімдіктер, өңірлер"
    assert decode_text(text.encode("kz1048")) == text


def test_russian_seed_in_windows_1251() -> None:
    # Windows-1251 has no Kazakh letters; the seed's Kazakh names lose them, the dates do not.
    raw = seed_text(PLAN_SEEDS[1]).encode("cp1251", errors="replace")
    plan = parse_plan(raw, filename="plan.txt")
    problems = gold_mismatches(plan, PLAN_SEEDS[1])
    assert all("executors" in p and "«" in p for p in problems), problems


def test_kazakh_seed_in_kz1048() -> None:
    plan = parse_plan(seed_text(PLAN_SEEDS[0]).encode("kz1048"), filename="plan.txt")
    assert gold_mismatches(plan, PLAN_SEEDS[0]) == []


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_input"),
        (b"  \n\t\r\n ", "empty_input"),
        ("", "empty_input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary_input"),
        (bytes(range(256)) * 4, "binary_input"),
        (b"\x01\x02\x03\x04 plan \x05\x06\x07\x08\x0e\x0f" * 20, "binary_input"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "unsupported_format"),
        (b"%PDF-1.4\n%...", "unreadable_pdf"),
        (b"PK\x03\x04not really a zip", "unreadable_docx"),
        (SMALL_RU.split("№")[0].encode(), "not_a_plan"),
    ],
)
def test_refusals(data: bytes | str, code: str) -> None:
    with pytest.raises(PlanParseError) as exc:
        parse_plan(data)
    assert exc.value.code == code
    assert exc.value.message


def test_huge_input_is_refused_before_reading() -> None:
    with pytest.raises(PlanParseError) as exc:
        parse_plan(b"a" * (MAX_BYTES + 1))
    assert exc.value.code == "input_too_large"


# --- Word ------------------------------------------------------------------------------------


def _docx_bytes(
    before: list[str], rows: list[str | list[str]], after: list[str], width: int
) -> bytes:
    import docx

    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=width)
    for item in rows:
        cells = table.add_row().cells
        if isinstance(item, str):
            merged = cells[0].merge(cells[width - 1])  # a heading across the whole row
            merged.text = item
        else:
            for cell, text in zip(cells, item, strict=True):
                cell.text = text
    for line in after:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_with_the_kazakh_seven_column_plan() -> None:
    table = tab_table(seed_text(PLAN_SEEDS[2]))
    data = _docx_bytes(table.before, table.items, table.after, 7)
    plan = parse_plan(data, filename="plan.docx")
    assert gold_mismatches(plan, PLAN_SEEDS[2]) == []
    acts = {a.number: a for a in plan.activities}
    assert acts["1"].section is not None
    assert acts["1"].section.startswith("1. МЕМЛЕКЕТТІК")
    assert acts["13"].controller == ["ІСБ", "МБАҰЖБ"]
    assert plan.glossary["МСМ"] == "Қазақстан Республикасы Мәдениет және спорт министрлігі"
    assert plan.title.endswith("жөніндегі жоспар")
    assert "ІСБ" in plan.source_text


def test_docx_vertically_merged_cells() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("ПЛАН МЕРОПРИЯТИЙ (срок реализации: 2016 - 2017 годы)")
    table = document.add_table(rows=4, cols=4)
    for cell, text in zip(
        table.rows[0].cells,
        ["№", "Наименование мероприятия", "Ответственные исполнители", "Сроки"],
        strict=True,
    ):
        cell.text = text
    rows = [
        ["1.", "Провести семинар", "МФ", "до 1 марта 2016 года"],
        ["2.", "Провести конференцию", "", ""],
        ["", "и издать сборник", "МЮ", ""],
    ]
    for r, values in enumerate(rows, start=1):
        for cell, text in zip(table.rows[r].cells, values, strict=True):
            cell.text = text
    # Activity 2 shares the deadline of activity 1; its own row is split over two rows.
    table.cell(1, 3).merge(table.cell(3, 3))
    table.cell(2, 0).merge(table.cell(3, 0))
    buf = io.BytesIO()
    document.save(buf)
    plan = parse_plan(buf.getvalue(), filename="p.docx")
    assert [a.number for a in plan.activities] == ["1", "2"]
    second = plan.activities[1]
    assert second.deadline_text == "до 1 марта 2016 года"
    assert second.title == "Провести конференцию и издать сборник"
    assert [e.code for e in second.executors] == ["МЮ"]


# --- HTML ------------------------------------------------------------------------------------


def test_html_with_the_russian_plan() -> None:
    table = tab_table(seed_text(PLAN_SEEDS[1]))
    page = html_page(table.before, table.header, table.items, table.after, 5)
    plan = parse_plan(page.encode("utf-8"), filename="plan.html")
    assert gold_mismatches(plan, PLAN_SEEDS[1]) == []
    assert plan.activities[0].section == "ПОДГОТОВИТЕЛЬНЫЙ ПЕРИОД (ноябрь 2015 года)"
    assert plan.activities[0].completion_form == ["брендбук", "информация в АП"]
    assert (
        plan.glossary["СЦК"] == "Служба центральных коммуникаций при Президенте Республики "
        "Казахстан"
    )
    assert plan.title.startswith("ПЛАН МЕРОПРИЯТИЙ")


def test_html_is_sniffed_without_the_extension() -> None:
    table = pipe_table(seed_text(PLAN_SEEDS[0]))
    page = html_page(table.before, table.header, table.items, table.after, 5)
    plan = parse_plan(page, filename="download")
    assert gold_mismatches(plan, PLAN_SEEDS[0]) == []


def test_html_rowspan_shares_a_cell() -> None:
    page = (
        "<html><body><p>ПЛАН МЕРОПРИЯТИЙ (срок реализации: 2016 - 2017 годы)</p><table>"
        "<tr><th>№</th><th>Наименование мероприятия</th><th>Ответственные исполнители</th>"
        "<th>Сроки</th></tr>"
        "<tr><td>1.</td><td>Провести семинар</td><td>МФ</td>"
        "<td rowspan='2'>до 1 марта 2016 года</td></tr>"
        "<tr><td>2.</td><td>Провести конференцию</td><td>МЮ, акиматы областей</td></tr>"
        "</table></body></html>"
    )
    plan = parse_plan(page, filename="p.html")
    assert [a.deadline_text for a in plan.activities] == ["до 1 марта 2016 года"] * 2
    assert [e.code for e in plan.activities[1].executors] == ["МЮ", AKIMATS]


# --- text layouts --------------------------------------------------------------------------


def test_tab_separated_rows() -> None:
    text = SMALL_RU.replace("\t|\t", "\t")
    plan = parse_plan(text)
    _same_as_small([[e.code for e in act.executors] for act in plan.activities])
    assert read_layout(text).kind == "tsv"


@pytest.mark.parametrize(
    ("name", "kind"), zip(PLAN_SEEDS, ("pipe", "tabcells", "tabcells"), strict=True)
)
def test_seed_layouts(name: str, kind: str) -> None:
    layout = read_layout(seed_bytes(name), name)
    assert layout.kind == kind
    assert all(len(r.cells) == len(layout.rows[0].cells) for r in layout.rows)
    assert "аббревиатур" in layout.trailing.lower()


def test_cell_continued_over_lines_keeps_its_lines() -> None:
    text = (
        "ПЛАН\n\n\t1.\n\tСделать первое\n\tотчет;\n\nинформация в АП\n\tМФ\n\tдо 1 мая 2016 года"
        "\n\n\t2.\n\tСделать второе\n\tинформация в АП\n\tМЮ\n\tдо 1 июня 2016 года\n"
    )
    layout = read_layout(text)
    assert [r.number for r in layout.rows] == ["1", "2"]
    assert layout.rows[0].cells[2] == "отчет;\nинформация в АП"
    plan = parse_plan(text)
    assert plan.activities[0].completion_form == ["отчет", "информация в АП"]


def test_heading_not_in_capitals_between_tab_rows() -> None:
    text = (
        "ПЛАН\n\n\t1. Совершенствование законодательства\n\n"
        "\t1.\n\tПринять закон\n\tМЮ\n\tдо 1 мая 2016 года\n\n"
        "\t2.\n\tПринять приказ\n\tМФ\n\tдо 1 июня 2016 года\n\n"
        "\t2. Информационное сопровождение\n\n"
        "\t3.\n\tПровести брифинг\n\tМИОР\n\tдо 1 июля 2016 года\n"
    )
    plan = parse_plan(text)
    assert [a.section for a in plan.activities] == [
        "1. Совершенствование законодательства",
        "1. Совершенствование законодательства",
        "2. Информационное сопровождение",
    ]
    assert not [w for a in plan.activities for w in a.warnings if w.code == "row_layout"]


def test_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    raw = SMALL_RU.encode("utf-8")
    cut = raw.index(b"\n") + 1
    damaged = raw[:cut] + b"\xff" + raw[cut:]
    assert decode_text(damaged).replace("\ufffd", "") == SMALL_RU


def test_docx_with_automatic_list_numbering() -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("ПЛАН МЕРОПРИЯТИЙ (срок реализации: 2016 - 2017 годы)")
    table = document.add_table(rows=3, cols=4)
    header = ["№", "Наименование мероприятия", "Ответственные исполнители", "Сроки"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    values = [
        ["Провести семинар", "МФ", "до 1 марта 2016 года"],
        ["Подготовить доклад", "МЮ", "до 1 мая 2016 года"],
    ]
    for r, row in enumerate(values, start=1):
        cells = table.rows[r].cells
        p_pr = cells[0].paragraphs[0]._p.get_or_add_pPr()
        p_pr.append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
        )
        for cell, text in zip(cells[1:], row, strict=True):
            cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    plan = parse_plan(buf.getvalue(), filename="p.docx")
    assert [a.number for a in plan.activities] == ["1", "2"]
    assert [e.code for e in plan.activities[1].executors] == ["МЮ"]
    assert any(w.code == "row_layout" for w in plan.activities[0].warnings)
