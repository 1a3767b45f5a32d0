"""The JSON API (django-ninja): the same evaluations and the same access rules as the pages.

Every endpoint that takes an evaluation id asks ``access.evaluation_for``, so the API cannot
show or change more than the pages do. Browsers authenticate with their session (and CSRF
token); scripts with HTTP Basic.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Form, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.security import HttpBasicAuth, SessionAuth
from ninja.utils import check_csrf

from ..audit.report import AuditReport
from ..ingest.notices import Notice
from ..model import DocumentError
from ..render.export import ExportError
from ..rubric.results import PackageScore
from . import evidence, importing, services, workflow
from .edits import plain
from .access import evaluation_for, visible
from .models import Evaluation

class BasicAuth(HttpBasicAuth):
    def authenticate(self, request: HttpRequest, username: str, password: str):
        user = authenticate(request, username=username, password=password)
        if user is not None:
            # The history middleware records request.user as the author of each change.
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """ninja's ``django_auth``, except that a request without a session cookie is not a session
    request at all: a script with missing or wrong Basic credentials then gets 401, not a CSRF
    failure. A request that does carry the cookie is CSRF-checked exactly as before."""

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if key is None:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF 校验失败：请刷新页面后重试")
        return key


# Basic first: a request with Basic credentials is a script's whatever cookies it also carries,
# and scripts have no CSRF token for the session check to find.
api = NinjaAPI(
    title="绩效自评系统 API",
    version="1",
    urls_namespace="api",
    auth=[BasicAuth(), BrowserSession()],
    # The schema names every endpoint and field: shown to signed-in users unless made public.
    docs_decorator=None if settings.PUBLIC_API_DOCS else login_required,
    description="预算绩效自评材料的查询、导入、审核检查、评分、导出与审核流转。"
    "浏览器使用登录会话（修改类请求需带 CSRF 令牌），脚本使用 HTTP Basic 认证。",
)


# --- errors: always {"detail": "<中文说明>"} ---------------------------------------------------


def _detail(request: HttpRequest, message: str, status: int, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    # Deliberately no "WWW-Authenticate: Basic": a browser would prompt, cache the credentials
    # and then send them on cross-site requests, which Basic auth has no CSRF check against.
    return _detail(request, "请先登录，或在请求中提供用户名和密码（HTTP Basic 认证）", 401)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _detail(request, str(exc) or "没有找到请求的内容", 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _detail(request, str(exc) or "您没有执行此操作的权限", 403)


@api.exception_handler(services.Conflict)
@api.exception_handler(workflow.Refused)
def _conflict(request, exc):
    return _detail(request, str(exc), 409)


@api.exception_handler(workflow.NeedsReason)
def _reason_missing(request, exc):
    return _detail(request, f"{exc}（comment）", 422)


@api.exception_handler(ExportError)
@api.exception_handler(DocumentError)
def _unprocessable(request, exc):
    return _detail(request, str(exc), 422)


# ninja's own refusals, in the users' language.
HTTP_ERRORS = {"Cannot parse request body": "请求内容无法解析：请发送 JSON（Content-Type: application/json）"}


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _detail(request, HTTP_ERRORS.get(str(exc), str(exc)), exc.status_code)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _detail(request, "请求参数不正确，请对照接口文档检查", 422, errors=exc.errors)


# --- schemas ---------------------------------------------------------------------------------


class Error(Schema):
    detail: str


class ImportRefused(Schema):
    detail: str
    notices: list[Notice] = []


class StateOut(Schema):
    code: Literal["draft", "awaiting_head", "submitted", "in_review", "returned", "approved"]
    label: str


class UnitOut(Schema):
    id: int
    name: str
    bureau: str


class EvaluationOut(Schema):
    id: int
    unit: UnitOut
    fiscal_year: int
    state: StateOut
    version: int
    summary: dict[str, Any]


class EvaluationDetail(EvaluationOut):
    source: str
    document: dict[str, Any]
    notices: list[Notice]


class Coverage(Schema):
    placed: int
    seen: int


class ImportOut(Schema):
    version: int
    source: str
    found: str
    coverage: Coverage
    notices: list[Notice]


class AuditOut(AuditReport):
    waived: list[str]


class TransitionIn(Schema):
    comment: str = ""


class EvidenceOut(Schema):
    id: int
    name: str
    kind: Literal["pdf", "png", "jpeg", "docx", "xlsx"]
    content_type: str
    size: int
    sha256: str
    path: str
    row: str
    moved: bool
    submitted: bool
    uploader: str
    uploaded: datetime
    download: str


def _out(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "unit": {"id": evaluation.unit_id, "name": evaluation.unit.name, "bureau": evaluation.unit.bureau.name},
        "fiscal_year": evaluation.fiscal_year,
        "state": {"code": evaluation.state, "label": evaluation.get_state_display()},
        "version": evaluation.version,
        "summary": evaluation.summary,
    }


# --- endpoints -------------------------------------------------------------------------------

NOT_YOURS = {401: Error, 404: Error}


@api.get("/evaluations", response={200: list[EvaluationOut], 401: Error}, summary="可查看的自评材料")
def evaluations(request):
    return [_out(e) for e in visible(request.auth)]


@api.get("/evaluations/{id}", response={200: EvaluationDetail, **NOT_YOURS}, summary="一份自评材料（交换格式）")
def evaluation(request, id: int):
    ev = evaluation_for(request.auth, id, "view")
    # Amounts stay the strings the interchange format stores, so no precision is lost in JSON.
    return {**_out(ev), "source": ev.source, "document": json.loads(ev.document), "notices": ev.notices}


@api.post(
    "/evaluations/{id}/import",
    response={200: ImportOut, 403: Error, 409: Error, 422: ImportRefused, **NOT_YOURS},
    summary="导入文件，替换自评材料",
    description="上传 .docx、.xlsx 或 .txt（字段 file），并提交读取材料时的版本号（字段 version）。"
    "有“错误”级导入提示时不保存，返回 422；版本号已过期时返回 409。",
)
def import_file(request, id: int, version: Form[int], file: File[UploadedFile]):
    ev = evaluation_for(request.auth, id, "edit")
    result = importing.import_into(ev, file, version, settings.UPLOAD_LIMIT)
    if not result.ok:
        return Status(422, {"detail": "导入未完成，原有数据未改动", "notices": result.errors or result.notices})
    cover = result.found.coverage
    return {
        "version": ev.version, "source": result.source, "found": result.found.describe(),
        "coverage": {"placed": cover.placed, "seen": cover.seen}, "notices": result.notices,
    }


@api.get("/evaluations/{id}/audit", response={200: AuditOut, 422: Error, **NOT_YOURS}, summary="审核检查结果")
def audit(request, id: int):
    """The findings of the stored version; ``waived`` lists the fingerprints among them that the
    unit has explained (a waiver whose finding has gone is not listed)."""
    analysis = services.analyse(evaluation_for(request.auth, id, "view"))
    report = analysis.report.model_dump(mode="json")
    report["waived"] = [f.fingerprint for f in analysis.waived]
    return report


@api.get("/evaluations/{id}/score", response={200: PackageScore, 422: Error, **NOT_YOURS}, summary="按评分规则重新计算的得分")
def score(request, id: int):
    return services.analyse(evaluation_for(request.auth, id, "view")).score.model_dump(mode="json")


@api.get(
    "/evaluations/{id}/export",
    response={422: Error, **NOT_YOURS},
    summary="导出为 Excel、Word 或 PDF",
    openapi_extra={"responses": {"200": {
        "description": "导出的文件",
        "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in services.EXPORT_TYPES.values()},
    }}},
)
def export_file(request, id: int, fmt: Literal["xlsx", "docx", "pdf"] = Query("xlsx", alias="format")):
    return services.download(evaluation_for(request.auth, id, "view"), fmt)


@api.get(
    "/evaluations/{id}/evidence", response={200: list[EvidenceOut], **NOT_YOURS}, summary="佐证材料清单（不含文件内容）",
    description="path 为附着位置（字段路径，空为整份材料），row 为上传时该行的名称；moved 表示该位置现在已是另一行或已不存在。"
    "download 为网页下载地址（下载时核对 SHA-256）。",
)
def evidence_list(request, id: int):
    ev = evaluation_for(request.auth, id, "view")
    doc = services.document(ev)
    return [{
        "id": e.pk, "name": e.name, "kind": e.kind, "content_type": evidence.CONTENT_TYPES[e.kind], "size": e.size,
        "sha256": e.sha256, "path": e.path, "row": e.row, "submitted": e.submitted,
        "moved": evidence.has_moved(doc, e),
        "uploader": e.uploader.get_username(), "uploaded": e.uploaded, "download": reverse("evidence-download", args=[ev.pk, e.pk]),
    } for e in ev.evidence.select_related("uploader")]


@api.post(
    "/evaluations/{id}/transitions/{name}",
    response={200: EvaluationOut, 403: Error, 409: Error, 422: Error, **NOT_YOURS},
    summary="审核流转",
    description="填报人提交单位负责人确认（ask_head）；单位负责人确认并提交（submit）或退回填报人（return_to_filler）；"
    "财政局开始审核（start_review）前单位可以撤回（withdraw）；审核人退回修改（send_back）或审核通过（approve）；"
    "审核人或管理员重新打开已通过的材料（reopen）。退回填报人、退回修改和重新打开必须填写原因（comment），缺少时返回 422；"
    "提交单位负责人确认和确认并提交时不能有未修正或未说明的“错误”级问题，否则返回 409。",
)
def transition(
    request, id: int,
    name: Literal["ask_head", "submit", "return_to_filler", "withdraw", "start_review", "send_back", "approve", "reopen"],
    payload: TransitionIn | None = None,
):
    with transaction.atomic():
        # Locked for the check-then-move, so two reviewers cannot both act on one submission.
        ev = evaluation_for(request.auth, id, name, for_update=True)
        ev = workflow.move(ev, name, request.auth, plain(payload.comment if payload else "").strip()[:4000])
    return _out(ev)
