"""The unit's package of the year before: found by unit and year, the link every comparison
with last year uses (the history checks, the figures shown beside this year's, pre-filling a
new year). Read once per stored version of it, in each process."""

from __future__ import annotations

from ..model import Evaluation as Document
from ..model import DocumentError, parse_evaluation
from ..lru import Lru
from .models import Evaluation

_parsed = Lru(16)  # parsed packages per process, by (pk, version)


def previous_of(unit_id: int, fiscal_year: int) -> Evaluation | None:
    return Evaluation.objects.filter(unit_id=unit_id, fiscal_year=fiscal_year - 1).only("pk", "version", "fiscal_year").first()


def previous_document(evaluation: Evaluation) -> tuple[tuple[int, int] | None, Document | None]:
    """Last year's package of the evaluation's unit, and what identifies its version (for the
    analysis cache: an edit to last year's package is a new comparison); (None, None) if none."""
    last = previous_of(evaluation.unit_id, evaluation.fiscal_year)
    if last is None:
        return None, None
    marker = (last.pk, last.version)
    document = _parsed.get(marker)
    if document is not None:
        return marker, document
    text = Evaluation.objects.filter(pk=last.pk, version=last.version).values_list("document", flat=True).first()
    if text is None:  # saved again this instant: compared from the next request on
        return None, None
    try:
        document = parse_evaluation(text, str(last.fiscal_year))
    except DocumentError:  # an unreadable package is no comparison, not an error of this one
        return None, None
    _parsed.put(marker, document)
    return marker, document
