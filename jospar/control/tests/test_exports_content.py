"""The report's files say what the plan and the reports say: DOCX, XLSX and PDF, in Kazakh
and Russian, opened again and read cell by cell."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.utils import translation
from docx.oxml.ns import qn
from openpyxl import load_workbook

from jospar.control.exports.data import consolidated_report
from jospar.control.exports.periods import ReportPeriod
from jospar.control.exports.render import render_report
from jospar.control.models import EvidenceKind, ObligationStatus
from jospar.control.tests.exports_world import (
    ACCEPTED_TEXT,
    EVIDENCE_OUTLET,
    EVIDENCE_REASON,
    EVIDENCE_URL,
    FORMULA_TEXT,
    INPUT_TEXT,
    KAZAKH_TEXT,
    LEAD_TEXT,
    Q1_2016,
    World,
    activities_due,
    build_world,
    docx_bytes,
    pdf_font_names,
    pdf_page_count,
    pdf_text,
    section_count,
)
from jospar.core.models import User

pytestmark = pytest.mark.django_db

HEADINGS = {
    "ru": [
        "№ п/п",
        "Наименование мероприятия",
        "Форма завершения",
        "Ответственные исполнители",
        "Срок исполнения",
        "Информация об исполнении",
        "Отметка об исполнении",
    ],
    "kk": [
        "Р/с №",
        "Іс-шараның атауы",
        "Аяқталу нысаны",
        "Жауапты орындаушылар",
        "Орындалу мерзімі",
        "Орындалуы туралы ақпарат",
        "Орындалу белгісі",
    ],
}
TITLES = {
    "ru": "Информация о ходе исполнения Плана мероприятий",
    "kk": "Іс-шаралар жоспарының орындалу барысы туралы ақпарат",
}
ACCEPTED_WORD = {"ru": "Принято", "kk": "Қабылданды"}
OVERDUE_WORD = {"ru": "Просрочено", "kk": "Мерзімі өткен"}
PERIOD_WORDS = {"ru": "за I квартал 2016 года", "kk": "2016 жылғы I тоқсан бойынша"}
# Statuses are computed as of this day, so that the files do not change with the calendar.
ON = dt.date(2016, 4, 20)


@pytest.fixture
def world(make_user: Callable[..., User], regions: None) -> World:
    return build_world(make_user)


def _report(world: World, lang: str, start: dt.date = Q1_2016[0], end: dt.date = Q1_2016[1]):  # type: ignore[no-untyped-def]
    return consolidated_report(
        plan=world.plan, lang=lang, period_start=start, period_end=end, on=ON
    )


def _row(table, number: str):  # type: ignore[no-untyped-def]
    for row in table.rows:
        if row.cells[0].text.strip() == number:
            return row
    raise AssertionError(f"no row numbered {number}")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_docx_table_layout_and_content(world: World, lang: str) -> None:
    report = _report(world, lang)
    rendered = render_report(report, "docx")
    assert rendered.file_name == f"jospar-plan-{world.plan.pk}-2016Q1-{lang}.docx"
    document = docx_bytes(rendered.data)

    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == TITLES[lang]
    assert report.plan_title in paragraphs
    assert PERIOD_WORDS[lang] in paragraphs

    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert round(section.page_width.mm) == 297
    assert round(section.page_height.mm) == 210
    assert document.styles["Normal"].font.name == "Times New Roman"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml  # the page number field

    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADINGS[lang]
    assert [c.text for c in table.rows[1].cells] == [str(i) for i in range(1, 8)]
    # Both header rows repeat on every page; no other row does.
    flags = [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows
    ]
    assert flags[:2] == [True, True]
    assert not any(flags[2:])

    due = activities_due(world.plan, *Q1_2016)
    assert len(due) == len(report.rows) > 0
    sections = section_count(due, lang)
    assert sections >= 1
    assert len(table.rows) == 2 + len(due) + sections
    # A section row spans the whole table, shaded, as in the plan.
    section_rows = [r for r in table.rows[2:] if r._tr.tc_lst[0].grid_span == 7]
    assert len(section_rows) == sections
    assert section_rows[0]._tr.tc_lst[0].tcPr.find(qn("w:shd")) is not None

    row10 = _row(table, "10")
    info = row10.cells[5]
    assert "Мониторинг проведён: выявлено 1 250 материалов." in info.text
    assert "Второй абзац информации." in info.text
    bold = [r.text for p in info.paragraphs for r in p.runs if r.bold]
    assert ("МИР" if lang == "ru" else "ИДМ") in bold
    assert "monitoring.pdf" in info.text
    # The web address is a real hyperlink; the javascript: one stays plain text.
    assert "w:hyperlink" in info._tc.xml
    rels = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "https://example.kz/news/1" in rels
    assert not any(t.startswith("javascript:") for t in rels)
    status = row10.cells[6].text
    assert ACCEPTED_WORD[lang] in status
    assert OVERDUE_WORD[lang] in status
    assert ("СЦК" if lang == "ru" else "ОКҚ") in status  # who is overdue

    row11 = _row(table, "11")
    assert FORMULA_TEXT in row11.cells[5].text
    assert KAZAKH_TEXT in row11.cells[5].text
    text = "\n".join(c.text for r in table.rows for c in r.cells)
    assert "ЧЕРНОВИК" not in text  # a draft is not information
    with translation.override(lang):
        assert str(ObligationStatus.SUBMITTED_ON_TIME.label) in row11.cells[6].text


def test_docx_activity_texts_follow_the_language(world: World) -> None:
    ru = docx_bytes(render_report(_report(world, "ru"), "docx").data).tables[0]
    kk = docx_bytes(render_report(_report(world, "kk"), "docx").data).tables[0]
    activity = world.plan.activities.get(number="10")
    assert _row(ru, "10").cells[1].text == activity.title_ru
    assert _row(kk, "10").cells[1].text == activity.title_kk
    assert _row(ru, "10").cells[4].text == activity.deadline_text_ru
    assert _row(kk, "10").cells[4].text == activity.deadline_text_kk
    assert "СЦК (по согласованию)" in _row(ru, "10").cells[3].text
    assert "ОКҚ (келісім бойынша)" in _row(kk, "10").cells[3].text


def test_lead_executor_reports_for_the_activity(world: World) -> None:
    """Activity 9: the lead's consolidated report is shown; the akimats' inputs are not."""
    report = _report(world, "ru", dt.date(2015, 11, 1), dt.date(2015, 11, 30))
    row = next(r for r in report.rows if r.number == "9")
    assert [e.label for e in row.entries] == ["МИР"]
    assert row.entries[0].text == LEAD_TEXT
    table = docx_bytes(render_report(report, "docx").data).tables[0]
    assert LEAD_TEXT in _row(table, "9").cells[5].text
    assert INPUT_TEXT not in "\n".join(c.text for r in table.rows for c in r.cells)
    assert "МИР (свод)" in _row(table, "9").cells[3].text


def test_executor_export_holds_only_its_own_reports(world: World) -> None:
    report = consolidated_report(
        plan=world.plan,
        lang="ru",
        period_start=Q1_2016[0],
        period_end=Q1_2016[1],
        organisation=world.own,
        on=ON,
    )
    labels = {e.label for e in report.entries}
    assert labels == {"МКС"}
    texts = [e.text for e in report.entries if e.reported]
    assert texts == ["МКС: видеоролики размещены."]
    assert all(e.text != ACCEPTED_TEXT for e in report.entries)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_xlsx_table_summary_and_no_formulas(world: World, lang: str) -> None:
    report = _report(world, lang)
    rendered = render_report(report, "xlsx")
    assert rendered.file_name.endswith(f"2016Q1-{lang}.xlsx")
    book = load_workbook(io.BytesIO(rendered.data))
    sheet = book.worksheets[0]
    assert [sheet.cell(row=6, column=c).value for c in range(1, 8)] == HEADINGS[lang]
    assert sheet.cell(row=1, column=1).value == TITLES[lang]
    assert sheet.freeze_panes == "A7"
    assert sheet.column_dimensions["F"].width >= 60
    assert (
        sheet.cell(row=7, column=2).alignment.wrap_text
        or sheet.cell(row=8, column=2).alignment.wrap_text
    )

    rows = {
        str(sheet.cell(row=r, column=1).value): r
        for r in range(7, sheet.max_row + 1)
        if sheet.cell(row=r, column=2).value
    }
    info11 = sheet.cell(row=rows["11"], column=6)
    assert FORMULA_TEXT in str(info11.value)
    assert info11.data_type == "s"
    assert ACCEPTED_TEXT.split("\n")[0] in str(sheet.cell(row=rows["10"], column=6).value)
    # Nothing in the workbook is a formula.
    for ws in book.worksheets:
        for line in ws.iter_rows():
            for cell in line:
                assert cell.data_type != "f", cell.coordinate

    summary = book.worksheets[1]
    values = [[c.value for c in line] for line in summary.iter_rows()]
    with translation.override(lang):
        accepted_label = str(ObligationStatus.ACCEPTED.label)
    counts = {row[0]: row[1] for row in values if row and row[0] is not None}
    assert counts[accepted_label] == 1
    total = len(report.entries)
    assert total in [row[1] for row in values if row and isinstance(row[1], int)]
    assert any(row and row[0] == ("МИР" if lang == "ru" else "ИДМ") for row in values)


def test_xlsx_formula_looking_titles_stay_text(world: World) -> None:
    activity = world.plan.activities.get(number="10")
    activity.title_ru = "+7 777 000 00 00 @позвонить"
    activity.save(update_fields=["title_ru"])
    book = load_workbook(io.BytesIO(render_report(_report(world, "ru"), "xlsx").data))
    sheet = book.worksheets[0]
    cell = next(
        sheet.cell(row=r, column=2)
        for r in range(7, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == "10"
    )
    assert cell.value == "+7 777 000 00 00 @позвонить"
    assert cell.data_type == "s"
    assert cell.quotePrefix


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_pdf_has_pages_and_kazakh_glyphs(world: World, lang: str) -> None:
    rendered = render_report(_report(world, lang), "pdf")
    data = rendered.data
    assert data.startswith(b"%PDF")
    assert pdf_page_count(data) >= 1
    fonts = pdf_font_names(data)
    assert fonts, "no font embedded"
    # Only fonts that have every Kazakh letter are used (DejaVu here; Times New Roman where the
    # server has Microsoft's font).
    assert all(name.startswith(("DejaVu", "TimesNewRoman")) for name in fonts), fonts
    text = pdf_text(data)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not read")
    flat = " ".join(text.split())
    assert TITLES[lang] in flat
    # Table cells are read line by line across the row: each word is looked for on its own.
    words = set(flat.split())
    for word in KAZAKH_TEXT.split():
        assert word in words, word
    for letter in "әғқңөұүһі":
        assert letter in flat, letter
    assert HEADINGS[lang][1] in flat
    assert ACCEPTED_WORD[lang] in flat


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_evidence_is_printed_in_every_format(world: World, lang: str) -> None:
    report = _report(world, lang)
    with translation.override(lang):
        media = str(EvidenceKind.MEDIA.label)
        information = str(EvidenceKind.INFORMATION.label)
        event = str(EvidenceKind.EVENT.label)
    wanted = [media, EVIDENCE_OUTLET, EVIDENCE_URL, "04.01.2016", information, event]
    wanted += [EVIDENCE_REASON]
    docx = docx_bytes(render_report(report, "docx").data)
    docx_text = "\n".join(cell.text for row in docx.tables[0].rows for cell in row.cells)
    book = load_workbook(io.BytesIO(render_report(report, "xlsx").data))
    xlsx_text = "\n".join(
        str(cell.value) for row in book.worksheets[0].iter_rows() for cell in row if cell.value
    )
    for word in wanted:
        assert word in docx_text, word
        assert word in xlsx_text, word
    assert f"{information}: monitoring.pdf" in docx_text
    text = pdf_text(render_report(report, "pdf").data)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not read")
    flat = " ".join(text.split())
    for word in (EVIDENCE_OUTLET, "04.01.2016", "monitoring.pdf"):
        assert word in flat, word


def test_empty_period_gives_a_table_with_a_note(world: World) -> None:
    report = _report(world, "ru", dt.date(2030, 1, 1), dt.date(2030, 3, 31))
    assert report.rows == ()
    table = docx_bytes(render_report(report, "docx").data).tables[0]
    assert len(table.rows) == 3
    assert "Ни одно мероприятие" in table.rows[2].cells[0].text
    assert render_report(report, "pdf").data.startswith(b"%PDF")
    assert load_workbook(io.BytesIO(render_report(report, "xlsx").data)).worksheets[0]


@pytest.mark.parametrize(
    ("text", "slug", "start", "end"),
    [
        ("2016Q1", "2016Q1", dt.date(2016, 1, 1), dt.date(2016, 3, 31)),
        ("2016-q4", "2016Q4", dt.date(2016, 10, 1), dt.date(2016, 12, 31)),
        ("2016H1", "2016H1", dt.date(2016, 1, 1), dt.date(2016, 6, 30)),
        ("2016H2", "2016H2", dt.date(2016, 7, 1), dt.date(2016, 12, 31)),
        ("2016", "2016", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
    ],
)
def test_period_shortcuts(text: str, slug: str, start: dt.date, end: dt.date) -> None:
    period = ReportPeriod.parse(text)
    assert (period.start, period.end, period.slug) == (start, end, slug)


def test_period_labels_and_custom_slug() -> None:
    custom = ReportPeriod(dt.date(2016, 1, 10), dt.date(2016, 2, 15))
    assert custom.slug == "20160110-20160215"
    assert custom.shortcut is None
    with translation.override("ru"):
        assert ReportPeriod.parse("2016H2").label() == "за второе полугодие 2016 года"
        assert custom.label() == "за период с 10.01.2016 по 15.02.2016"
    with translation.override("kk"):
        assert ReportPeriod.parse("2016").label() == "2016 жыл бойынша"
    with pytest.raises(ValueError, match="unknown period"):
        ReportPeriod.parse("2016Q5")
