"""The permission chokepoint against every persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from collab.permissions import Action, can, restrict
from partners.models import Contact, Partner
from programs.models import Agreement, Clause, Commitment, Program
from programs.services.program import grant_coordinator, revoke_program_rights
from tests.factories.agreements import ClauseFactory
from tests.factories.commitments import CommitmentFactory
from tests.factories.lookups import UserFactory
from tests.factories.partners import ContactFactory

pytestmark = pytest.mark.django_db

# persona → (may view program, may coordinate program, may export program,
#            may view other_program)
EXPECTED = {
    "no_rights": (False, False, False, False),
    "viewer": (True, False, False, False),
    "coordinator": (True, True, True, False),
    "other_coordinator": (False, False, False, True),
    "staff": (True, False, True, True),
    "admin": (True, True, True, True),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_restrict_follows_the_rights_table(persona, users, program, other_program):
    user = users[persona]
    view, coordinate, export, view_other = EXPECTED[persona]
    programs = Program.objects.all()
    assert restrict(programs, user, Action.VIEW).filter(pk=program.pk).exists() is view
    assert restrict(programs, user, Action.COORDINATE).filter(pk=program.pk).exists() is coordinate
    assert restrict(programs, user, Action.EXPORT).filter(pk=program.pk).exists() is export
    assert restrict(programs, user, "view").filter(pk=other_program.pk).exists() is view_other
    assert can(user, Action.COORDINATE, program) is coordinate


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_child_records_follow_their_programme(persona, users, program, other_program):
    mine = CommitmentFactory(program=program)
    theirs = CommitmentFactory(program=other_program)
    clause = ClauseFactory(agreement__program=program)
    visible = set(restrict(Commitment.objects.all(), users[persona], "view"))
    view, _, _, view_other = EXPECTED[persona]
    assert (mine in visible) is view
    assert (theirs in visible) is view_other
    assert (
        restrict(Clause.objects.all(), users[persona], "view").filter(pk=clause.pk).exists() is view
    )


def test_anonymous_sees_nothing(program):
    CommitmentFactory(program=program)
    anonymous = AnonymousUser()
    assert not restrict(Program.objects.all(), anonymous, "view").exists()
    assert not restrict(Commitment.objects.all(), anonymous, "view").exists()
    assert not restrict(Partner.objects.all(), anonymous, "view").exists()
    assert not can(anonymous, "view", program)


def test_a_group_right_counts_like_a_user_right(program):
    user = UserFactory()
    group = Group.objects.create(name="Sekretariat Program Ini")
    user.groups.add(group)
    grant_coordinator(program=program, user=group)
    assert can(user, Action.COORDINATE, program)


def test_revoking_removes_every_right(program):
    user = UserFactory()
    grant_coordinator(program=program, user=user)
    revoke_program_rights(program=program, user=user)
    assert not restrict(Program.objects.all(), user, "view").exists()


# One persona per test: checking several users in one loop loads each one's permissions from the
# same line, which django-zeal reports as an N+1.
@pytest.mark.parametrize(
    ("persona", "sees_partners", "sees_contacts"),
    [
        ("no_rights", False, False),
        ("viewer", True, False),
        ("coordinator", True, True),
        ("staff", True, True),
    ],
)
def test_contacts_need_a_coordinator_partners_any_programme_right(
    persona, sees_partners, sees_contacts, users
):
    ContactFactory()
    user = users[persona]
    assert restrict(Partner.objects.all(), user, "view").exists() is sees_partners
    assert restrict(Contact.objects.all(), user, "view").exists() is sees_contacts
    assert not restrict(Partner.objects.all(), user, "coordinate").exists()


def test_restrict_is_one_query_with_a_subquery(users, program, django_assert_num_queries):
    CommitmentFactory(program=program)
    user = users["coordinator"]
    user.has_perm("programs.view_program")  # Django caches model permissions once per user
    with django_assert_num_queries(1):
        list(restrict(Agreement.objects.all(), user, "view"))


def test_user_preferences_are_not_reference_data(users):
    from collab.models import UserPreference

    with pytest.raises(TypeError):
        restrict(UserPreference.objects.all(), users["coordinator"], "view")
