"""Review that keeps up (issue 31, item 4): many reports at once from the queue, each
refused alone when someone changed it meanwhile, and duplicates suggested on each card.

Without JavaScript: the queue's plain form (review/bulk.py). With it: test_bulk_browser.py.
"""

import re
import secrets
from contextlib import closing
from datetime import timedelta

import pytest

from app.db import connect
from app.vocab import today
from helpers import act, csrf_of, db_rows, visible_text

HONG_KONG = (22.2855, 114.1577)


def waiting(app, count: int, space: str = "hotel-room", at=HONG_KONG, days_ago: int = 0,
            venue: str = "Harbour Hotel") -> list[int]:
    """`count` reports waiting for review, straight into the database; their numbers."""
    sent = (today() - timedelta(days=days_ago)).isoformat()
    latitude, longitude = at if at else (None, None)
    with closing(connect(app.config["DATABASE"])) as db:
        ids = [db.execute(
            "INSERT INTO report (idempotency_hash, receipt_sealed, receipt_hash, space, what, "
            "venue, city, latitude, longitude, submitted_on) VALUES (?, x'00', ?, ?, 'found', "
            "?, 'Hong Kong', ?, ?, ?) RETURNING id",
            (secrets.token_hex(16), secrets.token_hex(16), space, venue, latitude, longitude,
             sent)).fetchone()[0] for _ in range(count)]
        db.commit()
    return ids


def queue_form(client, lang="en") -> tuple[str, dict[int, str]]:
    """The queue's CSRF token and each listed report's checkbox value ("17:1")."""
    html = client.get(f"/{lang}/organizers/").get_data(as_text=True)
    boxes = re.findall(r'name="report" value="((\d+):\d+)"', html)
    return csrf_of(html), {int(number): value for value, number in boxes}


def bulk(client, token, values, lang="en", **data):
    return client.post(f"/{lang}/organizers/bulk",
                       data={"csrf_token": token, "report": list(values), **data})


def status_of(app) -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in db_rows(
        app, "SELECT id, status, duplicate_of FROM report ORDER BY id")}


def audited(app, action: str) -> list[tuple]:
    return [tuple(r) for r in db_rows(
        app, "SELECT report_id, detail FROM audit_log WHERE action = ? ORDER BY report_id",
        (action,))]


def notices(response) -> list[str]:
    return [visible_text(n) for n in re.findall(r'<p class="notice[^"]*" role="status">(.*?)</p>',
                                                response.get_data(as_text=True), re.S)]


def test_fifty_reports_rejected_in_one_action_each_audited(app, admin):
    ids = waiting(app, 50)
    token, boxes = queue_form(admin)
    assert sorted(boxes) == ids  # the whole page, each with a box
    response = bulk(admin, token, boxes.values(), action="reject")
    assert response.status_code == 200
    assert notices(response) == ["Not published: 50."]
    assert {status for status, _ in status_of(app).values()} == {"rejected"}
    assert audited(app, "reject") == [(number, None) for number in ids]
    # The queue shown after it is empty again.
    assert "Nothing here." in response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "refused"), [
    ("en", "Not changed, because someone changed them after this page was shown: #3. "
           "Open them to see how they are now."),
    ("zh-hans", "以下举报没有更改，因为这个页面显示之后有人改动过它们：#3。"
                "请打开看看它们现在的状态。")])
def test_a_report_changed_meanwhile_is_refused_by_number_and_the_rest_done(
        app, admin, lang, refused):
    waiting(app, 5)
    token, boxes = queue_form(admin, lang)
    # Another organizer publishes #3 after this queue was shown.
    assert act(admin, 3, "publish", public=["venue"]).status_code == 200
    response = bulk(admin, token, boxes.values(), lang=lang, action="reject")
    assert response.status_code == 200
    assert refused in notices(response)
    assert {n: s for n, (s, _) in status_of(app).items()} == {
        1: "rejected", 2: "rejected", 3: "published", 4: "rejected", 5: "rejected"}
    assert [n for n, _ in audited(app, "reject")] == [1, 2, 4, 5]


