"""Initiatives for `jospar demo`, one in every state, made through the services in Astana, so
that the map, the list, the official's queue and the open data show something on a fresh
machine. The demo's official of the Astana akimat is appointed the region's responsible
official for initiatives."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jospar.core.errors import ServiceError
from jospar.core.models import Region, User
from jospar.initiatives import services
from jospar.initiatives.models import Initiative, RegionCoordinator

_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (state, title, problem, kind, direction, point, beneficiaries, count, money, hours)
INITIATIVES: list[tuple[str, str, str, str, str, tuple[float, float], str, int, int, int]] = [
    (
        "draft",
        "Аула кітапханасы",
        "Аулада балаларға арналған кітап сөресі жоқ.",
        "social",
        "education",
        (51.1601, 71.4102),
        "Ауладағы балалар",
        60,
        50_000,
        0,
    ),
    (
        "submitted",
        "Спортивная площадка у школы № 45",
        "Школьникам микрорайона негде заниматься спортом после уроков.",
        "infrastructure",
        "sport",
        (51.1302, 71.4705),
        "Школьники микрорайона",
        800,
        2_500_000,
        40,
    ),
    (
        "changes_requested",
        "Есік алдындағы гүлзар",
        "Үй алдындағы алаң қоқысқа толған.",
        "social",
        "ecology",
        (51.1453, 71.3951),
        "Үй тұрғындары",
        240,
        120_000,
        24,
    ),
    (
        "selected",
        "Пандус для библиотеки",
        "В районную библиотеку нельзя попасть на коляске.",
        "infrastructure",
        "social_care",
        (51.1752, 71.4456),
        "Люди на колясках, мамы с колясками",
        1500,
        900_000,
        16,
    ),
    (
        "implementing",
        "Қарттарға арналған компьютерлік сауаттылық курсы",
        "Зейнеткерлер мемлекеттік қызметтерді онлайн ала алмайды.",
        "event",
        "education",
        (51.1205, 71.4300),
        "Зейнеткерлер",
        90,
        150_000,
        32,
    ),
    (
        "implemented",
        "Озеленение сквера на улице Сарайшык",
        "Сквер без деревьев, летом в нём нет тени.",
        "infrastructure",
        "ecology",
        (51.1280, 71.4390),
        "Жители района",
        5000,
        400_000,
        48,
    ),
    (
        "rejected",
        "Фонтан во дворе",
        "Во дворе скучно.",
        "infrastructure",
        "culture",
        (51.1550, 71.4180),
        "Жители дома",
        100,
        30_000_000,
        0,
    ),
]


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (480, 320), (60, 140, 70)).save(out, format="JPEG")
    return SimpleUploadedFile("after.jpg", out.getvalue(), content_type="image/jpeg")


def _needs(money: int, hours: int) -> list[dict[str, Any]]:
    needs: list[dict[str, Any]] = [
        {
            "kind": "money",
            "description": "Материалы / Материалдар",
            "quantity": money,
            "unit": "KZT",
        }
    ]
    if hours:
        needs.append(
            {
                "kind": "volunteers",
                "description": "Волонтеры / Волонтерлер",
                "quantity": hours,
                "unit": "h",
            }
        )
    return needs


def demo_initiatives_create(
    *, admin: User, citizen: User, official: User, patron: User, volunteer: User
) -> int:
    """Once: a second run finds the citizen's initiatives and adds nothing."""
    if Initiative.objects.filter(author=citizen).exists():
        return 0
    astana = Region.objects.filter(code="astana").first()
    if astana is None:
        return 0
    if not RegionCoordinator.objects.filter(region=astana).exists():
        services.coordinator_appoint(actor=admin, region=astana, user=official)
    made = 0
    for state, title, problem, kind, direction, (lat, lon), who, count, money, hours in INITIATIVES:
        initiative = services.initiative_save(
            actor=citizen,
            data={
                "title": title,
                "problem": problem,
                "kind": kind,
                "direction": direction,
                "latitude": lat,
                "longitude": lon,
                "beneficiaries": who,
                "beneficiaries_count": count,
                "budget": money,
            },
            needs=_needs(money, hours),
        )
        made += 1
        if state == "draft":
            continue
        initiative = services.initiative_submit(actor=citizen, initiative=initiative)
        if state == "submitted":
            continue
        if state == "changes_requested":
            services.initiative_request_changes(
                actor=official,
                initiative=initiative,
                note="Смета керек / Приложите смету.",
            )
            continue
        initiative = services.initiative_decide(
            actor=official,
            initiative=initiative,
            selected=state != "rejected",
            body="council",
            decided_on=timezone.localdate(),
            decision="Қоғамдық кеңестің шешімі / Решение общественного совета.",
            minutes=[SimpleUploadedFile("minutes.pdf", _PDF, content_type="application/pdf")],
        )
        if state in ("selected", "rejected"):
            if state == "selected":
                need = initiative.needs.get(kind="money")
                services.pledge_make(
                    actor=patron, need=need, kind="patron", quantity=Decimal(money) / 3
                )
            continue
        money_need = initiative.needs.get(kind="money")
        services.pledge_make(actor=patron, need=money_need, kind="patron", quantity=money)
        hours_need = initiative.needs.get(kind="volunteers")
        services.pledge_make(actor=volunteer, need=hours_need, kind="volunteer", quantity=hours)
        if state == "implementing":
            continue
        # The volunteer's day of work, confirmed by the author: Generous Heart's evidence.
        pledge = initiative.pledges.get(user=volunteer)
        checkin = services.checkin_record(
            actor=volunteer, pledge=pledge, day=timezone.localdate(), hours=Decimal(hours) / 4
        )
        services.checkin_confirm(actor=citizen, checkin=checkin)
        services.initiative_complete(
            actor=citizen,
            initiative=initiative,
            results="Отырғызылды 40 ағаш / Высажено 40 деревьев.",
            beneficiaries_reached=5200,
            money_given=money,
            photos=[_photo()],
        )
        services.initiative_rate(actor=patron, initiative=initiative, stars=5)
    return made


