"""The Django admin: every registered page answers, partner filters filter, rights can be granted,
and changelists cost the same number of queries for 2 rows as for 20."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from collab.api.tokens import create_token
from collab.models import OutboxMessage, Region, SdgIndicator
from collab.permissions import Action, can
from partners.admin import ProvinceListFilter
from partners.models import Partner, PartnerKind, Pillar
from programs.admin.agreements import AgreementAdminForm, ClauseForm
from programs.models import (
    Agreement,
    Clause,
    Commitment,
    Program,
    ProgramGroupObjectPermission,
    ProgramUserObjectPermission,
)
from programs.services.program import grant_viewer
from tests import factories

pytestmark = pytest.mark.django_db

# A row for each model the demo data may lack; reference rows and users come from the fixtures.
FACTORIES: dict[str, Callable[[], models.Model]] = {
    "partners.partner": factories.PartnerFactory,
    "partners.contact": factories.ContactFactory,
    "programs.program": factories.ProgramFactory,
    "programs.programpartner": factories.ProgramPartnerFactory,
    "programs.site": lambda: factories.SiteFactory(region=Region.objects.order_by("code").first()),
    "programs.meeting": factories.MeetingFactory,
    "programs.attendance": factories.AttendanceFactory,
    "programs.decision": factories.DecisionFactory,
    "programs.actionitem": factories.ActionItemFactory,
    "programs.commitment": factories.CommitmentFactory,
    "programs.commitmentupdate": factories.CommitmentUpdateFactory,
    "programs.agreement": factories.AgreementFactory,
    "programs.signatory": factories.SignatoryFactory,
    "programs.clause": factories.ClauseFactory,
    "programs.indicator": lambda: factories.IndicatorFactory(
        sdg_indicator=SdgIndicator.objects.order_by("order").first()
    ),
    "programs.measurement": factories.MeasurementFactory,
    "collab.outboxmessage": lambda: OutboxMessage.objects.create(
        to="a@example.org", subject="Pengingat", body="b", kind="test"
    ),
    "collab.apitoken": lambda: create_token(user=factories.UserFactory(), name="Dasbor SDG")[0],
    "programs.programgroupobjectpermission": lambda: grant_viewer(
        program=Program.objects.order_by("pk").first(),
        user=Group.objects.get_or_create(name="Pemantau Uji")[0],
    ),
}

# django-axes registers its lockout records read-only (no add page, nothing to create): its own
# package's pages, not the project's.
THIRD_PARTY_READ_ONLY = ("axes",)
REGISTERED = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in THIRD_PARTY_READ_ONLY
    ),
    key=lambda item: item[0]._meta.label_lower,
)


def admin_url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def site_data(demo_data, users):
    """The demo data, topped up with one row of every registered model it lacks."""
    for model, _model_admin in REGISTERED:
        if not model._default_manager.exists():
            FACTORIES[model._meta.label_lower]()


def test_every_admin_page_answers(site_data, admin_client, users, rf):
    # One test over the whole registry (the demo data loads once); a newly registered model is
    # covered without a line here. Failures are collected so one run names them all.
    failures = []
    request = rf.get("/")
    request.user = users["admin"]
    for model, model_admin in REGISTERED:
        obj = model._default_manager.order_by("pk").first()
        urls = [admin_url(model, "changelist")]
        # A read-only admin (the outbox: rows are written by the code) has no add page.
        if model_admin.has_add_permission(request):
            urls.append(admin_url(model, "add"))
        if model_admin.search_fields:
            urls.append(admin_url(model, "changelist") + "?q=a")
        if obj is None:
            failures.append(f"{model._meta.label}: no row to open")
        else:
            urls.append(admin_url(model, "change", obj.pk))
            if isinstance(model_admin, SimpleHistoryAdmin):
                urls.append(admin_url(model, "history", obj.pk))
        for url in urls:
            status = admin_client.get(url).status_code
            if status != 200:
                failures.append(f"{url} → {status}")

    assert not failures


def test_foreign_keys_to_regions_are_never_selects():
    # 83,762 villages: a <select> of them would take the page down.
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Region:
                assert field.name in (
                    tuple(model_admin.autocomplete_fields) + tuple(model_admin.raw_id_fields)
                ), f"{model._meta.label}.{field.name}"
        for inline in model_admin.inlines:
            for field in inline.model._meta.get_fields():
                if isinstance(field, models.ForeignKey) and field.related_model is Region:
                    assert field.name in (
                        tuple(inline.autocomplete_fields) + tuple(inline.raw_id_fields)
                    ), f"{inline.__name__}.{field.name}"


def autocomplete_fields() -> list[tuple[type[models.Model], str]]:
    """(model whose form shows the field, field name) for every autocomplete, inlines included."""
    found = []
    for model, model_admin in admin.site._registry.items():
        found += [(model, name) for name in model_admin.autocomplete_fields]
        for inline in model_admin.inlines:
            found += [(inline.model, name) for name in inline.autocomplete_fields]
    return sorted(set(found), key=lambda item: (item[0]._meta.label_lower, item[1]))


def test_every_autocomplete_answers(site_data, admin_client):
    failures = []
    for model, field_name in autocomplete_fields():
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field_name,
                "term": "",
            },
        )
        # An empty list would hide a broken search: every target has demo or factory rows.
        if response.status_code != 200 or not response.json()["results"]:
            failures.append(f"{model._meta.label}.{field_name} → {response.status_code}")

    assert not failures


# --- partner search and filters -----------------------------------------------------------------


def changelist_names(client: Client, params: dict[str, str]) -> set[str]:
    response = client.get(admin_url(Partner, "changelist"), params)
    assert response.status_code == 200
    return {partner.name for partner in response.context["cl"].result_list}


def test_partner_search_finds_by_name_acronym_and_email(site_data, admin_client):
    factories.PartnerFactory(name="Lembaga Uji Pencarian", acronym="LUP", email="halo@lup.or.id")

    for term in ("uji pencarian", "LUP", "halo@lup"):
        assert "Lembaga Uji Pencarian" in changelist_names(admin_client, {"q": term})


def test_partner_filters_by_pillar_and_kind(site_data, admin_client):
    factories.PartnerFactory(
        name="Dinas Uji", pillar=Pillar.GOVERNMENT, kind=PartnerKind.LOCAL_GOVERNMENT
    )
    factories.PartnerFactory(
        name="Kampus Uji", pillar=Pillar.ACADEMIA_EXPERTS, kind=PartnerKind.UNIVERSITY
    )

    by_pillar = changelist_names(admin_client, {"pillar__exact": Pillar.GOVERNMENT})
    assert "Dinas Uji" in by_pillar and "Kampus Uji" not in by_pillar
    assert by_pillar == set(
        Partner.objects.filter(pillar=Pillar.GOVERNMENT).values_list("name", flat=True)
    )

    by_kind = changelist_names(admin_client, {"kind__exact": PartnerKind.UNIVERSITY})
    assert "Kampus Uji" in by_kind and "Dinas Uji" not in by_kind
    assert by_kind == set(
        Partner.objects.filter(kind=PartnerKind.UNIVERSITY).values_list("name", flat=True)
    )


def test_partner_province_filter_covers_everything_under_the_province(site_data, admin_client):
    province = Region.objects.get(code="35")  # Jawa Timur
    village = Region.objects.filter(code__startswith="35.", level=Region.Level.VILLAGE).first()
    elsewhere = Region.objects.get(code="17")  # Bengkulu
    factories.PartnerFactory(name="Mitra Provinsi", region=province)
    factories.PartnerFactory(name="Mitra Desa", region=village)
    factories.PartnerFactory(name="Mitra Bengkulu", region=elsewhere)

    names = changelist_names(admin_client, {"province": "35"})

    assert {"Mitra Provinsi", "Mitra Desa"} <= names
    assert "Mitra Bengkulu" not in names
    assert all(
        partner.region.code == "35" or partner.region.code.startswith("35.")
        for partner in Partner.objects.filter(name__in=names).select_related("region")
    )


def test_province_filter_offers_the_38_provinces(site_data, admin_client):
    response = admin_client.get(admin_url(Partner, "changelist"))

    spec = next(f for f in response.context["cl"].filter_specs if isinstance(f, ProvinceListFilter))
    assert len(spec.lookup_choices) == 38
    assert ("35", "Jawa Timur") in [(code, str(name)) for code, name in spec.lookup_choices]


# --- rights on a programme (guardian) -----------------------------------------------------------


def test_object_permissions_page_of_a_program_answers(site_data, admin_client, program):
    response = admin_client.get(admin_url(Program, "permissions", program.pk))

    assert response.status_code == 200
    assert "koordinator-ini" in response.content.decode()  # holds coordinate_program


def test_admin_grants_coordinate_program_through_the_permissions_pages(
    site_data, admin_client, users, program
):
    newcomer = users["no_rights"]
    assert not can(newcomer, Action.COORDINATE, program)

    response = admin_client.post(
        admin_url(Program, "permissions", program.pk),
        {"user": newcomer.username, "submit_manage_user": "1"},
    )
    manage_url = admin_url(Program, "permissions_manage_user", program.pk, newcomer.pk)
    assert response.status_code == 302 and response["Location"] == manage_url

    form = admin_client.get(manage_url).context["form"]
    assert {code for code, _label in form.fields["permissions"].choices} == {
        "coordinate_program",
        "export_agreement",
        "view_program",
    }
    response = admin_client.post(manage_url, {"permissions": ["coordinate_program"]})

    assert response.status_code == 302
    assert can(newcomer, Action.COORDINATE, program)
    assert ProgramUserObjectPermission.objects.filter(
        user=newcomer, content_object=program, permission__codename="coordinate_program"
    ).exists()


def test_admin_grants_a_group_view_program(site_data, admin_client, users, program):
    group = Group.objects.create(name="Tim Pemantau")
    group.user_set.add(users["no_rights"])

    response = admin_client.post(
        admin_url(Program, "permissions_manage_group", program.pk, group.pk),
        {"permissions": ["view_program"]},
    )

    assert response.status_code == 302
    assert ProgramGroupObjectPermission.objects.filter(group=group, content_object=program).exists()
    assert can(users["no_rights"], Action.VIEW, program)


def test_changing_a_programme_is_not_enough_to_hand_out_rights(site_data, users, program):
    editor = factories.UserFactory(username="penyunting", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_program", "change_program"])
    )
    client = Client()
    client.force_login(editor)

    assert client.get(admin_url(Program, "change", program.pk)).status_code == 200
    assert client.get(admin_url(Program, "permissions", program.pk)).status_code == 403
    response = client.post(
        admin_url(Program, "permissions_manage_user", program.pk, editor.pk),
        {"permissions": ["coordinate_program"]},
    )
    assert response.status_code == 403
    assert not can(editor, Action.COORDINATE, program)


# --- changelists cost the same for 2 rows as for 20 ---------------------------------------------

# model label → factory building one row with its own related rows (distinct programme, partner…)
COUNTED: dict[str, Callable[[], models.Model]] = {
    "partners.partner": lambda: factories.PartnerFactory(
        region=factories.RegionFactory(), parent=factories.PartnerFactory()
    ),
    "partners.contact": factories.ContactFactory,
    "programs.program": factories.ProgramFactory,
    "programs.programpartner": factories.ProgramPartnerFactory,
    "programs.site": factories.SiteFactory,
    "programs.meeting": factories.MeetingFactory,
    "programs.attendance": lambda: factories.AttendanceFactory(contact=factories.ContactFactory()),
    "programs.decision": factories.DecisionFactory,
    "programs.actionitem": lambda: factories.ActionItemFactory(
        meeting=factories.MeetingFactory(), responsible=factories.PartnerFactory()
    ),
    "programs.commitment": lambda: factories.CommitmentFactory(amount=1_500_000),
    "programs.commitmentupdate": factories.CommitmentUpdateFactory,
    "programs.agreement": lambda: factories.AgreementFactory(number="NK/01"),
    "programs.signatory": factories.SignatoryFactory,
    "programs.clause": lambda: factories.ClauseFactory(parent=factories.ClauseFactory()),
    "programs.indicator": factories.IndicatorFactory,
    "programs.measurement": factories.MeasurementFactory,
}


def changelist_queries(client: Client, model: type[models.Model]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("label", sorted(COUNTED))
def test_changelist_queries_do_not_grow_with_rows(label, admin_client):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    make = COUNTED[label]
    while model._default_manager.count() < 2:
        make()
    assert model._default_manager.count() == 2
    with_two = changelist_queries(admin_client, model)
    while model._default_manager.count() < 20:
        make()
    assert model._default_manager.count() == 20

    # Partners, for instance: session, user, the 38 provinces of the filter, filtered and total
    # counts, the page of rows with region and parent joined — the same whatever the number of
    # rows.
    assert changelist_queries(admin_client, model) == with_two


# --- agreements' private scans and commitments' progress log ------------------------------------


def test_an_agreement_with_a_private_scan_opens_for_editors_and_readers(site_data, admin_client):
    agreement = factories.AgreementFactory()
    agreement.document.name = "agreements/0123abcd.pdf"  # private storage: no public URL
    agreement.save()
    reader = factories.UserFactory(username="pembaca-admin", is_staff=True)
    reader.user_permissions.add(*Permission.objects.filter(codename="view_agreement"))
    reader_client = Client()
    reader_client.force_login(reader)

    for client in (admin_client, reader_client):
        response = client.get(admin_url(Agreement, "change", agreement.pk))
        assert response.status_code == 200
        assert "agreements/0123abcd.pdf" in response.content.decode()


def test_the_admin_accepts_only_a_pdf_scan_and_records_its_checksum():
    program = factories.ProgramFactory()
    data = {"program": program.pk, "kind": "mou", "title": "MoU", "status": "signed"}

    not_pdf = AgreementAdminForm(
        data, {"document": SimpleUploadedFile("mou.pdf", b"PK\x03\x04 a zip")}
    )
    assert not not_pdf.is_valid()
    assert "document" in not_pdf.errors

    content = b"%PDF-1.7 signed"
    pdf = AgreementAdminForm(data, {"document": SimpleUploadedFile("mou.pdf", content)})
    assert pdf.is_valid(), pdf.errors
    assert pdf.instance.document_sha256 == hashlib.sha256(content).hexdigest()


def test_a_progress_update_added_in_the_admin_is_signed_and_moves_the_commitment(
    admin_client, users
):
    commitment = factories.CommitmentFactory(status=Commitment.Status.PLEDGED)
    data = {
        "program": commitment.program_id,
        "partner": commitment.partner_id,
        "title": commitment.title,
        "description": "",
        "kind": commitment.kind,
        "status": commitment.status,
        "updates-TOTAL_FORMS": "1",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
        "updates-0-id": "",
        "updates-0-commitment": str(commitment.pk),
        "updates-0-status": Commitment.Status.FULFILLED,
        "updates-0-progress": "100",
        "updates-0-note": "Selesai",
    }

    response = admin_client.post(admin_url(Commitment, "change", commitment.pk), data)

    assert response.status_code == 302, response.context["errors"]
    update = commitment.updates.get()
    assert update.created_by == users["admin"]
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.FULFILLED


def test_a_clause_cannot_sit_in_another_agreement_or_inside_itself():
    clause = factories.ClauseFactory()
    elsewhere = factories.ClauseFactory()
    child = factories.ClauseFactory(agreement=clause.agreement, parent=clause)
    base = {"agreement": clause.agreement_id, "number": "1", "text": "Pasal", "order": clause.order}

    wrong_agreement = ClauseForm({**base, "parent": elsewhere.pk}, instance=clause)
    loop = ClauseForm({**base, "parent": child.pk}, instance=clause)

    assert "parent" in wrong_agreement.errors
    assert "parent" in loop.errors


def test_a_clause_section_is_looked_up_among_its_own_agreement(admin_client):
    # A select of every clause on every clause row grew as the square of the rows (7.9 MB at
    # the row limit): the section is a clause's id with a lookup limited to the agreement.
    clause = factories.ClauseFactory(number="1", text="Ruang lingkup")
    children = [
        factories.ClauseFactory(agreement=clause.agreement, parent=clause, order=order)
        for order in range(2, 7)
    ]
    other = factories.ClauseFactory(number="9", text="Pasal perjanjian lain")

    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(admin_url(Agreement, "change", clause.agreement_id))
    html = page.content.decode()

    assert page.status_code == 200
    assert f'<option value="{clause.pk}"' not in html
    assert (
        f'value="{clause.pk}" id="id_clauses-1-parent" class="vForeignKeyRawIdAdminField"' in html
    )
    assert f"agreement__id__exact={clause.agreement_id}" in html
    assert "1 Ruang lingkup" in html  # the child row's section, by its label
    labels = [q["sql"] for q in queries.captured_queries if '"programs_clause"' in q["sql"]]
    # The rows, the sections' labels, once per formset: never once per row (five have one).
    assert len(labels) <= 3, labels
    lookup = admin_client.get(
        admin_url(Clause, "changelist"),
        {"agreement__id__exact": clause.agreement_id, "_to_field": "id", "_popup": "1"},
    )
    assert lookup.status_code == 200
    assert "Ruang lingkup" in lookup.content.decode()
    assert "Pasal perjanjian lain" not in lookup.content.decode()
    assert {child.parent_id for child in children} == {clause.pk}
    assert other.agreement_id != clause.agreement_id
