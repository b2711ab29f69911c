"""The shape of the code: feature packages stay small and apart, one writer per table,
one clock, one list of spaces, every endpoint name kept; tests share helpers.py, never
each other."""

import ast
import re
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.content.checklists import CHECKLISTS
from app.db import connect, migrate
from app.vocab import CHECKLIST_SPACES
from helpers import ROOT

APP = ROOT / "app"
TESTS = ROOT / "tests"
BENCH = ROOT / "bench"
MAX_LINES = 400
# The one place allowed to read the clock (app.vocab.today).
CLOCK = re.compile(r"\bdate\.today\(|\bdatetime\.(?:now|utcnow|today)\(")

# Every endpoint as the restructure found it: templates, url_for calls, the guard's
# OPEN_ENDPOINTS and bookmarks depend on these names. Adding one is fine; renaming
# or dropping one breaks a promise.
ENDPOINTS = {
    "checklists.checklist", "checklists.found", "checklists.spaces",
    "exports.all_csv", "exports.all_xlsx", "exports.audit_log", "exports.published_csv",
    "exports.published_geojson", "exports.published_xlsx", "exports.stats",
    "health.healthz",
    "home.choose_language", "home.index",
    "maps.api", "maps.openapi", "maps.page",
    "mirror.key",
    "organizers.accept_invite", "organizers.accounts", "organizers.disable",
    "organizers.enable", "organizers.invite", "organizers.login", "organizers.logout",
    "organizers.logout_everywhere", "organizers.reset", "organizers.reset_password",
    "organizers.setup", "organizers.two_factor",
    "posters.builder", "posters.download_pdf", "posters.download_qr", "posters.make",
    "posters.manage", "posters.organizer_list", "posters.organizer_poster",
    "posters.print_view", "posters.scan",
    "pwa.manifest", "pwa.mirrors", "pwa.offline", "pwa.service_worker",
    "reports.report", "reports.status", "reports.status_form", "reports.submit",
    "review.ask", "review.bulk", "review.duplicate", "review.photo", "review.publish",
    "review.queue", "review.reject", "review.report", "review.set_level",
    "static",
    "takedown.blank_letters", "takedown.letters_json", "takedown.page", "takedown.sources",
    # Issue 31: the publication policy and the right of reply.
    "about.policy",
    "replies.page", "replies.respond", "replies.respond_form", "replies.status",
    "replies.status_form",
    "responses.change_level", "responses.correct", "responses.decide", "responses.response",
    "responses.waiting", "responses.withdraw",
}


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports made absolute.

    `from .x import y` counts both `x` and `x.y`, since y may be a submodule.
    """
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in modules(APP)
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}, f"split these by what they do: {long}"


def test_no_feature_imports_another_features_views():
    crossings = []
    for path in modules(APP):
        own = module_name(path).split(".")[:2]  # e.g. ["app", "review"]
        for target in imported_modules(path):
            parts = target.split(".")
            if len(parts) == 3 and parts[0] == "app" and parts[2] == "views" and parts[:2] != own:
                crossings.append(f"{path.relative_to(ROOT)} imports {target}")
    assert crossings == [], "move what is shared out of views.py"


def test_the_import_reader_sees_relative_imports_of_views():
    # The check above is only as good as this: each package registers its own views.
    seen = imported_modules(APP / "review" / "__init__.py")
    assert "app.review.views" in seen
    assert "app.organizers.guard" in imported_modules(APP / "review" / "views.py")


def test_only_vocab_reads_the_clock():
    readers = [str(p.relative_to(ROOT)) for p in modules(APP)
               if CLOCK.search(p.read_text()) and p != APP / "vocab.py"]
    assert readers == [], "use app.vocab.today(): one UTC calendar for every date"
    assert CLOCK.search((APP / "vocab.py").read_text()), "the pattern no longer finds the clock"


def test_every_checklist_is_a_checklist_space_in_the_same_order():
    assert list(CHECKLISTS) == list(CHECKLIST_SPACES)


def test_every_endpoint_name_is_kept(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(ENDPOINTS - endpoints) == []


def test_no_test_module_imports_another_or_conftest():
    """Shared steps live in helpers.py and support/; fixtures reach tests by name.

    bench/ scripts share the tests' code the same way: only through support/."""
    shared = [f"{path.relative_to(ROOT)} imports {target}"
              for path in modules(TESTS) + modules(BENCH)
              for target in sorted(imported_modules(path))
              if re.search(r"(^|\.)(test_\w+|conftest)$", target)]
    assert shared == [], "import from helpers.py or support/, or use a fixture"
    # Not vacuous: the reader sees a bench script's imports of the tests' code.
    assert "tests.support.servers" in imported_modules(BENCH / "local_server.py")


