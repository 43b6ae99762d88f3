"""Progress on commitments."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..models import Commitment, CommitmentUpdate


@transaction.atomic
def record_commitment_update(
    *, commitment: Commitment, user: AbstractBaseUser, status: str, progress: int, note: str = ""
) -> CommitmentUpdate:
    """Log progress on a commitment and move the commitment to the reported status."""
    update = CommitmentUpdate(
        commitment=commitment, status=status, progress=progress, note=note, created_by=user
    )
    update.full_clean()
    update.save()
    if commitment.status != status:
        commitment.status = status
        commitment.save(update_fields=["status", "updated_at"])
    return update
