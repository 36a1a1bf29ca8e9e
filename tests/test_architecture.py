"""The layout of docs/architecture.md holds: small files, no package cycles.

The layering contracts themselves are import-linter's (pyproject.toml), run by `./dev test`.
"""

from __future__ import annotations

from pathlib import Path

import grimp

SRC = Path(__file__).resolve().parent.parent / "src" / "levelup"
MAX_LINES = 500


def test_no_source_file_is_over_500_lines() -> None:
    long = {str(path.relative_to(SRC)): n for path in SRC.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def _packages(graph: grimp.ImportGraph) -> list[str]:
    return sorted(m for m in graph.find_children("levelup")
                  if graph.find_children(m) or (SRC / m.split(".")[1]).is_dir())


def test_no_two_packages_import_each_other() -> None:
    graph = grimp.build_graph("levelup", cache_dir=None)
    packages = _packages(graph)
    cycles = [(a, b) for a in packages for b in packages if a < b
              and graph.direct_import_exists(importer=a, imported=b, as_packages=True)
              and graph.direct_import_exists(importer=b, imported=a, as_packages=True)]
    assert cycles == []


def test_the_cli_is_the_only_package_on_typer_click_and_rich() -> None:
    graph = grimp.build_graph("levelup", include_external_packages=True, cache_dir=None)
    below = [m for m in graph.find_children("levelup")
             if m not in ("levelup.cli", "levelup.__main__")]
    users = {m: t for m in below for t in ("typer", "click", "rich")
             if graph.chain_exists(importer=m, imported=t, as_packages=True)}
    assert users == {}