def demo_heart_create(
    *, admin: User, citizen: User, official: User, patron: User, volunteer: User, juror: User
) -> int:
    """This year's Generous Heart cycle in Astana: the patron and the volunteer of the demo's
    implemented initiative nominated (they agree to a public profile), the juror's scores, and
    the dates then moved (the administrator's rescheduling, through the service) so that the
    public vote is open today, with a few votes. Once: returns the nominees made."""
    from jospar.initiatives.models import HeartCycle, HeartNomination
    from jospar.initiatives.services.votes import vote_cast

    astana = Region.objects.filter(code="astana").first()
    today = timezone.localdate()
    if astana is None or HeartCycle.objects.filter(year=today.year, region=astana).exists():
        return 0
    day = dt.timedelta(days=1)
    cycle = services.cycle_create(
        actor=admin,
        year=today.year,
        region=astana,
        nominations_from=today - 7 * day,
        jury_from=today + 7 * day,
        vote_from=today + 14 * day,
        vote_until=today + 21 * day,
        results_on=today + 28 * day,
    )
    nominations = {n.category: n for n in HeartNomination.objects.filter(cycle=cycle)}
    nominees = []
    for person, category, proposer, reason in (
        (patron, "patron", citizen, "Ағаш отырғызуды толық қаржыландырды / Оплатил озеленение."),
        (volunteer, "volunteer", official, "Сквер көгалдандырды / Озеленял сквер."),
    ):
        services.profile_set_public(actor=person, is_public=True)
        try:
            nominees.append(
                services.nominee_propose(
                    actor=proposer,
                    nomination=nominations[category],
                    person=person,
                    reason=reason,
                )
            )
        except ServiceError:
            continue  # no contribution this year (an older demo database)
    services.juror_appoint(actor=admin, cycle=cycle, user=juror)
    cycle = services.cycle_schedule(
        actor=admin,
        cycle=cycle,
        nominations_from=today - 30 * day,
        jury_from=today - 14 * day,
        vote_from=today - 2 * day,
        vote_until=today + 12 * day,
        results_on=today + 19 * day,
    )
    for nominee, score in zip(nominees, (9, 8), strict=False):
        services.score_record(actor=juror, nominee=nominee, score=score)
    if nominees:
        first = nominees[0]
        ballot = first.nomination.ballot
        for voter in (citizen, official):
            vote_cast(actor=voter, ballot=ballot, option=first.option, address="127.0.0.1")
    return len(nominees)


