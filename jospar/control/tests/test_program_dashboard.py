"""The program dashboard: its figures read from the kept counts equal a fresh computation from
the obligations (for many days and every scope), the services keep the counts, a constant
number of queries whatever the tree's size, who may see it, the page, and the consolidated
report's program variant in Kazakh and Russian."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.control.exports.program_data import program_report
from jospar.control.exports.render import render_report
from jospar.control.models import Obligation
from jospar.control.models_exports import ReportExport
from jospar.control.program_counts import program_counts_check
from jospar.control.program_dashboard import (
    Figures,
    ProgramFigures,
    _light_up,
    program_figures,
    program_figures_fresh,
    traffic_light,
)
from jospar.control.services.project_tasks import project_task_withdraw
from jospar.control.services.review import report_accept, report_return
from jospar.control.status import today
from jospar.control.synth_programs import ProgramSpec, synth_program_build
from jospar.control.tests.conftest import in_days
from jospar.control.tests.exports_world import docx_bytes, pdf_text
from jospar.control.tests.test_project_tasks import (  # noqa: F401  (the fixture)
    Office,
    _issue,
    _report,
    office,
)
from jospar.core.models import Role, User
from jospar.programs.models import NodeKind, Program, ProgramNode, ProgramRole
from jospar.programs.roles import ProjectRole

pytestmark = pytest.mark.django_db


def _synth(projects: int, tasks: int) -> Program:
    year = today().year
    spec = ProgramSpec(
        subprograms=2,
        base_projects=4,
        projects=projects,
        tasks=tasks,
        first_year=year - 1,
        last_year=year + 1,
        seed=projects,
    )
    result = synth_program_build(actor=None, spec=spec, reset=False)
    return Program.objects.get(pk=result.program_id)


def _rolled(figures: ProgramFigures) -> dict[str, Any]:
    _light_up(figures.nodes, None)
    return {
        "nodes": {pk: (row.figures, row.light) for pk, row in figures.nodes.items()},
        "bodies": {k: f for k, f in figures.bodies.items() if f.total},
        "regions": {k: f for k, f in figures.regions.items() if f.total},
        "quarters": {k: f for k, f in figures.quarters.items() if f.total},
    }


def test_traffic_light_from_the_share_overdue_and_the_declared_status() -> None:
    assert traffic_light(Figures()) == "none"
    assert traffic_light(Figures(on_time=91, overdue=9)) == "green"
    assert traffic_light(Figures(on_time=90, overdue=10)) == "amber"
    assert traffic_light(Figures(on_time=75, overdue=25)) == "red"
    assert traffic_light(Figures(open=5)) == "none"
    # The worse of the computed light and the declared status wins.
    assert traffic_light(Figures(on_time=10), "at_risk") == "amber"
    assert traffic_light(Figures(on_time=10), "off_track") == "red"
    assert traffic_light(Figures(on_time=1, overdue=1), "on_track") == "red"
    assert traffic_light(Figures(), "on_track") == "green"
    assert traffic_light(Figures(on_time=1), "nonsense") == "green"


def test_kept_figures_equal_a_fresh_computation(regions: None) -> None:
    program = _synth(projects=8, tasks=240)
    assert program_counts_check() == []
    year = today().year
    days = [
        today(),
        dt.date(year, 1, 1),
        dt.date(year, 2, 15),
        dt.date(year, 7, 1),
        dt.date(year, 12, 31),
        dt.date(year + 1, 5, 20),
        dt.date(year - 1, 11, 3),
        dt.date(year + 3, 1, 1),
    ]
    subprograms = list(program.nodes.filter(kind=NodeKind.SUBPROGRAM))
    base = program.nodes.filter(kind=NodeKind.BASE_PROJECT).first()
    assert len(subprograms) == 2
    for on in days:
        for focus in [None, *subprograms, base]:
            kept = _rolled(program_figures(program, focus, on=on))
            fresh = _rolled(program_figures_fresh(program, focus, on=on))
            assert kept == fresh, (on, focus)
    whole = program_figures(program, on=today())
    assert whole.totals.total == Obligation.objects.filter(project_task__program=program).count()
    assert whole.totals.overdue > 0
    assert {row.light for row in whole.nodes.values()} - {"none"}


def test_the_services_keep_the_counts(office: Office) -> None:  # noqa: F811
    task = _issue(office)
    assert program_counts_check() == []
    obligation = Obligation.objects.get(project_task=task)
    _report(office.akimat_executor, obligation)
    assert program_counts_check() == []
    report_return(
        actor=office.manager,
        report=obligation.reports.get(),
        comment="Толықтырыңыз",
        new_deadline=in_days(12),
    )
    assert program_counts_check() == []
    _report(office.akimat_executor, obligation, "Толықтырылды")
    latest = obligation.reports.order_by("-version").first()
    assert latest is not None
    report_accept(actor=office.manager, report=latest)
    assert program_counts_check() == []
    other = _issue(office)
    project_task_withdraw(actor=office.manager, task=other, reason="Қажет емес")
    assert program_counts_check() == []
    figures = program_figures(office.program)
    assert figures.totals == Figures(on_time=1)
    fresh = _rolled(program_figures_fresh(office.program))
    assert _rolled(program_figures(office.program)) == fresh


def _queries(fn: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def test_constant_queries_whatever_the_size(regions: None, make_user: Callable[..., User]) -> None:
    small = _synth(projects=4, tasks=40)
    large = _synth(projects=16, tasks=480)
    assert large.nodes.count() > 2 * small.nodes.count()
    for program in (small, large):
        program_figures(program)  # warm
    assert _queries(lambda: program_figures(small)) == _queries(lambda: program_figures(large))
    sub_small = small.nodes.filter(kind=NodeKind.SUBPROGRAM).first()
    sub_large = large.nodes.filter(kind=NodeKind.SUBPROGRAM).first()
    assert _queries(lambda: program_figures(small, sub_small)) == _queries(
        lambda: program_figures(large, sub_large)
    )
    controller = make_user(Role.CONTROLLER)
    client = Client()
    client.force_login(controller)
    urls = [reverse("control:program-dashboard", args=[p.pk]) for p in (small, large)]
    client.get(urls[0])
    counts = [_queries(lambda url=url: client.get(url)) for url in urls]  # type: ignore[misc]
    assert counts[0] == counts[1]
    with_node = [f"{urls[0]}?node={sub_small.pk}", f"{urls[1]}?node={sub_large.pk}"]  # type: ignore[union-attr]
    assert _queries(lambda: client.get(with_node[0])) == _queries(lambda: client.get(with_node[1]))


# --- who may see it -------------------------------------------------------------------------


def _grant(office: Office, role: str, node: ProgramNode | None, user: User) -> User:  # noqa: F811
    ProgramRole.objects.create(program=office.program, node=node, user=user, role=role)
    return user


def test_who_may_see_the_dashboard(
    office: Office,  # noqa: F811
    make_user: Callable[..., User],
    client: Client,
) -> None:
    _issue(office)
    url = reverse("control:program-dashboard", args=[office.program.pk])
    base = office.project.parent
    assert base is not None
    sub = base.parent
    assert sub is not None
    customer = _grant(office, ProjectRole.CUSTOMER, None, make_user())
    sub_head = _grant(office, ProjectRole.SUBPROGRAM_HEAD, sub, make_user())
    people = {
        "controller": (make_user(Role.CONTROLLER), 200),
        "administrator": (make_user(Role.ADMINISTRATOR), 200),
        "customer": (customer, 200),
        "sub-program head": (sub_head, 200),
        "project manager": (office.manager, 200),
        "executor": (office.akimat_executor, 404),
        "observer": (make_user(Role.OBSERVER), 404),
        "nobody": (make_user(), 404),
    }
    before = (Obligation.objects.count(), ReportExport.objects.count())
    for who, (user, expected) in people.items():
        client.force_login(user)
        assert client.get(url).status_code == expected, who
    # A node-role holder sees their subtree, not a sibling's nor the whole above it.
    client.force_login(office.manager)
    page = client.get(url)
    assert f'data-node="{office.event.pk}"'.encode() in page.content
    assert client.get(f"{url}?node={office.sibling.pk}").status_code == 404
    assert client.get(f"{url}?node={sub.pk}").status_code == 404
    assert client.get(f"{url}?node={office.project.pk}").status_code == 200
    client.force_login(sub_head)
    assert client.get(f"{url}?node={office.sibling.pk}").status_code == 200
    # Another program's node, a missing program, an anonymous visitor.
    other = Program.objects.create(title_kk="Басқа")
    stranger = ProgramNode.objects.create(program=other, kind=NodeKind.SUBPROGRAM, position=1)
    client.force_login(people["controller"][0])
    assert client.get(f"{url}?node={stranger.pk}").status_code == 404
    assert client.get(reverse("control:program-dashboard", args=[10**9])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert (Obligation.objects.count(), ReportExport.objects.count()) == before


def test_the_page_links_every_figure_to_its_list(
    office: Office,  # noqa: F811
    make_user: Callable[..., User],
    client: Client,
) -> None:
    task = _issue(office)
    controller = make_user(Role.CONTROLLER)
    client.force_login(controller)
    page = client.get(reverse("control:program-dashboard", args=[office.program.pk]))
    html = page.content.decode()
    assert 'id="program-tree"' in html
    assert 'id="discipline-map-data"' in html
    assert "/control/obligations/?program=" in html
    # The list behind "on control" holds the task's obligation, in the reader's list.
    listed = client.get(f"/control/obligations/?program={office.program.pk}")
    assert f"/control/obligations/{Obligation.objects.get(project_task=task).pk}/" in (
        listed.content.decode()
    )
    node_list = client.get(
        f"/control/obligations/?program={office.program.pk}&node={office.sibling.pk}"
    )
    assert f"/control/obligations/{Obligation.objects.get(project_task=task).pk}/" not in (
        node_list.content.decode()
    )
    # Numbers in markup are never localised.
    assert 'data-node="' in html
    assert 'data-node="1\u00a0' not in html


# --- the report's program variant --------------------------------------------------------------


def _reported_and_returned(office: Office) -> None:  # noqa: F811
    task = _issue(office)
    obligation = Obligation.objects.get(project_task=task)
    _report(office.akimat_executor, obligation, "Кітапханада кездесу өтті")
    report_return(
        actor=office.manager,
        report=obligation.reports.get(),
        comment="Фотосуреттер жоқ",
        new_deadline=in_days(12),
    )


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_program_report_in_both_languages(office: Office, lang: str) -> None:  # noqa: F811
    _reported_and_returned(office)
    start, end = today(), in_days(30)
    report = program_report(program=office.program, lang=lang, period_start=start, period_end=end)
    assert len(report.rows) == 1
    row = report.rows[0]
    assert "Туған жер" in row.section
    assert "Базалық жоба" in row.section
    heading = {
        "kk": "Бағдарламаның орындалу барысы туралы ақпарат",
        "ru": "Информация о ходе исполнения Программы",
    }[lang]
    returned = {"kk": "Қайтарылды", "ru": "Возвращено"}[lang]
    docx_text = "\n".join(p.text for p in docx_bytes(render_report(report, "docx").data).paragraphs)
    document = docx_bytes(render_report(report, "docx").data)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert heading in docx_text
    assert "Фотосуреттер жоқ" in cells
    assert returned in cells
    assert "Ақпарат ұсыну" in cells
    book = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx").data))
    xlsx_text = "\n".join(
        str(c.value) for sheet in book.worksheets for r in sheet.iter_rows() for c in r if c.value
    )
    assert heading in xlsx_text
    assert "Фотосуреттер жоқ" in xlsx_text
    text = pdf_text(render_report(report, "pdf").data)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    flat = " ".join(text.split())  # the PDF's lines break where the layout does
    assert "Фотосуреттер жоқ" in flat
    assert returned in flat
    assert heading in flat


def test_program_report_through_the_export_jobs(
    office: Office,  # noqa: F811
    make_user: Callable[..., User],
    client: Client,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    _reported_and_returned(office)
    url = reverse("control:program-export-request", args=[office.program.pk])
    form = {"period": "Y", "year": str(today().year), "lang": "ru", "format": "xlsx"}
    if in_days(10).year != today().year:
        form["year"] = str(in_days(10).year)
    # Refused: an executor, a project manager (the report covers the whole program).
    for user in (office.akimat_executor, office.manager):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, form).status_code == 404
    assert ReportExport.objects.count() == 0
    controller = make_user(Role.CONTROLLER)
    client.force_login(controller)
    assert client.get(url).status_code == 200
    response = client.post(url, form)
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert export.program_id == office.program.pk
    assert export.plan_id is None
    assert export.status == "done"
    download = client.get(reverse("control:export-download", args=[export.pk]))
    assert download.status_code == 200
    assert f"jospar-program-{office.program.pk}-" in download["Content-Disposition"]
    client.force_login(office.akimat_executor)
    assert client.get(reverse("control:export-detail", args=[export.pk])).status_code == 404


def test_a_declared_status_turns_the_nodes_light_on_the_page(
    office: Office,  # noqa: F811
    make_user: Callable[..., User],
    client: Client,
) -> None:
    """The page passes the projects' declared statuses: a project with nothing overdue that its
    manager declares off track is red; before, it was not."""
    from jospar.programs.services.office import project_status_set

    _issue(office)
    client.force_login(make_user(Role.CONTROLLER))
    # Focused on the project's parent: the tree shows two levels below the focus.
    url = reverse("control:program-dashboard", args=[office.program.pk])
    url += f"?node={office.project.parent_id}"
    marker = f'data-node="{office.project.pk}" data-light="'

    def light() -> str:
        html = client.get(url).content.decode()
        return html.split(marker, 1)[1].split('"', 1)[0]

    assert light() != "red"
    project_status_set(
        actor=office.manager, node=office.project, status="off_track", reason="Нет подрядчика"
    )
    assert light() == "red"
