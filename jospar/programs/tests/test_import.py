"""Importing a program's text: the tree, idempotence, identities kept across a corrected text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, Role, User
from jospar.programs.models import NodeIndicator, NodeKind, Program, ProgramNode, ProgramRevision
from jospar.programs.services import program_import


def _counts(program: Program) -> dict[str, int]:
    nodes = ProgramNode.objects.filter(program=program, in_force=True)
    return {kind: nodes.filter(kind=kind).count() for kind in NodeKind.values}


@pytest.mark.django_db
def test_the_seed_program_becomes_its_tree(program_002: Program) -> None:
    assert program_002.title_kk.startswith("«РУХАНИ ЖАҢҒЫРУ»")
    assert _counts(program_002) == {
        "subprogram": 4,
        "base_project": 10,
        "direction": 3,
        "project": 0,
        "key_event": 60,
    }
    indicators = NodeIndicator.objects.filter(node__program=program_002)
    assert indicators.filter(kind="target").count() == 14
    assert indicators.filter(kind="outcome").count() == 34
    hundred = indicators.filter(target_value=100, target_unit="%", target_year=2022)
    assert hundred.count() == 2
    assert [(s.start_year, s.end_year) for s in program_002.stages.all()] == [
        (2017, 2022),
        (2023, 2032),
    ]
    bp = ProgramNode.objects.get(program=program_002, name_kk="Азаматтық бақылау")
    assert bp.parent is not None
    assert bp.parent.name_kk == "АТАМЕКЕН"
    assert bp.co_executor_codes == ["ЖАО", "ОМО", "МАМині"]
    assert [w["code"] for w in bp.warnings] == ["printed_number_mismatch"]
    assert AuditEvent.objects.filter(action="program.import").count() == 1


@pytest.mark.django_db
def test_the_same_text_again_changes_nothing(
    program_002: Program, admin_user: User, seed_text: str
) -> None:
    audits = AuditEvent.objects.count()
    outcome = program_import(actor=admin_user, data=seed_text, filename="again.txt")
    assert outcome.unchanged
    assert outcome.program == program_002
    assert ProgramRevision.objects.filter(program=program_002).count() == 1
    assert AuditEvent.objects.count() == audits


@pytest.mark.django_db
def test_a_corrected_text_keeps_the_identity_of_nodes(
    program_002: Program, admin_user: User, seed_text: str
) -> None:
    before = {(n.kind, n.name_kk): n.pk for n in ProgramNode.objects.filter(program=program_002)}
    corrected = seed_text.replace(
        "3)   «Саналы Азамат».", "3)   «Саналы Азамат»;\n4)   «Жас зерттеуші»."
    ).replace(
        "1.    Қаржы ресурстары:",
        "4. «Жас зерттеуші» базалық жобасы:\nҒылыми жобалар.\n1.    Қаржы ресурстары:",
    )
    # A key event reworded, and a base project's section removed from the text.
    corrected = corrected.replace("9) Өлкетану рөлі туралы", "9) Өлкетанудың рөлі туралы")
    start = corrected.index("0.  «Жомарт жүрек» базалық жобасы.")
    end = corrected.index("Қаржы ресурстары:", start)
    corrected = (corrected[:start] + corrected[end:]).replace("1. «Жомарт жүрек».", "")
    outcome = program_import(
        actor=admin_user, data=corrected, filename="corrected.txt", program=program_002
    )
    assert outcome.revision is not None
    assert outcome.revision.number == 2
    after = {(n.kind, n.name_kk): n for n in ProgramNode.objects.filter(program=program_002)}
    for key in [("subprogram", "ТӘРБИЕ ЖӘНЕ БІЛІМ"), ("base_project", "Өлкетану")]:
        assert after[key].pk == before[key]
    assert after[("base_project", "Жас зерттеуші")].pk not in before.values()
    assert after[("base_project", "Жомарт жүрек")].in_force is False
    assert after[("base_project", "Жомарт жүрек")].pk == before[("base_project", "Жомарт жүрек")]
    assert "Жомарт жүрек" in outcome.removed
    assert "Жас зерттеуші" in outcome.added


@pytest.mark.django_db
def test_a_second_language_version_names_the_same_nodes(
    program_002: Program, admin_user: User
) -> None:
    russian = "\n".join(
        [
            "ПРОГРАММА «РУХАНИ ЖАНГЫРУ»",
            "",
            "«ВОСПИТАНИЕ И ОБРАЗОВАНИЕ» ПОДПРОГРАММА",
            "Цель подпрограммы: воспитание.",
        ]
    )
    outcome = program_import(actor=admin_user, data=russian, filename="ru.txt", program=program_002)
    assert not outcome.unchanged
    sp = ProgramNode.objects.get(program=program_002, name_kk="ТӘРБИЕ ЖӘНЕ БІЛІМ")
    assert sp.name_ru == "ВОСПИТАНИЕ И ОБРАЗОВАНИЕ"
    assert sp.content_ru["purpose"] == "воспитание."
    # The Russian text names one sub-program: the Kazakh ones it does not name stay in force.
    assert (
        ProgramNode.objects.filter(program=program_002, kind="subprogram", in_force=True).count()
        == 4
    )


@pytest.mark.django_db
def test_only_administrators_import(make_user: Callable[..., User], seed_text: str) -> None:
    for role in (Role.CONTROLLER, Role.EXECUTOR, Role.OBSERVER, Role.CIVIC_OFFICIAL):
        with pytest.raises(PermissionRefused):
            program_import(actor=make_user(role), data=seed_text)
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_a_plan_is_refused_as_not_a_program(admin_user: User) -> None:
    with pytest.raises(ServiceError) as exc:
        program_import(actor=admin_user, data="План мероприятий\n1. | Провести | МИР | 2020\n")
    assert exc.value.code == "not_a_program"
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_a_moved_base_project_keeps_its_identity_and_a_merge_its_events(
    program_002: Program, admin_user: User, seed_text: str
) -> None:
    nodes = ProgramNode.objects.filter(program=program_002)
    moved = nodes.get(kind="base_project", name_kk="Өлкетану")
    merged = nodes.get(kind="base_project", name_kk="Отаным – тағдырым")
    events = {e.pk for e in merged.children.all()}
    total = nodes.count()
    outcome = program_import(
        actor=admin_user,
        data=seed_text,
        filename="moved.txt",
        program=program_002,
        corrections=[
            {"op": "move", "path": [0, 0], "to": [1]},
            {"op": "merge", "path": [0, 0], "into": [0, 1]},
        ],
    )
    moved.refresh_from_db()
    assert moved.parent is not None
    assert moved.parent.name_kk == "АТАМЕКЕН"
    assert moved.in_force
    into = nodes.get(kind="base_project", name_kk="Саналы Азамат")
    assert set(into.children.filter(pk__in=events).values_list("pk", flat=True)) == events
    merged.refresh_from_db()
    assert merged.in_force is False
    assert nodes.count() == total  # nothing made anew: every node kept its identity
    assert "Өлкетану" in outcome.moved
    revision = outcome.revision
    assert revision is not None
    assert sum(1 for c in revision.changes if c["change"] == "moved") == len(outcome.moved)


@pytest.mark.django_db
def test_a_name_given_twice_is_not_taken_for_a_move(
    program_002: Program, admin_user: User, seed_text: str
) -> None:
    moved = ProgramNode.objects.get(program=program_002, name_kk="Өлкетану")
    # A second «Өлкетану» in another sub-program, the first staying: nothing is guessed.
    outcome = program_import(
        actor=admin_user,
        data=seed_text,
        filename="twice.txt",
        program=program_002,
        corrections=[{"op": "rename", "path": [1, 0], "name": "Өлкетану"}],
    )
    moved.refresh_from_db()
    assert moved.parent is not None
    assert moved.parent.name_kk == "ТӘРБИЕ ЖӘНЕ БІЛІМ"
    assert outcome.moved == []
    assert ProgramNode.objects.filter(program=program_002, name_kk="Өлкетану").count() == 2
