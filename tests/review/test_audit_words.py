"""The audit log in the reader's language (issue 26): each stored action key and the
keys in its detail shown through a label (app/review/audit_words.py), the stored line
unchanged, and every action the code writes has a label."""

import ast
import re

import pytest

from app.organizers import accounts, audit
from app.review.audit_words import ACTIONS
from helpers import ROOT, act, db_rows, new_report, visible_text

# The review actions' own words, as each Chinese reader sees them.
PUBLISHED = {"zh-hans": "公开举报", "zh-hant": "公開通報", "zh-hk": "公開舉報"}
SIGNED_IN = {"zh-hans": "登录", "zh-hant": "登入", "zh-hk": "登入"}
FAILED = {"zh-hans": "密码正确，验证码错误", "zh-hant": "密碼正確，驗證碼錯誤",
          "zh-hk": "密碼正確，驗證碼錯誤"}
OTHERS = {"zh-hans": "与 #1 重复", "zh-hant": "與 #1 重複", "zh-hk": "與 #1 重複"}
MODERATOR = {"zh-hans": "mo（审核员）", "zh-hant": "mo（審核員）", "zh-hk": "mo（審核員）"}
HOTEL_ROOM = {"zh-hans": "酒店或民宿房间", "zh-hant": "飯店或民宿房間", "zh-hk": "酒店或民宿房間"}
# The level set when publishing (review/actions.py publish), its words.
LEVEL_SET = {"zh-hans": "设定核实程度", "zh-hant": "設定查證程度", "zh-hk": "設定查證程度"}
REPORTED = {"zh-hans": "已收到举报", "zh-hant": "已收到通報", "zh-hk": "已收到舉報"}
# The fields made public: the form's own labels (review/actions.py PUBLISHABLE).
FIELDS = {"zh-hans": ["场所名称", "大致位置"], "zh-hant": ["場所名稱", "大致位置"],
          "zh-hk": ["場所名稱", "大致位置"]}


def audit_rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [visible_text(row) for row in re.findall(r"<tr>.*?</tr>", body, re.S)]


@pytest.mark.parametrize("lang", list(PUBLISHED))
def test_the_audit_page_speaks_the_readers_language(app, admin, lang):
    new_report(admin, venue="Harbour Hotel", latitude="22.2855", longitude="114.1577")
    new_report(admin)
    assert act(admin, 1, "publish", public=["venue", "location"]).status_code == 200
    assert act(admin, 2, "duplicate", original="1").status_code == 200
    assert admin.get("/en/organizers/export/all.csv?space=hotel-room").status_code == 200
    with app.test_request_context():
        accounts.invite(1, "mo", "moderator")
        # A failed sign-in, right password and wrong code, as accounts.py writes it ("ada"
        # has no second factor to fail): its detail is fixed words.
        audit.record_now(1, "sign-in failed", detail="right password, wrong code")

    rows = audit_rows(admin.get(f"/{lang}/organizers/audit").get_data(as_text=True))
    # About #1 (newest first): its level, set in the same action, then its publishing.
    level, published = [row for row in rows if " #1 " in row and "#2" not in row][:2]
    assert LEVEL_SET[lang] in level and REPORTED[lang] in level, level
    assert PUBLISHED[lang] in published
    for field in FIELDS[lang]:
        assert field in published, (lang, field, published)
    assert any(SIGNED_IN[lang] in row for row in rows)
    assert any(FAILED[lang] in row for row in rows)
    assert any(OTHERS[lang] in row for row in rows)  # a duplicate "of #1"
    assert any(MODERATOR[lang] in row for row in rows)  # the invited organizer's role
    assert any(HOTEL_ROOM[lang] in row for row in rows)  # the export's filters
    # No English word of an action, a field or a detail: only the usernames are Latin.
    text = " ".join(rows)
    assert set(re.findall(r"[A-Za-z][A-Za-z-]*", text)) <= {"ada", "mo"}, text
    # The stored lines stay as they were written: they are data.
    assert tuple(db_rows(app, "SELECT action, detail FROM audit_log WHERE report_id = 1 "
                          "AND action = 'publish'")[0]) == (
        "publish", "location, venue")


