"""A project task printed as the form at the end of `002_*` ("ЖОБАЛЫҚ ТАПСЫРМА"), in Kazakh
or Russian, as DOCX (python-docx) and PDF (WeasyPrint), like the consolidated report.

The form's own words are the document's, in the language chosen for the print (not the
interface's): they are kept here per language, as the form prints them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from jospar.control.exports.pdf_layout import refuse_fetch as _refuse_fetch
from jospar.core.models import pick_lang
from jospar.programs.models import NodeKind, ProgramNode, ProjectTask

FONT = "Times New Roman"

# The form's words, as `002_*` prints them (Kazakh) and their Russian counterparts.
FORM: dict[str, dict[str, str]] = {
    "kk": {
        "office": "«{program}» БАҒДАРЛАМАСЫНЫҢ ЖОБАЛЫҚ ОФИСЫ",
        "title": "ЖОБАЛЫҚ ТАПСЫРМА",
        "to": "Мемлекеттік органдарға",
        "by_agreement": "(келісім бойынша)",
        "deadline": "Мерзімі {date} дейін",
        "required": "Орындау қажет",
        "within": "Жүзеге асыру аясында:",
        "program": "«{name}» Бағдарламасы,",
        "subprogram": "«{name}» Кіші Бағдарламасы,",
        "base_project": "«{name}» Базалық жобасы,",
        "project": "«{name}» Жоба",
        "needed": "қажет етіледі:",
        "contact": "Қосымша ақпараттарды алу және талқылау үшін байланыс",
        "contact_hint": "Тел., e-mail, Skype",
        "prepared": "Жобалық тапсырманы құрастырған:",
        "date": "Күні",
        "signature": "Қолы",
        "number": "№ {number}",
    },
    "ru": {
        "office": "ПРОЕКТНЫЙ ОФИС ПРОГРАММЫ «{program}»",
        "title": "ПРОЕКТНОЕ ЗАДАНИЕ",
        "to": "Государственным органам",
        "by_agreement": "(по согласованию)",
        "deadline": "Срок до {date}",
        "required": "Необходимо выполнить",
        "within": "В рамках реализации:",
        "program": "Программы «{name}»,",
        "subprogram": "Подпрограммы «{name}»,",
        "base_project": "Базового проекта «{name}»,",
        "project": "Проекта «{name}»",
        "needed": "требуется:",
        "contact": "Контакт для получения дополнительной информации и обсуждения",
        "contact_hint": "Тел., e-mail, Skype",
        "prepared": "Проектное задание составил:",
        "date": "Дата",
        "signature": "Подпись",
        "number": "№ {number}",
    },
}
_PLACES = (NodeKind.SUBPROGRAM, NodeKind.BASE_PROJECT, NodeKind.PROJECT)


@dataclass(frozen=True)
class TaskForm:
    lang: str
    number: str
    office: str
    title: str
    to_label: str
    addressees: list[str]
    deadline: str
    required_label: str
    within: str
    places: list[str]
    needed: str
    items: list[str]
    contact_label: str
    contact: str
    contact_hint: str
    prepared_label: str
    prepared_by: str
    prepared_title: str
    date_label: str
    signature_label: str


def _chain(node: ProgramNode) -> list[ProgramNode]:
    chain: list[ProgramNode] = []
    current: ProgramNode | None = node
    while current is not None:
        chain.insert(0, current)
        current = current.parent
    return chain


def task_form(task: ProjectTask, lang: str) -> TaskForm:
    words = FORM["ru" if lang == "ru" else "kk"]
    program = pick_lang(task.program, "title", lang)
    places = [words["program"].format(name=program)]
    for node in _chain(task.node):
        if node.kind in _PLACES:
            places.append(words[str(node.kind)].format(name=pick_lang(node, "name", lang)))
    addressees = []
    for a in task.addressees.select_related("organisation").order_by("position"):
        name = pick_lang(a.organisation, "name", lang) or a.text
        addressees.append(f"{name} {words['by_agreement']}" if a.by_agreement else name)
    return TaskForm(
        lang=lang,
        number=words["number"].format(number=task.pk),
        office=words["office"].format(program=program.upper()),
        title=words["title"],
        to_label=words["to"],
        addressees=addressees,
        deadline=words["deadline"].format(date=task.deadline.strftime("%d.%m.%Y")),
        required_label=words["required"],
        within=words["within"],
        places=places,
        needed=words["needed"],
        items=[f"{item};" for item in task.required_items[:-1]]
        + [f"{item}." for item in task.required_items[-1:]],
        contact_label=words["contact"],
        contact=task.contact,
        contact_hint=words["contact_hint"],
        prepared_label=words["prepared"],
        prepared_by=task.prepared_by_name,
        prepared_title=task.prepared_by_title,
        date_label=words["date"],
        signature_label=words["signature"],
    )


def _para(
    document: Any,
    text: str,
    *,
    bold: bool = False,
    size: int = 13,
    center: bool = False,
    right: bool = False,
) -> None:
    p = document.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(text)
    run.bold = bold
    run.font.name = FONT
    run.font.size = Pt(size)


def write_docx(form: TaskForm) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    _para(document, form.office, bold=True, size=12, center=True)
    _para(document, form.number, size=11, right=True)
    _para(document, form.title, bold=True, size=16, center=True)
    table = document.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    rows = [
        (form.to_label, "\n".join(form.addressees)),
        ("", form.deadline),
        (form.required_label, "\n".join([form.within, *form.places, form.needed, *form.items])),
        (form.contact_label, f"{form.contact}\n{form.contact_hint}".strip()),
    ]
    for row, (label, value) in zip(table.rows, rows, strict=True):
        for cell, text, bold in ((row.cells[0], label, True), (row.cells[1], value, False)):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = bold
            run.font.name = FONT
            run.font.size = Pt(12)
    _para(document, "")
    _para(document, form.prepared_label, bold=True, size=12)
    _para(document, f"{form.prepared_by}", size=12)
    if form.prepared_title:
        _para(document, form.prepared_title, size=12)
    _para(document, f"{form.date_label}: ____________    {form.signature_label}: ____________")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def form_html(form: TaskForm) -> str:
    return render_to_string("control/exports/project_task.html", {"form": form})


def write_pdf(form: TaskForm) -> bytes:
    from weasyprint import HTML

    data: bytes = HTML(string=form_html(form), url_fetcher=_refuse_fetch).render().write_pdf()
    return data
