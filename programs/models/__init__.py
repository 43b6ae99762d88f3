"""Programme models, split by concept; import from `programs.models`."""

from .agreements import Agreement, Clause, Signatory
from .commitments import Commitment, CommitmentStatus, CommitmentUpdate
from .indicators import Indicator, Measurement
from .meetings import ActionItem, Attendance, Decision, Meeting
from .program import (
    Program,
    ProgramGroupObjectPermission,
    ProgramPartner,
    ProgramUserObjectPermission,
    Site,
)

__all__ = [
    "ActionItem",
    "Agreement",
    "Attendance",
    "Clause",
    "Commitment",
    "CommitmentStatus",
    "CommitmentUpdate",
    "Decision",
    "Indicator",
    "Measurement",
    "Meeting",
    "Program",
    "ProgramGroupObjectPermission",
    "ProgramPartner",
    "ProgramUserObjectPermission",
    "Signatory",
    "Site",
]
