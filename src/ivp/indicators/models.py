"""Observations (one published figure for a table, category, area and period), their revisions,
and the import batches they came from.

Police figures are provisional and revised later: a changed figure keeps its old value as an
ObservationRevision, so history stays visible.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ivp.core.fields import LenientDecimalField
from ivp.core.tenancy import MunicipalityOwned


class Category(models.Model):
    """A crime or nuisance type in one of the publishers' code lists."""

    scheme = models.CharField(_("code list"), max_length=30)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["scheme", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="unique_category")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ImportSource(models.TextChoices):
    SNAPSHOT = "snapshot", _("offline snapshot")
    ODATA = "odata", _("CBS/Politie open-data service")
    UPLOAD = "upload", _("upload")
    REGISTERS = "registers", _("information registers")


class ImportBatch(models.Model):
    source = models.CharField(_("source"), max_length=10, choices=ImportSource.choices)
    location = models.CharField(_("location"), max_length=500)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    files = models.JSONField(_("files"), default=list)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Observation(models.Model):
    table = models.CharField(_("table"), max_length=20)
    category = models.CharField(_("category"), max_length=20)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT,
                             related_name="observations")
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=0, help_text=_("0 for a whole year"))
    value = models.PositiveIntegerField(_("value"), null=True, blank=True, help_text=_("empty: not published"))
    boundary_year = models.PositiveIntegerField(_("boundaries of"))
    batch = models.ForeignKey(ImportBatch, verbose_name=_("import"), on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["table", "category", "area", "year", "month"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [models.UniqueConstraint(fields=["table", "category", "area", "year", "month"],
                                               name="unique_observation")]
        indexes = [models.Index(fields=["area", "category", "year"], name="observation_area_idx")]

    def __str__(self) -> str:
        return f"{self.table} {self.category} {self.area_id} {self.year}: {self.value}"


class ObservationRevision(models.Model):
    """The value an observation had before a later import revised it."""

    observation = models.ForeignKey(Observation, verbose_name=_("observation"), on_delete=models.CASCADE,
                                    related_name="revisions")
    old_value = models.PositiveIntegerField(_("old value"), null=True, blank=True)
    new_value = models.PositiveIntegerField(_("new value"), null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, verbose_name=_("import"), on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["observation", "changed_at"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.observation}: {self.old_value} -> {self.new_value}"


class InterpretationScope(models.TextChoices):
    """What an interpretation covers (the publication gate, ivp.indicators.publication, reads it)."""

    FIGURE = "figure", _("the figure of this area")
    NEIGHBOURHOODS = "neighbourhoods", _("the neighbourhoods of this municipality (table, map and funnel plot)")
    COMPARISON = "comparison", _("the comparison of the municipalities")


class Interpretation(MunicipalityOwned):
    """Duiding: what a figure means, per indicator x area x period. A figure appears in a council report
    or on a public page only together with a published interpretation; `scope` says whether it covers the
    area's own figure or a table (the neighbourhoods of a municipality, the comparison of the municipalities)."""

    indicator = models.CharField(_("indicator"), max_length=40)
    scope = models.CharField(_("covers"), max_length=20, choices=InterpretationScope.choices,
                             default=InterpretationScope.FIGURE)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text=_("empty: the whole base team"))
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 2024 or 2021-2024"))
    text = models.TextField(_("interpretation"))
    published = models.BooleanField(_("published"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    cosigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("co-signed by (police)"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    cosigned_at = models.DateTimeField(_("co-signed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["indicator", "area", "period"]
        verbose_name = _("interpretation")
        verbose_name_plural = _("interpretations")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "period", "scope"], name="unique_interpretation"),
            models.UniqueConstraint(fields=["indicator", "period", "scope"], condition=models.Q(area__isnull=True),
                                    name="unique_base_team_interpretation"),
        ]

    def __str__(self) -> str:
        """What the duiding is about, as readers name it (history pages, notifications)."""
        from .definitions import INDICATORS

        indicator = INDICATORS.get(self.indicator)
        area = self.area.name if self.area_id else gettext("base team")
        return f"{indicator.name if indicator else self.indicator}, {area}, {self.period}"

    @staticmethod
    def public_q() -> models.Q:
        return models.Q(published=True)


class BreakKind(models.TextChoices):
    BOUNDARY = "boundary_change", _("boundary change")
    COVID = "covid", _("COVID-19 measures")
    REGISTRATION = "registration_change", _("change in registration")
    OTHER = "other", _("other")


class StructuralBreak(models.Model):
    """An annotation on the time series: from here on, figures are not comparable with before."""

    area = models.ForeignKey("areas.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", help_text=_("empty: all areas"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=BreakKind.choices)
    description = models.CharField(_("description"), max_length=500)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["start"]
        verbose_name = _("structural break")
        verbose_name_plural = _("structural breaks")
        constraints = [models.UniqueConstraint(fields=["area", "start", "kind"], name="unique_break")]

    def __str__(self) -> str:
        return f"{self.start}: {self.description}"


class LocalUnit(models.TextChoices):
    COUNT = "aantal", _("count")
    PERCENTAGE = "percentage", _("percentage")
    SCORE = "score", _("score")


class LocalFigure(MunicipalityOwned):
    """A figure a municipality uploads itself: a Veiligheidsmonitor result, its own registrations."""

    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), on_delete=models.PROTECT,
                                     related_name="+")
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    measure = models.SlugField(_("measure"), max_length=80)
    year = models.PositiveIntegerField(_("year"))
    # Lenient on read: a row stored out of range (SQLite does not enforce the precision) must not break every page.
    value = LenientDecimalField(_("value"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=12, choices=LocalUnit.choices)
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                    related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["measure", "area", "year"]
        verbose_name = _("local figure")
        verbose_name_plural = _("local figures")
        constraints = [models.UniqueConstraint(fields=["municipality", "area", "measure", "year"],
                                               name="unique_local_figure")]

    def __str__(self) -> str:
        return f"{self.measure} {self.area_id} {self.year}: {self.value} {self.unit}"


class FiguresState(models.Model):
    """One row whose random token changes with every write that can change a computed series (imports,
    structural breaks): computed series are cached under it (ivp.indicators.cache). A random token rather
    than a counter, so that a rolled-back transaction, a flushed test database or a restored backup can never
    give an old key to other data."""

    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("figures state")
        verbose_name_plural = _("figures state")

    def __str__(self) -> str:
        return self.token


class RemarkKind(models.TextChoices):
    DISAGREE = "disagree", _("disagrees")
    SUGGESTION = "suggestion", _("suggests a change")


class InterpretationRemark(MunicipalityOwned):
    """A remark on a duiding by those who may comment on it (the police, the OM): they disagree, or suggest a
    changed text. The thread stays with the duiding (its history); its author marks a remark as handled.
    Agreeing is the co-signature (Interpretation.cosigned_by)."""

    interpretation = models.ForeignKey(Interpretation, verbose_name=_("interpretation"), on_delete=models.CASCADE,
                                       related_name="remarks")
    municipality = models.ForeignKey("core.Organisation", verbose_name=_("municipality"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of remark"), max_length=20, choices=RemarkKind.choices)
    text = models.TextField(_("remark"))
    suggested_text = models.TextField(_("suggested text"), blank=True)
    # The version of the duiding the remark was made on (a later change of the text may answer it).
    interpretation_version = models.PositiveIntegerField(_("on version"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["interpretation", "created_at", "id"]
        verbose_name = _("remark on an interpretation")
        verbose_name_plural = _("remarks on interpretations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_open(self) -> bool:
        return self.handled_at is None
