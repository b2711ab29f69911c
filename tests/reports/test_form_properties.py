"""Property-based: whatever arrives, the form handler answers and stores whole reports only."""

import re
from contextlib import closing

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.db import connect
from app.vocab import DEVICE_CHOICES, SPACES, WHAT

FIELDS = ["space", "what", "device", "venue", "city", "latitude", "longitude", "observed_on",
          "told_venue", "told_police", "response", "description", "x_check", "idempotency_key",
          "unexpected"]
# Mostly-valid values find the deep paths; arbitrary text finds the edges.
values = st.one_of(
    st.text(max_size=2500),
    st.sampled_from([*SPACES, *WHAT, *DEVICE_CHOICES, "yes", "", "31.2", "-181", "1e400",
                     "2026-02-30", "2026-11-01", "\x00", "A" * 20]),
    st.from_regex(r"[A-Za-z0-9_-]{16,64}", fullmatch=True),
)
forms = st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS))


def count(app) -> tuple[int, int]:
    with closing(connect(app.config["DATABASE"])) as conn:
        return (conn.execute("SELECT count(*) FROM report").fetchone()[0],
                conn.execute("SELECT count(*) FROM report WHERE space IS NULL OR what IS NULL "
                             "OR receipt_hash IS NULL OR submitted_on IS NULL").fetchone()[0])


def test_any_form_gets_an_answer_and_never_half_a_report(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SPOTCHECK_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
    app = create_app({"TESTING": True, "REPORTS_PER_CLIENT_PER_HOUR": 0, "REPORTS_PER_HOUR": 0})
    client = app.test_client()

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(form=forms, lang=st.sampled_from(["en", "zh-hans", "zh-hant"]))
    def check(form, lang):
        before, _ = count(app)
        response = client.post(f"/{lang}/report", data=form)
        after, broken = count(app)
        assert response.status_code in (200, 400), response.status_code
        assert broken == 0
        if response.status_code == 200:
            assert re.search(r'data-receipt="[0-9A-Z-]{19}"', response.get_data(as_text=True))
            assert after - before in (0, 1)  # 0: a retry with a key already used
        else:
            assert after == before

    check()
