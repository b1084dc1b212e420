"""Events for `jospar demo`, made through the services: a state organiser (the demo's Astana
akimat) publishes events around today, some carrying out activities of the demo plans, a key
event of «Рухани жаңғыру» and a civic initiative; a citizen's proposal waits for the
moderator, another was published by them; one event took place (with its report) and one was
cancelled. Three memorable dates join the holidays of the working-day calendar."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jospar.core.models import Region, User
from jospar.events import services
from jospar.events.models import MemorableDate, PublicEvent
from jospar.events.services.memorable import memorable_date_save
from jospar.initiatives.models import Initiative
from jospar.plans.models import Activity
from jospar.programs.models import NodeKind, ProgramNode

ALMATY = ZoneInfo("Asia/Almaty")
ASTANA_POINT = (51.1282, 71.4306)

MEMORABLE = [
    (
        5,
        31,
        "Саяси қуғын-сүргін және ашаршылық құрбандарын еске алу күні",
        "День памяти жертв политических репрессий и голода",
        "Day of Remembrance of the Victims of Political Repression and Famine",
    ),
    (
        6,
        4,
        "Мемлекеттік рәміздер күні",
        "День государственных символов",
        "Day of State Symbols",
    ),
    (
        9,
        22,
        "Қазақстан халқының тілдері күні",
        "День языков народа Казахстана",
        "Day of the Languages of the People of Kazakhstan",
    ),
]

# (days from today, hour, hours long, kind, kk, ru, en, place, volunteers, link)
EVENTS: list[tuple[int, int, int, str, str, str, str, str, int, str]] = [
    (
        -9,
        11,
        3,
        "forum",
        "«Біртұтас ұлт» жастар форумы",
        "Молодёжный форум «Единая нация»",
        "Youth forum “One Nation”",
        "Тәуелсіздік сарайы, Тәуелсіздік даңғылы, 52",
        0,
        "activity",
    ),
    (
        2,
        15,
        2,
        "meeting",
        "Мемлекеттік рәміздер туралы ашық дәріс",
        "Открытая лекция о государственных символах",
        "Open lecture on the state symbols",
        "Ұлттық академиялық кітапхана, Достық көшесі, 11",
        0,
        "activity",
    ),
    (
        5,
        10,
        4,
        "volunteer",
        "Аула абаттандыру сенбілігі",
        "Субботник по благоустройству двора",
        "Community clean-up of the yard",
        "Сарыарқа ауданы, Жеңіс даңғылы, 5 ауласы",
        15,
        "initiative",
    ),
    (
        9,
        18,
        2,
        "concert",
        "«Рухани жаңғыру» концерті",
        "Концерт «Рухани жаңғыру»",
        "“Rukhani Zhangyru” concert",
        "Астана Опера, Күнаев көшесі, 1",
        10,
        "key_event",
    ),
    (
        16,
        12,
        5,
        "exhibition",
        "«Туған жер» көрмесі",
        "Выставка «Туған жер»",
        "“Native land” exhibition",
        "Ұлттық музей, Тәуелсіздік даңғылы, 54",
        0,
        "activity",
    ),
    (
        24,
        16,
        3,
        "ceremony",
        "«Жомарт жүрек» өңірлік марапаттау рәсімі",
        "Региональная церемония награждения «Жомарт жүрек»",
        "Regional “Generous Heart” award ceremony",
        "Астана әкімдігі, Бейбітшілік көшесі, 11",
        5,
        "",
    ),
]


def _photo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A plain picture standing for a photo of the forum (checked and re-encoded as any)."""
    image = Image.new("RGB", (640, 427), colour)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _start(days: int, hour: int) -> dt.datetime:
    today = timezone.localdate()
    day = today + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def _links() -> dict[str, Any]:
    activities = list(Activity.objects.filter(in_force=True).order_by("plan_id", "position")[:3])
    return {
        "activity": activities,
        "key_event": ProgramNode.objects.filter(kind=NodeKind.KEY_EVENT, in_force=True)
        .order_by("id")
        .first(),
        "initiative": Initiative.objects.filter(state__in=("selected", "implementing"))
        .order_by("id")
        .first(),
    }


def demo_events_create(
    *, admin: User, organiser: User, citizen: User, moderator: User, volunteer: User
) -> int:
    """Idempotent: nothing is added once the demo's events exist."""
    for month, day, kk, ru, en in MEMORABLE:
        if not MemorableDate.objects.filter(month=month, day=day).exists():
            memorable_date_save(
                actor=admin,
                row=MemorableDate(month=month, day=day, name_kk=kk, name_ru=ru, name_en=en),
            )
    if PublicEvent.objects.filter(title_ru=EVENTS[0][5]).exists():
        return 0
    astana = Region.objects.get(code="astana")
    links = _links()
    activities = list(links["activity"])
    made: list[PublicEvent] = []
    for days, hour, hours, kind, kk, ru, en, place, volunteers, link in EVENTS:
        start = _start(days, hour)
        data: dict[str, Any] = {
            "title_kk": kk,
            "title_ru": ru,
            "title_en": en,
            "kind": kind,
            "region": astana.pk,
            "place": place,
            "latitude": ASTANA_POINT[0] + 0.004 * len(made),
            "longitude": ASTANA_POINT[1] - 0.006 * len(made),
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=hours),
            "volunteers_wanted": volunteers,
            "description": ru,
        }
        if link == "activity" and activities:
            data["activity"] = activities.pop(0).pk
        elif link == "key_event" and links["key_event"] is not None:
            data["program_node"] = links["key_event"].pk
        elif link == "initiative" and links["initiative"] is not None:
            data["initiative"] = links["initiative"].pk
        made.append(services.event_create(actor=organiser, data=data))
    past = made[0]
    services.event_report(
        actor=organiser,
        event=past,
        participants=420,
        report="Форумға 420 жас қатысты; үш секция, ашық микрофон. "
        "На форуме 420 участников; три секции и открытый микрофон.",
        photos=[_photo("forum-1.jpg", (31, 78, 121)), _photo("forum-2.jpg", (200, 120, 30))],
    )
    services.event_register(actor=volunteer, event=made[2])
    services.event_cancel(actor=organiser, event=made[4], reason="Көрме келесі айға ауыстырылды.")
    start = _start(12, 11)
    citizen_data = {
        "title_kk": "Ауладағы балалар мерекесі",
        "title_ru": "Детский праздник во дворе",
        "kind": "other",
        "region": astana.pk,
        "place": "Есіл ауданы, Сығанақ көшесі, 14 ауласы",
        "organiser_name": "Сығанақ 14 тұрғындары",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "volunteers_wanted": 4,
    }
    published = services.event_create(actor=citizen, data=citizen_data)
    services.event_moderate(actor=moderator, event=published, publish=True)
    services.event_create(
        actor=citizen,
        data={
            **citizen_data,
            "title_kk": "Шахмат турнирі",
            "title_ru": "Шахматный турнир",
            "kind": "contest",
            "starts_at": _start(19, 15),
            "ends_at": _start(19, 19),
        },
    )
    return len(made) + 2
