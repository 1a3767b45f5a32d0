"""Demo data: a finance bureau, the two sample units with their imported packages, and one
account per role. Loading twice changes nothing: what exists is left as it is."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from ..ingest import import_file
from . import services
from .models import Bureau, Evaluation, Profile, Role, Unit

PASSWORD = "jixiao-demo"
BUREAU = "衡阳市财政局"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
# (filler, head, the unit's short name, its sample package)
SAMPLES = (
    ("kaiyun", "kaiyun-head", "开云镇", "hengshan-kaiyun-town-2022.txt"),
    ("hengyang", "hengyang-head", "市政府办公室", "hengyang-city-government-office-2022.txt"),
)


def _account(username: str, full_name: str, role: str, unit: Unit | None = None, bureau: Bureau | None = None) -> None:
    """Create a missing demo account; an existing one (its password above all) is left alone."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return
    user = User.objects.create_user(username, password=PASSWORD, first_name=full_name)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save()
    Profile.objects.create(user=user, role=role, unit=unit, bureau=bureau)


@transaction.atomic
def load_demo(examples: Path = EXAMPLES) -> list[str]:
    """Create what is missing; return lines saying what there is."""
    lines = []
    bureau, _ = Bureau.objects.get_or_create(name=BUREAU)
    for filler, head, short, filename in SAMPLES:
        result = import_file(examples / filename)
        if result.evaluation is None:
            raise RuntimeError(f"示例文件无法导入：{filename}")
        doc = result.evaluation
        unit, _ = Unit.objects.get_or_create(bureau=bureau, name=doc.unit.name)
        _account(filler, f"{short}填报人", Role.FILLER, unit=unit)
        _account(head, f"{short}单位负责人", Role.HEAD, unit=unit)
        evaluation = Evaluation.objects.filter(unit=unit, fiscal_year=doc.fiscal_year).first()
        if evaluation is None:
            evaluation = services.create(unit, doc.fiscal_year, result, f"示例数据：导入 {filename}")
        lines.append(f"{unit.name}：{doc.fiscal_year} 年度自评（{evaluation.get_state_display()}），填报人 {filler}，单位负责人 {head}")
    _account("reviewer", "财政局审核人", Role.REVIEWER, bureau=bureau)
    _account("admin", "系统管理员", Role.ADMIN)
    lines.append(f"{bureau.name}：审核人 reviewer；管理员 admin")
    lines.append(f"所有示例账号的密码：{PASSWORD}")
    return lines
