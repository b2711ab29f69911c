"""Wheel build hook (hatchling): what `pip install .` needs beside app/'s own files.

A standard wheel gets the top-level folders named in pyproject.toml's
[tool.hatch.build.targets.wheel.hooks.custom] `folders` (templates/ and static/,
placed inside the package), and the message catalogs compiled from their .po
files with Babel, since .mo files are never committed. An editable wheel gets
neither: the app reads them from the source tree, and `scripts/i18n compile`
builds the catalogs there.
"""

import shutil
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TRANSLATIONS = "app/translations"


class SpotCheckBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version != "standard":
            return
        root = Path(self.root)
        for source, destination in self.config.get("folders", {}).items():
            if not (root / source).is_dir():
                raise FileNotFoundError(f"{source}/ is missing: the wheel needs it")
            build_data["force_include"][str(root / source)] = destination

        po_files = sorted((root / TRANSLATIONS).glob("*/LC_MESSAGES/*.po"))
        if not po_files:
            raise FileNotFoundError(f"no catalogs in {TRANSLATIONS}/*/LC_MESSAGES/")
        self._catalogs = Path(tempfile.mkdtemp(prefix="spotcheck-mo-"))
        for po_file in po_files:
            name = po_file.relative_to(root)
            relative = name.with_suffix(".mo")
            mo_file = self._catalogs / relative
            mo_file.parent.mkdir(parents=True, exist_ok=True)
            with po_file.open("rb") as f:
                catalog = read_po(f, locale=po_file.parent.parent.name)
            # Like `pybabel compile`: fuzzy entries stay out, problems are reported.
            for message, errors in catalog.check():
                for error in errors:
                    self.app.display_warning(f"{name}: {message.id!r}: {error}")
            with mo_file.open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)
            build_data["force_include"][str(mo_file)] = relative.as_posix()

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if catalogs := getattr(self, "_catalogs", None):
            shutil.rmtree(catalogs, ignore_errors=True)
