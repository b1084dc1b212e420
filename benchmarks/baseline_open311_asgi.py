"""The floor under jospar's Open311 request list: a bare ASGI app that answers
``GET /open311/v2/requests.json?service_code=C&region=R&page_size=N`` with raw SQL.

It does only what the answer needs: one query (the same joins, the same partial index, the
default 90-day window, newest first) on a small pool of psycopg async connections per worker,
and the same JSON fields. No framework, no middleware, no validation beyond the three
parameters. Served by uvicorn:

    DATABASE_URL=postgres://... uvicorn benchmarks.baseline_open311_asgi:app --workers 2
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import socket
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import psycopg
from uvicorn.protocols.http import h11_impl

# With several workers uvicorn hands each one the listening socket by its descriptor, and
# asyncio then does not recognise the accepted sockets as TCP: Nagle's algorithm stays on, and
# every answer (headers, then body) waits ~40 ms for the client's delayed ACK. The floor must
# not carry that stall, so each connection turns Nagle off.
_connection_made = h11_impl.H11Protocol.connection_made


def _no_delay(self: Any, transport: Any) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    _connection_made(self, transport)


h11_impl.H11Protocol.connection_made = _no_delay  # type: ignore[method-assign]

ALMATY = ZoneInfo("Asia/Almaty")
POOL_SIZE = 4
PREPARE_THRESHOLD = 5 if os.environ.get("BASELINE_PREPARE", "1") != "0" else None
SQL = """
SELECT r.id, r.state, t.code, t.name_kk, t.response_working_days, r.public_description,
       o.name_kk, r.submitted_at, r.updated_at, r.closed_at, r.response_due_on, r.address,
       r.latitude, r.longitude, r.location_is_approximate, r.duplicate_of_id,
       (SELECT m.public_file FROM civic_reportmedia m
         WHERE m.report_id = r.id AND NOT m.hidden AND m.kind = 'photo' AND m.public_file <> ''
         ORDER BY m.uploaded_at, m.id LIMIT 1),
       CASE WHEN r.state = 'rejected' THEN
         (SELECT e.public_note FROM civic_reportevent e
           WHERE e.report_id = r.id AND e.to_state = 'rejected'
           ORDER BY e.at DESC, e.id DESC LIMIT 1)
       ELSE '' END
FROM civic_citizenreport r
JOIN civic_topic t ON t.id = r.topic_id
JOIN core_organisation o ON o.id = r.akimat_id
WHERE r.topic_id = (SELECT id FROM civic_topic WHERE code = %s)
  AND r.region_id = (SELECT id FROM core_region WHERE code = %s)
  AND NOT r.hidden AND NOT (r.state = 'submitted') AND r.submitted_at >= %s
ORDER BY r.submitted_at DESC, r.id DESC
LIMIT %s
"""
CLOSED = {"done", "rejected", "duplicate"}


def _url() -> str:
    url = urlparse(os.environ["DATABASE_URL"])
    return (
        f"host={url.hostname} port={url.port or 5432} user={url.username or ''} "
        f"dbname={url.path.lstrip('/')}" + (f" password={url.password}" if url.password else "")
    )


class Pool:
    def __init__(self) -> None:
        self.free: asyncio.Queue[psycopg.AsyncConnection[Any]] | None = None

    async def get(self) -> psycopg.AsyncConnection[Any]:
        if self.free is None:
            self.free = asyncio.Queue()
            for _ in range(POOL_SIZE):
                # Server-side prepared statements, as jospar's deploy config has them
                # (psycopg prepares after five runs); BASELINE_PREPARE=0 turns them off.
                conn = await psycopg.AsyncConnection.connect(
                    _url(), autocommit=True, prepare_threshold=PREPARE_THRESHOLD
                )
                self.free.put_nowait(conn)
        return await self.free.get()

    def put(self, conn: psycopg.AsyncConnection[Any]) -> None:
        assert self.free is not None
        self.free.put_nowait(conn)


POOL = Pool()


def _w3c(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(ALMATY).replace(microsecond=0).isoformat()


def _row(row: tuple[Any, ...], host: str) -> dict[str, Any]:
    (
        pk,
        state,
        code,
        name,
        days,
        text,
        agency,
        submitted,
        updated,
        closed_at,
        due,
        address,
        lat,
        lon,
        approximate,
        duplicate_of,
        media,
        rejection,
    ) = row
    closed = state in CLOSED
    if state == "rejected":
        state = f"rejected: {rejection}" if rejection else state
    return {
        "service_request_id": str(pk),
        "status": "closed" if closed else "open",
        "status_notes": f"duplicate of {duplicate_of}" if duplicate_of else state,
        "service_name": name,
        "service_code": code,
        "description": text or None,
        "agency_responsible": agency,
        "service_notice": f"The akimat answers within {days} working days.",
        "requested_datetime": _w3c(submitted),
        "updated_datetime": _w3c(closed_at if closed and closed_at else updated),
        "expected_datetime": f"{due.isoformat()}T23:59:59+05:00" if due else None,
        "address": address or None,
        "address_id": None,
        "zipcode": None,
        "lat": None if approximate else lat,
        "long": None if approximate else lon,
        "media_url": f"{host}/media/{media}" if media else None,
    }


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    query = parse_qs(scope.get("query_string", b"").decode())
    code = (query.get("service_code") or [""])[0]
    region = (query.get("region") or [""])[0]
    size = int((query.get("page_size") or ["1000"])[0])
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
    conn = await POOL.get()
    try:
        cursor = await conn.execute(SQL, (code, region, since, min(size, 1000)))
        rows = await cursor.fetchall()
    finally:
        POOL.put(conn)
    host = "http://" + dict(scope.get("headers") or []).get(b"host", b"").decode()
    body = json.dumps([_row(r, host) for r in rows], ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"access-control-allow-origin", b"*"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
