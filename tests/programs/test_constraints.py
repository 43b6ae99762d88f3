"""Absolute rules are database constraints; each is rejected with a clear message.

Every rule is checked twice: `full_clean()` (what forms and services call) must name the
problem, and the database itself must refuse the row when validation is bypassed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.factories.agreements import AgreementFactory, ClauseFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory, SiteFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def assert_rejected(instance, message: str) -> None:
    """`message` (English msgid) is in the validation errors, and the database refuses the row."""
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert message in str(excinfo.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_a_programme_cannot_end_before_it_starts():
    program = ProgramFactory.build(starts_on=D(2021, 1, 1), ends_on=D(2020, 12, 31))
    assert_rejected(program, "A programme cannot end before it starts.")


def test_programme_slugs_are_unique():
    ProgramFactory(slug="kotaku")
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        ProgramFactory.build(slug="kotaku").full_clean()
    assert "slug" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(slug="kotaku")


def test_a_partner_holds_each_role_in_a_programme_once():
    membership = ProgramPartnerFactory()
    duplicate = ProgramPartnerFactory.build(
        program=membership.program, partner=membership.partner, role=membership.role
    )
    assert_rejected(duplicate, "This partner already has this role in the programme.")


def test_a_partner_may_hold_two_different_roles():
    membership = ProgramPartnerFactory(role="funder")
    ProgramPartnerFactory(program=membership.program, partner=membership.partner, role="member")


def test_a_region_is_a_site_of_a_programme_once():
    site = SiteFactory()
    duplicate = SiteFactory.build(program=site.program, region=site.region, name="Lagi")
    assert_rejected(duplicate, "This region is already a site of the programme.")


def test_a_meeting_cannot_end_before_it_starts():
    meeting = MeetingFactory.build(
        program=ProgramFactory(), starts_on=D(2017, 2, 9), ends_on=D(2017, 2, 6)
    )
    assert_rejected(meeting, "A meeting cannot end before it starts.")


def test_an_organisation_attends_a_meeting_once():
    attendance = AttendanceFactory()
    duplicate = AttendanceFactory.build(meeting=attendance.meeting, partner=attendance.partner)
    assert_rejected(duplicate, "This organisation is already listed as attending.")


def test_two_decisions_of_a_meeting_cannot_share_a_number():
    decision = DecisionFactory(number=1)
    duplicate = DecisionFactory.build(meeting=decision.meeting, number=1)
    assert_rejected(duplicate, "Two decisions of a meeting cannot share a number.")


def test_decision_numbers_start_at_one():
    assert_rejected(
        DecisionFactory.build(meeting=MeetingFactory(), number=0), "Decision numbers start at 1."
    )


def test_an_action_item_cannot_be_due_before_it_starts():
    item = ActionItemFactory.build(
        program=ProgramFactory(), starts_on=D(2018, 6, 11), due_on=D(2018, 6, 4)
    )
    assert_rejected(item, "An action item cannot be due before it starts.")


def test_a_commitment_cannot_be_due_before_it_starts():
    commitment = CommitmentFactory.build(
        program=ProgramFactory(),
        partner=PartnerFactory(),
        starts_on=D(2021, 11, 8),
        due_on=D(2021, 1, 1),
    )
    assert_rejected(commitment, "A commitment cannot be due before it starts.")


def test_an_amount_cannot_be_negative():
    commitment = CommitmentFactory.build(
        program=ProgramFactory(), partner=PartnerFactory(), amount=Decimal("-1")
    )
    assert_rejected(commitment, "An amount cannot be negative.")


def test_an_amount_of_zero_is_allowed():
    CommitmentFactory(amount=Decimal("0")).full_clean()


def test_progress_is_at_most_one_hundred_percent():
    update = CommitmentUpdateFactory.build(commitment=CommitmentFactory(), progress=101)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        update.full_clean()
    assert "Progress is a percentage between 0 and 100." in str(excinfo.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        update.save()


def test_an_agreement_cannot_expire_before_it_takes_effect():
    agreement = AgreementFactory.build(
        program=ProgramFactory(), effective_from=D(2021, 11, 8), expires_on=D(2021, 11, 7)
    )
    assert_rejected(agreement, "An agreement cannot expire before it takes effect.")


def test_agreement_numbers_are_unique_within_a_programme_when_given():
    agreement = AgreementFactory(number="01/NK/2021")
    duplicate = AgreementFactory.build(program=agreement.program, number="01/NK/2021")
    assert_rejected(duplicate, "This programme already has an agreement with this number.")
    # Unnumbered agreements (most seed documents) may be many; another programme may reuse one.
    AgreementFactory(program=agreement.program, number="")
    AgreementFactory(program=agreement.program, number="")
    AgreementFactory(number="01/NK/2021")


def test_a_document_checksum_is_sixty_four_hex_digits():
    agreement = AgreementFactory.build(program=ProgramFactory(), document_sha256="not-a-hash")
    assert_rejected(agreement, "The checksum must be 64 lowercase hexadecimal digits.")


def test_two_clauses_of_an_agreement_cannot_share_a_position():
    clause = ClauseFactory(order=1)
    duplicate = ClauseFactory.build(agreement=clause.agreement, order=1)
    assert_rejected(duplicate, "Two clauses of an agreement cannot share a position.")


def test_an_indicator_target_date_cannot_precede_its_baseline():
    indicator = IndicatorFactory.build(
        program=ProgramFactory(), baseline_on=D(2019, 1, 1), target_on=D(2017, 1, 1)
    )
    assert_rejected(indicator, "The target date cannot precede the baseline date.")


def test_an_indicator_has_one_value_per_date():
    measurement = MeasurementFactory(measured_on=D(2018, 12, 31))
    duplicate = MeasurementFactory.build(
        indicator=measurement.indicator, measured_on=D(2018, 12, 31)
    )
    assert_rejected(duplicate, "This indicator already has a value for this date.")


def test_messages_are_indonesian_by_default():
    """The default language is Indonesian: the message a coordinator reads is not English."""
    meeting = MeetingFactory.build(
        program=ProgramFactory(), starts_on=D(2017, 2, 9), ends_on=D(2017, 2, 6)
    )
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert "Rapat tidak dapat berakhir sebelum dimulai." in excinfo.value.messages


def test_history_records_every_change_of_a_domain_model():
    commitment = CommitmentFactory(title="Pinjaman kemitraan")
    commitment.title = "Pinjaman kemitraan dan pembinaan"
    commitment.save()
    assert [h.history_type for h in commitment.history.all()] == ["~", "+"]
    assert commitment.history.earliest().title == "Pinjaman kemitraan"
