"""Project-wide test fixtures and the check that CI's second run really uses its services."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parent
SEEDS = REPO / "jospar" / "plans" / "demo_seeds"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Production hashes passwords slowly on purpose (PBKDF2, ~0.3 s each); tests make hundreds of
    # users, so they use a fast hasher. Nothing tested depends on the algorithm.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests use no network: no map tiles unless a test names a tile server (and blocks it).
    settings.MAP_TILE_URL = ""
    # A test that names a tile server routes it in its browser: no lookup of a real host.
    settings.MAP_TILE_CHECK = False
    # Throttle counters per test process, emptied before each test (below): every test client
    # comes from 127.0.0.1, and counts left by one test must not refuse the next one's requests.
    settings.CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jospar-test-throttle",
    }


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> None:
    from django.core.cache import caches

    caches["throttle"].clear()


def pytest_sessionstart(session: pytest.Session) -> None:
    """CI's PostgreSQL/Redis run must fail, never skip, when the services are unreachable."""
    if os.environ.get("JOSPAR_REQUIRE_SERVICES") != "1":
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(f"JOSPAR_REQUIRE_SERVICES=1 but the database is {engine}")
    import psycopg
    import redis

    db = settings.DATABASES["default"]
    try:
        psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.Error as exc:
        raise pytest.UsageError(f"PostgreSQL unreachable: {exc}") from exc
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        raise pytest.UsageError(f"Redis unreachable: {exc}") from exc


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL a test commits thousands of times (every transactional test, every live
    server request) and each commit waited for its WAL flush. A test database needs no
    durability across a crash of the server: commits do not wait (``synchronous_commit=off``
    for the tests' own sessions only; the server's setting is left alone)."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor == "postgresql":
        options = connection.settings_dict.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


# Packages whose tests are plain Python over text and files: no database, no cache, no broker.
PURE_PACKAGES = ("jospar/planparser/",)
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


