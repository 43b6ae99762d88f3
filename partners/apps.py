from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")
    # The project's root URLs include this (collab.urls reads `urls` of every app config).
    urls = "partners.urls"

    def ready(self) -> None:
        from collab.lookups import register_lookup

        from .lookups import PartnerLookupView

        register_lookup("partners/", PartnerLookupView, name="partner_lookup")
