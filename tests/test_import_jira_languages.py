"""`levelup import jira` on CSV exports written in the exporting user's language."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.importers.common import BadInput, parse_day
from levelup.importers.jira_columns import (
    ENGLISH_MONTHS,
    FRENCH,
    GERMAN,
    LANGUAGES,
    PORTUGUESE_BRAZIL,
    SPANISH,
    Language,
)
from levelup.importers.jira_csv import is_jira_csv, read_csv
from tests.conftest import invoke
from tests.test_import_jira import EXPORT, FIXTURES, jira_entries

# --- exports in the exporting user's language (fixtures built from names Jira was seen to write)

LOCALIZED = [
    pytest.param("export_de.csv", {
        "SHOP-201": ("2026-03-02", "2026-03-14", "win", [
            "story points: 5", "epic: Schnellerer Checkout", "labels: performance, checkout",
            "priority: High", "resolution: Done", "project: Shop", "Preise wurden bei jedem"]),
        "SHOP-202": ("2025-10-20", None, "plan", ["type: Task", "priority: Low"]),
    }, id="German"),
    pytest.param("export_fr.csv", {  # no resolved date: none was found in French
        "SHOP-301": ("2025-12-07", None, "win", [
            "story points: 3", "epic: Paiement plus rapide", "labels: performance",
            "components: Tarifs", "resolution: Terminé", "Les prix étaient chargés"]),
        # done by its resolution, whatever the language of its status; open without one
        "SHOP-302": ("2026-04-02", None, "plan", ["type: Task", "status: En cours"]),
    }, id="French"),
    pytest.param("export_es.csv", {  # ";"-separated with a BOM, as Excel saves it again
        "SHOP-401": ("2025-12-12", "2026-02-23", "win", [
            "story points: 2.5", "epic: Pago más rápido", "project: Tienda",
            "Los precios se pedían"]),
        "SHOP-402": ("2026-01-02", "2026-01-03", "incident", ["priority: Highest"]),
    }, id="Spanish"),
    pytest.param("export_pt_br.csv", {
        "SHOP-501": ("2026-04-14", "2026-05-20", "win", [
            "story points: 2", "epic: Checkout mais rápido", "components: Preços",
            "project: SHOP"]),
        "SHOP-502": ("2026-04-15", "2026-04-16", "win", ["parent: Cachear os preços"]),
    }, id="Portuguese (Brazil)"),
]


@pytest.mark.parametrize(("export", "expected"), LOCALIZED)
def test_csv_export_in_another_language_reads_as_the_english_one(
    env: Env, export: str, expected: dict[str, tuple[str, str | None, str, list[str]]]
) -> None:
    """Translated headers, localized months (Mär/März, déc., dic, abr) and the parent's key
    column all read as in an English export."""
    result = invoke(env, "import", "jira", str(FIXTURES / export), "--since", "2025-01-01")
    assert result.exit_code == 0, result.output
    entries = jira_entries(env)
    assert set(entries) == set(expected)
    for key, (start, end, kind, facts) in expected.items():
        entry = entries[key]
        span = (str(entry.date), entry.end_date and str(entry.end_date), entry.kind)
        assert span == (start, end, kind), key
        for fact in facts:
            assert fact in entry.details, (key, fact, entry.details)


def test_a_localized_date_that_is_no_day_is_named_as_the_export_wrote_it(
    env: Env, tmp_path: Path
) -> None:
    bad = tmp_path / "de.csv"
    text = (FIXTURES / "export_de.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("20/Okt/25 7:14 AM", "20/Okt/25 7:14 XM"), encoding="utf-8")
    result = invoke(env, "import", "jira", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:5: SHOP-202: not a date: '20/Okt/25 7:14 XM'" in result.output


def test_csv_export_saved_again_with_semicolons_and_a_bom(env: Env, tmp_path: Path) -> None:
    """Excel in many locales saves a CSV again with ";" between cells and a BOM first."""
    rows = list(csv.reader(io.StringIO(EXPORT.read_text(encoding="utf-8"))))
    resaved = tmp_path / "excel.csv"
    with resaved.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out, delimiter=";").writerows(rows)
    result = invoke(env, "import", "jira", str(resaved), "--since", "2026-01-01")
    assert result.exit_code == 0, result.output
    entries = jira_entries(env)
    assert set(entries) == {"SHOP-101", "SHOP-117", "SHOP-120", "OPS-7", "SHOP-130"}
    assert "labels: performance, checkout" in entries["SHOP-101"].details


def test_a_header_in_no_language_levelup_reads_is_named_in_the_error() -> None:
    with pytest.raises(BadInput) as refused:
        list(read_csv("other.csv", "name;size;owner\nx;1;ada\n"))
    assert str(refused.value) == (
        "other.csv:1: not a Jira CSV export: no 'Issue key' and 'Summary' columns in a language "
        "levelup reads; the header is: name;size;owner")


@pytest.mark.parametrize(("text", "jira"), [
    ("\ufeffSummary,Issue key,Created\n", True),
    ("Zusammenfassung;Vorgangsschlüssel;Erstellt\n", True),
    ("Resumo\tChave do Item\tCriado\n", True),  # sources write this one in either case
    ("Summary,Created\n", False),
    ("", False),
])
def test_a_jira_header_is_told_in_any_language_case_and_delimiter(text: str, jira: bool) -> None:
    assert is_jira_csv(text) is jira


@pytest.mark.parametrize(("language", "text", "day"), [
    (GERMAN, "02/Mär/26 9:15 AM", date(2026, 3, 2)),  # glibc's abbreviation
    (GERMAN, "02/März/26 9:15 AM", date(2026, 3, 2)),  # CLDR's
    (GERMAN, "20/Okt/25 7:14 AM", date(2025, 10, 20)),
    (GERMAN, "01/DEZ./25", date(2025, 12, 1)),
    (FRENCH, "07/déc./25 10:51", date(2025, 12, 7)),
    (FRENCH, "14/févr./26 15:42", date(2026, 2, 14)),
    (FRENCH, "03/avril/26 09:00", date(2026, 4, 3)),
    (SPANISH, "12/dic/24 3:00 PM", date(2024, 12, 12)),
    (SPANISH, "30/sept./25", date(2025, 9, 30)),
    (PORTUGUESE_BRAZIL, "14/abr/26 3:31 AM", date(2026, 4, 14)),
    (PORTUGUESE_BRAZIL, "01/set/25", date(2025, 9, 1)),
])
def test_localized_months_read_as_english_ones(language: Language, text: str, day: date) -> None:
    assert parse_day(language.english_date(text)) == day


@settings(max_examples=200)
@given(st.sampled_from([(language, form, english) for language in LANGUAGES
                        for form, english in language.months.items()]),
       st.booleans(), st.booleans())
def test_any_case_and_dot_of_a_month_reads_as_that_month(
    month: tuple[Language, str, str], upper: bool, dot: bool
) -> None:
    language, form, english = month
    written = (form.upper() if upper else form) + ("." if dot else "")
    day = parse_day(language.english_date(f"14/{written}/26 3:42 PM"))
    assert day == date(2026, ENGLISH_MONTHS.index(english) + 1, 14)
