"""Jira's CSV export in the exporting user's language, read as the English one.

Jira names the export's columns, and writes the months of its dates, in the language of the
user who exported. A ``Language`` maps the header names Jira writes in it to the English names
``jira_csv`` reads, and its month abbreviations to English ones, so that the rest of the
importer never sees a translation. A header is read in the language whose issue key and
summary columns it holds.

Only names found in a source are listed (each language names its sources; the code index
behind some of them did not show the repository, so those are described by what they hold).
Names a language lacks below were not found, not forgotten: such a column is left unread.
Lookups ignore case, as the sources disagree on it ("Chave do item", "Chave do Item").

Months: the forms seen in exports ("20/Okt/25 7:14 AM", "07/déc./25 10:51", "14/abr/26 3:31
AM") are glibc's abbreviations (``abmon`` in /usr/share/i18n/locales/de_DE, fr_FR, es_ES,
pt_BR); CLDR's abbreviations (common/main/de.xml etc.: "März", "Juni", "avr.", "sept.") are
read too. Either may come with or without its trailing dot, in any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# levelup's own name for a column that holds the parent's key (Jira's English export gives the
# parent's id under "Parent"); jira_csv reads it as a parent too.
PARENT_KEY = "Parent key"
# The month of Jira's default date format, between slashes: 14/Mär/26, 07/déc./25.
_MONTH = re.compile(r"(?<=/)([^\W\d_]+)\.?(?=/)")


@dataclass(frozen=True, slots=True)
class Language:
    """How Jira writes its CSV export in one language."""

    name: str
    columns: Mapping[str, str]  # header name, casefolded -> the English name
    custom_field: str  # what stands for "Custom field (" before a custom field's own name
    months: Mapping[str, str]  # abbreviation, casefolded and without its dot -> English

    def english(self, column: str) -> str:
        """The English name of one header cell; a name not listed is kept as it is."""
        cell = column.strip()
        if cell.casefold() in self.columns:
            return self.columns[cell.casefold()]
        if cell.startswith(self.custom_field):
            return "Custom field (" + cell.removeprefix(self.custom_field)
        return cell

    def reads(self, header: Sequence[str]) -> bool:
        """Whether the header holds this language's issue key and summary columns."""
        return {"Issue key", "Summary"} <= {self.english(cell) for cell in header}

    def known(self, header: Sequence[str]) -> int:
        """How many cells of the header are names this language lists."""
        return sum(cell.strip().casefold() in self.columns for cell in header)

    def english_date(self, text: str) -> str:
        """The date with its month written in English (14/März/26 -> 14/Mar/26); text
        without a month this language names is returned as it is."""
        def month(match: re.Match[str]) -> str:
            return self.months.get(match.group(1).casefold(), match.group(0))

        return _MONTH.sub(month, text, count=1)


def language_of(header: Sequence[str]) -> Language | None:
    """The language the header is written in, by the names it holds; None if no language
    levelup reads has both its issue key and summary columns there."""
    fits = [language for language in LANGUAGES if language.reads(header)]
    return max(fits, key=lambda language: language.known(header), default=None)


def _language(name: str, columns: Mapping[str, str], custom_field: str,
              months: Sequence[str] = ()) -> Language:
    """A language from its header names and, per month, its abbreviations (space-separated)."""
    return Language(name, {key.casefold(): value for key, value in columns.items()},
                    custom_field, dict(_months(months)))


def _months(months: Sequence[str]) -> Iterable[tuple[str, str]]:
    """(abbreviation, English month) for twelve months' abbreviations; none for English."""
    if not months:
        return
    for forms, english in zip(months, ENGLISH_MONTHS, strict=True):
        for form in forms.split():
            yield form.casefold(), english


# The names jira_csv reads, as Jira's English export writes them.
ENGLISH = _language("English", {name: name for name in (
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Resolution",
    "Created", "Updated", "Resolved", "Project key", "Project name", "Description", "Labels",
    "Component/s", "Components", "Parent", "Parent id", "Parent summary")}, "Custom field (")

# [a] a public Vue page whose "download sample" writes a German Jira Cloud export header,
#     "Zusammenfassung,Vorgangsschlüssel,Vorgangs-ID,Vorgangstyp,Status,Projektschlüssel,
#     Projektname,…,Übergeordnet,Parent summary" (repository not shown by the index);
# [b] HBTGmbH/salat, src/main/java/de/hbt/salat/jira/domain/JiraImportTarget.java (headings
#     of German Jira exports, labels among them);
# [c] a public Python script reading German exports (its HEADERS_GERMAN list).
GERMAN = _language("German", {
    "Zusammenfassung": "Summary",  # a, b, c
    "Vorgangsschlüssel": "Issue key",  # a, b, c
    "Vorgangs-ID": "Issue id",  # a, b
    "Vorgangstyp": "Issue Type",  # a, b, c
    "Priorität": "Priority",  # a, c
    "Lösung": "Resolution",  # a
    "Erstellt": "Created",  # a, b
    "Aktualisiert": "Updated",  # a, b
    "Erledigt": "Resolved",  # a
    "Projektschlüssel": "Project key",  # a
    "Projektname": "Project name",  # a
    "Beschreibung": "Description",  # a, c
    "Stichwörter": "Labels",  # b
    "Übergeordnet": "Parent",  # a: where the English export has "Parent"
    "Benutzerdefinierte Felder (Story Point-Schätzung)":  # c
        "Custom field (Story point estimate)",
}, custom_field="Benutzerdefinierte Felder (",  # a, c
    months=("Jan", "Feb", "Mär März", "Apr", "Mai", "Jun Juni",
            "Jul Juli", "Aug", "Sep Sept", "Okt", "Nov", "Dez"))

