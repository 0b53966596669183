"""Reading import files (JSON or CSV, UTF-8) into raw records, each with where it came from."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal.exchange import records

TOP_LEVEL_KEYS = {"format", "version", "exported_at", "search", "organisations", "listings"}


@dataclass
class RawRecord:
    kind: str  # "organisation" | "listing"
    where: str  # "organisaties.csv regel 4", "catalogus.json listings[12]"
    data: dict
    from_csv: bool
    problem: object = None  # a Dutch message when the record cannot be read at all


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Dutch."""


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise FileProblem(_l("%(file)s is geen UTF-8-tekst (regel %(line)s). Bewaar het bestand als UTF-8 "
                             "(in Excel: CSV UTF-8).", file=path.name, line=line)) from error
    except OSError as error:
        raise FileProblem(_l("%(file)s kan niet gelezen worden: %(error)s", file=path.name,
                             error=error.strerror)) from error


def read_json(path: Path, text: str) -> list[RawRecord]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(_l("%(file)s is geen geldige JSON (regel %(line)s, kolom %(column)s).",
                             file=path.name, line=error.lineno, column=error.colno)) from error
    except RecursionError as error:  # nested deeper than the parser goes: no catalogue is
        raise FileProblem(_l("%(file)s is te diep genest om een STEM-wijzer-catalogusbestand te zijn.",
                             file=path.name)) from error
    if not isinstance(document, dict) or document.get("format") != records.FORMAT:
        raise FileProblem(_l("%(file)s is geen STEM-wijzer-catalogusbestand: verwacht een object met "
                             "\"format\": \"%(format)s\".", file=path.name, format=records.FORMAT))
    if document.get("version") != records.VERSION:
        raise FileProblem(_l("%(file)s heeft versie %(version)s; deze portal leest versie %(expected)s.",
                             file=path.name, version=document.get("version"), expected=records.VERSION))
    unknown = sorted(set(document) - TOP_LEVEL_KEYS)
    if unknown:
        raise FileProblem(_l("%(file)s: onbekende onderdelen %(keys)s.", file=path.name, keys=", ".join(unknown)))
    found = []
    for key, kind in (("organisations", "organisation"), ("listings", "listing")):
        items = document.get(key, [])
        if not isinstance(items, list):
            raise FileProblem(_l("%(file)s: \"%(key)s\" moet een lijst zijn.", file=path.name, key=key))
        for index, item in enumerate(items):
            where = f"{path.name} {key}[{index}]"
            if isinstance(item, dict):
                found.append(RawRecord(kind, where, item, from_csv=False))
            else:
                found.append(RawRecord(kind, where, {}, False, _l("Een record moet een object ({...}) zijn.")))
    return found


def read_csv(path: Path, text: str) -> list[RawRecord]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # Excel in Flanders writes ';'
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = columns
    if "title" in columns:
        kind, fields = "listing", records.LISTING_FIELDS
    elif "name" in columns:
        kind, fields = "organisation", records.ORGANISATION_FIELDS
    else:
        raise FileProblem(_l("%(file)s: de eerste regel moet de kolomnamen geven: met 'title' voor aanbod, met "
                             "'name' voor organisaties.", file=path.name))
    missing = [spec.name for spec in fields if spec.required and spec.name not in columns]
    unknown = [name for name in columns if name not in {f.name for f in fields} | set(records.EXPORT_ONLY_FIELDS)]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(str(_l("ontbrekende kolommen: %(names)s", names=", ".join(missing))))
        if unknown:
            parts.append(str(_l("onbekende kolommen: %(names)s", names=", ".join(unknown))))
        raise FileProblem(f"{path.name}: {'; '.join(parts)}.")
    found = []
    try:
        start = reader.line_num + 1  # a record starts on the line after the previous one (cells may span lines)
        for row in reader:
            where, start = str(_l("%(file)s regel %(line)s", file=path.name, line=start)), reader.line_num + 1
            if None in row:
                found.append(RawRecord(kind, where, {}, True, _l("Deze regel heeft meer cellen dan er kolommen zijn.")))
                continue
            if not any((value or "").strip() for value in row.values()):
                continue  # a blank line
            found.append(RawRecord(kind, where, {k: records.unquoted_cell(v) for k, v in row.items() if v is not None},
                                   from_csv=True))
    except csv.Error as error:
        raise FileProblem(_l("%(file)s is geen geldige CSV (regel %(line)s): %(error)s", file=path.name,
                             line=reader.line_num, error=str(error))) from error
    return found


def read(path: Path) -> list[RawRecord]:
    text = _text(path)
    if path.suffix.lower() == ".json":
        return read_json(path, text)
    if path.suffix.lower() == ".csv":
        return read_csv(path, text)
    raise FileProblem(_l("%(file)s: alleen .json- en .csv-bestanden worden ingelezen.", file=path.name))
