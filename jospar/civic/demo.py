"""A few citizens' reports for `jospar demo`, filed and answered through the services, so that
the portal's map, list and queue show something on a fresh machine: one open (red), one in
progress with the akimat's answer, one done (green)."""

from __future__ import annotations

from jospar.civic.models import CitizenReport, Topic
from jospar.civic.services import report_answer, report_file, report_mark_done
from jospar.core.models import User

# (topic, description, point in Astana, survey, what the akimat does: "", "answer" or "done")
REPORTS = [
    (
        "roads",
        "Қабанбай батыр даңғылы мен Сығанақ көшесінің қиылысында терең шұңқыр бар, "
        "көліктер айналып өтеді.",
        (51.1225, 71.4310),
        {"problem": "pothole"},
        "",
    ),
    (
        "lighting",
        "Во дворе дома по улице Кенесары, 40 уже две недели не горят фонари.",
        (51.1650, 71.4200),
        {},
        "answer",
    ),
    (
        "roads",
        "На пешеходном переходе у школы стёрлась разметка «зебра».",
        (51.1480, 71.4660),
        {"problem": "signs"},
        "done",
    ),
]


def demo_reports_create(*, citizen: User, official: User) -> int:
    """Files the demo reports once: a second run finds the demo citizen's reports and adds
    nothing (nothing is marked in the text, which the public reads)."""
    if CitizenReport.objects.filter(author=citizen).exists():
        return 0
    made = 0
    for code, text, (lat, lon), survey, outcome in REPORTS:
        topic = Topic.objects.filter(code=code).first()
        if topic is None:
            continue
        valid = {k: v for k, v in survey.items() if topic.questions.filter(code=k).exists()}
        report = report_file(
            actor=citizen,
            topic=topic,
            description=text,
            latitude=lat,
            longitude=lon,
            survey=valid,
        )
        if outcome == "answer":
            report_answer(
                actor=official,
                report=report,
                text="Өтініш қабылданды, шамдар осы аптада ауыстырылады. / Заявка принята, "
                "фонари заменят на этой неделе.",
            )
        elif outcome == "done":
            report_mark_done(
                actor=official,
                report=report,
                text="Разметка обновлена. / Белгілер жаңартылды.",
            )
        made += 1
    return made
