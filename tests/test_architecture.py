"""The shape of the code: feature packages stay small and apart, one clock, one list of
spaces, every endpoint name kept; tests share helpers.py, never each other."""

import ast
import re
from pathlib import Path

from app.content.checklists import CHECKLISTS
from app.vocab import CHECKLIST_SPACES
from helpers import ROOT

APP = ROOT / "app"
TESTS = ROOT / "tests"
MAX_LINES = 400
# The one place allowed to read the clock (app.vocab.today).
CLOCK = re.compile(r"\bdate\.today\(|\bdatetime\.(?:now|utcnow|today)\(")

# Every endpoint as the restructure found it: templates, url_for calls, the guard's
# OPEN_ENDPOINTS and bookmarks depend on these names. Adding one is fine; renaming
# or dropping one breaks a promise.
ENDPOINTS = {
    "checklists.checklist", "checklists.found", "checklists.spaces",
    "exports.all_csv", "exports.audit_log", "exports.published_csv",
    "exports.published_geojson", "exports.stats",
    "health.healthz",
    "home.choose_language", "home.index",
    "maps.api", "maps.openapi", "maps.page",
    "organizers.accept_invite", "organizers.accounts", "organizers.disable",
    "organizers.enable", "organizers.invite", "organizers.login", "organizers.logout",
    "organizers.logout_everywhere", "organizers.reset", "organizers.reset_password",
    "organizers.setup", "organizers.two_factor",
    "posters.builder", "posters.download_pdf", "posters.download_qr", "posters.make",
    "posters.manage", "posters.organizer_list", "posters.organizer_poster",
    "posters.print_view", "posters.scan",
    "pwa.manifest", "pwa.offline", "pwa.service_worker",
    "reports.report", "reports.status", "reports.status_form", "reports.submit",
    "review.ask", "review.duplicate", "review.photo", "review.publish", "review.queue",
    "review.reject", "review.report",
    "static",
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
    """Shared steps live in helpers.py (and support/browser.py); fixtures reach tests by name."""
    shared = [f"{path.relative_to(ROOT)} imports {target}" for path in modules(TESTS)
              for target in sorted(imported_modules(path))
              if re.search(r"(^|\.)(test_\w+|conftest)$", target)]
    assert shared == [], "import from helpers.py, or use a fixture"
