"""Who works on what: bureaus, units, people and their roles, and the evaluations with their
review loop. The evaluation itself is stored as the library's interchange JSON."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django_fsm import GET_STATE, FSMField, transition
from simple_history.models import HistoricalRecords

from ..ingest.vocabulary import Vocabulary, VocabularyError, build, load_vocabulary


class Bureau(models.Model):
    name = models.CharField("财政局", max_length=100, unique=True)
    vocabulary = models.TextField(
        "补充词表（YAML）", blank=True, default="",
        help_text="本地表样的表头与行名写法，格式同内置词表（jixiao vocabulary show）；本局所辖单位上传材料时使用",
    )

    required_coverage = models.PositiveSmallIntegerField(
        "提交前要求的核算覆盖率（%）", null=True, blank=True, validators=[MaxValueValidator(100)],
        help_text="部门整体得分中按数据核算的分值须达到的比例；空表示不要求",
    )

    class Meta:
        verbose_name = verbose_name_plural = "财政局"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.vocabulary.strip():
            try:
                build([(f"{self.name or '本局'}词表", self.vocabulary)])
            except VocabularyError as exc:
                raise ValidationError({"vocabulary": exc.problems}) from None

    def words(self) -> Vocabulary | None:
        """The vocabulary the bureau's uploads are read with (None: the shipped one)."""
        if not self.vocabulary.strip():
            return None
        return load_vocabulary(texts=[(f"{self.name}词表", self.vocabulary)])


