"""What programs registers with the layers below it, from ProgramsConfig.ready().

collab and partners know no programme: the programme is named here as the root of rights, its
type-ahead endpoint is served under /lookup/, the partner directory and partner pages get
their programme filter and sections, and the largest forms tell the request field ceiling
their size.
"""

from __future__ import annotations

from collab.checks import register_form_size
from collab.formsets import fields_at_limits
from collab.lookups import register_lookup
from collab.permissions import register_rights_root
from collab.public_cache import invalidate_on_save
from partners.filtersets import PartnerFilterSet
from partners.models import register_public_partners
from partners.views import register_page_sections

from .filtersets import partner_program_filter
from .forms.agreements import AGREEMENT_FORMSETS, AgreementForm
from .forms.meetings import MEETING_FORMSETS, MeetingForm
from .lookups import ProgramLookupView
from .models import (
    Attendance,
    Commitment,
    Program,
    ProgramGroupObjectPermission,
    ProgramPartner,
    ProgramUserObjectPermission,
    Signatory,
)
from .models.program import GLOBAL_RIGHT_CODENAMES, RIGHT_CODENAMES
from .views.program import partner_sections


def register() -> None:
    register_rights_root(
        Program,
        user_permissions=ProgramUserObjectPermission,
        group_permissions=ProgramGroupObjectPermission,
        codenames=RIGHT_CODENAMES,
        global_codenames=GLOBAL_RIGHT_CODENAMES,
    )
    register_lookup("programs/", ProgramLookupView, name="program_lookup")
    PartnerFilterSet.add_filter("program", partner_program_filter(), before="is_active")
    register_page_sections(partner_sections)
    # A partner is public when a public record names it: a role in a public programme, a
    # public commitment, attendance at a public meeting, a signature on a public agreement.
    for ids in public_partner_ids():
        register_public_partners(ids)
    # Any committed write to a programme's records or a partner starts a new generation of the
    # cached public pages (collab.public_cache).
    invalidate_on_save(["programs", "partners"])
    # The largest forms: the request field ceiling must read them at their row limits.
    register_form_size("meeting", lambda: fields_at_limits(MeetingForm, MEETING_FORMSETS))
    register_form_size("agreement", lambda: fields_at_limits(AgreementForm, AGREEMENT_FORMSETS))


def public_partner_ids() -> list:
    """The sources of public partners (Partner.objects.public()), each a queryset of ids."""
    return [
        _public_role_partners,
        _public_commitment_partners,
        _public_attendance_partners,
        _public_signatory_partners,
    ]


def _public_role_partners():
    return ProgramPartner.objects.public().values("partner_id")


def _public_commitment_partners():
    return Commitment.objects.public().values("partner_id")


def _public_attendance_partners():
    return Attendance.objects.public().values("partner_id")


def _public_signatory_partners():
    return Signatory.objects.public().filter(partner__isnull=False).values("partner_id")
