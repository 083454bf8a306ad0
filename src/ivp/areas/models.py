"""The area registry: gemeenten, wijken and buurten by CBS code, their population per year, and
the boundary changes that decide whether a population can be used for a rate.

Areas and populations are public statistics (CBS), not municipality-owned data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    COUNTRY = "land", _("country")
    MUNICIPALITY = "gemeente", _("municipality")
    DISTRICT = "wijk", _("district")
    NEIGHBOURHOOD = "buurt", _("neighbourhood")


class Area(models.Model):
    code = models.CharField(_("CBS code"), max_length=12, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=AreaLevel.choices)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey("self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    organisation = models.OneToOneField("core.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="area")
    # First and last year in which the area existed in these boundaries (None: open).
    first_year = models.PositiveIntegerField(_("first year"), null=True, blank=True)
    last_year = models.PositiveIntegerField(_("last year"), null=True, blank=True)
    # Generalised boundary (GeoJSON, WGS84) for choropleth maps; None when no boundary is available.
    geometry = models.JSONField(_("boundary"), null=True, blank=True)
    geometry_year = models.PositiveIntegerField(_("boundary of year"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class BoundaryChange(models.Model):
    """A change of an area's boundaries on 1 January of `year` (e.g. Haaren split in 2021)."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="boundary_changes")
    year = models.PositiveIntegerField(_("year (1 January)"))
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        ordering = ["area", "year"]
        verbose_name = _("boundary change")
        verbose_name_plural = _("boundary changes")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="unique_boundary_change")]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}: {self.description}"


class Population(models.Model):
    """Inhabitants of an area on 1 January of `year`, in the boundaries of `boundary_year`."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveIntegerField(_("year"))
    value = models.PositiveIntegerField(_("inhabitants on 1 January"))
    boundary_year = models.PositiveIntegerField(_("boundaries of"))
    source_table = models.CharField(_("source table"), max_length=20)

    class Meta:
        ordering = ["area", "year"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [models.UniqueConstraint(fields=["area", "year", "source_table"], name="unique_population")]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}: {self.value}"
