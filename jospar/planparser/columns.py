"""Which column holds what: found from the cells' content, and from the header where there is one.

Plans order their columns differently (Russian and Kazakh texts of one plan already differ, and
`003_*` adds controller and financing columns in yet another order), so no position is assumed.
Every cell is scored for every role; a column's score is the mean over the rows; the roles are
then given to columns so that the total is highest (each role at most once).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from jospar.planparser.textutil import NUMBER_CELL, fold

Role = Literal["number", "title", "completion", "executors", "deadline", "controller", "financing"]
ROLES: tuple[Role, ...] = (
    "number",
    "title",
    "completion",
    "executors",
    "deadline",
    "controller",
    "financing",
)

# --- header words --------------------------------------------------------------------------

_HEADER_WORDS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("controller", re.compile(r"\bконтрол|\bбақыла|\bкуратор")),
    (
        "financing",
        re.compile(r"\bрасход|\bфинанс|\bқаржы|\bшығыс|\bшығын|\bисточник|\bкөзі|\bсумм|\bсомас"),
    ),
    ("deadline", re.compile(r"\bсрок|\bмерзім")),
    ("completion", re.compile(r"\bформ[аы]\b|\bаяқталу|\bнысан")),
    (
        "title",
        re.compile(
            r"\bнаименовани|\bмероприяти|\bіс-шара|\bатауы|\bназвание|\bмазмұны|\bсодержани"
        ),
    ),
    ("executors", re.compile(r"\bисполнител|\bорындаушы|\bответственн|\bжауапты")),
    ("number", re.compile(r"^(?:№|n)\s*(?:п/п|р/с|р/н)?$|^п/п$|^р/с$|^№")),
)


def header_role(text: str) -> Role | None:
    """The role a header cell names ("Сроки исполнения" → deadline), or None."""
    t = fold(text).lower()
    if not t or len(t) > 60:
        return None
    for role, pat in _HEADER_WORDS:
        if pat.search(t):
            return role
    return None


# --- content vocabularies ------------------------------------------------------------------

_MONTHS = (
    r"январ|феврал|март|апрел|\bма[йяю]\b|июн|июл|август|сентябр|октябр|ноябр|декабр"
    r"|қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан"
)
_DEADLINE = re.compile(
    _MONTHS + r"|\b(?:19|20)\d{2}\s*(?:г\b|г\.|год|жыл|ж\.|ж\b|-)|квартал|тоқсан|полугод|жартыжылд"
    r"|жарты жыл|ежемесячн|ежеквартальн|ежегодн|еженедел|ежедекадн|ай сайын|жыл сайын"
    r"|апта сайын|\bпостоянн|\bтұрақты\b|тұрақты түрде|по мере|қажеттілігіне қарай"
    r"|в течение|\bбойы\b|жылына|\bраз в\b|\bдалее\b|бұдан әрі|\bчисл",
    re.IGNORECASE,
)
_COMPLETION_STRONG = re.compile(
    r"\bв\s+(?:АП|Правительство|Администрац|Канцеляри)|[А-ЯӘҒҚҢӨҰҮҺІ]{2,}-(?:ге|ға|ке|қа)\b"
    r"|Үкіметке|Әкімшілігіне|информаци\w*\s+в\b|\bақпарат\b",
)
_COMPLETION = re.compile(
    r"информаци|ақпарат|отч[её]т|\bесеп|приказ|бұйрық|постановлени|қаулы|распоряжени|өкім"
    r"|проект|жоба|закон|\bзаң|справк|анықтама|протокол|хаттама|решени|шешім|предложени"
    r"|ұсыныс|письм|доклад|баяндама|брендбук|материал|публикаци|жарияланым|аналитическ"
    r"|талдамалық|концепци|тұжырымдама|методическ|әдістемелік|\bпул\b|экспозиция",
    re.IGNORECASE,
)
_FINANCING = re.compile(
    r"қаржыландыру|финансир|не требу(?:ет|ют)|талап етілмейді|қаражат|средств|бюджет|\bмлн|\bтыс\."
    r"|тенге|теңге|в пределах|шегінде|\bРБ\b|\bМБ\b|спонсор|демеуші|грант",
    re.IGNORECASE,
)
_MARKS = re.compile(r"по\s+согласовани|келіс\w*\s+бойынша|\(\s*свод|жинақта", re.IGNORECASE)
_AKIMAT = re.compile(
    r"акимат|әкімдік|\bЖАО\b|\bМИО\b|местн\w+ исполнительн|жергілікті атқарушы", re.IGNORECASE
)
_CODE = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{0,11}$")
_QUOTED_ORG = re.compile(r"[«\"“].+[»\"”]")
_RU_INFINITIVE = re.compile(r"^[А-ЯЁа-яё]+(?:ть|ти|чь)(?:ся)?\b")
_KK_VERBAL_NOUN = re.compile(r"(?:у|ю|ту|ну|ру|лу|ау|еу|ету|ыру|іру)\s*\)?\.?$")


def is_code(token: str) -> bool:
    """An abbreviation as plans print them: "МИР", "ӘдМ", "ТиПО", "ҚХАХ"."""
    t = token.strip(" .;:")
    return bool(_CODE.match(t)) and sum(1 for c in t if c.isupper()) >= 2


def _split_top(text: str) -> list[str]:
    """Comma-separated parts outside brackets (enough for scoring; executors.py is exact)."""
    if "(" not in text:
        return [p.strip() for p in text.split(",") if p.strip()]
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


@dataclass
class CodeStats:
    """How a cell reads as a list of organisations."""

    share: float  # share of its parts that are codes, named organisations, akimats or marks
    codes: list[str]
    marked: bool  # "(по согласованию)", "(свод)", an akimat group


_BRACKETS_AND_ROLE = re.compile(r"\([^()]*\)?|\s[-–—]\s.*$")


def code_stats(cell: str, glossary: frozenset[str] = frozenset()) -> CodeStats:
    text = fold(cell)
    parts = _split_top(text)
    if not parts or len(text) > 600:
        return CodeStats(0.0, [], False)
    akimat = _AKIMAT.search(text) is not None
    ok = 0.0
    codes: list[str] = []
    for p in parts:
        bare = _BRACKETS_AND_ROLE.sub(" ", p).strip()
        toks = bare.split()
        if bare in glossary or (len(toks) <= 2 and toks and all(is_code(t) for t in toks)):
            ok += 1
            codes.append(bare)
        elif (
            not bare
            or (_QUOTED_ORG.search(bare) and len(bare) < 80)
            or (akimat and _AKIMAT.search(p))
        ):
            ok += 1
        elif len(toks) <= 3 and any(is_code(t) for t in toks):
            ok += 0.5
    marked = akimat or _MARKS.search(text) is not None
    return CodeStats(ok / len(parts), codes, marked)


# --- cell scores ---------------------------------------------------------------------------


def _length_factor(text: str, limit: int) -> float:
    return 1.0 if len(text) <= limit else max(0.2, limit / len(text))


def cell_scores(cell: str, glossary: frozenset[str] = frozenset()) -> dict[Role, float]:
    """How well one cell fits each role, 0..1 (column-level evidence is added by the caller)."""
    return cell_profile(cell, glossary)[0]


_EMPTY_STATS = CodeStats(0.0, [], False)


def cell_profile(
    cell: str, glossary: frozenset[str] = frozenset()
) -> tuple[dict[Role, float], CodeStats]:
    """The cell's role scores, and how it reads as a list of organisations."""
    t = fold(cell)
    scores: dict[Role, float] = dict.fromkeys(ROLES, 0.0)
    if not t:
        return scores, _EMPTY_STATS
    if NUMBER_CELL.match(t):
        scores["number"] = 1.0
        return scores, _EMPTY_STATS
    fin = 1.0 if _FINANCING.search(t) else 0.0
    comp_strong = 1.0 if _COMPLETION_STRONG.search(t) else 0.0
    comp = max(comp_strong, 0.6 if _COMPLETION.search(t) else 0.0)
    dl = 1.0 if _DEADLINE.search(t) else 0.0
    cs = code_stats(t, glossary)
    scores["financing"] = fin * _length_factor(t, 600)
    scores["completion"] = comp * _length_factor(t, 160) * (1 - 0.5 * fin)
    scores["deadline"] = dl * _length_factor(t, 160) * (1 - 0.4 * comp_strong) * (1 - 0.6 * fin)
    scores["executors"] = cs.share * (1.0 if cs.marked else 0.85)
    few = 0 < len(cs.codes) <= 3 and cs.share >= 0.99 and not cs.marked
    scores["controller"] = 0.8 if few else 0.0
    title = min(1.0, 0.3 + len(t) / 120)
    if _RU_INFINITIVE.match(t) or _KK_VERBAL_NOUN.search(t):
        title = min(1.0, title + 0.3)
    scores["title"] = (
        title
        * (1 - 0.7 * fin)
        * (1 - 0.6 * comp_strong)
        * (1 - cs.share)
        * (1 - 0.5 * dl if len(t) < 60 else 1.0)
    )
    return scores, cs