def test_tests_and_benches_import_by_name_without_editing_the_path(tmp_path):
    """Tests import support/ as pytest puts tests/ on the path; bench/ scripts import
    tests.support and bench.* as the editable install puts the project's folder there."""
    edits = [str(p.relative_to(ROOT)) for p in modules(TESTS) + modules(BENCH)
             if re.search(r"\bsys\.path\.(insert|append|extend)\(|\bsys\.path\s*[+]?=",
                          p.read_text())]
    assert edits == []
    # Every bench script imports from any folder (here: an empty one).
    names = ", ".join(f"bench.{p.stem}" for p in sorted(BENCH.glob("*.py")))
    imported = subprocess.run([sys.executable, "-c", f"import {names}"], cwd=tmp_path,
                              capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr


# -- one writer per table ------------------------------------------------------------

# The one package (under app/) whose SQL writes each table; None: only migrations
# and their triggers do. Every table of the schema is here, so a new one gets an owner.
WRITER = {
    "report": "reports", "report_message": "reports", "report_photo": "reports",
    # Filled by migration 0007; photos.adopt_files reads it once and drops it.
    "report_photo_file": None,
    # Counted by the triggers of migration 0010 as reports come, change and go.
    "report_day_tally": None, "report_what_tally": None, "review_wait_tally": None,
    "map_report": "map", "map_cell": "map", "map_cell_day": "map", "map_state": "map",
    "organizer": "organizers", "organizer_session": "organizers",
    "one_time_link": "organizers", "audit_log": "organizers",
    "poster": "posters", "poster_scan": "posters",
    "response": "replies",
    "rate_count": "web", "rate_block": "web",  # web/limits.py's own database
}
# The public copy's shape (cells, list keys, counts) is the map's business: no other
# package reads these either; they ask map/public_copy.py.
MAP_ONLY = {"map_report", "map_cell", "map_cell_day", "map_state"}
# A table named at run time (f"FROM {table}") hides who touches it from the scan
# below; only the map's two count tables, walked by period, are named so, here.
NAMED_AT_RUN_TIME_IN = {"app/map/publish.py", "app/map/query.py"}

HOLE = "{?}"  # what the scan reads in place of anything only known at run time
TABLE = rf'["`\[]?(\w+|{re.escape(HOLE)})["`\]]?'
WRITES = re.compile(rf"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|"
                    rf"UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+{TABLE}", re.IGNORECASE)
# FROM a, b AS c JOIN d: every table named in the list, each maybe with an alias.
NOT_ALIAS = (r"(?!(?:WHERE|INDEXED|NOT|ORDER|GROUP|LIMIT|JOIN|LEFT|RIGHT|FULL|INNER|CROSS|"
             r"NATURAL|ON|USING|UNION|EXCEPT|INTERSECT|WINDOW|HAVING|RETURNING|SET|VALUES)\b)")
SOURCE = rf"{TABLE}(?:\s+(?:AS\s+)?{NOT_ALIAS}\w+)?"
READS = re.compile(rf"\b(DELETE\s+)?(?:FROM|JOIN)\s+({SOURCE}(?:\s*,\s*{SOURCE})*)",
                   re.IGNORECASE)
CREATES = re.compile(rf"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{TABLE}", re.IGNORECASE)


@dataclass(frozen=True)
class Access:
    module: str  # e.g. "app/reports/store.py"
    table: str  # a table name, or HOLE
    writes: bool

    @property
    def package(self) -> str:
        parts = Path(self.module).parts  # app/db.py is the package "app" itself
        return parts[1] if len(parts) > 2 else parts[0]


def _fold(node: ast.AST) -> tuple[str, list[ast.AST]] | None:
    """A string expression's text, HOLE for each part known only at run time, and
    those parts; None if it is no string. f-strings, "a" "b", "a" + b and "a" % b."""
    if isinstance(node, ast.Constant):
        return (node.value, []) if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        parts = [(v.value, []) if isinstance(v, ast.Constant) else (HOLE, [v.value])
                 for v in node.values]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        folded = [_fold(node.left), _fold(node.right)]
        if folded == [None, None]:
            return None
        parts = [f or (HOLE, [side]) for f, side in zip(folded, (node.left, node.right),
                                                        strict=True)]
    else:
        return None
    return "".join(text for text, _ in parts), [n for _, inner in parts for n in inner]


def sql_texts(source: str) -> list[str]:
    """Every string a module could hand to SQLite (execute, executemany, executescript,
    or a constant used in one); docstrings and other bare strings aside."""
    found = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Expr) and _fold(node.value):
            return  # a docstring: prose, never run
        if folded := _fold(node):
            found.append(folded[0])
            for hole in folded[1]:  # e.g. ", ".join(f"sum({c})" for c in ...)
                visit(hole)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def sql_accesses(source: str, module: str, tables: set[str]) -> set[Access]:
    """Which of `tables` the module's SQL writes and reads (and HOLE for one named at run
    time). A DELETE's own table is a write only; a CTE's name is no table."""
    found = set()
    for text in sql_texts(source):
        found |= {Access(module, m[1], True) for m in WRITES.finditer(text)}
        for match in READS.finditer(text):
            if not match[1]:
                found |= {Access(module, re.match(TABLE, item.strip())[1], False)
                          for item in match[2].split(",")}
    return {a for a in found if a.table in tables or a.table == HOLE}


