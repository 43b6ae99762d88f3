"""factory-boy factories for the domain models (small, valid defaults), one module per concept
as the models are split (`tests.factories.meetings` for programs/models/meetings.py, …).

Import a factory from its concept's module; this package re-exports them all for brevity in a
module that needs one or two."""

# ruff: noqa: F401 (the package re-exports its modules' factories)

from __future__ import annotations

from tests.factories.agreements import AgreementFactory, ClauseFactory, SignatoryFactory
from tests.factories.commitments import CommitmentFactory, CommitmentUpdateFactory
from tests.factories.indicators import IndicatorFactory, MeasurementFactory
from tests.factories.lookups import (
    PASSWORD,
    LookupFactory,
    RegionFactory,
    SdgGoalFactory,
    UserFactory,
)
from tests.factories.meetings import (
    ActionItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.factories.partners import ContactFactory, PartnerFactory
from tests.factories.program import ProgramFactory, ProgramPartnerFactory, SiteFactory