# --- columns -------------------------------------------------------------------------------


@dataclass
class ColumnMap:
    width: int
    roles: list[Role | None]  # per column
    extra_financing: list[int]  # further columns that also hold financing

    def column(self, role: Role) -> int | None:
        return self.roles.index(role) if role in self.roles else None


# Below this a column is not given the role: an unknown column is better than a wrong one.
_THRESHOLD = 0.2
_MANDATORY_BONUS: dict[Role, float] = {
    "number": 0.2,
    "title": 0.2,
    "executors": 0.2,
    "deadline": 0.2,
}


def _column_scores(
    rows: Sequence[Sequence[str]],
    width: int,
    header: Sequence[str] | None,
    glossary: frozenset[str],
) -> list[dict[Role, float]]:
    full = [r for r in rows if len(r) == width] or [r for r in rows if len(r) >= width]
    cols: list[dict[Role, float]] = []
    diversity: list[float] = []
    code_share: list[float] = []
    for j in range(width):
        cells = [r[j] for r in full if j < len(r)]
        sums: dict[Role, float] = dict.fromkeys(ROLES, 0.0)
        nonempty = 0
        distinct: set[str] = set()
        per_cell = 0
        marked = 0
        for c in cells:
            if not c.strip():
                continue
            nonempty += 1
            sc, st = cell_profile(c, glossary)
            for role in ROLES:
                sums[role] += sc[role]
            distinct.update(st.codes)
            per_cell += len(st.codes)
            marked += st.marked
        n = max(1, nonempty)
        mean = {role: sums[role] / n for role in ROLES}
        cols.append(mean)
        code_share.append(mean["executors"])
        diversity.append(len(distinct) / n + per_cell / n / 3 + marked / n)
    # Two columns of codes: the executors vary from row to row and carry marks and akimats;
    # the controlling departments repeat (ІСБ in every row).
    dmax = max((d for d, s in zip(diversity, code_share, strict=True) if s >= 0.5), default=0.0)
    for j, col in enumerate(cols):
        share = code_share[j]
        dn = diversity[j] / dmax if dmax else 0.0
        col["executors"] = share * (0.55 + 0.45 * dn)
        col["controller"] = col["controller"] * (0.4 + 0.6 * (1 - dn)) if share >= 0.5 else 0.0
    if header is not None and len(header) == width:
        for j, h in enumerate(header):
            named = header_role(h)
            if named is not None:
                cols[j][named] += 1.0
    return cols