def test_bulk_duplicate_of_the_original_chosen_in_the_list_or_by_number(app, admin):
    waiting(app, 4)
    token, boxes = queue_form(admin)
    # All four ticked, #2 chosen as the original: it stays as it was.
    response = bulk(admin, token, boxes.values(), action="duplicate", original="2")
    assert notices(response) == ["Marked as duplicates: 3."]
    assert status_of(app) == {1: ("rejected", 2), 2: ("received", None),
                              3: ("rejected", 2), 4: ("rejected", 2)}
    assert audited(app, "duplicate") == [(1, "of #2"), (3, "of #2"), (4, "of #2")]

    waiting(app, 2)  # 5 and 6; the original typed: #2, not in the list any more
    token, boxes = queue_form(admin)
    response = bulk(admin, token, [boxes[5], boxes[6]], action="duplicate",
                    original_number="#2")
    assert status_of(app)[5] == status_of(app)[6] == ("rejected", 2)


def test_bulk_duplicate_needs_an_existing_original_and_changes_nothing_without(app, admin):
    waiting(app, 2)
    token, boxes = queue_form(admin)
    for data in ({}, {"original_number": "999"}):
        response = bulk(admin, token, boxes.values(), action="duplicate", **data)
        assert response.status_code == 400
        assert "Nothing was changed" in notices(response)[0]
    nothing = bulk(admin, token, [], action="reject")
    assert nothing.status_code == 400 and "Tick at least one report" in notices(nothing)[0]
    assert status_of(app) == {1: ("received", None), 2: ("received", None)}
    assert audited(app, "duplicate") == audited(app, "reject") == []


def test_bulk_publish_through_the_same_decision_as_one_card(app, admin):
    waiting(app, 2)
    waiting(app, 1, at=None)  # #3 has no location
    token, boxes = queue_form(admin)
    response = bulk(admin, token, boxes.values(), action="publish",
                    public=["venue", "location"])
    said = notices(response)
    assert said[0] == "Published: 2."
    assert "Not published, because they have no location: #3." in said[1]
    assert {n: s for n, (s, _) in status_of(app).items()} == {
        1: "published", 2: "published", 3: "received"}
    # On the map at once, and on the record like a single publish.
    assert [r[0] for r in db_rows(app, "SELECT report_id FROM map_report ORDER BY 1")] == [1, 2]
    assert audited(app, "publish") == [(1, "location, venue"), (2, "location, venue")]
    # Without the location it can be published, listed.
    token, boxes = queue_form(admin)
    assert notices(bulk(admin, token, [boxes[3]], action="publish",
                        public=["venue"])) == ["Published: 1."]


@pytest.mark.parametrize(("lang", "set_level"), [
    ("en", "set verification level #{n} Corroborated: Three reports agree"),
    ("zh-hans", "设定核实程度 #{n} 多方印证：Three reports agree")])
def test_bulk_publish_at_a_level_sets_it_on_each_report_with_its_audit_lines(
        app, admin, lang, set_level):
    ids = waiting(app, 3)
    token, boxes = queue_form(admin, lang)
    response = bulk(admin, token, boxes.values(), lang=lang, action="publish", public=["venue"],
                    verification="corroborated", verification_note="Three reports agree")
    assert response.status_code == 200
    assert [tuple(r) for r in db_rows(
        app, "SELECT id, status, verification, verification_note FROM report ORDER BY id")] == [
        (number, "published", "corroborated", "Three reports agree") for number in ids]
    # On the map at that level: corroborated names the venue.
    assert [tuple(r) for r in db_rows(
        app, "SELECT report_id, verification, venue FROM map_report ORDER BY 1")] == [
        (number, "corroborated", "Harbour Hotel") for number in ids]
    assert audited(app, "publish") == [(number, "venue") for number in ids]
    assert audited(app, "set level") == [(number, "corroborated: Three reports agree")
                                         for number in ids]
    # The audit log says it in the organizer's language.
    log = visible_text(admin.get(f"/{lang}/organizers/audit").get_data(as_text=True))
    assert all(set_level.format(n=number) in log for number in ids)


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Choose a verification level. Nothing was changed."),
    ("zh-hans", "请选择核实程度。没有做任何更改。")])
