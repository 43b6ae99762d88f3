from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_staff_group(sender, **kwargs) -> None:
    from .services.program import ensure_staff_group

    ensure_staff_group()


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programmes")

    # The project's root URLs include this (collab.urls reads `urls` of every app config).
    urls = "programs.urls"

    def ready(self) -> None:
        from . import registrations, signals

        # collab knows no domain app: the programme is registered as the root of rights, and
        # what programmes add to the shared layer and to the partner pages is registered here.
        registrations.register()
        # Permissions exist only after migrate, so the group is kept up to date afterwards.
        post_migrate.connect(_ensure_staff_group, sender=self)
        signals.connect()  # CommitmentTally follows every write of a commitment
