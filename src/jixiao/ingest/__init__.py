"""Import: read a file into the neutral document, recognise its forms, map them to the model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import DocumentError, Evaluation, load_evaluation
from .forms.package import Found, recognise
from .notices import Notice, capped
from .readers import MAX_BYTES, UnreadableFile, read_document
from .vocabulary import Vocabulary


@dataclass
class ImportResult:
    source: str
    evaluation: Evaluation | None
    notices: list[Notice] = field(default_factory=list)
    found: Found = field(default_factory=Found)

    @property
    def errors(self) -> list[Notice]:
        return [n for n in self.notices if n.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.evaluation is not None and not self.errors

    def report(self) -> dict:
        """What the import found and could not place, for the CLI's and the web's reports."""
        return {
            "source": self.source,
            "ok": self.ok,
            "unit": self.evaluation.unit.name if self.evaluation else None,
            "fiscal_year": self.evaluation.fiscal_year if self.evaluation else None,
            "found": self.found.describe(),
            "coverage": self.found.coverage.as_dict(),
            "notices": [n.model_dump(mode="json", exclude_none=True) for n in self.notices],
        }


def import_file(
    path: str | Path, year: int | None = None, unit: str | None = None, max_bytes: int = MAX_BYTES, vocabulary: Vocabulary | None = None
) -> ImportResult:
    path = Path(path)
    notices: list[Notice] = []
    try:
        document = read_document(path, notices, max_bytes)
    except UnreadableFile as exc:
        return ImportResult(path.name, None, [Notice.at(exc.code, "error", path.name, str(exc))])
    try:
        evaluation, found_notices, found = recognise(document, year, unit, vocabulary)
    except Exception as exc:  # a recogniser bug must not become a traceback for the user
        message = f"{path.name}：识别表格时出错（{type(exc).__name__}），请将文件发给系统维护人员"
        return ImportResult(path.name, None, notices + [Notice.at("unreadable-file", "error", path.name, message)])
    return ImportResult(path.name, evaluation, capped(notices + found_notices, path.name), found)


def read_any(path: str | Path, year: int | None = None, vocabulary: Vocabulary | None = None) -> ImportResult:
    """An evaluation from its JSON (no notices) or imported from any readable document."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return ImportResult(path.name, load_evaluation(path))
    return import_file(path, year, vocabulary=vocabulary)


def load_any(path: str | Path, year: int | None = None, vocabulary: Vocabulary | None = None) -> Evaluation:
    """An evaluation from its JSON or from any importable document (.docx, .xlsx, text)."""
    result = read_any(path, year, vocabulary)
    if result.evaluation is None:
        raise DocumentError("\n".join(n.message for n in result.errors))
    return result.evaluation


__all__ = ["ImportResult", "Notice", "import_file", "load_any", "read_any"]