@cache
def schema_tables() -> set[str]:
    """The tables the migrations leave, and those app code makes itself (web/limits.py)."""
    with closing(connect(":memory:")) as conn:
        migrate(conn)
        made = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite%'")}
    return made | {m[1] for p in modules(APP) for text in sql_texts(p.read_text())
                   for m in CREATES.finditer(text)}


@cache
def app_accesses() -> set[Access]:
    tables = schema_tables()
    return {a for p in modules(APP)
            for a in sql_accesses(p.read_text(), str(p.relative_to(ROOT)), tables)}


def test_every_table_in_the_schema_has_a_writer_named():
    assert set(WRITER) == schema_tables(), "say which package writes the new table"


def test_every_table_is_written_by_its_one_package():
    writes = {a for a in app_accesses() if a.writes}
    expected = {table: {owner} - {None} for table, owner in WRITER.items()}
    strays = {table: sorted(a.module for a in writes if a.table == table)
              for table, owners in expected.items()
              if {a.package for a in writes if a.table == table} != owners}
    assert strays == {}, "call the owning package's functions instead of writing its table"


def test_only_the_map_reads_the_public_copy():
    strays = sorted(f"{a.module} reads {a.table}" for a in app_accesses()
                    if a.table in MAP_ONLY and a.package != "map")
    assert strays == [], "ask app/map/public_copy.py"


def test_only_the_maps_count_tables_are_named_at_run_time():
    named = {a.module for a in app_accesses() if a.table == HOLE}
    assert named == NAMED_AT_RUN_TIME_IN


TRICKY_SQL = '''
def forget(conn, place, table, ids):
    """Docstrings are prose: UPDATE organizer SET nothing, nothing read FROM rate_count."""
    conn.executescript("""
        WITH old AS (SELECT id FROM report WHERE status = 'rejected')
        DELETE FROM report_message WHERE report_id IN (SELECT id FROM old);
    """)
    conn.execute(f"UPDATE report SET ({place}) = (SELECT {place} FROM map_report "
                 f"WHERE map_report.report_id = report.id)")
    conn.execute("insert or ignore into report_photo (report_id) " + "VALUES (?)", (1,))
    conn.execute(f"SELECT {', '.join(f'(SELECT n FROM poster WHERE id = {i})' for i in ids)} "
                 f"FROM {table} JOIN poster_scan s USING (id)")
    conn.execute("REPLACE INTO map_state (version) VALUES (1)")
    return conn.execute("SELECT * FROM organizer o, audit_log AS a, map_cell WHERE 1")
'''


def test_the_sql_scanner_sees_writes_and_reads_however_the_sql_is_written():
    # The checks above are only as good as this.
    found = sql_accesses(TRICKY_SQL, "app/x/y.py", set(WRITER))
    writes = {a.table for a in found if a.writes}
    reads = {a.table for a in found if not a.writes}
    assert writes == {"report_message", "report", "report_photo", "map_state"}
    assert reads == {"report", "map_report", "poster", HOLE, "poster_scan", "organizer",
                     "audit_log", "map_cell"}
    assert {a.package for a in found} == {"x"}
    assert Access("app/db.py", "report", True).package == "app"
