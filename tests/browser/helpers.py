"""What several browser tests do the same way."""

from __future__ import annotations


def sign_in(page, live_server, username: str, password: str) -> None:
    """Sign in through the login page; back on the dashboard."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