def test_english_keeps_the_stored_words_and_an_unknown_key_shows_as_it_is(app, admin):
    with app.app_context():
        audit.record_now(1, "a word from a newer version", detail="as stored")
    rows = audit_rows(admin.get("/zh-hk/organizers/audit").get_data(as_text=True))
    assert "a word from a newer version" in rows[0] and "as stored" in rows[0]
    rows = audit_rows(admin.get("/en/organizers/audit").get_data(as_text=True))
    assert any("sign in" in row for row in rows)


# -- every action the code writes has a label ----------------------------------------

# Where the action is an argument: audit.record(conn, organizer, ACTION, ...),
# audit.record_now(organizer, ACTION, ...), and review/actions.py's
# Decision(report, ACTION, ...), which _make passes on to audit.record.
# audit.deleted(conn, ACTION, count) for the retention deletions.
ACTION_ARGUMENT = {"audit.record": 2, "audit.record_now": 1, "Decision": 1, "audit.deleted": 1}
# Functions that write an action they were given or looked up, and where it comes from.
FORWARDED = {
    "_make": set,  # given: the Decisions it makes are read like the others
    "change_account": lambda: {action for action, _ in accounts.ACCOUNT_CHANGES.values()},
}


def called(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
        return f"{function.value.id}.{function.attr}"
    return function.id if isinstance(function, ast.Name) else None


def written_actions() -> set[str]:
    """Every action key the app's code can write to the audit log."""
    found: set[str] = set()
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                name = called(call)
                if name not in ACTION_ARGUMENT:
                    continue
                index = ACTION_ARGUMENT[name]
                argument = next((k.value for k in call.keywords if k.arg == "action"),
                                call.args[index] if len(call.args) > index else None)
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.add(argument.value)
                else:
                    where = f"{path.relative_to(ROOT)}:{call.lineno} in {function.name}"
                    assert function.name in FORWARDED, (
                        f"{where}: an audit action this test cannot read; add its source "
                        "to FORWARDED")
                    found |= FORWARDED[function.name]()
    return found


def test_every_action_the_code_writes_has_a_label():
    written = written_actions()
    # Not vacuous: the review actions, signing in, accounts and the second factor.
    assert {"publish", "reject", "duplicate", "ask", "view photo", "export all reports",
            "sign in", "sign-in failed", "invite", "reset password", "two-factor on",
            "two-factor cleared"} <= written
    assert written - ACTIONS.keys() == set()


@pytest.mark.parametrize("lang", list(PUBLISHED))
def test_the_lines_issue_28_added_speak_the_readers_language(app, admin, lang):
    with app.test_request_context():
        for organizer, action, detail in [
                (1, "create admin", "setup link"), (1, "create admin", "command line"),
                (1, "set password", "invitation link"), (1, "set password", "reset link"),
                (1, "sign out", None), (1, "sign out everywhere", None),
                (1, "two-factor on failed", "wrong password"),
                (1, "two-factor off failed", "right password, wrong code"),
                (None, "delete old reports", "2"), (None, "delete private parts", "1")]:
            audit.record_now(organizer, action, detail=detail)
        audit.record_now(1, "open report", 1)
    rows = audit_rows(admin.get(f"/{lang}/organizers/audit").get_data(as_text=True))
    text = " ".join(rows)
    assert set(re.findall(r"[A-Za-z][A-Za-z-]*", text)) <= {"ada"}, text
    assert any(" 2 " in row for row in rows)  # how many, in words around the number


def test_the_new_actions_are_among_those_written():
    assert {"open report", "sign out", "sign out everywhere", "set password", "create admin",
            "two-factor on failed", "two-factor off failed", "delete old reports",
            "delete private parts"} <= written_actions()
