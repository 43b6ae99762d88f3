"""Writes that touch several models, by concept: program (rights, the staff group), meetings,
commitments, agreements. Services take typed data, never forms, and save all or nothing."""
