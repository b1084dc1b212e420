"""The initiatives map's grid in SQL (PostgreSQL): the ``initiatives_mapcell`` counts and the
trigger that keeps them, as Civic Control's ``civic_mapcell`` does for reports.

The grid nests: a cell of zoom ``z`` is ``90 / 2**z`` degrees wide and high (a quarter of a
tile), so a cell of a finer level lies inside exactly one cell of every coarser zoom and its
index there is its own shifted right by the difference. The table keeps counts (with the sums
of latitude, longitude and id: a cell of one initiative names it) per level 5, 8 and 12, region,
type, direction and state, for the initiatives on the map (selected, being implemented,
implemented); a viewport at zoom 12 or wider reads a few hundred rows of it whatever the number
of initiatives. Closer in, the initiatives themselves are grouped.

Migration ``0003_map_cells`` runs these statements: a change here needs a new migration.
"""

from __future__ import annotations

LEVELS = (5, 8, 12)
MAP_STATES_SQL = "('selected', 'implementing', 'implemented')"


def cell(zoom: int) -> float:
    return 90.0 / float(2**zoom)


def level_for(zoom: int) -> int | None:
    for level in LEVELS:
        if zoom <= level:
            return level
    return None


_ROWS = ",\n        ".join(
    f"({level}, floor(r.longitude / {cell(level)!r}::float8)::int, "
    f"floor(r.latitude / {cell(level)!r}::float8)::int, r.region_id, r.kind, r.direction, "
    "r.state, sign, sign * r.latitude, sign * r.longitude, sign * r.id)"
    for level in LEVELS
)
_LEVEL_VALUES = ", ".join(f"({level}, {cell(level)!r}::float8)" for level in LEVELS)

CREATE_SQL = [
    """
    CREATE TABLE IF NOT EXISTS initiatives_mapcell (
        level smallint NOT NULL,
        cx integer NOT NULL,
        cy integer NOT NULL,
        region_id bigint NOT NULL,
        kind varchar(24) NOT NULL,
        direction varchar(16) NOT NULL,
        state varchar(20) NOT NULL,
        n integer NOT NULL,
        sum_lat double precision NOT NULL,
        sum_lon double precision NOT NULL,
        sum_id bigint NOT NULL,
        PRIMARY KEY (level, cx, cy, region_id, kind, direction, state)
    )
    """,
    f"""
    CREATE OR REPLACE FUNCTION initiatives_mapcell_add(r initiatives_initiative, sign integer)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        IF r.state NOT IN {MAP_STATES_SQL} THEN
            RETURN;
        END IF;
        INSERT INTO initiatives_mapcell AS m VALUES
        {_ROWS}
        ON CONFLICT (level, cx, cy, region_id, kind, direction, state) DO UPDATE SET
            n = m.n + EXCLUDED.n,
            sum_lat = m.sum_lat + EXCLUDED.sum_lat,
            sum_lon = m.sum_lon + EXCLUDED.sum_lon,
            sum_id = m.sum_id + EXCLUDED.sum_id;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION initiatives_mapcell_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND (OLD.state, OLD.latitude, OLD.longitude, OLD.region_id,
                OLD.kind, OLD.direction) IS NOT DISTINCT FROM (NEW.state, NEW.latitude,
                NEW.longitude, NEW.region_id, NEW.kind, NEW.direction) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM initiatives_mapcell_add(OLD, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM initiatives_mapcell_add(NEW, 1);
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION initiatives_mapcell_rebuild() RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM initiatives_mapcell;
        INSERT INTO initiatives_mapcell
        SELECT g.level, floor(r.longitude / g.size)::int, floor(r.latitude / g.size)::int,
               r.region_id, r.kind, r.direction, r.state, count(*), sum(r.latitude),
               sum(r.longitude), sum(r.id)
        FROM initiatives_initiative r
        CROSS JOIN (VALUES {_LEVEL_VALUES}) AS g(level, size)
        WHERE r.state IN {MAP_STATES_SQL}
        GROUP BY 1, 2, 3, 4, 5, 6, 7;
    END $$
    """,
    "DROP TRIGGER IF EXISTS initiatives_mapcell_sync ON initiatives_initiative",
    """
    CREATE TRIGGER initiatives_mapcell_sync
    AFTER INSERT OR UPDATE OR DELETE ON initiatives_initiative
    FOR EACH ROW EXECUTE FUNCTION initiatives_mapcell_sync()
    """,
    # TRUNCATE fires no row trigger (a test database flushed, a restore).
    """
    CREATE OR REPLACE FUNCTION initiatives_mapcell_clear() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM initiatives_mapcell;
        RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS initiatives_mapcell_clear ON initiatives_initiative",
    """
    CREATE TRIGGER initiatives_mapcell_clear
    AFTER TRUNCATE ON initiatives_initiative
    FOR EACH STATEMENT EXECUTE FUNCTION initiatives_mapcell_clear()
    """,
    "SELECT initiatives_mapcell_rebuild()",
]
DROP_SQL = [
    "DROP TRIGGER IF EXISTS initiatives_mapcell_clear ON initiatives_initiative",
    "DROP FUNCTION IF EXISTS initiatives_mapcell_clear()",
    "DROP TRIGGER IF EXISTS initiatives_mapcell_sync ON initiatives_initiative",
    "DROP FUNCTION IF EXISTS initiatives_mapcell_sync()",
    "DROP FUNCTION IF EXISTS initiatives_mapcell_rebuild()",
    "DROP FUNCTION IF EXISTS initiatives_mapcell_add(initiatives_initiative, integer)",
    "DROP TABLE IF EXISTS initiatives_mapcell",
]
