"""Programme indicators, linked to SDG indicators or free, and their measurements."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from collab.models import SdgIndicator

from .base import TimestampedModel
from .program import Program


class IndicatorQuerySet(models.QuerySet):
    """Reads of indicators."""

    def for_detail(self) -> IndicatorQuerySet:
        return self.select_related("program", "sdg_indicator__target__goal")

    def public(self) -> IndicatorQuerySet:
        return self.filter(program__is_public=True)


class MeasurementQuerySet(models.QuerySet):
    """Reads of measurements."""

    def public(self) -> MeasurementQuerySet:
        return self.filter(indicator__program__is_public=True)


class Indicator(TimestampedModel):
    """What a programme measures, e.g. KOTAKU's slum area with a target of 0 ha by 2019."""

    program_path = "program"  # rights follow the programme (collab.permissions)

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("programme")
    )
    sdg_indicator = models.ForeignKey(
        SdgIndicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="program_indicators",
        verbose_name=_("SDG indicator"),
    )
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    # Stated rather than derived: a target can be known before its baseline (KOTAKU: 0 ha).
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        indexes = [
            models.Index(fields=["program", "name"], name="indicator_program_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_on__isnull=True)
                | models.Q(target_on__isnull=True)
                | models.Q(target_on__gte=models.F("baseline_on")),
                name="indicator_target_after_baseline",
                violation_error_message=_("The target date cannot precede the baseline date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def progress(
        self, latest_value: Decimal | None, *, first_value: Decimal | None = None
    ) -> Decimal | None:
        """How far `latest_value` has come from the baseline to the target, in percent (0–100).

        "Lower is better" indicators progress as the value falls: KOTAKU's slum area, target
        0 ha, is at 100 % once no slum is left. Without a stated baseline the first measurement
        (`first_value`) stands for it. None when there is no target, no value or no baseline.
        """
        baseline = self.baseline_value if self.baseline_value is not None else first_value
        if self.target_value is None or latest_value is None or baseline is None:
            return None
        # Turn a decreasing indicator into an increasing one, so one formula serves both.
        sign = 1 if self.direction == self.Direction.INCREASE else -1
        gap = (Decimal(self.target_value) - Decimal(baseline)) * sign
        if gap <= 0:
            # The baseline already met the target: met as long as the value has not slipped back.
            slipped = (Decimal(latest_value) - Decimal(self.target_value)) * sign < 0
            percent = Decimal(0) if slipped else Decimal(100)
        else:
            percent = (Decimal(latest_value) - Decimal(baseline)) * sign * 100 / gap
        percent = min(max(percent, Decimal(0)), Decimal(100))
        return percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Measurement(models.Model):
    """A dated value of an indicator."""

    program_path = "indicator__program"  # rights follow the programme (collab.permissions)
    history_label_field = "measured_on"  # names its rows in history (collab.history)

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = MeasurementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "measured_on"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="measurement_unique_date",
                violation_error_message=_("This indicator already has a value for this date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on:%Y-%m-%d})"
