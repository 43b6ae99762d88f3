"""`manage.py load_demo`: the five demo programmes and the demo accounts (programs/demo/).

Idempotent: a second run writes nothing, not even history rows. Needs `load_reference` first,
because sites and partners point at regions and programmes at SDG goals and targets.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from collab.numbers import seconds
from programs.demo import data, loader

PASSWORD_VARIABLE = "COLLAB_DEMO_PASSWORD"
SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Memuat lima program contoh dari laporan berita publik (programs/demo/data/*.toml) dan "
        "akun demo: admin, staf, pemantau dan satu koordinator per program. Kata sandi dari "
        f"{PASSWORD_VARIABLE}, atau acak dan ditampilkan sekali saat akun dibuat. Aman "
        "dijalankan berulang."
    )

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        started = time.perf_counter()
        try:
            missing = data.missing_reference()
        except data.DemoDataError as error:
            raise CommandError(f"Data demo tidak valid: {error}") from error
        if missing:
            found_not = "; ".join(
                f"{label} {', '.join(codes[:3])}"
                + (f" dan {len(codes) - 3} lainnya" * (len(codes) > 3))
                for label, codes in missing.items()
            )
            raise CommandError(
                f"Data rujukan belum dimuat (tidak ditemukan: {found_not}). "
                "Jalankan `python manage.py load_reference` terlebih dahulu."
            )

        def log(line: str) -> None:
            if verbosity >= 1:
                self.stdout.write(line)

        # An empty variable (`COLLAB_DEMO_PASSWORD= make run`) counts as unset: an empty
        # password is never what was meant.
        password = os.environ.get(PASSWORD_VARIABLE) or None
        result = loader.load_demo(password=password, log=log)

        if verbosity >= 1:
            elapsed = seconds(time.perf_counter() - started)
            created, updated = sum(result.created.values()), sum(result.updated.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Data demo dimuat: {created} baris baru, {updated} diperbarui ({elapsed} s)."
                )
            )
            if verbosity >= 2:
                for label in sorted(set(result.created) | set(result.updated)):
                    created, updated = result.created[label], result.updated[label]
                    self.stdout.write(f"  {label}: {created} baru, {updated} diperbarui")
        self._report_accounts(result.accounts, verbosity, password_given=password is not None)

    def _report_accounts(
        self, accounts: loader.AccountsResult, verbosity: int, *, password_given: bool
    ) -> None:
        if accounts.generated_password:
            # Written even at verbosity 0: this is the only time anyone can see the password.
            self.stdout.write(
                self.style.WARNING(
                    f"Akun demo baru: {', '.join(accounts.created)}\n"
                    f"Kata sandi (sama untuk semua akun itu, hanya ditampilkan sekali ini): "
                    f"{accounts.generated_password}"
                )
            )
        if verbosity < 1:
            return
        if accounts.created and not accounts.generated_password:
            self.stdout.write(
                f"Akun demo baru: {', '.join(accounts.created)} "
                f"(kata sandi dari {PASSWORD_VARIABLE})."
            )
        if accounts.password_reset:
            self.stdout.write(
                f"Kata sandi diatur ulang dari {PASSWORD_VARIABLE}: "
                f"{', '.join(accounts.password_reset)}."
            )
        existing = [name for name in loader.DEMO_USERNAMES if name not in accounts.created]
        if existing and not password_given:
            self.stdout.write(
                f"Akun demo yang sudah ada ({', '.join(existing)}) tetap memakai kata sandinya, "
                "yang ditampilkan saat akun dibuat. Untuk memakai kata sandi pilihan Anda: "
                f"{PASSWORD_VARIABLE}=… python manage.py load_demo"
            )
        self.stdout.write(f"\nMasuk di {SITE_URL} (admin: {SITE_URL}admin/) sebagai:")
        roles = {
            loader.ADMIN_USERNAME: "admin (superuser)",
            loader.STAFF_USERNAME: "staf: melihat semua program, mengekspor perjanjian",
            loader.VIEWER_USERNAME: f"pemantau program {loader.VIEWER_PROGRAM}",
        }
        for username in loader.DEMO_USERNAMES:
            role = roles.get(username) or (
                f"koordinator program {username.removeprefix('koordinator-')}"
            )
            self.stdout.write(f"  {username:<40} {role}")