class Unit(models.Model):
    bureau = models.ForeignKey(Bureau, models.PROTECT, related_name="units", verbose_name="财政局")
    name = models.CharField("单位名称", max_length=200)
    code = models.CharField("单位编码", max_length=50, blank=True)
    # One level only: a 二级单位 under its 主管部门, whose reviewers see the 二级单位 as a group.
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="主管部门",
        help_text="二级单位所属的主管部门；主管部门本身留空",
    )

    class Meta:
        verbose_name = verbose_name_plural = "预算单位"
        constraints = [models.UniqueConstraint(fields=["bureau", "name"], name="unit_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent_id == self.pk or self.parent.parent_id is not None:
            raise ValidationError({"parent": "主管部门须是一级单位（本身没有主管部门）"})
        if self.parent.bureau_id != self.bureau_id:
            raise ValidationError({"parent": "主管部门须属于同一财政局"})
        if self.pk and self.children.exists():
            raise ValidationError({"parent": "该单位下已有二级单位，不能再归入其他主管部门"})


class Role(models.TextChoices):
    FILLER = "filler", "填报人"
    HEAD = "head", "单位负责人"
    REVIEWER = "reviewer", "审核人"
    ADMIN = "admin", "管理员"


UNIT_ROLES = (Role.FILLER, Role.HEAD)


class Profile(models.Model):
    """A person's one role: unit roles belong to a unit, reviewers to a bureau. A reviewer with a
    unit as well is a department's reviewer: the 主管部门 named reviews its 二级单位 only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="members", verbose_name="单位")
    bureau = models.ForeignKey(Bureau, models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="财政局")

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role__in=UNIT_ROLES, unit__isnull=False, bureau__isnull=True)
                           | models.Q(role=Role.REVIEWER, bureau__isnull=False)
                           | models.Q(role=Role.ADMIN, unit__isnull=True)),
                name="profile_role_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_role_display()}）"

    def clean(self) -> None:
        if self.role == Role.REVIEWER and self.unit_id is not None:
            if self.unit.bureau_id != self.bureau_id or self.unit.parent_id is not None:
                raise ValidationError({"unit": "主管部门的审核人：单位须是本财政局的主管部门（一级单位），也可留空审核全局"})


class RubricChoice(models.Model):
    """Which rubrics a bureau scores a year's evaluations by."""

    bureau = models.ForeignKey(Bureau, models.CASCADE, related_name="rubric_choices", verbose_name="财政局")
    fiscal_year = models.PositiveIntegerField("评价年度")
    department_rubric = models.CharField("部门整体评分规则", max_length=100)
    project_rubric = models.CharField("项目支出评分规则", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "评分规则选择"
        constraints = [models.UniqueConstraint(fields=["bureau", "fiscal_year"], name="rubric_choice_unique_year")]


class State(models.TextChoices):
    DRAFT = "draft", "填报中"
    AWAITING_HEAD = "awaiting_head", "待单位负责人确认"
    SUBMITTED = "submitted", "待审核"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


EDITABLE = (State.DRAFT, State.RETURNED)


class Move(models.TextChoices):
    """The review loop's transitions, by the name of the Evaluation method that runs each."""

    ASK_HEAD = "ask_head", "提交单位负责人确认"
    SUBMIT = "submit", "确认并提交"
    RETURN_TO_FILLER = "return_to_filler", "退回填报人"
    WITHDRAW = "withdraw", "撤回"
    START_REVIEW = "start_review", "开始审核"
    SEND_BACK = "send_back", "退回修改"
    APPROVE = "approve", "审核通过"
    REOPEN = "reopen", "重新打开"


def _allowed(action: str):
    def permission(instance: Evaluation, user) -> bool:
        from .access import may  # access imports these models

        return may(user, instance, action)

    return permission


def _asked_from(evaluation: Evaluation) -> str:
    """Where the filler asked the head from: a package the bureau had returned goes back as
    已退回, so the unit still sees it is answering the bureau's comments."""
    before = evaluation.history.exclude(state=State.AWAITING_HEAD).order_by("-history_date", "-history_id").values_list("state", flat=True).first()
    return before if before in EDITABLE else State.DRAFT


class Evaluation(models.Model):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="evaluations", verbose_name="单位")
    fiscal_year = models.PositiveIntegerField("评价年度")
    state = FSMField("状态", default=State.DRAFT, choices=State.choices)
    document = models.TextField("自评材料（交换格式 JSON）")
    version = models.PositiveIntegerField("版本", default=1)
    source = models.CharField("导入文件", max_length=255, blank=True)
    notices = models.JSONField("导入提示", default=list, blank=True)
    summary = models.JSONField("审核摘要", default=dict, blank=True)
    # Fixed on submission, so that a later rubric choice does not rescore what is under review
    # or approved; empty while the unit is still filling in.
    rubrics = models.JSONField("评分规则（提交时确定）", default=list, blank=True)
    auto_totals = models.JSONField(
        "随各项得分更新的合计", default=list, blank=True,
        help_text="由系统按各项得分填写、随之更新的合计（字段路径）；单位自己填写或导入的合计不在其中",
    )
    rubrics_chosen = models.BooleanField(
        "单位新建时明确选用的评分规则", default=False,
        help_text="新建时没有该年度的评分规则、由单位确认选用最接近年度的规则；退回后仍沿用",
    )
    # The queue searches these without loading documents; written with the summary.
    project_names = models.TextField("项目名称（供检索）", blank=True, default="")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核人",
    )
    created = models.DateTimeField("创建时间", auto_now_add=True)
    updated = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="修改记录")

    class Meta:
        verbose_name = verbose_name_plural = "绩效自评"
        constraints = [models.UniqueConstraint(fields=["unit", "fiscal_year"], name="evaluation_unique_year")]
        ordering = ["-fiscal_year", "unit__name"]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.fiscal_year} 年度"

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE

    # Each transition's permission is the access helper's rule, so pages, API and the state
    # machine cannot disagree about who may move an evaluation on; the sources here are the only
    # statement of from where.
    @transition(field=state, source=EDITABLE, target=State.AWAITING_HEAD, permission=_allowed(Move.ASK_HEAD))
    def ask_head(self) -> None:
        pass

    @transition(field=state, source=State.AWAITING_HEAD, target=State.SUBMITTED, permission=_allowed(Move.SUBMIT))
    def submit(self) -> None:
        pass

    @transition(field=state, source=State.AWAITING_HEAD, target=GET_STATE(_asked_from, states=EDITABLE),
                permission=_allowed(Move.RETURN_TO_FILLER))
    def return_to_filler(self) -> None:
        pass

    # Only while no reviewer has taken it up: after that the unit asks the reviewer to return it.
    @transition(field=state, source=State.SUBMITTED, target=State.DRAFT, permission=_allowed(Move.WITHDRAW))
    def withdraw(self) -> None:
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.IN_REVIEW, permission=_allowed(Move.START_REVIEW))
    def start_review(self) -> None:
        pass

    @transition(field=state, source=State.IN_REVIEW, target=State.RETURNED, permission=_allowed(Move.SEND_BACK))
    def send_back(self) -> None:
        pass

    @transition(field=state, source=State.IN_REVIEW, target=State.APPROVED, permission=_allowed(Move.APPROVE))
    def approve(self) -> None:
        pass

    # Back under review rather than straight to the unit: the reviewer then returns it with
    # comments or approves it again, and the unit's figures stay as approved until then.
    @transition(field=state, source=State.APPROVED, target=State.IN_REVIEW, permission=_allowed(Move.REOPEN))
    def reopen(self) -> None:
        pass


