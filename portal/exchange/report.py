"""An import report in Dutch words, for the CLI and the admins' import page alike."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal.exchange.importer import ImportReport

OUTCOME_LABELS = {"created": _l("nieuw"), "updated": _l("bijgewerkt"), "proposed": _l("wijziging ter moderatie"),
                  "unchanged": _l("ongewijzigd")}
KIND_LABELS = {"organisation": _l("organisaties"), "listing": _l("aanbod")}


def summary(report: ImportReport) -> str:
    parts = []
    for kind, label in KIND_LABELS.items():
        outcomes = ", ".join(f"{report.outcomes[(kind, outcome)]} {word}" for outcome, word in OUTCOME_LABELS.items())
        parts.append(gettext("%(label)s: %(n)s gelezen (%(outcomes)s)", label=label, n=report.checked[kind],
                             outcomes=outcomes))
    return "; ".join(parts)