def test_bulk_publish_at_an_unknown_level_is_refused_and_changes_nothing(app, admin, lang,
                                                                         message):
    waiting(app, 2)
    token, boxes = queue_form(admin, lang)
    response = bulk(admin, token, boxes.values(), lang=lang, action="publish", public=["venue"],
                    verification="certain", verification_note="Sure of it")
    assert response.status_code == 400
    assert notices(response) == [message]
    assert [tuple(r) for r in db_rows(
        app, "SELECT status, verification, verification_note, version FROM report")] == [
        ("received", None, None, 1)] * 2
    assert db_rows(app, "SELECT count(*) FROM map_report")[0][0] == 0
    assert audited(app, "publish") == audited(app, "set level") == []


def test_the_bulk_form_needs_the_csrf_token(app, admin):
    waiting(app, 1)
    _token, boxes = queue_form(admin)
    response = bulk(admin, "not-the-token", boxes.values(), action="reject")
    assert response.status_code in (400, 403)
    assert status_of(app) == {1: ("received", None)}


def test_the_audit_log_says_bulk_actions_in_the_readers_language(app, admin):
    waiting(app, 3)
    token, boxes = queue_form(admin)
    bulk(admin, token, [boxes[1]], action="reject")
    bulk(admin, token, [boxes[2]], action="duplicate", original="3")
    html = admin.get("/zh-hans/organizers/audit").get_data(as_text=True)
    text = visible_text(html)
    assert "不予公开" in text and "标为重复" in text and "与 #3 重复" in text
    assert not re.search(r"<td>(reject|duplicate)</td>", html)


# -- likely duplicates on each card ----------------------------------------------------

def test_a_card_suggests_reports_of_the_same_place_and_merges_in_one_press(app, admin):
    [first] = waiting(app, 1, days_ago=20)
    [same] = waiting(app, 1)  # a few metres away: the same 200 m square
    waiting(app, 1, at=(HONG_KONG[0] + 0.00001, HONG_KONG[1]), space="restroom")
    waiting(app, 1, at=(22.3193, 114.1694))  # another part of town
    [other] = waiting(app, 1, at=(HONG_KONG[0] + 0.00002, HONG_KONG[1] + 0.00001),
                      days_ago=40 + 20)  # the same place, but two months earlier
    html = admin.get(f"/en/organizers/reports/{same}").get_data(as_text=True)
    suggested = html.split('id="likely-duplicates"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'name="original" value="(\d+)"', suggested) == [str(first)]
    assert f"Mark as a duplicate of #{first}" in suggested
    assert f"#{other}" not in suggested

    form = re.search(r'<form method="post" action="([^"]+)".*?name="version" value="(\d+)"'
                     r'.*?name="original" value="(\d+)"', suggested, re.S)
    response = admin.post(form[1], data={"csrf_token": csrf_of(html), "version": form[2],
                                         "original": form[3]})
    assert response.status_code == 200 and "Marked as a duplicate." in response.get_data(
        as_text=True)
    assert status_of(app)[same] == ("rejected", first)
    assert audited(app, "duplicate") == [(same, f"of #{first}")]
    # A report with no location gets no suggestion (and no section).
    [nowhere] = waiting(app, 1, at=None)
    assert 'id="likely-duplicates"' not in admin.get(
        f"/en/organizers/reports/{nowhere}").get_data(as_text=True)


def test_only_a_signed_in_organizer_can_act_in_bulk(app, admin):
    waiting(app, 1)
    token, boxes = queue_form(admin)
    stranger = app.test_client()
    response = stranger.post("/en/organizers/bulk", data={
        "csrf_token": token, "report": list(boxes.values()), "action": "reject"})
    assert response.status_code in (302, 400, 403)
    assert status_of(app) == {1: ("received", None)}