class Waiver(models.Model):
    """A finding the unit explains rather than fixes. Keyed by the finding's fingerprint, so it
    lapses by itself when the figures it waived change."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="waivers")
    fingerprint = models.CharField(max_length=32)
    code = models.CharField("检查代码", max_length=80)
    message = models.TextField("问题")
    reason = models.TextField("说明理由")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="说明人")
    created = models.DateTimeField("时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="说明记录")

    class Meta:
        verbose_name = verbose_name_plural = "问题说明"
        constraints = [models.UniqueConstraint(fields=["evaluation", "fingerprint"], name="waiver_unique_finding")]


class Comment(models.Model):
    """A reviewer's (or the unit's) remark, on one finding or on the whole evaluation."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="comments")
    fingerprint = models.CharField(max_length=32, blank=True)
    finding = models.TextField("涉及的问题", blank=True)
    text = models.TextField("意见")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="提出人")
    created = models.DateTimeField("时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="意见记录")

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        ordering = ["created"]


class Kind(models.TextChoices):
    """The file types evidence may be, as sniffed from its bytes."""

    PDF = "pdf", "PDF 文档"
    PNG = "png", "PNG 图片"
    JPEG = "jpeg", "JPEG 图片"
    DOCX = "docx", "Word 文档（.docx）"
    XLSX = "xlsx", "Excel 工作簿（.xlsx）"


class Evidence(models.Model):
    """A file attached as proof (佐证材料) to an indicator row, a table or the whole package.

    Where it belongs is a document path like an edit's (``projects.3.indicators.5``, ``projects.3``,
    empty for the package) with that row's name at upload time, so that it is still told apart
    when rows are added or removed around it. Never deleted once it has been submitted; the
    evaluation protects its evidence from a cascade."""

    evaluation = models.ForeignKey(Evaluation, models.PROTECT, related_name="evidence", verbose_name="自评材料")
    path = models.CharField("所在位置（字段路径）", max_length=100, blank=True)
    row = models.TextField("上传时所在行")
    name = models.CharField("文件名", max_length=255)
    stored = models.CharField("存储名", max_length=120, unique=True)
    kind = models.CharField("文件类型", max_length=10, choices=Kind.choices)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人")
    uploaded = models.DateTimeField("上传时间", auto_now_add=True)
    submitted = models.BooleanField("已随材料提交", default=False)
    history = HistoricalRecords(verbose_name="佐证材料记录")

    moved = False  # set for a page by evidence.place when the row at ``path`` is no longer ``row``

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["uploaded", "pk"]

    def __str__(self) -> str:
        return self.name


class Analysed(models.Model):
    """One version of an evaluation scored and audited, kept so that every worker process
    serving its pages reads the same analysis instead of computing (and holding) its own."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)  # the version, rubrics, text and code it was computed from
    version = models.PositiveIntegerField()
    payload = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "key"], name="analysed_once")]


class Campaign(models.Model):
    """A bureau's self-evaluation round for one year (年度自评安排): which units take part and
    by when they submit. The round's rubrics are the bureau's RubricChoice for the year."""

    bureau = models.ForeignKey(Bureau, models.PROTECT, related_name="campaigns", verbose_name="财政局")
    fiscal_year = models.PositiveIntegerField("评价年度")
    deadline = models.DateField("截止日期")
    units = models.ManyToManyField(Unit, through="Participation", related_name="campaigns", verbose_name="参加单位")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="安排人")
    created = models.DateTimeField("安排时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度自评安排"
        constraints = [models.UniqueConstraint(fields=["bureau", "fiscal_year"], name="campaign_unique_year")]
        ordering = ["-fiscal_year", "bureau__name"]

    def __str__(self) -> str:
        return f"{self.bureau.name} {self.fiscal_year} 年度自评工作"


class Participation(models.Model):
    """One unit in a round; ``reminded`` records the deadline reminder, so it is sent once."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="participations")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="participations", verbose_name="单位")
    reminded = models.DateTimeField("截止提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参加单位"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="participation_unique_unit")]

    def clean(self) -> None:
        if self.unit_id and self.campaign_id and self.unit.bureau_id != self.campaign.bureau_id:
            raise ValidationError({"unit": f"{self.unit.name}不属于{self.campaign.bureau.name}"})


class Notification(models.Model):
    """A message in a person's inbox (站内消息), also e-mailed when they have an address."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name="收件人")
    text = models.TextField("内容")
    link = models.CharField("链接", max_length=200, blank=True)
    created = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created", "-pk"]
        # the header's unread count runs on every page
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text[:40]
