"""Reference data shared by every app: the SDG taxonomy and Indonesia's administrative regions;
and, at the end, each user's own settings, the reminder log, the e-mail outbox and the
exports built in the background.

Reference tables are loaded by `load_reference` and never edited in the pages, so they carry no
history (83,762 villages would otherwise double in a history table for nothing).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalizedTitleMixin:
    """Indonesian title where the data has one, else English (the data has few Indonesian ones)."""

    title_en: str
    title_id: str

    @property
    def title(self) -> str:
        if (get_language() or "id").startswith("id") and self.title_id:
            return self.title_id
        return self.title_en or self.title_id


class SdgGoal(LocalizedTitleMixin, models.Model):
    """One of the 17 Sustainable Development Goals."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_en = models.TextField(_("title (English)"))
    title_id = models.TextField(_("title (Indonesian)"), blank=True)
    short_title_en = models.CharField(_("short title (English)"), max_length=200, blank=True)
    short_title_id = models.CharField(_("short title (Indonesian)"), max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")

    def __str__(self) -> str:
        return f"{self.code}. {self.short_title}"

    @property
    def short_title(self) -> str:
        if (get_language() or "id").startswith("id") and self.short_title_id:
            return self.short_title_id
        return self.short_title_en or self.short_title_id or self.title


class SdgEntry(LocalizedTitleMixin, models.Model):
    """A target or an indicator: a code, its place in the official order, its title."""

    code: str
    order = models.PositiveIntegerField(_("order"))
    title_en = models.TextField(_("title (English)"))
    title_id = models.TextField(_("title (Indonesian)"), blank=True)

    class Meta:
        abstract = True
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"


class SdgTarget(SdgEntry):
    """A target under a goal, such as 11.1; `order` keeps the official order (11.1 … 11.c)."""

    goal = models.ForeignKey(
        SdgGoal, on_delete=models.CASCADE, related_name="targets", verbose_name=_("goal")
    )
    code = models.CharField(_("code"), max_length=8, unique=True)

    class Meta(SdgEntry.Meta):
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")


class SdgIndicator(SdgEntry):
    """A global indicator entry such as 11.1.1; repeats across targets share `unsd_code`."""

    target = models.ForeignKey(
        SdgTarget, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("target")
    )
    code = models.CharField(_("code"), max_length=12, unique=True)
    unsd_code = models.CharField(_("UNSD code"), max_length=20, blank=True, db_index=True)

    class Meta(SdgEntry.Meta):
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")


class Region(models.Model):
    """An administrative region with its Kemendagri code, e.g. `35.77.03.1009` (Kel. Taman)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency/city")
        DISTRICT = "district", _("District")
        VILLAGE = "village", _("Village")

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Province (provinsi)")
        KABUPATEN = "kabupaten", _("Regency (kabupaten)")
        KOTA = "kota", _("City (kota)")
        KECAMATAN = "kecamatan", _("District (kecamatan)")
        DISTRIK = "distrik", _("District (distrik)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
        DESA = "desa", _("Village (desa)")
        DESA_ADAT = "desa_adat", _("Customary village (desa adat)")

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [
            models.Index(fields=["level", "name"], name="region_level_name_idx"),
            models.Index(fields=["name"], name="region_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.code[:2]


# --- a signed-in user's own settings and the reminder log -----------------------------------------
# Not reference data, and not a programme's records either: they belong to one user, so they
# carry no history and are never read through collab.permissions.restrict.


def new_calendar_token() -> str:
    """A fresh secret for calendar links (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class UserPreference(models.Model):
    """A user's own settings: the daily reminder digest and the secret key of calendar links.

    Calendar apps cannot sign in, so a calendar link carries `calendar_token` instead. It is
    stored as is (not hashed) because the programme page shows the link again; resetting it
    makes every old link stop working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    reminders_enabled = models.BooleanField(
        _("send me the daily reminder digest by e-mail"), default=True
    )
    calendar_token = models.CharField(
        _("calendar key"), max_length=64, unique=True, default=new_calendar_token
    )
    calendar_token_reset_at = models.DateTimeField(
        _("calendar key reset at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def for_user(cls, user: Any) -> UserPreference:
        """The user's preferences, created with the defaults on first use."""
        preference, _created = cls.objects.get_or_create(user=user)
        return preference

    @classmethod
    def for_calendar_token(cls, token: str) -> UserPreference | None:
        """The preferences (with their user) whose calendar key is `token`, if any."""
        return cls.objects.select_related("user").filter(calendar_token=token).first()

    def reset_calendar_token(self) -> None:
        self.calendar_token = new_calendar_token()
        self.calendar_token_reset_at = timezone.now()
        self.save(update_fields=["calendar_token", "calendar_token_reset_at"])


class ReminderLog(models.Model):
    """One reminder digest claimed for a user on a day; at most one per (user, day).

    The row is written in the same transaction as the digest's e-mail in the outbox (`message`,
    whose state tells whether the mail server took it): a second run the same day finds it and
    writes nothing. `sent_at` is when the digest was written; rows from before the outbox may
    have it empty (a run that died between claiming and sending).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_logs",
        verbose_name=_("user"),
    )
    sent_on = models.DateField(_("day"))
    item_count = models.PositiveIntegerField(_("number of reminders"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    message = models.ForeignKey(
        "OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder_logs",
        verbose_name=_("e-mail"),
    )

    class Meta:
        ordering = ["-sent_on", "user"]
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sent_on"],
                name="reminderlog_once_per_day",
                violation_error_message=_("This user has already been sent a digest that day."),
            ),
        ]
        indexes = [models.Index(fields=["sent_on"], name="reminderlog_sent_on_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.sent_on:%Y-%m-%d}"


class OutboxMessage(models.Model):
    """One e-mail, written in the transaction that causes it and sent once by a task.

    `collab.outbox.enqueue()` writes the row; after the commit a task claims it (pending →
    sending, a conditional update that only one worker can win), hands it to the mail server and
    marks it sent. An SMTP failure puts it back to pending for a retry with back-off, until the
    attempts run out (failed, retried from the admin). A row left in "sending" by a worker that
    died is retried by the periodic sweep after `COLLAB_OUTBOX_SENDING_TIMEOUT`.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.TextField(_("to"), help_text=_("Addresses, separated by commas."))
    subject = models.TextField(_("subject"))
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    kind = models.CharField(_("kind"), max_length=50)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The same key twice is the same message: it is written and sent once."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the current attempt claimed the row (sending) or when the next one is due (pending).
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_state_next_idx"),
            models.Index(fields=["kind", "-created_at"], name="outbox_kind_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_sent_at",
                violation_error_message=_("A sent e-mail records when it was sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def recipients(self) -> list[str]:
        return [address.strip() for address in self.to.split(",") if address.strip()]


class ExportJob(models.Model):
    """A list export too large to build during a request (`collab.export_jobs`): built by a task
    into a private file, offered to the user who asked, deleted after a day."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("user"),
    )
    # The list the export was asked from: its path and its filters (the query string).
    path = models.CharField(_("list"), max_length=500)
    query = models.TextField(_("filters"), blank=True)
    format = models.CharField(_("format"), max_length=10)
    language = models.CharField(_("language"), max_length=10)
    # Scheme and host of the request, for the links in the file.
    site = models.CharField(_("site"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    progress = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.CharField(_("file"), max_length=300, blank=True)  # under PRIVATE_MEDIA_ROOT
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["state", "finished_at"], name="exportjob_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="done") | ~models.Q(file=""),
                name="exportjob_done_has_file",
                violation_error_message=_("A finished export has its file."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path} ({self.format}, {self.created_at:%Y-%m-%d %H:%M})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.progress * 100 // self.total)


class ApiTokenQuerySet(models.QuerySet):
    """Reads of API tokens."""

    def usable(self) -> ApiTokenQuerySet:
        """Tokens that still open the API: not expired (revoked ones are deleted)."""
        now = timezone.now()
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal key to the REST API (`Authorization: Token <key>`), created by its owner.

    Only a keyed hash of the key is stored (HMAC-SHA256 under a key derived from SECRET_KEY,
    collab.api.tokens): a copy of the database does not open the API. The key itself is shown
    once, when it is created. Revoking deletes the row. `last_used_at` is written at most once a
    minute, so a busy integration does not write on every request.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key begins with"), max_length=12, editable=False)
    read_only = models.BooleanField(
        _("read only"), default=False, help_text=_("The key may read but never change data.")
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user}: {self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