def assign_columns(
    rows: Sequence[Sequence[str]],
    header: Sequence[str] | None = None,
    glossary: Iterable[str] = (),
) -> ColumnMap:
    """Give each role to at most one column so that the total score is highest."""
    gl = frozenset(glossary)
    widths = Counter(len(r) for r in rows if r)
    if not widths:
        return ColumnMap(0, [], [])
    width = widths.most_common(1)[0][0]
    cols = _column_scores(rows, width, header, gl)
    n_roles = len(ROLES)
    # best[mask] = (score, assignment) over the columns seen so far; 2^7 role subsets.
    best: dict[int, tuple[float, tuple[Role | None, ...]]] = {0: (0.0, ())}
    for j in range(width):
        nxt: dict[int, tuple[float, tuple[Role | None, ...]]] = {}
        for mask, (score, assign) in best.items():
            cand = (score, (*assign, None))
            if mask not in nxt or nxt[mask][0] < cand[0]:
                nxt[mask] = cand
            for r in range(n_roles):
                if mask & (1 << r):
                    continue
                role = ROLES[r]
                gain = cols[j][role] - _THRESHOLD
                if gain <= 0:
                    continue
                gain += _MANDATORY_BONUS.get(role, 0.0)
                m2 = mask | (1 << r)
                cand = (score + gain, (*assign, role))
                if m2 not in nxt or nxt[m2][0] < cand[0]:
                    nxt[m2] = cand
        best = nxt
    roles = list(max(best.values(), key=lambda v: v[0])[1])
    extra = [j for j, r in enumerate(roles) if r is None and cols[j]["financing"] >= 0.5]
    return ColumnMap(width, roles, extra)


def align_row(
    cells: Sequence[str], cmap: ColumnMap, glossary: Iterable[str] = ()
) -> list[int | None]:
    """For a row whose cell count differs from the table's: the column of each cell (or None).

    Cells keep their order, so this is a sequence alignment: each cell is matched to a later
    column than the one before, where its content fits that column's role best.
    """
    gl = frozenset(glossary)
    m, n = len(cells), cmap.width
    scores = [cell_scores(c, gl) for c in cells]

    def fit(i: int, j: int) -> float:
        role = cmap.roles[j]
        base = 0.15 if role is None else scores[i][role]
        return base + 0.05  # a small premium for matching at all keeps rows in order

    dp = [[0.0] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m + 1):
        for j in range(n + 1):
            if i == 0 and j == 0:
                continue
            options: list[tuple[float, int]] = []
            if i > 0 and j > 0:
                options.append((dp[i - 1][j - 1] + fit(i - 1, j - 1), 0))
            if i > 0:
                options.append((dp[i - 1][j], 1))  # the cell is extra
            if j > 0:
                options.append((dp[i][j - 1], 2))  # the column is missing
            dp[i][j], back[i][j] = max(options, key=lambda o: o[0])
    out: list[int | None] = [None] * m
    i, j = m, n
    while i > 0 or j > 0:
        move = back[i][j]
        if move == 0:
            out[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    return out