def demo_heart_last_year_create(
    *,
    admin: User,
    citizen: User,
    official: User,
    patron: User,
    volunteer: User,
    ngo_member: User,
    juror: User,
) -> int:
    """Last year's Generous Heart cycle in Astana, ended: so that a fresh machine shows results,
    the winners' certificates and a best-practice story. Made through the services: an
    initiative supported by the demo's patron, volunteer and NGO and implemented; the cycle
    with its nominees (one a nomination) and the jury's scores while its stages are open; its
    dates then moved into last year by the administrator's rescheduling (no public vote, so
    that no vote bears today's date on a ballot of last year); the results published; and the
    patron's story written by the administrator (published at once). Once: returns the winners.

    The one write outside a service: the initiative's date of implementation is moved into last
    year. No service moves it (it is a fact of record), and Generous Heart counts the
    contributions to initiatives implemented in the cycle's year."""
    from jospar.initiatives.models import HeartCycle, HeartNomination, HeartNominee

    astana = Region.objects.filter(code="astana").first()
    today = timezone.localdate()
    year = today.year - 1
    ngo = ngo_member.organisation
    if (
        astana is None
        or ngo is None
        or HeartCycle.objects.filter(year=year, region=astana).exists()
    ):
        return 0
    money, hours = 600_000, 80
    initiative = services.initiative_save(
        actor=citizen,
        data={
            "title": "Аулада балалар алаңы / Детская площадка во дворе",
            "problem": ("Ауладағы ескі алаң қауіпті. / Старая площадка во дворе опасна для детей."),
            "kind": "infrastructure",
            "direction": "sport",
            "latitude": 51.1605,
            "longitude": 71.4704,
            "beneficiaries": "Аула балалары / Дети двора",
            "beneficiaries_count": 300,
            "budget": money,
        },
        needs=_needs(money, hours),
    )
    initiative = services.initiative_submit(actor=citizen, initiative=initiative)
    initiative = services.initiative_decide(
        actor=official,
        initiative=initiative,
        selected=True,
        body="council",
        decided_on=today,
        decision="Қоғамдық кеңестің шешімі / Решение общественного совета.",
        minutes=[SimpleUploadedFile("minutes.pdf", _PDF, content_type="application/pdf")],
    )
    services.pledge_make(
        actor=patron, need=initiative.needs.get(kind="money"), kind="patron", quantity=money
    )
    hours_need = initiative.needs.get(kind="volunteers")
    services.pledge_make(actor=volunteer, need=hours_need, kind="volunteer", quantity=hours // 2)
    services.pledge_make(actor=ngo_member, need=hours_need, kind="ngo", quantity=hours // 2)
    for person in (volunteer, ngo_member):
        pledge = initiative.pledges.get(user=person)
        checkin = services.checkin_record(actor=person, pledge=pledge, day=today, hours=Decimal(8))
        services.checkin_confirm(actor=citizen, checkin=checkin)
    services.initiative_complete(
        actor=citizen,
        initiative=initiative,
        results="Алаң салынды / Площадка построена.",
        beneficiaries_reached=300,
        money_given=money,
        photos=[_photo()],
    )
    implemented = timezone.make_aware(dt.datetime(year, 9, 15, 12, 0))
    Initiative.objects.filter(pk=initiative.pk).update(implemented_at=implemented)

    day = dt.timedelta(days=1)
    cycle = services.cycle_create(
        actor=admin,
        year=year,
        region=astana,
        nominations_from=today - 7 * day,
        jury_from=today + 7 * day,
        vote_from=today + 14 * day,
        vote_until=today + 21 * day,
        results_on=today + 28 * day,
    )
    nominations = {n.category: n for n in HeartNomination.objects.filter(cycle=cycle)}
    for person in (patron, volunteer):
        services.profile_set_public(actor=person, is_public=True)
    nominees = [
        services.nominee_propose(
            actor=citizen,
            nomination=nominations["patron"],
            person=patron,
            reason="Балалар алаңын толық қаржыландырды / Полностью оплатил детскую площадку.",
        ),
        services.nominee_propose(
            actor=official,
            nomination=nominations["volunteer"],
            person=volunteer,
            reason="Алаңды салуға көмектесті / Помогал строить площадку.",
        ),
        services.nominee_propose(
            actor=citizen,
            nomination=nominations["ngo"],
            organisation=ngo,
            reason="Еріктілерді жинады / Собрали волонтёров на стройку.",
        ),
    ]
    services.juror_appoint(actor=admin, cycle=cycle, user=juror)
    # The jury's stage, today: the juror scores.
    cycle = services.cycle_schedule(
        actor=admin,
        cycle=cycle,
        nominations_from=today - 30 * day,
        jury_from=today - day,
        vote_from=today + 5 * day,
        vote_until=today + 10 * day,
        results_on=today + 15 * day,
    )
    for nominee, score in zip(nominees, (9, 8, 10), strict=True):
        services.score_record(actor=juror, nominee=nominee, score=score)
    # Then the cycle as it ran: every stage in last year, the results due in its November.
    cycle = services.cycle_schedule(
        actor=admin,
        cycle=cycle,
        nominations_from=dt.date(year, 3, 1),
        jury_from=dt.date(year, 10, 1),
        vote_from=dt.date(year, 10, 15),
        vote_until=dt.date(year, 10, 31),
        results_on=dt.date(year, 11, 15),
    )
    services.results_publish(actor=admin, cycle=cycle)
    winner = HeartNominee.objects.select_related("nomination__cycle").get(pk=nominees[0].pk)
    services.story_save(
        actor=admin,
        nominee=winner,
        title="Аула балаларына алаң / Площадка для детей двора",
        body=(
            "Аула тұрғындары ескі алаңды ауыстыруды ұсынды; меценат жобаны толық қаржыландырды,"
            " ерікті мен үкіметтік емес ұйым бір айда салып бітірді.\n\n"
            "Жители двора предложили заменить старую площадку; меценат полностью оплатил проект,"
            " волонтёр и общественная организация построили её за месяц. Что помогло: смета"
            " с первого дня, решение совета и ежедневные отметки волонтёров."
        ),
        lang="kk",
    )
    return len(nominees)
