"""Shared fixtures: the shipped rubrics and the two sample packages typed into JSON."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from jixiao.model import Evaluation, load_evaluation
from jixiao.rubric.loader import CompiledRubric, find_rubric, load_rubric

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def department_rubric() -> CompiledRubric:
    return find_rubric("hengshan-2022-department")


@pytest.fixture(scope="session")
def project_rubric() -> CompiledRubric:
    return find_rubric("mof-2020-project")


@pytest.fixture(scope="session")
def kaiyun() -> Evaluation:
    return load_evaluation(EXAMPLES / "kaiyun-2022.json")


@pytest.fixture(scope="session")
def hengyang() -> Evaluation:
    return load_evaluation(EXAMPLES / "hengyang-2022.json")


@pytest.fixture
def write_rubric(tmp_path: Path):
    """Writes a YAML text (dedented) as ``<id>.yaml`` and loads it."""

    def write(text: str, name: str = "t") -> CompiledRubric:
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_rubric(path)

    return write