# [a] stew-nocode/onpointdoc, temp_jira_export.csv: a French Jira Cloud export (dates like
#     "07/déc./25 10:51");
# [b] thibf1000/Kblo, examples/jira_export_sample.csv and README.md;
# [c] a public TypeScript constant naming French export columns (EPIC_COLUMNS: "ID de ticket",
#     "Résolution", "Création", "Mise à jour", …);
# [d] a public Python test of Jira column detection ("Clé parent", "Parent summary");
# [e] a public JavaScript Jira CSV importer's alias table ("étiquettes", "composants").
# Not found: the resolved date, the project key and name.
FRENCH = _language("French", {
    "Résumé": "Summary",  # a, b, c, d, e
    "Clé de ticket": "Issue key",  # a, b, c, d, e
    "ID de ticket": "Issue id",  # c
    "Type de ticket": "Issue Type",  # a, b, c, d, e
    "État": "Status",  # a, b, c, e
    "Priorité": "Priority",  # a, b, c, e
    "Résolution": "Resolution",  # c, e
    "Création": "Created",  # a, c, e
    "Mise à jour": "Updated",  # c, e
    "Étiquettes": "Labels",  # e
    "Composants": "Component/s",  # e
    "Clé parent": PARENT_KEY,  # d
}, custom_field="Champs personnalisés (",  # a, d
    months=("janv", "févr", "mars", "avr avril", "mai", "juin",
            "juil", "août", "sept", "oct", "nov", "déc"))

# [a] IvanPV23/grupo4-repo-si, proyecto/data/inputs/README.md: the header of a Spanish export,
#     separated by ";";
# [b] emarino-git/calenadario-telco, src/data/csv.js: rows of a Spanish export;
# [c] a public Python loader of Spanish exports (its COLUMN_MAPPING: "Clave del proyecto",
#     "Nombre del proyecto", "Descripción", …);
# [d] a public Python reader of a monthly Spanish export ("principal", "clave principal").
# Not found: labels, components.
SPANISH = _language("Spanish", {
    "Resumen": "Summary",  # a, b, c, d
    "Clave de incidencia": "Issue key",  # a, b, c, d
    "ID de la incidencia": "Issue id",  # a, b, c, d
    "Tipo de Incidencia": "Issue Type",  # a, c, d
    "Estado": "Status",  # a, c, d
    "Prioridad": "Priority",  # a, c, d
    "Resolución": "Resolution",  # a, c
    "Creada": "Created",  # a, c
    "Actualizada": "Updated",  # a, c
    "Resuelta": "Resolved",  # a, c
    "Clave del proyecto": "Project key",  # c
    "Nombre del proyecto": "Project name",  # c
    "Descripción": "Description",  # c
    "Principal": "Parent",  # d
    "Clave principal": PARENT_KEY,  # d
    "ID del elemento padre": "Parent id",  # b
}, custom_field="Campo personalizado (",  # a, b, c, d
    months=("ene", "feb", "mar", "abr", "may", "jun",
            "jul", "ago", "sep sept", "oct", "nov", "dic"))

# [a] Eduardo-Cordeiro/Team_Dashboard, Jira_Data.csv: a Brazilian export, saved again by pandas;
# [b] a public Python uploader of Brazilian exports (its colunas_padrao: "Chave do Item",
#     "ID do Item", "Resumo", "Componentes", "Criado", "Resolvido", …);
# [c] a public TypeScript reader of Brazilian exports ("Chave da item", "Tipo de item",
#     "Chave pai", "Parent summary"), whose date parser reads "14/abr/26 3:31 AM".
# Not found: resolution, description, labels, the project name.
PORTUGUESE_BRAZIL = _language("Portuguese (Brazil)", {
    "Resumo": "Summary",  # b, c
    "Chave do item": "Issue key",  # a, b, c
    "Chave da item": "Issue key",  # c
    "ID do item": "Issue id",  # a, b
    "ID da item": "Issue id",  # c
    "Tipo de item": "Issue Type",  # c
    "Prioridade": "Priority",  # a
    "Criado": "Created",  # a, b, c
    "Atualizado": "Updated",  # a
    "Resolvido": "Resolved",  # b, c
    "Chave do projeto": "Project key",  # a
    "Componentes": "Component/s",  # b
    "Chave pai": PARENT_KEY,  # c
}, custom_field="Campo personalizado (",  # a, c
    months=("jan", "fev", "mar", "abr", "mai", "jun",
            "jul", "ago", "set", "out", "nov", "dez"))

# Japanese is not here: no source showed the header names of a Japanese export.
LANGUAGES = (ENGLISH, GERMAN, FRENCH, SPANISH, PORTUGUESE_BRAZIL)
