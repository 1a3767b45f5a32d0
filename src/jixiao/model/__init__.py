"""The evaluation document and its interchange format."""

from .evaluation import (
    Answer,
    BaseData,
    BaseProject,
    Building,
    DepartmentEvaluation,
    Evaluation,
    Execution,
    FundRow,
    Funds,
    FundsExecution,
    Goal,
    Indicator,
    NamedTriple,
    NarrativeSection,
    ProjectTable,
    ScorecardRow,
    Signatures,
    Staffing,
    ThreePublic,
    Triple,
    Unit,
)
from .io import DocumentError, dump_evaluation, load_evaluation, parse_evaluation

__all__ = [
    "Answer", "BaseData", "BaseProject", "Building", "DepartmentEvaluation", "DocumentError",
    "Evaluation", "Execution", "FundRow", "Funds", "FundsExecution", "Goal", "Indicator",
    "NamedTriple", "NarrativeSection", "ProjectTable", "ScorecardRow", "Signatures", "Staffing",
    "ThreePublic", "Triple", "Unit", "dump_evaluation", "load_evaluation", "parse_evaluation",
]
