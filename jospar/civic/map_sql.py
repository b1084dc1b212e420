"""The map's grid in SQL: cell sizes, the ``civic_mapcell`` cache and the trigger that keeps it.

The grid is global and nests: a cell of zoom ``z`` is ``90 / 2**z`` degrees of longitude wide
(64 pixels of a 256-pixel tile) and that times ``cos(48°)`` high (square on the screen in the
middle of Kazakhstan), so a cell of zoom 12 lies inside exactly one cell of every lower zoom,
and its index there is its own shifted right by the difference of zooms. ``civic_mapcell``
keeps counts for the cells of zoom 5 (the whole country), 8 (zooms 6 to 8: oblasts) and 12
(zooms 9 to 12: cities); closer in, the reports themselves are grouped.

Migration ``0005_map_cells`` creates the cache from these statements: a change here needs a new
migration that replaces the functions (and rebuilds the cache when the grid changes).
"""

from __future__ import annotations

import math

LEVELS = (5, 8, 12)
GRID_LATITUDE = 48.0
_COS = max(0.2, math.cos(math.radians(GRID_LATITUDE)))


def lon_cell(zoom: int) -> float:
    return 90.0 / float(2**zoom)


def lat_cell(zoom: int) -> float:
    return lon_cell(zoom) * _COS


def level_for(zoom: int) -> int | None:
    """The cached level a zoom is served from, or ``None`` to group the reports themselves."""
    for level in LEVELS:
        if zoom <= level:
            return level
    return None


PUBLIC_PIN = "NOT hidden AND NOT (state = 'submitted') AND NOT location_is_approximate"


def _cells(level: int, row: str) -> str:
    return (
        f"floor({row}longitude / {lon_cell(level)!r}::float8)::int, "
        f"floor({row}latitude / {lat_cell(level)!r}::float8)::int"
    )


_ROWS = ",\n        ".join(
    f"({level}, {_cells(level, 'r.')}, r.region_id, r.topic_id, r.state, sign, "
    "sign * r.latitude, sign * r.longitude, sign * r.id)"
    for level in LEVELS
)
_LEVEL_VALUES = ", ".join(
    f"({level}, {lon_cell(level)!r}::float8, {lat_cell(level)!r}::float8)" for level in LEVELS
)

CREATE_SQL = [
    """
    CREATE TABLE IF NOT EXISTS civic_mapcell (
        level smallint NOT NULL,
        cx integer NOT NULL,
        cy integer NOT NULL,
        region_id bigint NOT NULL,
        topic_id bigint NOT NULL,
        state varchar(16) NOT NULL,
        n integer NOT NULL,
        sum_lat double precision NOT NULL,
        sum_lon double precision NOT NULL,
        sum_id bigint NOT NULL,
        PRIMARY KEY (level, cx, cy, region_id, topic_id, state)
    )
    """,
    f"""
    CREATE OR REPLACE FUNCTION civic_mapcell_add(r civic_citizenreport, sign integer)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        IF r.hidden OR r.state = 'submitted' OR r.location_is_approximate THEN
            RETURN;
        END IF;
        INSERT INTO civic_mapcell AS m VALUES
        {_ROWS}
        ON CONFLICT (level, cx, cy, region_id, topic_id, state) DO UPDATE SET
            n = m.n + EXCLUDED.n,
            sum_lat = m.sum_lat + EXCLUDED.sum_lat,
            sum_lon = m.sum_lon + EXCLUDED.sum_lon,
            sum_id = m.sum_id + EXCLUDED.sum_id;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION civic_mapcell_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND (OLD.state, OLD.hidden, OLD.location_is_approximate,
                OLD.latitude, OLD.longitude, OLD.region_id, OLD.topic_id)
                IS NOT DISTINCT FROM (NEW.state, NEW.hidden, NEW.location_is_approximate,
                NEW.latitude, NEW.longitude, NEW.region_id, NEW.topic_id) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM civic_mapcell_add(OLD, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM civic_mapcell_add(NEW, 1);
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION civic_mapcell_rebuild() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM civic_mapcell;
        INSERT INTO civic_mapcell
        SELECT g.level, floor(r.longitude / g.lon)::int, floor(r.latitude / g.lat)::int,
               r.region_id, r.topic_id, r.state, count(*), sum(r.latitude), sum(r.longitude),
               sum(r.id)
        FROM civic_citizenreport r
        CROSS JOIN (VALUES {_LEVEL_VALUES}) AS g(level, lon, lat)
        WHERE NOT r.hidden AND NOT (r.state = 'submitted') AND NOT r.location_is_approximate
        GROUP BY 1, 2, 3, 4, 5, 6;
    END $$
    """,
    "DROP TRIGGER IF EXISTS civic_mapcell_sync ON civic_citizenreport",
    """
    CREATE TRIGGER civic_mapcell_sync
    AFTER INSERT OR UPDATE OR DELETE ON civic_citizenreport
    FOR EACH ROW EXECUTE FUNCTION civic_mapcell_sync()
    """,
]
# TRUNCATE fires no row trigger: without this one, a truncated reports table (a restore, a test
# database flushed between tests) left the map counting reports that no longer exist.
TRUNCATE_SQL = [
    """
    CREATE OR REPLACE FUNCTION civic_mapcell_clear() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM civic_mapcell;
        RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS civic_mapcell_clear ON civic_citizenreport",
    """
    CREATE TRIGGER civic_mapcell_clear
    AFTER TRUNCATE ON civic_citizenreport
    FOR EACH STATEMENT EXECUTE FUNCTION civic_mapcell_clear()
    """,
]
DROP_TRUNCATE_SQL = [
    "DROP TRIGGER IF EXISTS civic_mapcell_clear ON civic_citizenreport",
    "DROP FUNCTION IF EXISTS civic_mapcell_clear()",
]
DROP_SQL = [
    *DROP_TRUNCATE_SQL,
    "DROP TRIGGER IF EXISTS civic_mapcell_sync ON civic_citizenreport",
    "DROP FUNCTION IF EXISTS civic_mapcell_sync()",
    "DROP FUNCTION IF EXISTS civic_mapcell_rebuild()",
    "DROP FUNCTION IF EXISTS civic_mapcell_add(civic_citizenreport, integer)",
    "DROP TABLE IF EXISTS civic_mapcell",
]
GEO_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS civic_pub_geo_pin ON civic_citizenreport (longitude, latitude) "
    f"INCLUDE (state, topic_id, region_id, submitted_at, id) WHERE {PUBLIC_PIN}"
)
# A period on a wide view groups the reports themselves: this index reads them by date without
# visiting the table.
TIME_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS civic_pub_pin_time ON civic_citizenreport (submitted_at) "
    f"INCLUDE (latitude, longitude, state, topic_id, region_id, id) WHERE {PUBLIC_PIN}"
)
OLD_GEO_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS civic_pub_geo ON civic_citizenreport (longitude, latitude) "
    "INCLUDE (state, topic_id, region_id, submitted_at, id) "
    "WHERE NOT hidden AND NOT (state = 'submitted')"
)
