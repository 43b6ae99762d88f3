from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollabConfig(AppConfig):
    name = "collab"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from . import checks, rescue  # noqa: F401  (a system check; a sign-in signal receiver)