# Debian's Chromium, as the project guide asks; the flags keep it off the closed network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Any:
    """One Chromium per test process, shared by every browser test (each opens its own
    context, so nothing of one test's pages, cookies or storage reaches another)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # After pytest-django's own ordering (databases, then transactional, then none): the longest
    # transactional tests are moved to the front of theirs (``_longest_first``).
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: the browser test is skipped")
        for item in items:
            if item.get_closest_marker("browser") is not None:
                item.add_marker(skip)
    _services_pass_selection(config, items)
    _embedded_pass_selection(config, items)
    _longest_first(items)


# The two halves of the all-pages walk (about 140 s each, a third of the first pass's test time):
# started first among the transactional tests, one on each worker. The run hands each worker one
# test at a time (`--dist loadgroup`, one test per unit, as the Makefile and .ci/run call
# pytest), holding at most one more for it; two other tests between the halves keep the second
# from waiting behind the first on one worker while the other worker runs out of tests
# (docs/decisions.md, "CI time (session 9)").
LONGEST = ("jospar/core/tests/test_browser_all_pages.py::test_every_page_of_every_role",)
LONGEST_APART = 2


def _transactional(item: pytest.Item) -> bool:
    """As pytest-django orders them: a transactional fixture, or a ``django_db`` mark asking
    for transactions or reset sequences."""
    fixtures = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    asked = marker is not None and any(
        marker.kwargs.get(name) for name in ("transaction", "reset_sequences")
    )
    return asked or bool({"transactional_db", "live_server"} & fixtures)


def _longest_first(items: list[pytest.Item]) -> None:
    """Within the transactional tests (kept together, after the others that use a database:
    their flush empties what the migrations seeded), the ``LONGEST`` first, each followed by
    ``LONGEST_APART`` others."""
    positions = [index for index, item in enumerate(items) if _transactional(item)]
    if not positions:
        return
    start, end = positions[0], positions[-1] + 1
    block = items[start:end]
    if not all(_transactional(item) for item in block):
        return  # not one block: leave pytest-django's order alone
    longest = [item for item in block if item.nodeid.startswith(LONGEST)]
    others = [item for item in block if not item.nodeid.startswith(LONGEST)]
    ordered: list[pytest.Item] = []
    for item in longest:
        ordered.append(item)
        ordered.extend(others[:LONGEST_APART])
        del others[:LONGEST_APART]
    items[start:end] = ordered + others


# The hostile-input walk over every URL pattern finds what breaks on PostgreSQL (NUL bytes, numbers
# past bigint, dates the server refuses); SQLite stores and compares all of them. It is the
# longest test group of the suite, so on SQLite it runs only when asked (docs/decisions.md,
# "CI time (session 6)"): CI's second pass runs it on PostgreSQL, as the all-pages browser walk
# runs in the first pass only.
EDGE_WALK = "tests/test_edge_urls.py::test_no_input_gives_a_server_error"


def _embedded_pass_selection(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        return
    if os.environ.get("JOSPAR_EDGE_WALK") == "1":
        return
    dropped = [item for item in items if item.nodeid.startswith(EDGE_WALK)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.nodeid.startswith(EDGE_WALK)]


# `jospar demo` makes the embedded default's data (`make start`: SQLite); production never runs
# it, and the first pass builds it four times (this test and each half of the all-pages walk).
DEMO_TEST = "jospar/plans/tests/test_demo.py::"


def _services_pass_selection(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI's second pass (PostgreSQL and Redis) runs what can differ there: a test of a pure
    package that asks for no database gives the same answer on any engine, and the first pass
    has run it; so is the demo's test (`DEMO_TEST`), and a browser test: it checks what
    Chromium shows (layout, scripts, focus, console, axe), and the flows it drives run on
    PostgreSQL in the tests of their services and views, which this pass keeps
    (docs/decisions.md, "CI time (session 7)")."""
    if os.environ.get("JOSPAR_SERVICES_PASS") != "1":
        return
    root = str(config.rootpath)
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        path = str(item.path)[len(root) + 1 :]
        uses_db = bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        pure = path.startswith(PURE_PACKAGES) and not uses_db
        browser = item.get_closest_marker("browser") is not None
        demo = item.nodeid.startswith(DEMO_TEST)
        (dropped if pure or browser or demo else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _audit_anchors_per_test(settings: Any, tmp_path: Path) -> None:
    """Each test's audit anchors in its own file: a test's flushed database must not meet the
    anchors another test wrote (that would rightly read as a truncated chain)."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.log"
    settings.AUDIT_ANCHOR_PREFIX = ""


@pytest.fixture
def seed_path() -> Callable[[str], Path]:
    def find(prefix: str) -> Path:
        return next(SEEDS.glob(f"{prefix}_*.txt"))

    return find


@pytest.fixture
def regions(db: Any) -> None:
    from jospar.core.services import regions_load

    regions_load(actor=None)


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from jospar.core.models import Role, RoleGrant, User

    counter = {"n": 0}

    def make(*roles: Role | str, organisation: Any = None, **fields: Any) -> User:
        counter["n"] += 1
        user = User.objects.create_user(
            username=fields.pop("username", f"user{counter['n']}"),
            password=fields.pop("password", "correct-horse-battery"),
            organisation=organisation,
            **fields,
        )
        for role in roles:
            RoleGrant.objects.create(user=user, role=str(role))
        return user

    return make


@pytest.fixture(autouse=True)
def _topics_after_flush(request: pytest.FixtureRequest) -> None:
    """A browser test (of any app) runs on a flushed database (another transactional test's
    end empties the topics the migration seeded): seed them again, as the migration does."""
    if request.node.get_closest_marker("browser") is None:
        return
    if not DATABASE_FIXTURES & set(request.fixturenames):
        return  # a browser module's test that reads no database (its URL list, say)
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    import_module("jospar.civic.migrations.0003_seed_topics").seed(apps, None)
