"""Poster scans: each phone counts once per poster per day, and every scan is sent on
(issue 14, item 11); the limits file cannot tell which posters one phone scanned."""

import re
import sqlite3
from contextlib import closing
from pathlib import Path

from app.db import connect
from app.vocab import today


def scans_today(app, code: str) -> int:
    with closing(connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT coalesce(sum(scans), 0) FROM poster_scan s JOIN poster p "
                          "ON p.id = s.poster_id WHERE p.code = ? AND s.day = ?",
                          (code, today().isoformat())).fetchone()[0]


def make_poster(client) -> str:
    made = client.post("/en/posters/", data={"destination": "check-restroom"})
    return re.search(r"/en/posters/([0-9A-Z]{6})/poster\.pdf", made.get_data(as_text=True))[1]


def test_sixty_scans_from_one_phone_count_once_and_all_are_sent_on(poster_app):
    client = poster_app.test_client()
    code, other = make_poster(client), make_poster(client)
    phone = {"REMOTE_ADDR": "198.51.100.7"}
    answers = [client.get(f"/p/{code}", environ_base=phone) for _ in range(60)]
    assert {(a.status_code, a.headers["Location"]) for a in answers} == {
        (302, "/en/check/restroom")}
    assert scans_today(poster_app, code) == 1
    client.get(f"/p/{code}", environ_base={"REMOTE_ADDR": "198.51.100.8"})  # another phone
    client.get(f"/p/{other}", environ_base=phone)  # the same phone, another poster
    assert scans_today(poster_app, code) == 2 and scans_today(poster_app, other) == 1
    # The limits file holds keyed hashes only, one per phone and poster: it cannot
    # say that one phone scanned both posters.
    limits_file = Path(poster_app.instance_path) / "limits.sqlite3"
    with closing(sqlite3.connect(limits_file)) as db:
        keys = [k for (k,) in db.execute("SELECT client FROM rate_block WHERE bucket = 'scan'")]
    assert len(keys) == len(set(keys)) == 3
    assert b"198.51.100" not in b"".join(p.read_bytes() for p in limits_file.parent.glob(
        "limits.sqlite3*"))
